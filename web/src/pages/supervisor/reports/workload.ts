import type { Cell } from './csv';
import { percent, seconds } from './chartData';

export interface WorkloadRowIn {
  agentId: string;
  handled: number;
  aht?: number | null;
  averageTalk?: number | null;
  averageHold?: number | null;
  averageAcw?: number | null;
  occupancy?: number | null;
  availableSeconds: number;
  onContactSeconds: number;
  acwSeconds: number;
  breakSeconds: number;
}

export interface WorkloadLine {
  agentId: string;
  name: string;
  handled: number;
  aht: number | null;
  talk: number | null;
  hold: number | null;
  acw: number | null;
  occupancy: number | null;
  availableSeconds: number;
  onContactSeconds: number;
  acwSeconds: number;
  breakSeconds: number;
}

/** Workload rows with the agents' names (their id when the user is gone), busiest first. */
export function workloadLines(rows: readonly WorkloadRowIn[], names: ReadonlyMap<string, string>): WorkloadLine[] {
  return rows
    .map((r) => ({
      agentId: r.agentId,
      name: names.get(r.agentId) ?? r.agentId,
      handled: r.handled,
      aht: seconds(r.aht),
      talk: seconds(r.averageTalk),
      hold: seconds(r.averageHold),
      acw: seconds(r.averageAcw),
      occupancy: percent(r.occupancy),
      availableSeconds: Math.round(r.availableSeconds),
      onContactSeconds: Math.round(r.onContactSeconds),
      acwSeconds: Math.round(r.acwSeconds),
      breakSeconds: Math.round(r.breakSeconds),
    }))
    .sort((a, b) => b.handled - a.handled || a.name.localeCompare(b.name));
}

export function workloadCsv(rows: readonly WorkloadRowIn[], names: ReadonlyMap<string, string>): { header: string[]; body: Cell[][] } {
  return {
    header: ['agent_id', 'agent', 'handled', 'aht', 'average_talk', 'average_hold', 'average_acw', 'occupancy', 'available_seconds', 'on_contact_seconds', 'acw_seconds', 'break_seconds'],
    body: rows.map((r) => [r.agentId, names.get(r.agentId) ?? '', r.handled, r.aht, r.averageTalk, r.averageHold, r.averageAcw, r.occupancy, r.availableSeconds, r.onContactSeconds, r.acwSeconds, r.breakSeconds]),
  };
}
