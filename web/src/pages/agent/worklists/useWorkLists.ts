import { useCallback, useEffect } from 'react';
import { useQuery, useSubscription } from 'urql';

import { MissedCallsQuery, NotificationsQuery, WorkListChangesSubscription } from './operations';

/**
 * The open missed-call tasks and the unread notifications, fetched once and again whenever
 * `workListChanges` pushes a committed change of that list (no polling).
 */
export function useWorkLists() {
  const [missed, refetchMissed] = useQuery({ query: MissedCallsQuery });
  const [notes, refetchNotes] = useQuery({ query: NotificationsQuery });
  const refreshMissed = useCallback(() => refetchMissed({ requestPolicy: 'network-only' }), [refetchMissed]);
  const refreshNotes = useCallback(() => refetchNotes({ requestPolicy: 'network-only' }), [refetchNotes]);
  const [pushed] = useSubscription({ query: WorkListChangesSubscription });
  useEffect(() => {
    const change = pushed.data?.workListChanges;
    if (!change) return;
    if (change.kind === 'notification') refreshNotes();
    else refreshMissed();
  }, [pushed.data, refreshMissed, refreshNotes]);
  return {
    missedCalls: missed.data?.missedCalls.nodes ?? [],
    dispositions: missed.data?.dispositions ?? [],
    notifications: notes.data?.notifications.nodes ?? [],
    missedError: missed.error ?? null,
    notesError: notes.error ?? null,
    refreshMissed,
    refreshNotes,
  };
}
