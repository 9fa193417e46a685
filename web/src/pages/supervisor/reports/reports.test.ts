import { describe, expect, it } from 'vitest';

import { chartCsvRows, definitionsOf, toPoints, type ReportRowIn } from './chartData';
import { toCsv } from './csv';
import { fullDay, heat, heatColours, heatmapCsv } from './heatmap';
import { addDays, intervalLabel, localMidnight, pickError, toApiRange, todayIn } from './interval';
import { workloadCsv, workloadLines } from './workload';

const definition = { answerSeconds: 20, shortAbandonSeconds: 5, formula: 'genesys', perQueueThresholds: false };
const row = (start: string, end: string, over: Partial<ReportRowIn> = {}): ReportRowIn => ({
  intervalStart: start,
  intervalEnd: end,
  definition,
  offered: 3,
  answered: 2,
  abandoned: 1,
  shortAbandoned: 0,
  handled: 2,
  serviceLevel: 2 / 3,
  abandonmentRate: 1 / 3,
  asa: 12.345,
  aht: 130,
  averageTalk: 100,
  averageHold: 0,
  averageAcw: 30,
  occupancy: null,
  ...over,
});

describe('interval picker in the tenant zone', () => {
  it('turns local days into the UTC range of their midnights', () => {
    expect(localMidnight('2026-03-02', 'Europe/Paris').toISOString()).toBe('2026-03-01T23:00:00.000Z');
    expect(localMidnight('2026-07-01', 'Europe/Paris').toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(localMidnight('2026-03-02', 'Asia/Shanghai').toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(localMidnight('2026-03-02', 'America/New_York').toISOString()).toBe('2026-03-02T05:00:00.000Z');
    expect(toApiRange({ interval: 'MINUTES_15', from: '2026-03-02', to: '2026-03-02' }, 'Asia/Shanghai')).toEqual({
      start: '2026-03-01T16:00:00.000Z',
      end: '2026-03-02T16:00:00.000Z',
      interval: 'MINUTES_15',
      timeZone: 'Asia/Shanghai',
    });
  });

  it('keeps a day across a daylight-saving change 23 or 25 hours long', () => {
    const spring = toApiRange({ interval: 'MINUTES_60', from: '2026-03-29', to: '2026-03-29' }, 'Europe/Paris');
    expect((Date.parse(spring.end) - Date.parse(spring.start)) / 3_600_000).toBe(23);
    const autumn = toApiRange({ interval: 'MINUTES_60', from: '2026-10-25', to: '2026-10-25' }, 'Europe/Paris');
    expect((Date.parse(autumn.end) - Date.parse(autumn.start)) / 3_600_000).toBe(25);
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
  });

  it('knows today in the zone and labels rows in it', () => {
    const lateUtc = new Date('2026-03-02T20:00:00Z');
    expect(todayIn('Asia/Shanghai', lateUtc)).toBe('2026-03-03');
    expect(todayIn('UTC', lateUtc)).toBe('2026-03-02');
    const oneDay = { interval: 'MINUTES_30' as const, from: '2026-03-03', to: '2026-03-03' };
    expect(intervalLabel('2026-03-02T20:00:00Z', oneDay, 'Asia/Shanghai', 'en')).toBe('04:00');
    expect(intervalLabel('2026-03-02T20:00:00Z', { ...oneDay, interval: 'DAY' }, 'Asia/Shanghai', 'en')).toBe('Mar 3, 2026');
  });

  it('refuses what the API would refuse', () => {
    expect(pickError({ interval: 'DAY', from: '2026-03-02', to: '2026-03-01' })).toBe('toBeforeFrom');
    expect(pickError({ interval: 'DAY', from: '', to: '2026-03-01' })).toBe('badDay');
    expect(pickError({ interval: 'MINUTES_15', from: '2026-03-01', to: '2026-04-01' })).toBe('tooLong');
    expect(pickError({ interval: 'MINUTES_60', from: '2026-03-01', to: '2026-03-31' })).toBeNull();
    expect(pickError({ interval: 'RANGE', from: '2025-01-01', to: '2026-03-31' })).toBe('tooLong');
  });
});

describe('chart data', () => {
  const rows = [row('2026-03-02T09:00:00Z', '2026-03-02T10:00:00Z'), row('2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z', { serviceLevel: null, asa: null, offered: 0 })];

  it('maps shares to percentages and keeps gaps as null', () => {
    const points = toPoints(rows, (iso) => iso.slice(11, 16));
    expect(points[0]).toMatchObject({ label: '09:00', serviceLevel: 66.7, abandonmentRate: 33.3, asa: 12.3, talk: 100, hold: 0, acw: 30, occupancy: null });
    expect(points[1]).toMatchObject({ label: '10:00', serviceLevel: null, asa: null, offered: 0 });
  });

  it('states each distinct definition once', () => {
    const changed = [...rows, row('2026-03-02T11:00:00Z', '2026-03-02T12:00:00Z', { definition: { ...definition, answerSeconds: 30 } })];
    expect(definitionsOf(changed).map((d) => d.answerSeconds)).toEqual([20, 30]);
  });

  it('exports a chart as CSV with the raw figures and the definition of every row', () => {
    const { header, body } = chartCsvRows(rows, 'serviceLevel');
    expect(toCsv(header, body)).toBe(
      'interval_start,interval_end,offered,answered,abandoned,shortAbandoned,serviceLevel,answer_seconds,short_abandon_seconds,sl_formula\n' +
        '2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,3,2,1,0,0.666667,20,5,genesys\n' +
        '2026-03-02T10:00:00Z,2026-03-02T11:00:00Z,0,2,1,0,,20,5,genesys\n',
    );
  });

  it('quotes what needs quoting', () => {
    expect(toCsv(['name'], [['Ada, "the" agent'], ['line\nbreak']])).toBe('name\n"Ada, ""the"" agent"\n"line\nbreak"\n');
  });
});

describe('traffic heatmap and workload', () => {
  const hourly = [
    { hour: 9, offered: 10, answered: 8, abandoned: 2, averageOfferedPerDay: 5, asa: 4 },
    { hour: 14, offered: 5, answered: 5, abandoned: 0, averageOfferedPerDay: 2.5, asa: null },
  ];

  it('fills all 24 hours and shades each by its share of the peak', () => {
    const day = fullDay(hourly);
    expect(day).toHaveLength(24);
    expect(day[3]).toMatchObject({ hour: 3, offered: 0 });
    expect(heat(day, 'offered', 9)).toBe(1);
    expect(heat(day, 'offered', 14)).toBe(0.5);
    expect(heat(day, 'abandoned', 14)).toBe(0);
    expect(heatColours(1)).toEqual({ background: 'hsl(210 80% 40%)', color: '#ffffff' });
    expect(heatColours(0).color).toBe('#111827');
    const { header, body } = heatmapCsv(hourly);
    const csv = toCsv(header, body).split('\n');
    expect(csv[0]).toBe('hour,offered,answered,abandoned,average_offered_per_day,asa');
    expect(csv[10]).toBe('9,10,8,2,5,4');
    expect(csv[1]).toBe('0,0,0,0,0,');
  });

  it('names agents and sorts the busiest first', () => {
    const rows = [
      { agentId: 'A1', handled: 1, aht: 60, averageTalk: 50, averageHold: 0, averageAcw: 10, occupancy: 0.25, availableSeconds: 180, onContactSeconds: 50, acwSeconds: 10, breakSeconds: 0 },
      { agentId: 'A2', handled: 3, aht: null, averageTalk: null, averageHold: null, averageAcw: null, occupancy: null, availableSeconds: 0, onContactSeconds: 0, acwSeconds: 0, breakSeconds: 30.4 },
    ];
    const names = new Map([['A1', 'Ada']]);
    expect(workloadLines(rows, names).map((l) => [l.name, l.handled, l.occupancy, l.breakSeconds])).toEqual([
      ['A2', 3, null, 30],
      ['Ada', 1, 25, 0],
    ]);
    expect(toCsv(...Object.values(workloadCsv(rows, names)) as [string[], string[][]]).split('\n')[1]).toBe('A1,Ada,1,60,50,0,10,0.25,180,50,10,0');
  });
});
