/**
 * The wallboard's state, as a pure reducer: the initial snapshot and every `liveChanges`
 * event in, the queues' tiles and the agents' rows out. No clock is read here: every event
 * carries its time, and the view derives ticking figures (longest wait, time in state, talk
 * time) from the stamps kept here and the `nowMs` it is given.
 */

/** A queue as the `queues` query lists it. */
export interface QueueInfo {
  id: string;
  name: string;
  /** T: a call answered within it meets the service level. */
  slThresholdS: number;
}

/** `QueueStatus`, as the query and each `QueueChange` carry it. */
export interface QueueStatusIn {
  queueId: string;
  waiting: number;
  longestWaitSeconds: number;
}

/** `AgentCall`: the call behind an agent's `callId`. */
export interface AgentCallIn {
  callId: string;
  from: string;
  queueId?: string | null;
  answeredAt?: string | null;
  customerName?: string | null;
}

/** `AgentStatus`, as the `agents` query and the membership and state mutations answer. */
export interface AgentStatusIn {
  agentId: string;
  displayName?: string | null;
  state: string;
  secondsInState: number;
  callId?: string | null;
  queueIds: readonly string[];
  call?: AgentCallIn | null;
}

/** `AgentStateChange` of `liveChanges`. */
export interface AgentChangeIn {
  agentId: string;
  displayName?: string | null;
  state: string;
  callId?: string | null;
  since: string;
  queueIds?: readonly string[] | null;
  call?: AgentCallIn | null;
}

/** `QueueChange` of `liveChanges`. */
export interface QueueChangeIn {
  event: string;
  at: string;
  status: QueueStatusIn;
}

export interface CurrentCall {
  callId: string;
  from: string;
  queueId: string | null;
  customerName: string | null;
  /** Null while the agent rings. */
  answeredMs: number | null;
}

export interface QueueTile {
  id: string;
  name: string;
  slThresholdS: number;
  waiting: number;
  /** When the oldest waiting call entered (null: nobody waits). */
  oldestEnqueuedMs: number | null;
  /** Calls that left the queue (answered, abandoned…) since the board opened: a new
   * value means today's figures moved, so the view reads them again. */
  departures: number;
}

export interface AgentRow {
  agentId: string;
  displayName: string | null;
  state: string;
  sinceMs: number;
  callId: string | null;
  call: CurrentCall | null;
  queueIds: readonly string[];
}

export interface WallboardState {
  loaded: boolean;
  queues: readonly QueueTile[];
  agents: readonly AgentRow[];
  /** Events that arrived before the snapshot, replayed on it. */
  early: readonly WallboardEvent[];
  /** An agent appeared that the snapshot did not have: the view reads the agents again. */
  agentsStale: boolean;
}

export type WallboardEvent =
  | {
      type: 'loaded';
      atMs: number;
      queues: readonly QueueInfo[];
      statuses: readonly QueueStatusIn[];
      agents: readonly AgentStatusIn[];
    }
  | { type: 'agentsLoaded'; atMs: number; agents: readonly AgentStatusIn[] }
  | { type: 'queueChanged'; change: QueueChangeIn }
  | { type: 'agentChanged'; change: AgentChangeIn }
  /** A mutation's answer (setAgentState, signInToQueue, signOutOfQueue). */
  | { type: 'agentAnswered'; atMs: number; status: AgentStatusIn };

export const initialWallboard: WallboardState = {
  loaded: false,
  queues: [],
  agents: [],
  early: [],
  agentsStale: false,
};

const DEPARTURES = new Set(['dequeued', 'abandoned']);

function toMs(iso: string): number {
  return new Date(iso).getTime();
}

function currentCall(call: AgentCallIn | null | undefined): CurrentCall | null {
  if (!call) return null;
  return {
    callId: call.callId,
    from: call.from,
    queueId: call.queueId ?? null,
    customerName: call.customerName ?? null,
    answeredMs: call.answeredAt ? toMs(call.answeredAt) : null,
  };
}

