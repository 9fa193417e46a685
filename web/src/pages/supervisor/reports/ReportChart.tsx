import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import { useT } from '../../../i18n/useT';
import { DataTable } from '../../../ui/DataTable';
import type { ReportPoint } from './chartData';
import { downloadCsv } from './csv';
import { ScrollRegion } from './ScrollRegion';

export interface Series {
  key: keyof ReportPoint;
  label: string;
  color: string;
}

interface ReportChartProps {
  id: string;
  title: string;
  /** The metric's definition (T, S, formula), stated under the title. */
  definition: ReactNode;
  points: readonly ReportPoint[];
  series: readonly Series[];
  kind: 'line' | 'stacked';
  unit: '%' | 's';
  filename: string;
  csv: () => string;
}

export function formatValue(value: number | string | null, unit: '%' | 's'): string {
  if (value === null) return '—';
  return unit === '%' ? `${value}%` : `${value} s`;
}

function Chart({ points, series, kind, unit }: Pick<ReportChartProps, 'points' | 'series' | 'kind' | 'unit'>) {
  const data = points as ReportPoint[];
  const axes = (
    <>
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis dataKey="label" minTickGap={16} />
      <YAxis unit={unit === '%' ? '%' : ' s'} domain={unit === '%' ? [0, 100] : [0, 'auto']} width={56} />
      <Tooltip />
      <Legend />
    </>
  );
  return (
    <ResponsiveContainer width="100%" height={240}>
      {kind === 'line' ? (
        <LineChart data={data} accessibilityLayer={false}>
          {axes}
          {series.map((s) => (
            <Line key={s.key} type="monotone" dataKey={s.key} name={s.label} stroke={s.color} strokeWidth={2} dot={false} connectNulls={false} isAnimationActive={false} />
          ))}
        </LineChart>
      ) : (
        <BarChart data={data} accessibilityLayer={false}>
          {axes}
          {series.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.label} stackId="parts" fill={s.color} isAnimationActive={false} />
          ))}
        </BarChart>
      )}
    </ResponsiveContainer>
  );
}

/** One metric over time: its definition, a chart, its data table and a CSV download. */
export function ReportChart({ id, title, definition, points, series, kind, unit, filename, csv }: ReportChartProps) {
  const t = useT();
  const headingId = `${id}-heading`;
  return (
    <section className="report-chart" aria-labelledby={headingId}>
      <div className="report-chart-header">
        <h3 id={headingId}>{title}</h3>
        <button type="button" className="btn btn-secondary btn-small" onClick={() => downloadCsv(filename, csv())}>
          {t('reports.csv', { title })}
        </button>
      </div>
      <p className="report-definition">{definition}</p>
      <div role="img" aria-label={t('reports.chartAlt', { title })} className="report-chart-canvas">
        <Chart points={points} series={series} kind={kind} unit={unit} />
      </div>
      <details className="report-data">
        <summary>{t('reports.dataTable', { title })}</summary>
        <ScrollRegion label={t('reports.tableCaption', { title })}>
        <DataTable
          caption={t('reports.tableCaption', { title })}
          rows={points}
          rowKey={(p) => p.key}
          empty={t('reports.noRows')}
          columns={[
            { header: t('reports.col.interval'), cell: (p) => p.label, isRowHeader: true },
            ...series.map((s) => ({ header: s.label, cell: (p: ReportPoint) => formatValue(p[s.key], unit) })),
          ]}
        />
        </ScrollRegion>
      </details>
    </section>
  );
}
