// The interval picker's arithmetic: local calendar days in the tenant's zone → the UTC
// instants the API takes, and the labels of the rows it returns, in that zone.

export type IntervalKind = 'MINUTES_15' | 'MINUTES_30' | 'MINUTES_60' | 'DAY' | 'RANGE';

export const INTERVALS: readonly IntervalKind[] = ['MINUTES_15', 'MINUTES_30', 'MINUTES_60', 'DAY', 'RANGE'];

export interface Picked {
  interval: IntervalKind;
  /** First local day, yyyy-mm-dd. */
  from: string;
  /** Last local day (inclusive), yyyy-mm-dd. */
  to: string;
}

export interface ApiRange {
  start: string;
  end: string;
  interval: IntervalKind;
  timeZone: string;
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The zone's offset from UTC (ms) at the instant `utcMs`. */
function offsetMs(utcMs: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** The UTC instant of local midnight starting `day` in `zone`. */
export function localMidnight(day: string, zone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  let utc = wall - offsetMs(wall, zone);
  const second = offsetMs(utc, zone);
  if (wall - second !== utc) utc = wall - second;
  return new Date(utc);
}

export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Today's date in `zone`, yyyy-mm-dd. */
export function todayIn(zone: string, now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export type PickError = 'badDay' | 'toBeforeFrom' | 'tooLong';

const MAX_ROWS = 3000;
const STEP_MINUTES: Partial<Record<IntervalKind, number>> = { MINUTES_15: 15, MINUTES_30: 30, MINUTES_60: 60 };

/** What the picker says is wrong, before the API is asked. */
export function pickError(picked: Picked): PickError | null {
  if (!DAY_RE.test(picked.from) || !DAY_RE.test(picked.to)) return 'badDay';
  if (picked.to < picked.from) return 'toBeforeFrom';
  const days = (Date.parse(picked.to) - Date.parse(picked.from)) / 86_400_000 + 1;
  const step = STEP_MINUTES[picked.interval];
  if (days > 400 || (step !== undefined && (days * 1440) / step > MAX_ROWS)) return 'tooLong';
  return null;
}

/** `[from 00:00, to+1 00:00)` in the zone, as the API's range. */
export function toApiRange(picked: Picked, zone: string): ApiRange {
  return {
    start: localMidnight(picked.from, zone).toISOString(),
    end: localMidnight(addDays(picked.to, 1), zone).toISOString(),
    interval: picked.interval,
    timeZone: zone,
  };
}

/** A row's label in the zone: the time for minute intervals over one day, else the date (and time). */
export function intervalLabel(startIso: string, picked: Picked, zone: string, locale: string): string {
  const oneDay = picked.from === picked.to;
  const minutes = STEP_MINUTES[picked.interval] !== undefined;
  const options: Intl.DateTimeFormatOptions = { timeZone: zone };
  if (minutes) {
    Object.assign(options, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    if (!oneDay) Object.assign(options, { month: 'short', day: 'numeric' });
  } else {
    Object.assign(options, { year: 'numeric', month: 'short', day: 'numeric' });
  }
  return new Intl.DateTimeFormat(locale, options).format(new Date(startIso));
}
