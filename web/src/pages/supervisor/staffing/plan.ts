import type { Cell } from '../reports/csv';
import { addDays, localMidnight } from '../reports/interval';

// The staffing calculator's arithmetic around the API's Erlang C: the history window, the
// forecast per hour of day, the inputs each hour's staffingPlan gets, and the rows shown.

export interface Targets {
  /** Percent, e.g. 80. */
  serviceLevel: number;
  /** T in seconds. */
  seconds: number;
  /** Percent of paid time not on the phones, e.g. 30. */
  shrinkage: number;
  /** Percent cap, or null for none. */
  maxOccupancy: number | null;
  ahtSeconds: number;
}

export type TargetsError = 'serviceLevel' | 'seconds' | 'shrinkage' | 'maxOccupancy' | 'ahtSeconds';

/** The first field out of range (the API's own bounds), or null. */
export function targetsError(t: Targets): TargetsError | null {
  if (!(t.serviceLevel > 0 && t.serviceLevel < 100)) return 'serviceLevel';
  if (!(t.seconds > 0 && t.seconds <= 3600)) return 'seconds';
  if (!(t.shrinkage >= 0 && t.shrinkage < 100)) return 'shrinkage';
  if (t.maxOccupancy !== null && !(t.maxOccupancy > 0 && t.maxOccupancy <= 100)) return 'maxOccupancy';
  if (!(t.ahtSeconds > 0 && t.ahtSeconds <= 86_400)) return 'ahtSeconds';
  return null;
}

/** The last `weeks` whole weeks before today, in the zone: [today - 7w, today). */
export function historyRange(weeks: number, today: string, zone: string) {
  return {
    start: localMidnight(addDays(today, -7 * weeks), zone).toISOString(),
    end: localMidnight(today, zone).toISOString(),
    interval: 'RANGE' as const,
    timeZone: zone,
  };
}

export interface HourForecast {
  hour: number;
  calls: number;
}

/** Calls per hour of an average day (all 24 hours). */
export function forecastOf(rows: readonly { hour: number; averageOfferedPerDay: number }[]): HourForecast[] {
  const byHour = new Map(rows.map((r) => [r.hour, r.averageOfferedPerDay]));
  return Array.from({ length: 24 }, (_, hour) => ({ hour, calls: byHour.get(hour) ?? 0 }));
}

/** The staffingPlan input of one hour (shares as the API takes them). */
export function planInput(calls: number, t: Targets) {
  return {
    callsPerInterval: calls,
    intervalSeconds: 3600,
    ahtSeconds: t.ahtSeconds,
    targetServiceLevel: t.serviceLevel / 100,
    targetSeconds: t.seconds,
    shrinkage: t.shrinkage / 100,
    maxOccupancy: t.maxOccupancy === null ? null : t.maxOccupancy / 100,
  };
}

export interface PlanOut {
  trafficErlangs: number;
  agents: number;
  scheduledAgents: number;
  serviceLevel: number;
  asa: number;
  occupancy: number;
}

export interface PlanRow {
  hour: number;
  label: string;
  calls: number;
  erlangs: number;
  agents: number;
  scheduled: number;
  serviceLevel: number | null;
  asa: number | null;
  occupancy: number | null;
}

const r1 = (v: number) => Math.round(v * 10) / 10;

/** One row per hour; an hour without calls needs nobody (no plan is asked for it). */
export function planRows(forecast: readonly HourForecast[], plans: ReadonlyMap<number, PlanOut>): PlanRow[] {
  return forecast.map(({ hour, calls }) => {
    const plan = plans.get(hour);
    return {
      hour,
      label: `${String(hour).padStart(2, '0')}:00`,
      calls: r1(calls),
      erlangs: plan ? r1(plan.trafficErlangs) : 0,
      agents: plan?.agents ?? 0,
      scheduled: plan?.scheduledAgents ?? 0,
      serviceLevel: plan ? r1(plan.serviceLevel * 100) : null,
      asa: plan ? r1(plan.asa) : null,
      occupancy: plan ? r1(plan.occupancy * 100) : null,
    };
  });
}

export function planCsv(rows: readonly PlanRow[], plans: ReadonlyMap<number, PlanOut>, t: Targets): { header: string[]; body: Cell[][] } {
  return {
    header: ['hour', 'calls_forecast', 'aht_seconds', 'traffic_erlangs', 'agents', 'scheduled_agents', 'service_level', 'asa', 'occupancy', 'target_service_level', 'target_seconds', 'shrinkage'],
    body: rows.map((row) => {
      const plan = plans.get(row.hour);
      return [row.hour, row.calls, t.ahtSeconds, plan?.trafficErlangs ?? 0, row.agents, row.scheduled, plan?.serviceLevel ?? null, plan?.asa ?? null, plan?.occupancy ?? null, t.serviceLevel / 100, t.seconds, t.shrinkage / 100];
    }),
  };
}
