import { useCallback, useRef, useState } from 'react';
import { useQuery, useSubscription } from 'urql';

import type { WrapUpStatusFieldsFragment } from '../../../gql/graphql';
import { WrapUpChangesSubscription, WrapUpQuery } from './operations';

export type WrapUpStatus = WrapUpStatusFieldsFragment;

interface Stamped {
  status: WrapUpStatus;
  /** Arrival order: the newest of the pushed and the answered statuses wins. */
  seq: number;
}

/**
 * Routing's view of the agent's wrap-up: the query's answer, then every pushed change
 * (`wrapUpChanges`) and every mutation's answer, whichever came last. Nothing here guesses
 * a state: the panel only ever shows what routing said.
 */
export function useWrapUp() {
  const [{ data, error, fetching }, refetch] = useQuery({ query: WrapUpQuery });
  const seq = useRef(0);
  const [answered, setAnswered] = useState<Stamped | null>(null);
  const [pushed] = useSubscription({ query: WrapUpChangesSubscription }, (_previous: Stamped | undefined, next) => ({
    status: next.wrapUpChanges,
    seq: ++seq.current,
  }));
  const answer = useCallback((status: WrapUpStatus) => setAnswered({ status, seq: ++seq.current }), []);
  const refresh = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  const newest = [pushed.data, answered].reduce<Stamped | null>((best, s) => (s && (!best || s.seq > best.seq) ? s : best), null);
  return {
    status: newest?.status ?? data?.wrapUp ?? null,
    dispositions: data?.dispositions ?? [],
    error: error ?? null,
    fetching,
    /** Show what a mutation answered (routing's state after it). */
    answer,
    refresh,
  };
}
