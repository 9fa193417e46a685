import { describe, expect, it } from 'vitest';

import {
  agentsByState,
  initialWallboard,
  longestWait,
  stateFamily,
  stateReason,
  talkSeconds,
  tileHealth,
  tvPage,
  wallboardReducer,
  type AgentStatusIn,
  type WallboardEvent,
  type WallboardState,
} from './wallboardState';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

const support = { id: 'Q1', name: 'Support', slThresholdS: 20 };
const billing = { id: 'Q2', name: 'Billing', slThresholdS: 30 };

function agent(over: Partial<AgentStatusIn> = {}): AgentStatusIn {
  return { agentId: 'A1', displayName: 'Ada', state: 'available', secondsInState: 5, callId: null, queueIds: ['Q1'], call: null, ...over };
}

function loaded(agents: AgentStatusIn[] = [agent()], statuses = [{ queueId: 'Q1', waiting: 2, longestWaitSeconds: 12 }]): WallboardEvent {
  return { type: 'loaded', atMs: T0, queues: [support, billing], statuses, agents };
}

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('missing');
  return value;
}

const run = (...events: WallboardEvent[]): WallboardState => events.reduce(wallboardReducer, initialWallboard);

describe('wallboardReducer: the snapshot', () => {
  it('builds one tile per queue, sorted by name, with the oldest call dated back from its wait', () => {
    const state = run(loaded());
    expect(state.loaded).toBe(true);
    expect(state.queues.map((q) => q.name)).toEqual(['Billing', 'Support']);
    const tile = must(state.queues.find((q) => q.id === 'Q1'));
    expect(tile).toMatchObject({ waiting: 2, oldestEnqueuedMs: T0 - 12_000, slThresholdS: 20, departures: 0 });
    expect(state.queues.find((q) => q.id === 'Q2')).toMatchObject({ waiting: 0, oldestEnqueuedMs: null });
  });

  it('dates each agent state back from its seconds in state and keeps its call and queues', () => {
    const state = run(
      loaded([
        agent({ agentId: 'A2', displayName: 'Zoe', state: 'on_contact', secondsInState: 30, callId: 'c1', call: { callId: 'c1', from: '+331', queueId: 'Q1', answeredAt: iso(T0 - 30_000), customerName: 'Grace' } }),
        agent(),
      ]),
    );
    expect(state.agents.map((a) => a.displayName)).toEqual(['Ada', 'Zoe']);
    expect(state.agents[1]).toMatchObject({ state: 'on_contact', sinceMs: T0 - 30_000, callId: 'c1', queueIds: ['Q1'] });
    expect(must(state.agents[1]).call).toEqual({ callId: 'c1', from: '+331', queueId: 'Q1', customerName: 'Grace', answeredMs: T0 - 30_000 });
  });

  it('keeps events that arrive before the snapshot and replays them on it', () => {
    const early: WallboardEvent = { type: 'queueChanged', change: { event: 'enqueued', at: iso(T0 + 1000), status: { queueId: 'Q1', waiting: 3, longestWaitSeconds: 13 } } };
    const before = run(early);
    expect(before.loaded).toBe(false);
    expect(before.early).toHaveLength(1);
    const state = wallboardReducer(before, loaded());
    expect(state.early).toEqual([]);
    expect(must(state.queues.find((q) => q.id === 'Q1')).waiting).toBe(3);
  });

  it('ignores an early agent change older than the snapshot', () => {
    const stale: WallboardEvent = { type: 'agentChanged', change: { agentId: 'A1', state: 'offline', since: iso(T0 - 60_000) } };
    const state = wallboardReducer(run(stale), loaded());
    expect(must(state.agents[0]).state).toBe('available');
  });
});

