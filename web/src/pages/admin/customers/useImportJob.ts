import { useCallback, useEffect, useRef, useState } from 'react';

import { fetchImportJob, RestError, startImport, type ImportJob } from './importJobs';
import type { ColumnMapping } from './csv';

/** How often a running job is read: its only progress signal (it has no subscription). */
export const POLL_MS = 750;

export type JobState =
  | { phase: 'idle' }
  | { phase: 'starting' }
  | { phase: 'running'; job: ImportJob }
  | { phase: 'done'; job: ImportJob }
  | { phase: 'failed'; job: ImportJob }
  | { phase: 'error'; error: RestError; retry: () => void };

function asRestError(error: unknown): RestError {
  return error instanceof RestError ? error : new RestError(0, String(error), null);
}

/**
 * Starts a background import (or dry run) and follows it: GET the job every `pollMs` while
 * it is queued or running, and stop when it is done, failed, reset or unmounted.
 */
export function useImportJob(pollMs: number = POLL_MS) {
  const [state, setState] = useState<JobState>({ phase: 'idle' });
  // Each start (and each reset) is a new run; answers for an older run are dropped.
  const run = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const stop = useCallback(() => {
    run.current += 1;
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  }, []);
  useEffect(() => stop, [stop]);

  const start = useCallback(
    (csv: string, mapping: ColumnMapping, dryRun: boolean) => {
      stop();
      const mine = run.current;
      const current = () => run.current === mine;

      function follow(job: ImportJob): void {
        if (!current()) return;
        if (job.status === 'done') {
          setState({ phase: 'done', job });
          return;
        }
        if (job.status === 'failed') {
          setState({ phase: 'failed', job });
          return;
        }
        setState({ phase: 'running', job });
        timer.current = setTimeout(() => poll(job.id), pollMs);
      }

      function poll(id: string): void {
        fetchImportJob(id).then(follow, (error: unknown) => {
          if (!current()) return;
          const rest = asRestError(error);
          // A lost poll is not a lost job: a network or server failure is tried again later.
          if (rest.retryable) timer.current = setTimeout(() => poll(id), pollMs * 2);
          else setState({ phase: 'error', error: rest, retry: () => poll(id) });
        });
      }

      function attempt(): void {
        setState({ phase: 'starting' });
        startImport(csv, mapping, dryRun).then(follow, (error: unknown) => {
          if (current()) setState({ phase: 'error', error: asRestError(error), retry: attempt });
        });
      }

      attempt();
    },
    [pollMs, stop],
  );

  const reset = useCallback(() => {
    stop();
    setState({ phase: 'idle' });
  }, [stop]);

  return { state, start, reset };
}
