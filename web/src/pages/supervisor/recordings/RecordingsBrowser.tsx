import { useState } from 'react';
import { useIntl } from 'react-intl';
import { Link } from 'react-router';
import { useQuery } from 'urql';

import { useSession } from '../../../auth/session';
import type { RecordingSearchQuery as SearchResult } from '../../../gql/graphql';
import { useT } from '../../../i18n/useT';
import { DownloadRecordingButton } from '../../../recordings/DownloadRecordingButton';
import { RecordingRightsQuery, RecordingSearchQuery } from '../../../recordings/operations';
import { RecordingPlayer } from '../../../recordings/RecordingPlayer';
import { Button } from '../../../ui/Button';
import { DataTable, type Column } from '../../../ui/DataTable';
import { Pager } from '../../../ui/Pager';
import { QueryProblem } from '../../../ui/QueryProblem';
import { formatDuration } from '../wallboard/duration';
import { EMPTY_DRAFT, RecordingSearchForm, toFilter, type SearchDraft } from './RecordingSearchForm';

type Row = SearchResult['recordings']['nodes'][number];

const PAGE_SIZE = 25;

/** Search, results and the player: supervisors over the tenant, agents over their own calls. */
export function RecordingsBrowser({ own }: { own: boolean }) {
  const t = useT();
  const intl = useIntl();
  const { tenant } = useSession();
  const [draft, setDraft] = useState<SearchDraft>(EMPTY_DRAFT);
  const [customer, setCustomer] = useState<{ id: string; name: string } | null>(null);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [selected, setSelected] = useState<Row | null>(null);
  const filter = { ...toFilter(draft, tenant.timeZone), ...(customer ? { customerId: customer.id } : {}) };
  const [result, retry] = useQuery({
    query: RecordingSearchQuery,
    variables: { filter, first: PAGE_SIZE, after: cursors[cursors.length - 1] ?? null },
    requestPolicy: 'cache-and-network',
  });
  const [rights] = useQuery({ query: RecordingRightsQuery });
  const mayDownload = rights.data?.recordingSettings.viewerMayDownload ?? false;
  const mayPlay = rights.data?.recordingSettings.viewerMayPlay ?? true;
  const rows = result.data?.recordings.nodes ?? [];
  const pageInfo = result.data?.recordings.pageInfo;

  const search = (next: SearchDraft) => {
    setDraft(next);
    setCursors([null]);
  };
  const when = (row: Row) =>
    intl.formatDate(row.startedAt ?? row.createdAt, { dateStyle: 'short', timeStyle: 'medium' });
  const describe = (row: Row) => t('recordings.row', { time: when(row), agent: row.agentName ?? t('recordings.noAgent') });

  const columns: Column<Row>[] = [
    { header: t('recordings.col.time'), isRowHeader: true, cell: when },
    { header: t('recordings.col.direction'), cell: (row) => t(`recordings.direction.${row.direction}`) },
    { header: t('recordings.col.queue'), cell: (row) => row.queueName ?? '' },
    { header: t('recordings.col.agent'), cell: (row) => row.agentName ?? '' },
    {
      header: t('recordings.col.customer'),
      cell: (row) =>
        row.customerId && row.customerName ? (
          <Button
            variant="ghost"
            aria-label={t('recordings.onlyCustomer', { name: row.customerName })}
            onClick={() => {
              setCustomer({ id: row.customerId ?? '', name: row.customerName ?? '' });
              setCursors([null]);
            }}
          >
            {row.customerName}
          </Button>
        ) : (
          (row.callerNumber ?? '')
        ),
    },
    { header: t('recordings.col.duration'), cell: (row) => formatDuration(row.durationSeconds) },
    { header: t('recordings.col.disposition'), cell: (row) => row.dispositionLabel ?? row.dispositionCode ?? '' },
    {
      header: t('recordings.col.actions'),
      cell: (row) => (
        <div className="row-actions">
          <Button aria-label={t('recordings.open', { row: describe(row) })} onClick={() => setSelected(row)}>
            {t('recordings.openShort')}
          </Button>
          {mayDownload ? (
            <DownloadRecordingButton recordingId={row.id} accessibleName={t('recordings.downloadRow', { row: describe(row) })} />
          ) : null}
          {own ? null : (
            <Link className="btn btn-secondary" to={`/supervisor/qa?recording=${encodeURIComponent(row.id)}`} aria-label={t('recordings.evaluate', { row: describe(row) })}>
              {t('recordings.evaluateShort')}
            </Link>
          )}
        </div>
      ),
    },
  ];

  return (
    <>
      <RecordingSearchForm own={own} onSearch={search} />
      {customer ? (
        <p className="filter-chip">
          {t('recordings.customerFilter', { name: customer.name })}{' '}
          <Button variant="ghost" onClick={() => setCustomer(null)}>
            {t('recordings.customerFilterClear')}
          </Button>
        </p>
      ) : null}
      {own && !mayPlay ? <p className="alert alert-warning">{t('recordings.agentsMayNotPlay')}</p> : null}
      {selected ? (
        <section className="recording-panel" aria-labelledby="recording-panel-heading">
          <h2 id="recording-panel-heading">{describe(selected)}</h2>
          <RecordingPlayer key={selected.id} recordingId={selected.id} />
          {mayDownload ? <DownloadRecordingButton recordingId={selected.id} /> : null}
        </section>
      ) : null}
      {result.error ? <QueryProblem error={result.error} retry={() => retry({ requestPolicy: 'network-only' })} /> : null}
      <DataTable
        caption={t('recordings.caption')}
        rows={rows}
        columns={columns}
        rowKey={(row) => row.id}
        busy={result.fetching}
        empty={result.fetching ? t('recordings.loading') : t('recordings.empty')}
      />
      <Pager
        label={t('recordings.pager')}
        page={cursors.length}
        hasPrevious={cursors.length > 1}
        hasNext={pageInfo?.hasNextPage ?? false}
        onPrevious={() => setCursors((c) => c.slice(0, -1))}
        onNext={() => setCursors((c) => [...c, pageInfo?.endCursor ?? null])}
      />
    </>
  );
}
