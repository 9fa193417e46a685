import { useCallback, useEffect, useState } from 'react';
import { useClient } from 'urql';

import { useServerAction } from '../../../forms/useServerAction';
import type { AgentDeskQuery as AgentDeskData, AgentStatusFieldsFragment } from '../../../gql/graphql';
import { AgentDeskQuery, AgentSetStateMutation, AgentSignInMutation, AgentSignOutMutation } from '../operations';

export type AgentStatus = AgentStatusFieldsFragment;

export interface Presence {
  /** What routing says now, and when we asked (time in state ticks from there). */
  status: AgentStatus | null;
  readAt: number;
  queues: readonly { id: string; name: string }[];
  breakReasons: readonly string[];
  loaded: boolean;
  /** No agent profile: the desktop cannot take calls. */
  noProfile: boolean;
  action: ReturnType<typeof useServerAction>;
  setState: (state: string) => void;
  setQueue: (queueId: string, signedIn: boolean) => void;
  refresh: () => void;
}

const POLL_MS = 3000;

/** `break:lunch` → `lunch`. */
export function reasonOf(name: string): string {
  return name.startsWith('break:') ? name.slice('break:'.length) : name;
}

/**
 * The agent's state and queues as routing has them. Every change goes through
 * setAgentState / signInToQueue / signOutOfQueue and the view shows routing's answer (or
 * its refusal), never the choice itself; routing's own moves (ringing, on a call, ACW,
 * missed) come in by polling.
 */
export function usePresence(): Presence {
  const client = useClient();
  const action = useServerAction();
  const [desk, setDesk] = useState<AgentDeskData | null>(null);
  const [status, setStatus] = useState<AgentStatus | null>(null);
  const [readAt, setReadAt] = useState(() => Date.now());

  const accept = useCallback((next: AgentStatus | null) => {
    setStatus(next);
    setReadAt(Date.now());
  }, []);

  const refresh = useCallback(() => {
    void client
      .query(AgentDeskQuery, {}, { requestPolicy: 'network-only' })
      .toPromise()
      .then((result) => {
        if (!result.data) return;
        setDesk(result.data);
        accept(result.data.myAgentStatus ?? null);
      });
  }, [client, accept]);

  useEffect(() => {
    refresh();
    const timer = window.setInterval(refresh, POLL_MS);
    return () => window.clearInterval(timer);
  }, [refresh]);

  const { run } = action;
  const setState = useCallback(
    (state: string) => {
      const input = state.startsWith('break:') ? { state: 'break', reason: reasonOf(state) } : { state };
      void run(
        () => client.mutation(AgentSetStateMutation, { input }).toPromise(),
        (data) => accept(data.setAgentState),
      );
    },
    [client, run, accept],
  );

  const setQueue = useCallback(
    (queueId: string, signedIn: boolean) => {
      const input = { queueId };
      if (signedIn) {
        void run(() => client.mutation(AgentSignInMutation, { input }).toPromise(), (data) => accept(data.signInToQueue));
      } else {
        void run(() => client.mutation(AgentSignOutMutation, { input }).toPromise(), (data) => accept(data.signOutOfQueue));
      }
    },
    [client, run, accept],
  );

  const profile = desk?.myAgentProfile ?? null;
  return {
    status,
    readAt,
    queues: profile?.queues ?? [],
    breakReasons: (desk?.breakReasons ?? []).map((r) => reasonOf(r.name)),
    loaded: desk !== null,
    noProfile: desk !== null && profile === null,
    action,
    setState,
    setQueue,
    refresh,
  };
}
