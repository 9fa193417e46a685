import { describe, expect, it } from 'vitest';

import { intervalOfStored, makeBuilderSchema, parseCsv, rowIdOf, toReportInput, type BuilderValues } from './definition';

const t = (id: string, values?: Record<string, string | number>) => (values ? `${id} ${JSON.stringify(values)}` : id);
const schema = makeBuilderSchema(t);
const valid: BuilderValues = { name: 'Morning', dimension: 'QUEUE', metrics: ['offered', 'serviceLevel'], queueIds: ['UXVldWU6MQ=='], interval: 'MINUTES_30', from: '2026-03-02', to: '2026-03-02' };

describe('builder validation', () => {
  it('accepts a full definition and an unnamed one (a preview needs no name)', () => {
    expect(schema.safeParse(valid).success).toBe(true);
    expect(schema.safeParse({ ...valid, name: '  ' }).success).toBe(true);
  });

  it('refuses no metric, an unknown metric, a long name and a bad period, each on its field', () => {
    const issues = (values: unknown) => {
      const result = schema.safeParse(values);
      return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues({ ...valid, metrics: [] })).toEqual(['metrics: builder.error.noMetric']);
    expect(issues({ ...valid, metrics: ['happiness'] })[0]).toMatch(/^metrics\.0/);
    expect(issues({ ...valid, name: 'x'.repeat(121) })).toEqual(['name: validation.tooLong {"max":120}']);
    expect(issues({ ...valid, to: '2026-03-01' })).toEqual(['to: reports.error.toBeforeFrom']);
    expect(issues({ ...valid, interval: 'MINUTES_15', to: '2026-04-30' })).toEqual(['to: reports.error.tooLong']);
  });

  it('sends the queue filter only for rows per queue, in the tenant zone', () => {
    expect(toReportInput(valid, 'Europe/Paris')).toEqual({ name: 'Morning', dimension: 'QUEUE', metrics: ['offered', 'serviceLevel'], queueIds: ['UXVldWU6MQ=='], interval: 'MINUTES_30', timeZone: 'Europe/Paris' });
    expect(toReportInput({ ...valid, dimension: 'TENANT' }, 'UTC').queueIds).toEqual([]);
  });
});

describe('builder helpers', () => {
  it('reads CSV with quotes, doubled quotes and empty cells', () => {
    expect(parseCsv('a,b,c\n1,"x, ""y""",\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, "y"', ''],
    ]);
  });

  it('finds the row id inside a global id, and the enum of a stored interval', () => {
    expect(rowIdOf(btoa('Queue:0f1e2d3c-0000-4000-8000-000000000001'))).toBe('0f1e2d3c-0000-4000-8000-000000000001');
    expect(intervalOfStored('30m')).toBe('MINUTES_30');
    expect(intervalOfStored('day')).toBe('DAY');
  });
});