describe('wallboardReducer: live changes', () => {
  it('a new call updates its queue: waiting and the oldest call', () => {
    const state = run(loaded(), { type: 'queueChanged', change: { event: 'enqueued', at: iso(T0 + 5000), status: { queueId: 'Q1', waiting: 3, longestWaitSeconds: 17 } } });
    const tile = must(state.queues.find((q) => q.id === 'Q1'));
    expect(tile.waiting).toBe(3);
    expect(tile.oldestEnqueuedMs).toBe(T0 - 12_000);
    expect(tile.departures).toBe(0);
    expect(must(state.queues.find((q) => q.id === 'Q2')).waiting).toBe(0);
  });

  it('counts departures (answered, abandoned) but not reservations', () => {
    const change = (event: string, waiting: number): WallboardEvent => ({
      type: 'queueChanged',
      change: { event, at: iso(T0 + 1000), status: { queueId: 'Q1', waiting, longestWaitSeconds: waiting ? 5 : 0 } },
    });
    const state = run(loaded(), change('reserved', 1), change('dequeued', 1), change('abandoned', 0), change('requeued', 1));
    const tile = must(state.queues.find((q) => q.id === 'Q1'));
    expect(tile.departures).toBe(2);
    expect(tile.waiting).toBe(1);
  });

  it('an empty queue has no oldest call', () => {
    const state = run(loaded(), { type: 'queueChanged', change: { event: 'dequeued', at: iso(T0), status: { queueId: 'Q1', waiting: 0, longestWaitSeconds: 0 } } });
    expect(must(state.queues.find((q) => q.id === 'Q1')).oldestEnqueuedMs).toBeNull();
  });

  it('a change of an unknown queue (created after the board opened) changes nothing', () => {
    const before = run(loaded());
    const after = wallboardReducer(before, { type: 'queueChanged', change: { event: 'enqueued', at: iso(T0), status: { queueId: 'Q9', waiting: 1, longestWaitSeconds: 0 } } });
    expect(after).toBe(before);
  });

  it('an agent change sets state, its start, the call and the queues', () => {
    const state = run(loaded(), {
      type: 'agentChanged',
      change: { agentId: 'A1', state: 'on_contact', since: iso(T0 + 2000), callId: 'c7', queueIds: ['Q1', 'Q2'], call: { callId: 'c7', from: '+33612', queueId: 'Q1', answeredAt: iso(T0 + 2000) } },
    });
    expect(state.agents[0]).toMatchObject({ state: 'on_contact', sinceMs: T0 + 2000, callId: 'c7', queueIds: ['Q1', 'Q2'], displayName: 'Ada' });
    expect(must(state.agents[0]).call).toMatchObject({ from: '+33612', answeredMs: T0 + 2000, customerName: null });
  });

  it('an agent change without queues keeps the known ones; the call goes with the state', () => {
    const onCall = run(loaded(), { type: 'agentChanged', change: { agentId: 'A1', state: 'reserved', since: iso(T0 + 1000), callId: 'c1', call: { callId: 'c1', from: '+1' } } });
    expect(must(onCall.agents[0]).call?.answeredMs).toBeNull();
    const state = wallboardReducer(onCall, { type: 'agentChanged', change: { agentId: 'A1', state: 'acw', since: iso(T0 + 9000) } });
    expect(state.agents[0]).toMatchObject({ state: 'acw', callId: null, call: null, queueIds: ['Q1'] });
  });

  it('a new agent is added in name order; without its queues the agents are marked stale', () => {
    const state = run(loaded(), { type: 'agentChanged', change: { agentId: 'A0', displayName: 'Abe', state: 'available', since: iso(T0) } });
    expect(state.agents.map((a) => a.displayName)).toEqual(['Abe', 'Ada']);
    expect(state.agentsStale).toBe(true);
    const reloaded = wallboardReducer(state, { type: 'agentsLoaded', atMs: T0 + 100, agents: [agent(), agent({ agentId: 'A0', displayName: 'Abe', queueIds: ['Q2'] })] });
    expect(reloaded.agentsStale).toBe(false);
    expect(must(reloaded.agents.find((a) => a.agentId === 'A0')).queueIds).toEqual(['Q2']);
  });

  it("a mutation's answer replaces the row; the same state keeps its clock", () => {
    const state = run(loaded(), { type: 'agentAnswered', atMs: T0 + 50_000, status: agent({ queueIds: [], secondsInState: 55 }) });
    expect(state.agents[0]).toMatchObject({ queueIds: [], sinceMs: T0 - 5000 });
    const moved = wallboardReducer(state, { type: 'agentAnswered', atMs: T0 + 60_000, status: agent({ state: 'offline', secondsInState: 0, queueIds: [] }) });
    expect(moved.agents[0]).toMatchObject({ state: 'offline', sinceMs: T0 + 60_000 });
  });
});

