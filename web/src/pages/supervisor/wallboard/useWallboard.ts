import { useCallback, useEffect, useReducer, useState } from 'react';
import { useClient, type Client, type CombinedError, type OperationResult } from 'urql';

import type { WallboardAgentsQuery as WallboardAgentsQueryData, WallboardQueuesQuery as WallboardQueuesQueryData } from '../../../gql/graphql';

import { classifyError } from '../../../api/errors';
import { WallboardAgentsQuery, WallboardLiveChanges, WallboardQueueStatusQuery, WallboardQueuesQuery } from './operations';
import { initialWallboard, wallboardReducer, type AgentStatusIn, type QueueInfo, type QueueStatusIn, type WallboardEvent, type WallboardState } from './wallboardState';

const PAGE = 100;

class LoadFailed extends Error {
  readonly error: CombinedError;
  constructor(error: CombinedError) {
    super(error.message);
    this.error = error;
  }
}

async function allQueues(client: Client): Promise<QueueInfo[]> {
  const queues: QueueInfo[] = [];
  let after: string | null = null;
  for (;;) {
    const result: OperationResult<WallboardQueuesQueryData> = await client
      .query(WallboardQueuesQuery, { first: PAGE, after }, { requestPolicy: 'network-only' })
      .toPromise();
    if (result.error) throw new LoadFailed(result.error);
    const page = result.data?.queues;
    if (!page) return queues;
    queues.push(...page.nodes);
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return queues;
    after = page.pageInfo.endCursor;
  }
}

export async function allAgents(client: Client): Promise<AgentStatusIn[]> {
  const agents: AgentStatusIn[] = [];
  let after: string | null = null;
  for (;;) {
    const result: OperationResult<WallboardAgentsQueryData> = await client
      .query(WallboardAgentsQuery, { first: PAGE, after }, { requestPolicy: 'network-only' })
      .toPromise();
    if (result.error) throw new LoadFailed(result.error);
    const page = result.data?.agents;
    if (!page) return agents;
    agents.push(...page.nodes);
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return agents;
    after = page.pageInfo.endCursor;
  }
}

async function statuses(client: Client, queues: readonly QueueInfo[]): Promise<QueueStatusIn[]> {
  const results = await Promise.all(
    queues.map((q) => client.query(WallboardQueueStatusQuery, { queueId: q.id }, { requestPolicy: 'network-only' }).toPromise()),
  );
  return results.flatMap((result) => {
    // A queue routing does not know yet (never published) is shown empty, not as a failure.
    if (result.error) {
      if (classifyError(result.error).kind === 'notFound') return [];
      throw new LoadFailed(result.error);
    }
    return result.data ? [result.data.queueStatus] : [];
  });
}

export interface Wallboard {
  state: WallboardState;
  dispatch: (event: WallboardEvent) => void;
  /** The snapshot or the live feed failed (null: all is well). */
  error: CombinedError | null;
  retry: () => void;
}

/**
 * The live wallboard: `liveChanges` opens first (events that arrive before the snapshot
 * are replayed on it), then the snapshot is read once. After that only events move it; an
 * agent the snapshot did not know makes it read the agents again, once per appearance.
 */
export function useWallboard(): Wallboard {
  const client = useClient();
  const [state, dispatch] = useReducer(wallboardReducer, initialWallboard);
  const [error, setError] = useState<CombinedError | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const subscription = client.subscription(WallboardLiveChanges, {}).subscribe((result) => {
      if (result.error) {
        setError(result.error);
        return;
      }
      const change = result.data?.liveChanges;
      if (!change) return;
      if (change.__typename === 'QueueChange') dispatch({ type: 'queueChanged', change });
      else dispatch({ type: 'agentChanged', change });
    });
    const open = { live: true };
    void (async () => {
      try {
        const queues = await allQueues(client);
        const [found, agents] = await Promise.all([statuses(client, queues), allAgents(client)]);
        if (open.live) dispatch({ type: 'loaded', atMs: Date.now(), queues, statuses: found, agents });
      } catch (failure) {
        if (!open.live) return;
        if (failure instanceof LoadFailed) setError(failure.error);
        else throw failure;
      }
    })();
    return () => {
      open.live = false;
      subscription.unsubscribe();
    };
  }, [client, attempt]);

  useEffect(() => {
    if (!state.agentsStale) return;
    let live = true;
    allAgents(client).then(
      (agents) => live && dispatch({ type: 'agentsLoaded', atMs: Date.now(), agents }),
      (failure: unknown) => live && failure instanceof LoadFailed && setError(failure.error),
    );
    return () => {
      live = false;
    };
  }, [client, state.agentsStale]);

  const retry = useCallback(() => {
    setError(null);
    setAttempt((n) => n + 1);
  }, []);

  return { state, dispatch, error, retry };
}
