import type { Cell } from './csv';

// From the API's report rows to what the charts and their tables show. Shares become
// percentages rounded to 0.1; seconds are rounded to 0.1 s; nulls stay null (a gap, not 0).

export interface Definition {
  answerSeconds?: number | null;
  shortAbandonSeconds?: number | null;
  formula: string;
  perQueueThresholds: boolean;
}

export interface ReportRowIn {
  intervalStart: string;
  intervalEnd: string;
  definition: Definition;
  offered: number;
  answered: number;
  abandoned: number;
  shortAbandoned: number;
  handled: number;
  serviceLevel?: number | null;
  abandonmentRate?: number | null;
  asa?: number | null;
  aht?: number | null;
  averageTalk?: number | null;
  averageHold?: number | null;
  averageAcw?: number | null;
  occupancy?: number | null;
}

export interface ReportPoint {
  key: string;
  label: string;
  offered: number;
  answered: number;
  abandoned: number;
  handled: number;
  serviceLevel: number | null;
  abandonmentRate: number | null;
  asa: number | null;
  aht: number | null;
  talk: number | null;
  hold: number | null;
  acw: number | null;
  occupancy: number | null;
}

const round1 = (value: number) => Math.round(value * 10) / 10;
export const percent = (share: number | null | undefined): number | null => (share === null || share === undefined ? null : round1(share * 100));
export const seconds = (value: number | null | undefined): number | null => (value === null || value === undefined ? null : round1(value));

export function toPoints(rows: readonly ReportRowIn[], label: (startIso: string) => string): ReportPoint[] {
  return rows.map((row) => ({
    key: row.intervalStart,
    label: label(row.intervalStart),
    offered: row.offered,
    answered: row.answered,
    abandoned: row.abandoned,
    handled: row.handled,
    serviceLevel: percent(row.serviceLevel),
    abandonmentRate: percent(row.abandonmentRate),
    asa: seconds(row.asa),
    aht: seconds(row.aht),
    talk: seconds(row.averageTalk),
    hold: seconds(row.averageHold),
    acw: seconds(row.averageAcw),
    occupancy: percent(row.occupancy),
  }));
}

/** The distinct definitions the rows were measured with (a queue's T may change mid-range). */
export function definitionsOf(rows: readonly ReportRowIn[]): Definition[] {
  const seen = new Map<string, Definition>();
  for (const { definition } of rows) {
    const key = `${definition.answerSeconds}|${definition.shortAbandonSeconds}|${definition.formula}|${definition.perQueueThresholds}`;
    if (!seen.has(key)) seen.set(key, definition);
  }
  return [...seen.values()];
}

/** Whether any row has a value for the metric (occupancy is null on queue reports). */
export function hasAny(points: readonly ReportPoint[], key: keyof ReportPoint): boolean {
  return points.some((p) => p[key] !== null);
}

export type ChartMetric = 'serviceLevel' | 'abandonmentRate' | 'asa' | 'aht' | 'occupancy';

/** The API fields a chart's CSV carries, raw as the API gave them. */
export const CSV_FIELDS: Record<ChartMetric, readonly (keyof ReportRowIn)[]> = {
  serviceLevel: ['offered', 'answered', 'abandoned', 'shortAbandoned', 'serviceLevel'],
  abandonmentRate: ['offered', 'abandoned', 'shortAbandoned', 'abandonmentRate'],
  asa: ['answered', 'asa'],
  aht: ['handled', 'aht', 'averageTalk', 'averageHold', 'averageAcw'],
  occupancy: ['occupancy'],
};

/** One chart's CSV: each interval, the raw figures, and the definition it was measured by. */
export function chartCsvRows(rows: readonly ReportRowIn[], metric: ChartMetric): { header: string[]; body: Cell[][] } {
  const fields = CSV_FIELDS[metric];
  return {
    header: ['interval_start', 'interval_end', ...fields, 'answer_seconds', 'short_abandon_seconds', 'sl_formula'],
    body: rows.map((row) => [
      row.intervalStart,
      row.intervalEnd,
      ...fields.map((f) => row[f] as Cell),
      row.definition.answerSeconds,
      row.definition.shortAbandonSeconds,
      row.definition.formula,
    ]),
  };
}