describe('derived figures', () => {
  const state = run(
    loaded([
      agent(),
      agent({ agentId: 'A2', displayName: 'Bo', state: 'break:lunch', queueIds: ['Q1', 'Q2'] }),
      agent({ agentId: 'A3', displayName: 'Cy', state: 'not_ready:missed', queueIds: ['Q2'] }),
    ]),
  );
  const q1 = must(state.queues.find((q) => q.id === 'Q1'));

  it('longest wait ticks from the oldest call, in whole seconds', () => {
    expect(longestWait(q1, T0)).toBe(12);
    expect(longestWait(q1, T0 + 3500)).toBe(15);
    expect(longestWait(must(state.queues.find((q) => q.id === 'Q2')), T0 + 3500)).toBe(0);
  });

  it('counts agents by state family per queue', () => {
    expect(agentsByState(state.agents, 'Q1')).toMatchObject({ available: 1, break: 1, not_ready: 0, offline: 0 });
    expect(agentsByState(state.agents, 'Q2')).toMatchObject({ available: 0, break: 1, not_ready: 1 });
  });

  it('splits states into family and reason', () => {
    expect(stateFamily('break:lunch')).toBe('break');
    expect(stateReason('break:lunch')).toBe('lunch');
    expect(stateFamily('on_contact')).toBe('on_contact');
    expect(stateReason('on_contact')).toBeNull();
  });

  it('flags a wait over T, SL below target, abandonment over the limit, and calls nobody can take', () => {
    expect(tileHealth(q1, { serviceLevel: 0.9, abandonmentRate: 0.01 }, state.agents, T0)).toEqual({ waitOver: false, slBelow: false, abandonOver: false, unstaffed: false });
    expect(tileHealth(q1, { serviceLevel: 0.5, abandonmentRate: 0.2 }, state.agents, T0 + 9000)).toEqual({ waitOver: true, slBelow: true, abandonOver: true, unstaffed: false });
    expect(tileHealth(q1, { serviceLevel: null, abandonmentRate: null }, [], T0)).toMatchObject({ slBelow: false, abandonOver: false, unstaffed: true });
    expect(tileHealth(must(state.queues.find((q) => q.id === 'Q2')), null, [], T0)).toEqual({ waitOver: false, slBelow: false, abandonOver: false, unstaffed: false });
  });

  it('talk time runs from the answer; a ringing call has none', () => {
    const row = { ...must(state.agents[0]), call: { callId: 'c', from: '+1', queueId: 'Q1', customerName: null, answeredMs: T0 } };
    expect(talkSeconds(row, T0 + 61_200)).toBe(61);
    expect(talkSeconds({ ...row, call: { ...row.call, answeredMs: null } }, T0)).toBeNull();
    expect(talkSeconds(must(state.agents[0]), T0)).toBeNull();
  });

  it('pages queues for the TV, wrapping around', () => {
    const items = [1, 2, 3, 4, 5];
    expect(tvPage(items, 2, 0)).toEqual([1, 2]);
    expect(tvPage(items, 2, 2)).toEqual([5]);
    expect(tvPage(items, 2, 3)).toEqual([1, 2]);
    expect(tvPage(items, 9, 4)).toEqual(items);
  });
});
