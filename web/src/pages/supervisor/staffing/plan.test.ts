import { describe, expect, it } from 'vitest';

import { toCsv } from '../reports/csv';
import { forecastOf, historyRange, planCsv, planInput, planRows, targetsError, type Targets } from './plan';

const targets: Targets = { serviceLevel: 80, seconds: 20, shrinkage: 30, maxOccupancy: null, ahtSeconds: 180 };

describe('staffing plan', () => {
  it('forecasts from whole weeks before today in the zone', () => {
    expect(historyRange(1, '2026-03-09', 'Asia/Shanghai')).toEqual({ start: '2026-03-01T16:00:00.000Z', end: '2026-03-08T16:00:00.000Z', interval: 'RANGE', timeZone: 'Asia/Shanghai' });
  });

  it('asks staffingPlan for each hour with shares, not percentages', () => {
    expect(planInput(12.5, { ...targets, maxOccupancy: 85 })).toEqual({ callsPerInterval: 12.5, intervalSeconds: 3600, ahtSeconds: 180, targetServiceLevel: 0.8, targetSeconds: 20, shrinkage: 0.3, maxOccupancy: 0.85 });
    expect(planInput(1, targets).maxOccupancy).toBeNull();
  });

  it('fills the day and needs nobody in an hour without calls', () => {
    const forecast = forecastOf([{ hour: 10, averageOfferedPerDay: 20 }]);
    expect(forecast).toHaveLength(24);
    const plans = new Map([[10, { trafficErlangs: 1, agents: 3, scheduledAgents: 5, serviceLevel: 0.9134, asa: 3.21, occupancy: 0.3333 }]]);
    const rows = planRows(forecast, plans);
    expect(rows[10]).toEqual({ hour: 10, label: '10:00', calls: 20, erlangs: 1, agents: 3, scheduled: 5, serviceLevel: 91.3, asa: 3.2, occupancy: 33.3 });
    expect(rows[3]).toMatchObject({ label: '03:00', calls: 0, agents: 0, scheduled: 0, serviceLevel: null });
    const csv = toCsv(...(Object.values(planCsv(rows, plans, targets)) as [string[], string[][]])).split('\n');
    expect(csv[0]).toBe('hour,calls_forecast,aht_seconds,traffic_erlangs,agents,scheduled_agents,service_level,asa,occupancy,target_service_level,target_seconds,shrinkage');
    expect(csv[11]).toBe('10,20,180,1,3,5,0.9134,3.21,0.3333,0.8,20,0.3');
  });

  it('checks the targets the API would refuse', () => {
    expect(targetsError(targets)).toBeNull();
    expect(targetsError({ ...targets, serviceLevel: 100 })).toBe('serviceLevel');
    expect(targetsError({ ...targets, seconds: 0 })).toBe('seconds');
    expect(targetsError({ ...targets, shrinkage: 100 })).toBe('shrinkage');
    expect(targetsError({ ...targets, maxOccupancy: 0 })).toBe('maxOccupancy');
    expect(targetsError({ ...targets, ahtSeconds: Number.NaN })).toBe('ahtSeconds');
  });
});
