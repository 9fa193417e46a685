import { z } from 'zod';

import type { MessageId } from '../../../i18n/messages';
import { toCsv } from '../reports/csv';
import { pickError, toApiRange } from '../reports/interval';
import { rowIdOf } from './definition';

// The builder's QA source: the qaReport's evaluations, average score and auto-fails per
// agent or queue and per day, week or month; previewed and exported as CSV in the browser.

export const QA_METRICS = ['qaEvaluations', 'qaAverageScore', 'qaAutoFails'] as const;
export type QaMetric = (typeof QA_METRICS)[number];
export const QA_GROUPS = ['AGENT', 'QUEUE'] as const;
export const QA_INTERVALS = ['DAY', 'WEEK', 'MONTH'] as const;

type Translate = (id: MessageId, values?: Record<string, string | number>) => string;

const PICK_ERRORS: Record<NonNullable<ReturnType<typeof pickError>>, MessageId> = {
  badDay: 'reports.error.badDay',
  toBeforeFrom: 'reports.error.toBeforeFrom',
  tooLong: 'reports.error.tooLong',
};

export function makeQaSchema(t: Translate) {
  return z
    .object({
      groupBy: z.enum(QA_GROUPS),
      metrics: z.array(z.enum(QA_METRICS)).min(1, t('builder.error.noMetric')),
      interval: z.enum(QA_INTERVALS),
      from: z.string(),
      to: z.string(),
    })
    .superRefine((values, ctx) => {
      const problem = pickError({ from: values.from, to: values.to, interval: 'DAY' });
      if (problem) ctx.addIssue({ code: 'custom', path: ['to'], message: t(PICK_ERRORS[problem]) });
    });
}

export type QaValues = z.output<ReturnType<typeof makeQaSchema>>;

/** The qaReport variables of the form: local days [from, to] in `zone`. */
export function qaVariables(values: QaValues, zone: string) {
  const { start, end } = toApiRange({ from: values.from, to: values.to, interval: 'DAY' }, zone);
  return { range: { start, end, timeZone: zone }, groupBy: values.groupBy, interval: values.interval };
}

export interface QaRow {
  agentId?: string | null;
  queueId?: string | null;
  periodStart?: string | null;
  evaluations: number;
  averageScore?: number | null;
  autoFails: number;
}

const VALUE: Record<QaMetric, (row: QaRow) => number | null> = {
  qaEvaluations: (row) => row.evaluations,
  qaAverageScore: (row) => row.averageScore ?? null,
  qaAutoFails: (row) => row.autoFails,
};

/** The CSV of the rows: period, its length, the agent's or queue's row id, the metrics. */
export function qaCsv(rows: readonly QaRow[], values: Pick<QaValues, 'groupBy' | 'metrics' | 'interval'>): string {
  const key = values.groupBy === 'AGENT' ? 'agent' : 'queue';
  return toCsv(
    ['period_start', 'interval', key, ...values.metrics],
    rows.map((row) => {
      const id = values.groupBy === 'AGENT' ? row.agentId : row.queueId;
      return [row.periodStart ?? '', values.interval.toLowerCase(), id ? rowIdOf(id) : '', ...values.metrics.map((m) => VALUE[m](row))];
    }),
  );
}