function oldest(status: QueueStatusIn, atMs: number): number | null {
  return status.waiting > 0 ? atMs - Math.round(status.longestWaitSeconds * 1000) : null;
}

function byName<T extends { name?: string; displayName?: string | null; agentId?: string; id?: string }>(a: T, b: T): number {
  const left = a.name ?? a.displayName ?? '';
  const right = b.name ?? b.displayName ?? '';
  return left.localeCompare(right) || (a.id ?? a.agentId ?? '').localeCompare(b.id ?? b.agentId ?? '');
}

function agentRow(status: AgentStatusIn, atMs: number, previous?: AgentRow): AgentRow {
  return {
    agentId: status.agentId,
    displayName: status.displayName ?? previous?.displayName ?? null,
    state: status.state,
    sinceMs: atMs - Math.round(status.secondsInState * 1000),
    callId: status.callId ?? null,
    call: currentCall(status.call),
    queueIds: [...status.queueIds],
  };
}

function withAgents(state: WallboardState, agents: readonly AgentStatusIn[], atMs: number): AgentRow[] {
  const known = new Map(state.agents.map((a) => [a.agentId, a]));
  return agents.map((a) => agentRow(a, atMs, known.get(a.agentId))).sort(byName);
}

function applyLive(state: WallboardState, event: WallboardEvent): WallboardState {
  switch (event.type) {
    case 'queueChanged': {
      const { change } = event;
      const at = toMs(change.at);
      if (!state.queues.some((q) => q.id === change.status.queueId)) return state;
      const queues = state.queues.map((q) => {
        if (q.id !== change.status.queueId) return q;
        return {
          ...q,
          waiting: change.status.waiting,
          oldestEnqueuedMs: oldest(change.status, at),
          departures: q.departures + (DEPARTURES.has(change.event) ? 1 : 0),
        };
      });
      return { ...state, queues };
    }
    case 'agentChanged': {
      const { change } = event;
      const previous = state.agents.find((a) => a.agentId === change.agentId);
      const row: AgentRow = {
        agentId: change.agentId,
        displayName: change.displayName ?? previous?.displayName ?? null,
        state: change.state,
        sinceMs: toMs(change.since),
        callId: change.callId ?? null,
        call: currentCall(change.call),
        queueIds: change.queueIds ? [...change.queueIds] : (previous?.queueIds ?? []),
      };
      if (!previous) {
        return { ...state, agents: [...state.agents, row].sort(byName), agentsStale: !change.queueIds };
      }
      // An event older than what the row shows (a replayed early event) changes nothing.
      if (row.sinceMs < previous.sinceMs) return state;
      const agents = state.agents.map((a) => (a.agentId === row.agentId ? row : a));
      return { ...state, agents: row.displayName === previous.displayName ? agents : agents.sort(byName) };
    }
    case 'agentAnswered': {
      const previous = state.agents.find((a) => a.agentId === event.status.agentId);
      const row = agentRow(event.status, event.atMs, previous);
      // A state the server kept keeps its time; only a new state starts a new clock.
      if (previous && previous.state === row.state) row.sinceMs = previous.sinceMs;
      const agents = previous
        ? state.agents.map((a) => (a.agentId === row.agentId ? row : a))
        : [...state.agents, row].sort(byName);
      return { ...state, agents };
    }
    default:
      return state;
  }
}

export function wallboardReducer(state: WallboardState, event: WallboardEvent): WallboardState {
  switch (event.type) {
    case 'loaded': {
      const statuses = new Map(event.statuses.map((s) => [s.queueId, s]));
      const queues = [...event.queues].sort(byName).map((q): QueueTile => {
        const status = statuses.get(q.id);
        return {
          id: q.id,
          name: q.name,
          slThresholdS: q.slThresholdS,
          waiting: status?.waiting ?? 0,
          oldestEnqueuedMs: status ? oldest(status, event.atMs) : null,
          departures: 0,
        };
      });
      const base: WallboardState = {
        loaded: true,
        queues,
        agents: withAgents(state, event.agents, event.atMs),
        early: [],
        agentsStale: false,
      };
      return state.early.reduce(applyLive, base);
    }
    case 'agentsLoaded':
      return { ...state, agents: withAgents(state, event.agents, event.atMs), agentsStale: false };
    default:
      if (!state.loaded) return { ...state, early: [...state.early, event] };
      return applyLive(state, event);
  }
}

