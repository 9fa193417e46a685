import { useT } from '../../../i18n/useT';
import { DataTable } from '../../../ui/DataTable';
import { formatDuration } from '../wallboard/duration';
import { formatValue } from './ReportChart';
import { downloadCsv, toCsv } from './csv';
import { ScrollRegion } from './ScrollRegion';
import { workloadCsv, workloadLines, type WorkloadRowIn } from './workload';

/** Every agent's handles, AHT split, time in states and occupancy over the range. */
export function WorkloadTable({ rows, names, filename }: { rows: readonly WorkloadRowIn[]; names: ReadonlyMap<string, string>; filename: string }) {
  const t = useT();
  const lines = workloadLines(rows, names);
  const csv = () => {
    const { header, body } = workloadCsv(rows, names);
    return toCsv(header, body);
  };
  return (
    <section className="report-chart" aria-labelledby="workload-heading">
      <div className="report-chart-header">
        <h3 id="workload-heading">{t('reports.workload.title')}</h3>
        <button type="button" className="btn btn-secondary btn-small" onClick={() => downloadCsv(filename, csv())}>
          {t('reports.csv', { title: t('reports.workload.title') })}
        </button>
      </div>
      <p className="report-definition">{t('reports.workload.definition')}</p>
      <ScrollRegion label={t('reports.workload.title')}>
      <DataTable
        caption={t('reports.workload.title')}
        rows={lines}
        rowKey={(l) => l.agentId}
        empty={t('reports.workload.empty')}
        columns={[
          { header: t('reports.col.agent'), cell: (l) => l.name, isRowHeader: true },
          { header: t('reports.col.handled'), cell: (l) => l.handled },
          { header: t('reports.col.aht'), cell: (l) => formatValue(l.aht, 's') },
          { header: t('reports.col.talk'), cell: (l) => formatValue(l.talk, 's') },
          { header: t('reports.col.hold'), cell: (l) => formatValue(l.hold, 's') },
          { header: t('reports.col.acw'), cell: (l) => formatValue(l.acw, 's') },
          { header: t('reports.col.occupancy'), cell: (l) => formatValue(l.occupancy, '%') },
          { header: t('reports.col.available'), cell: (l) => formatDuration(l.availableSeconds) },
          { header: t('reports.col.onContact'), cell: (l) => formatDuration(l.onContactSeconds) },
          { header: t('reports.col.acwTime'), cell: (l) => formatDuration(l.acwSeconds) },
          { header: t('reports.col.break'), cell: (l) => formatDuration(l.breakSeconds) },
        ]}
      />
      </ScrollRegion>
    </section>
  );
}
