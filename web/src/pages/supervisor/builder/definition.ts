import { z } from 'zod';

import type { MessageId } from '../../../i18n/messages';
import { INTERVALS, pickError, toApiRange, type IntervalKind } from '../reports/interval';

// The builder's form: a definition (metrics × dimension × queue filter × interval) and the
// period a preview or an export covers. The metric names are the API's ReportRow fields.

export const METRICS = [
  'offered',
  'answered',
  'abandoned',
  'shortAbandoned',
  'callbacks',
  'flowouts',
  'serviceLevel',
  'abandonmentRate',
  'asa',
  'averageAbandonTime',
  'averageWait',
  'longestWait',
  'handled',
  'aht',
  'averageTalk',
  'averageHold',
  'averageAcw',
  'transferRate',
  'occupancy',
] as const;
export type Metric = (typeof METRICS)[number];

export const DIMENSIONS = ['TENANT', 'QUEUE', 'AGENT'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

type Translate = (id: MessageId, values?: Record<string, string | number>) => string;

const PICK_ERRORS: Record<NonNullable<ReturnType<typeof pickError>>, MessageId> = {
  badDay: 'reports.error.badDay',
  toBeforeFrom: 'reports.error.toBeforeFrom',
  tooLong: 'reports.error.tooLong',
};

/** Mirrors analytics/schemas.py SavedReportIn and ReportRangeIn, with the page's words. */
export function makeBuilderSchema(t: Translate) {
  return z
    .object({
      name: z.string().trim().max(120, t('validation.tooLong', { max: 120 })),
      dimension: z.enum(DIMENSIONS),
      metrics: z.array(z.enum(METRICS)).min(1, t('builder.error.noMetric')),
      queueIds: z.array(z.string()),
      interval: z.enum(INTERVALS as unknown as [IntervalKind, ...IntervalKind[]]),
      from: z.string(),
      to: z.string(),
    })
    .superRefine((values, ctx) => {
      const problem = pickError(values);
      if (problem) ctx.addIssue({ code: 'custom', path: ['to'], message: t(PICK_ERRORS[problem]) });
    });
}

export type BuilderValues = z.output<ReturnType<typeof makeBuilderSchema>>;

/** The API's SavedReportInput of the form (the queue filter only for the queue dimension). */
export function toReportInput(values: BuilderValues, zone: string) {
  return {
    name: values.name,
    dimension: values.dimension,
    metrics: [...values.metrics],
    queueIds: values.dimension === 'QUEUE' ? [...values.queueIds] : [],
    interval: values.interval,
    timeZone: zone,
  };
}

/** The [start, end) of the form's period in `zone`. */
export function periodOf(values: Pick<BuilderValues, 'from' | 'to' | 'interval'>, zone: string) {
  const { start, end } = toApiRange(values, zone);
  return { start, end };
}

/** The API's stored interval value ("30m") as the enum the form uses. */
export function intervalOfStored(stored: string): IntervalKind {
  const map: Record<string, IntervalKind> = { '15m': 'MINUTES_15', '30m': 'MINUTES_30', '60m': 'MINUTES_60', day: 'DAY', range: 'RANGE' };
  return map[stored] ?? 'MINUTES_60';
}

/** A global id's row id (the CSV's queue and agent columns carry row ids). */
export function rowIdOf(globalId: string): string {
  try {
    const decoded = atob(globalId.replace(/-/g, '+').replace(/_/g, '/'));
    return decoded.slice(decoded.indexOf(':') + 1);
  } catch {
    return globalId;
  }
}

/** RFC 4180 CSV into rows of cells (quoted fields, doubled quotes, newlines inside quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charAt(i);
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
