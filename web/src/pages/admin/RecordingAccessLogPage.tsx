import { useState } from 'react';
import { useIntl } from 'react-intl';
import { useMutation, useQuery } from 'urql';

import { useServerAction } from '../../forms/useServerAction';
import type { RecordingAccessLogQuery as LogResult } from '../../gql/graphql';
import { useT } from '../../i18n/useT';
import { RecordingAccessLogQuery, RecordingRightsQuery, UpdateRecordingSettingsMutation } from '../../recordings/operations';
import { DataTable, type Column } from '../../ui/DataTable';
import { FormAlert } from '../../ui/FormAlert';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';
import { QueryProblem } from '../../ui/QueryProblem';
import { StatusMessage } from '../../ui/StatusMessage';

type Entry = LogResult['recordingAccessLog']['nodes'][number];

const PAGE_SIZE = 50;

/** Who may play recordings (the agents' setting) and who played or downloaded which. */
function AgentPlaybackSetting() {
  const t = useT();
  const [rights, refetch] = useQuery({ query: RecordingRightsQuery });
  const [, update] = useMutation(UpdateRecordingSettingsMutation);
  const action = useServerAction();
  const [done, setDone] = useState<string | null>(null);
  const allowed = rights.data?.recordingSettings.agentsMayPlayOwn;
  if (allowed === undefined) return null;
  const change = (next: boolean) =>
    void action.run(
      () => update({ input: { agentsMayPlayOwn: next } }),
      () => {
        setDone(t(next ? 'admin.recordingAccess.allowed' : 'admin.recordingAccess.refused'));
        refetch({ requestPolicy: 'network-only' });
      },
    );
  return (
    <section className="form-section" aria-labelledby="recording-rights-heading">
      <h2 id="recording-rights-heading">{t('admin.recordingAccess.rightsHeading')}</h2>
      <p>{t('admin.recordingAccess.rightsIntro')}</p>
      <div className="check">
        <input
          id="agents-may-play-own"
          type="checkbox"
          className="check-input"
          checked={allowed}
          disabled={action.busy}
          onChange={(event) => change(event.target.checked)}
        />
        <label htmlFor="agents-may-play-own" className="check-label">
          {t('admin.recordingAccess.agentsMayPlayOwn')}
        </label>
      </div>
      <FormAlert problem={action.problem} />
      <StatusMessage message={done} />
    </section>
  );
}

export default function RecordingAccessLogPage() {
  const t = useT();
  const intl = useIntl();
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [result, retry] = useQuery({
    query: RecordingAccessLogQuery,
    variables: { first: PAGE_SIZE, after: cursors[cursors.length - 1] ?? null },
    requestPolicy: 'cache-and-network',
  });
  const entries = result.data?.recordingAccessLog.nodes ?? [];
  const pageInfo = result.data?.recordingAccessLog.pageInfo;
  const columns: Column<Entry>[] = [
    {
      header: t('admin.recordingAccess.col.at'),
      isRowHeader: true,
      cell: (entry) => intl.formatDate(entry.at, { dateStyle: 'medium', timeStyle: 'medium' }),
    },
    { header: t('admin.recordingAccess.col.user'), cell: (entry) => entry.userName ?? t('admin.recordingAccess.apiKey') },
    { header: t('admin.recordingAccess.col.role'), cell: (entry) => entry.role.toLowerCase() },
    { header: t('admin.recordingAccess.col.action'), cell: (entry) => t(`admin.recordingAccess.action.${entry.action}`) },
    { header: t('admin.recordingAccess.col.call'), cell: (entry) => entry.callId },
    { header: t('admin.recordingAccess.col.ip'), cell: (entry) => entry.clientIp ?? '' },
  ];
  return (
    <section className="page">
      <PageHeader title={t('admin.recordingAccess.title')} intro={t('admin.recordingAccess.intro')} />
      <AgentPlaybackSetting />
      <h2>{t('admin.recordingAccess.logHeading')}</h2>
      {result.error ? <QueryProblem error={result.error} retry={() => retry({ requestPolicy: 'network-only' })} /> : null}
      <DataTable
        caption={t('admin.recordingAccess.caption')}
        rows={entries}
        columns={columns}
        rowKey={(entry) => entry.id}
        busy={result.fetching}
        empty={result.fetching ? t('admin.recordingAccess.loading') : t('admin.recordingAccess.empty')}
      />
      <Pager
        label={t('admin.recordingAccess.pager')}
        page={cursors.length}
        hasPrevious={cursors.length > 1}
        hasNext={pageInfo?.hasNextPage ?? false}
        onPrevious={() => setCursors((c) => c.slice(0, -1))}
        onNext={() => setCursors((c) => [...c, pageInfo?.endCursor ?? null])}
      />
    </section>
  );
}
