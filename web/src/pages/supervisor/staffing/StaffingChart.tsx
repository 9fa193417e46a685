import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import { useT } from '../../../i18n/useT';
import { DataTable } from '../../../ui/DataTable';
import { downloadCsv } from '../reports/csv';
import { ScrollRegion } from '../reports/ScrollRegion';
import type { PlanRow } from './plan';

const dash = (value: number | null, unit: string) => (value === null ? '—' : `${value}${unit}`);

/** Agents needed per hour of the day: a bar chart, its table and its CSV. */
export function StaffingChart({ rows, definition, csv }: { rows: readonly PlanRow[]; definition: string; csv: () => string }) {
  const t = useT();
  return (
    <section className="report-chart" aria-labelledby="staffing-heading">
      <div className="report-chart-header">
        <h2 id="staffing-heading">{t('staffing.chart.title')}</h2>
        <button type="button" className="btn btn-secondary btn-small" onClick={() => downloadCsv('staffing-plan.csv', csv())}>
          {t('reports.csv', { title: t('staffing.chart.title') })}
        </button>
      </div>
      <p className="report-definition">{definition}</p>
      <div role="img" aria-label={t('reports.chartAlt', { title: t('staffing.chart.title') })} className="report-chart-canvas">
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={rows} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" minTickGap={8} />
            <YAxis allowDecimals={false} width={40} />
            <Tooltip />
            <Legend />
            <Bar dataKey="agents" name={t('staffing.col.agents')} fill="#1d4ed8" isAnimationActive={false} />
            <Bar dataKey="scheduled" name={t('staffing.col.scheduled')} fill="#93c5fd" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <ScrollRegion label={t('staffing.table')}>
        <DataTable
          caption={t('staffing.table')}
          rows={rows}
          rowKey={(r) => r.hour}
          empty={t('reports.noRows')}
          columns={[
            { header: t('staffing.col.hour'), cell: (r) => r.label, isRowHeader: true },
            { header: t('staffing.col.calls'), cell: (r) => r.calls },
            { header: t('staffing.col.erlangs'), cell: (r) => r.erlangs },
            { header: t('staffing.col.agents'), cell: (r) => r.agents },
            { header: t('staffing.col.scheduled'), cell: (r) => r.scheduled },
            { header: t('staffing.col.sl'), cell: (r) => dash(r.serviceLevel, '%') },
            { header: t('staffing.col.asa'), cell: (r) => dash(r.asa, ' s') },
            { header: t('staffing.col.occupancy'), cell: (r) => dash(r.occupancy, '%') },
          ]}
        />
      </ScrollRegion>
    </section>
  );
}
