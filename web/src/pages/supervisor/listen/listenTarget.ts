import type { AgentRow } from '../wallboard/wallboardState';
import type { ListenTarget } from './listenController';

/** A caller as a person reads it: `sip:+3361…@host:port` → `+3361…` (a number stays a number). */
export function callerNumber(from: string): string {
  const user = from.replace(/^(sips?|tel):/i, '').split(/[@;]/)[0];
  return user || from;
}

/** What a listen on the agent's current call is called: its agent and caller. */
export function listenTargetOf(agent: AgentRow, name: string): ListenTarget {
  const callId = agent.callId ?? '';
  return { callId, agent: name, number: agent.call ? callerNumber(agent.call.from) : callId };
}
