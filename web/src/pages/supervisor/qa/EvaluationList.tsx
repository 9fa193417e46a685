import { FormattedDate } from 'react-intl';
import { Link } from 'react-router';
import { useQuery } from 'urql';

import { graphql } from '../../../gql';
import type { QaEvaluationStatus } from '../../../gql/graphql';
import type { MessageId } from '../../../i18n/messages';
import { useT } from '../../../i18n/useT';
import { DataTable, type Column } from '../../../ui/DataTable';
import { QueryProblem } from '../../../ui/QueryProblem';

const QaEvaluationListQuery = graphql(`
  query QaEvaluationList($status: [QaEvaluationStatus!]) {
    qaEvaluations(status: $status, first: 100) {
      nodes {
        id
        status
        callId
        callAt
        score
        autoFailed
        disputeReason
        scorecard {
          id
          name
          version
        }
      }
    }
  }
`);

type Row = { id: string; status: QaEvaluationStatus; callId: string; callAt: string; score?: number | null; autoFailed: boolean; disputeReason?: string | null; scorecard: { name: string; version: number } };

/** Evaluations of some statuses (drafts, disputes), each opened by a link beside its call. */
export function EvaluationList({ title, status, basePath }: { title: string; status?: QaEvaluationStatus[]; basePath: string }) {
  const t = useT();
  const [result, reexecute] = useQuery({ query: QaEvaluationListQuery, variables: { status: status ?? null }, requestPolicy: 'cache-and-network' });
  const columns: Column<Row>[] = [
    { header: t('qa.callTime'), cell: (row) => <FormattedDate value={row.callAt} dateStyle="medium" timeStyle="short" />, isRowHeader: true },
    { header: t('qa.scorecard'), cell: (row) => `${row.scorecard.name} (v${row.scorecard.version})` },
    { header: t('qa.scoreColumn'), cell: (row) => (row.autoFailed ? t('qa.autoFailed') : row.score === null || row.score === undefined ? '—' : String(row.score)) },
    { header: t('qa.statusColumn'), cell: (row) => t(`qa.status.${row.status}` as MessageId) },
    {
      header: t('list.actions'),
      className: 'cell-actions',
      cell: (row) => (
        <Link to={`${basePath}?evaluation=${encodeURIComponent(row.id)}`} aria-label={t('qa.openCall', { call: row.callId })}>
          {t('qa.open')}
        </Link>
      ),
    },
  ];
  return (
    <section>
      <h2>{title}</h2>
      {result.error ? <QueryProblem error={result.error} retry={() => reexecute({ requestPolicy: 'network-only' })} /> : null}
      <DataTable
        caption={title}
        rows={result.data?.qaEvaluations.nodes ?? []}
        columns={columns}
        rowKey={(row) => row.id}
        busy={result.fetching}
        empty={result.fetching ? t('app.loading') : t('qa.none')}
      />
    </section>
  );
}
