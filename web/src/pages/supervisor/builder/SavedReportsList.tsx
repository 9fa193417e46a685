import { useState } from 'react';
import { useClient, useMutation, useQuery } from 'urql';

import { useSession } from '../../../auth/session';
import { useT } from '../../../i18n/useT';
import { Button } from '../../../ui/Button';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { DataTable } from '../../../ui/DataTable';
import { QueryProblem } from '../../../ui/QueryProblem';
import { StatusMessage } from '../../../ui/StatusMessage';
import { downloadCsv } from '../reports/csv';
import { INTERVAL_LABELS } from '../reports/IntervalPicker';
import { pickError, toApiRange } from '../reports/interval';
import { ScrollRegion } from '../reports/ScrollRegion';
import { DIMENSION_LABELS, metricLabel } from './BuilderForm';
import { intervalOfStored, type Dimension } from './definition';
import { DeleteSavedReportMutation, ExportSavedReportQuery, SavedReportsQuery } from './operations';

interface Saved {
  id: string;
  name: string;
  dimension: string;
  metrics: string[];
  interval: string;
  timeZone: string;
}

/** The tenant's saved reports (shared by everyone of the tenant): export any, delete (admins). */
export function SavedReportsList({ period }: { period: { from: string; to: string } }) {
  const t = useT();
  const client = useClient();
  const { user } = useSession();
  const mayDelete = user.role === 'owner' || user.role === 'admin';
  const [{ data, error, fetching }, refetch] = useQuery({ query: SavedReportsQuery, variables: { first: 100 }, requestPolicy: 'cache-and-network' });
  const [, remove] = useMutation(DeleteSavedReportMutation);
  const [deleting, setDeleting] = useState<Saved | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const reload = () => refetch({ requestPolicy: 'network-only' });

  const exportCsv = async (report: Saved) => {
    setExportError(null);
    const picked = { ...period, interval: intervalOfStored(report.interval) };
    if (pickError(picked)) {
      setExportError(t('builder.exportBadPeriod'));
      return;
    }
    const { start, end } = toApiRange(picked, report.timeZone);
    const result = await client.query(ExportSavedReportQuery, { id: report.id, start, end }, { requestPolicy: 'network-only' }).toPromise();
    if (result.data) {
      downloadCsv(`${report.name}-${period.from}-${period.to}.csv`, result.data.exportSavedReport);
      setStatus(t('builder.exported', { name: report.name }));
    } else setExportError(result.error?.graphQLErrors[0]?.message ?? t('builder.exportFailed'));
  };

  return (
    <section className="page-section" aria-labelledby="saved-heading">
      <h2 id="saved-heading">{t('builder.saved.title')}</h2>
      <p className="page-intro">{t('builder.saved.intro', { from: period.from, to: period.to })}</p>
      {error ? <QueryProblem error={error} retry={reload} /> : null}
      {exportError ? (
        <p role="alert" className="alert alert-error">
          {exportError}
        </p>
      ) : null}
      <StatusMessage message={status} />
      <ScrollRegion label={t('builder.saved.title')}>
        <DataTable<Saved>
          caption={t('builder.saved.title')}
          rows={data?.savedReports.nodes ?? []}
          busy={fetching}
          rowKey={(r) => r.id}
          empty={t('builder.saved.empty')}
          columns={[
            { header: t('builder.name'), cell: (r) => r.name, isRowHeader: true },
            { header: t('builder.dimension'), cell: (r) => t(DIMENSION_LABELS[(r.dimension.toUpperCase() as Dimension)]) },
            { header: t('builder.metrics'), cell: (r) => r.metrics.map((m) => t(metricLabel(m))).join(', ') },
            { header: t('reports.interval.label'), cell: (r) => t(INTERVAL_LABELS[intervalOfStored(r.interval)]) },
            { header: t('builder.zone'), cell: (r) => r.timeZone },
            {
              header: t('builder.actions'),
              cell: (r) => (
                <div className="row-actions">
                  <Button className="btn-small" onClick={() => void exportCsv(r)}>
                    {t('builder.export', { name: r.name })}
                  </Button>
                  {mayDelete ? (
                    <Button className="btn-small" variant="danger" onClick={() => setDeleting(r)}>
                      {t('builder.delete', { name: r.name })}
                    </Button>
                  ) : null}
                </div>
              ),
            },
          ]}
        />
      </ScrollRegion>
      {deleting ? (
        <ConfirmDialog
          title={t('builder.deleteTitle')}
          confirmLabel={t('builder.deleteConfirm')}
          isOpen
          onClose={() => setDeleting(null)}
          send={() => remove({ id: deleting.id })}
          onDone={() => {
            setStatus(t('builder.deleted', { name: deleting.name }));
            reload();
          }}
        >
          {t('builder.deleteBody', { name: deleting.name })}
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
