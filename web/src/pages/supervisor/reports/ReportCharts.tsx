import { useIntl } from 'react-intl';

import type { MessageId } from '../../../i18n/messages';
import { useT } from '../../../i18n/useT';
import { chartCsvRows, definitionsOf, hasAny, toPoints, type ChartMetric, type Definition, type ReportRowIn } from './chartData';
import { toCsv } from './csv';
import { intervalLabel, type Picked } from './interval';
import { ReportChart, type Series } from './ReportChart';

const FORMULAS: Record<string, MessageId> = {
  genesys: 'reports.formula.genesys',
  answered_only: 'reports.formula.answeredOnly',
  abandons_met: 'reports.formula.abandonsMet',
  abandons_missed: 'reports.formula.abandonsMissed',
};

/** "T = 20 s, S = 5 s" of one definition, or "each queue's own T and S". */
export function useThresholds() {
  const t = useT();
  return (d: Definition) =>
    d.perQueueThresholds || d.answerSeconds === null || d.answerSeconds === undefined
      ? t('reports.def.perQueue')
      : t('reports.def.thresholds', { t: d.answerSeconds, s: d.shortAbandonSeconds ?? 0 });
}

/** The five charts of a report: SL, abandonment, ASA, AHT split and occupancy over time. */
export function ReportCharts({ rows, picked, zone, fileStem }: { rows: readonly ReportRowIn[]; picked: Picked; zone: string; fileStem: string }) {
  const t = useT();
  const intl = useIntl();
  const thresholds = useThresholds();
  const points = toPoints(rows, (iso) => intervalLabel(iso, picked, zone, intl.locale));
  const definitions = definitionsOf(rows);
  const slDefinition =
    definitions.length === 0
      ? t('reports.def.slNone')
      : definitions
          .map((d) => t('reports.def.sl', { formula: t(FORMULAS[d.formula] ?? 'reports.formula.genesys'), thresholds: thresholds(d) }))
          .join(' · ');
  const shortAbandon = definitions.map(thresholds).join(' · ') || t('reports.def.perQueue');
  const csvOf = (metric: ChartMetric) => () => {
    const { header, body } = chartCsvRows(rows, metric);
    return toCsv(header, body);
  };
  const charts: { metric: ChartMetric; title: string; definition: string; series: Series[]; kind: 'line' | 'stacked'; unit: '%' | 's' }[] = [
    {
      metric: 'serviceLevel',
      title: t('reports.chart.sl'),
      definition: slDefinition,
      series: [{ key: 'serviceLevel', label: t('reports.series.sl'), color: '#1d4ed8' }],
      kind: 'line',
      unit: '%',
    },
    {
      metric: 'abandonmentRate',
      title: t('reports.chart.abandonment'),
      definition: t('reports.def.abandonment', { thresholds: shortAbandon }),
      series: [{ key: 'abandonmentRate', label: t('reports.series.abandonment'), color: '#b91c1c' }],
      kind: 'line',
      unit: '%',
    },
    {
      metric: 'asa',
      title: t('reports.chart.asa'),
      definition: t('reports.def.asa'),
      series: [{ key: 'asa', label: t('reports.series.asa'), color: '#047857' }],
      kind: 'line',
      unit: 's',
    },
    {
      metric: 'aht',
      title: t('reports.chart.aht'),
      definition: t('reports.def.aht'),
      series: [
        { key: 'talk', label: t('reports.series.talk'), color: '#1d4ed8' },
        { key: 'hold', label: t('reports.series.hold'), color: '#b45309' },
        { key: 'acw', label: t('reports.series.acw'), color: '#6d28d9' },
      ],
      kind: 'stacked',
      unit: 's',
    },
  ];
  if (hasAny(points, 'occupancy')) {
    charts.push({
      metric: 'occupancy',
      title: t('reports.chart.occupancy'),
      definition: t('reports.def.occupancy'),
      series: [{ key: 'occupancy', label: t('reports.series.occupancy'), color: '#0e7490' }],
      kind: 'line',
      unit: '%',
    });
  }
  return (
    <div className="report-charts">
      {charts.map((c) => (
        <ReportChart
          key={c.metric}
          id={`chart-${c.metric}`}
          title={c.title}
          definition={c.definition}
          points={points}
          series={c.series}
          kind={c.kind}
          unit={c.unit}
          filename={`${fileStem}-${c.metric}.csv`}
          csv={csvOf(c.metric)}
        />
      ))}
    </div>
  );
}