// --- what the view derives ---------------------------------------------------------------

/** The service-level target the wallboard measures SL against (the API has no per-queue
 * percentage; T is the queue's `slThresholdS`). */
export const SL_TARGET = 0.8;
/** Abandonment above this share of today's offered calls is off target. */
export const ABANDON_LIMIT = 0.05;

export function secondsSince(sinceMs: number | null, nowMs: number): number {
  return sinceMs === null ? 0 : Math.max(0, Math.floor((nowMs - sinceMs) / 1000));
}

/** The longest wait of a tile now, in whole seconds. */
export function longestWait(tile: QueueTile, nowMs: number): number {
  return secondsSince(tile.oldestEnqueuedMs, nowMs);
}

/** The state's family: `break:lunch` → `break`, `not_ready:missed` → `not_ready`. */
export function stateFamily(state: string): string {
  return state.split(':', 1)[0] ?? state;
}

/** The reason part of a state (`break:lunch` → `lunch`), or null. */
export function stateReason(state: string): string | null {
  const at = state.indexOf(':');
  return at < 0 ? null : state.slice(at + 1);
}

export const STATE_FAMILIES = ['available', 'reserved', 'on_contact', 'acw', 'break', 'not_ready', 'offline'] as const;

/** A queue's signed-in agents counted by state family (every family present, maybe 0). */
export function agentsByState(agents: readonly AgentRow[], queueId: string): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(STATE_FAMILIES.map((s) => [s, 0]));
  for (const agent of agents) {
    if (!agent.queueIds.includes(queueId)) continue;
    const family = stateFamily(agent.state);
    counts[family] = (counts[family] ?? 0) + 1;
  }
  return counts;
}

export interface TodayFigures {
  serviceLevel?: number | null;
  abandonmentRate?: number | null;
}

export interface TileHealth {
  waitOver: boolean;
  slBelow: boolean;
  abandonOver: boolean;
  /** Calls wait and no signed-in agent is available or about to be. */
  unstaffed: boolean;
}

/** What is off target on a tile now. */
export function tileHealth(tile: QueueTile, today: TodayFigures | null, agents: readonly AgentRow[], nowMs: number): TileHealth {
  const counts = agentsByState(agents, tile.id);
  const staffed = (counts.available ?? 0) + (counts.reserved ?? 0) + (counts.on_contact ?? 0) + (counts.acw ?? 0);
  return {
    waitOver: tile.waiting > 0 && longestWait(tile, nowMs) > tile.slThresholdS,
    slBelow: today?.serviceLevel != null && today.serviceLevel < SL_TARGET,
    abandonOver: today?.abandonmentRate != null && today.abandonmentRate > ABANDON_LIMIT,
    unstaffed: tile.waiting > 0 && staffed === 0,
  };
}

/** Talk time of an agent's current call, in seconds (null: no answered call). */
export function talkSeconds(agent: AgentRow, nowMs: number): number | null {
  if (!agent.call || agent.call.answeredMs === null) return null;
  return secondsSince(agent.call.answeredMs, nowMs);
}

/** The queues shown on a TV page: `size` tiles from page `index` (wrapping). */
export function tvPage<T>(items: readonly T[], size: number, index: number): T[] {
  if (items.length <= size) return [...items];
  const pages = Math.ceil(items.length / size);
  const page = ((index % pages) + pages) % pages;
  return items.slice(page * size, page * size + size);
}
