import type { Cell } from './csv';

export interface HourlyRowIn {
  hour: number;
  offered: number;
  answered: number;
  abandoned: number;
  averageOfferedPerDay: number;
  asa?: number | null;
}

export type HeatMeasure = 'offered' | 'answered' | 'abandoned' | 'averageOfferedPerDay';
export const HEAT_MEASURES: readonly HeatMeasure[] = ['offered', 'answered', 'abandoned', 'averageOfferedPerDay'];

/** All 24 local hours, the hours without traffic as zeros. */
export function fullDay(rows: readonly HourlyRowIn[]): HourlyRowIn[] {
  const byHour = new Map(rows.map((r) => [r.hour, r]));
  return Array.from({ length: 24 }, (_, hour) => byHour.get(hour) ?? { hour, offered: 0, answered: 0, abandoned: 0, averageOfferedPerDay: 0, asa: null });
}

/** A cell's heat in [0, 1] within its measure's row (the row's busiest hour is 1). */
export function heat(rows: readonly HourlyRowIn[], measure: HeatMeasure, hour: number): number {
  const max = Math.max(0, ...rows.map((r) => r[measure]));
  const value = rows.find((r) => r.hour === hour)?.[measure] ?? 0;
  return max === 0 ? 0 : value / max;
}

/** Background and text colours with a readable contrast at every heat. */
export function heatColours(level: number): { background: string; color: string } {
  const lightness = Math.round(97 - level * 57); // 97 % (no traffic) … 40 % (the peak)
  return { background: `hsl(210 80% ${lightness}%)`, color: lightness < 50 ? '#ffffff' : '#111827' };
}

export function heatmapCsv(rows: readonly HourlyRowIn[]): { header: string[]; body: Cell[][] } {
  return {
    header: ['hour', 'offered', 'answered', 'abandoned', 'average_offered_per_day', 'asa'],
    body: fullDay(rows).map((r) => [r.hour, r.offered, r.answered, r.abandoned, r.averageOfferedPerDay, r.asa ?? null]),
  };
}
