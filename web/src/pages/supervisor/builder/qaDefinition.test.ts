import { describe, expect, it } from 'vitest';

import { makeQaSchema, qaCsv, qaVariables, type QaValues } from './qaDefinition';

const t = (id: string) => id;
const valid: QaValues = { groupBy: 'QUEUE', metrics: ['qaAverageScore'], interval: 'MONTH', from: '2026-03-01', to: '2026-03-31' };

describe('QA builder definition', () => {
  it('asks qaReport for whole local days and the chosen split', () => {
    expect(qaVariables(valid, 'Europe/Berlin')).toEqual({
      range: { start: '2026-02-28T23:00:00.000Z', end: '2026-03-31T22:00:00.000Z', timeZone: 'Europe/Berlin' },
      groupBy: 'QUEUE',
      interval: 'MONTH',
    });
  });

  it('refuses no metric and a reversed period, each on its field', () => {
    const schema = makeQaSchema(t);
    expect(schema.safeParse(valid).success).toBe(true);
    const none = schema.safeParse({ ...valid, metrics: [] });
    expect(none.error?.issues[0]?.path).toEqual(['metrics']);
    const reversed = schema.safeParse({ ...valid, to: '2026-02-01' });
    expect(reversed.error?.issues[0]).toMatchObject({ path: ['to'], message: 'reports.error.toBeforeFrom' });
  });

  it('writes queue row ids (blank for calls with no queue) and the metrics in order', () => {
    const queue = btoa('Queue:11111111-1111-4111-8111-111111111111');
    const csv = qaCsv(
      [
        { queueId: queue, periodStart: '2026-03-01T00:00:00+01:00', evaluations: 3, averageScore: 66.67, autoFails: 1 },
        { queueId: null, periodStart: '2026-03-01T00:00:00+01:00', evaluations: 1, averageScore: 100, autoFails: 0 },
      ],
      { groupBy: 'QUEUE', metrics: ['qaAutoFails', 'qaEvaluations'], interval: 'MONTH' },
    );
    expect(csv).toBe(
      'period_start,interval,queue,qaAutoFails,qaEvaluations\n' +
        '2026-03-01T00:00:00+01:00,month,11111111-1111-4111-8111-111111111111,1,3\n' +
        '2026-03-01T00:00:00+01:00,month,,0,1\n',
    );
  });
});
