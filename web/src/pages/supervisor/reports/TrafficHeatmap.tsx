import { useT } from '../../../i18n/useT';
import type { MessageId } from '../../../i18n/messages';
import { downloadCsv, toCsv } from './csv';
import { ScrollRegion } from './ScrollRegion';
import { fullDay, HEAT_MEASURES, heat, heatColours, heatmapCsv, type HeatMeasure, type HourlyRowIn } from './heatmap';

const LABELS: Record<HeatMeasure, MessageId> = {
  offered: 'reports.heat.offered',
  answered: 'reports.heat.answered',
  abandoned: 'reports.heat.abandoned',
  averageOfferedPerDay: 'reports.heat.perDay',
};

const hh = (hour: number) => String(hour).padStart(2, '0');

/** Traffic by local hour of day: a table whose cells are shaded by their share of the peak. */
export function TrafficHeatmap({ rows, zone, filename }: { rows: readonly HourlyRowIn[]; zone: string; filename: string }) {
  const t = useT();
  const day = fullDay(rows);
  const csv = () => {
    const { header, body } = heatmapCsv(rows);
    return toCsv(header, body);
  };
  return (
    <section className="report-chart" aria-labelledby="heatmap-heading">
      <div className="report-chart-header">
        <h3 id="heatmap-heading">{t('reports.heat.title')}</h3>
        <button type="button" className="btn btn-secondary btn-small" onClick={() => downloadCsv(filename, csv())}>
          {t('reports.csv', { title: t('reports.heat.title') })}
        </button>
      </div>
      <p className="report-definition">{t('reports.heat.definition', { zone })}</p>
      <ScrollRegion label={t('reports.heat.caption')}>
        <table className="table heatmap">
          <caption className="visually-hidden">{t('reports.heat.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reports.heat.measure')}</th>
              {day.map((r) => (
                <th key={r.hour} scope="col">
                  {hh(r.hour)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {HEAT_MEASURES.map((measure) => (
              <tr key={measure}>
                <th scope="row">{t(LABELS[measure])}</th>
                {day.map((r) => (
                  <td key={r.hour} style={heatColours(heat(day, measure, r.hour))}>
                    {Math.round(r[measure] * 10) / 10}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}
