import { useCallback, useRef, useState } from 'react';
import type { OperationResult } from '@urql/core';

import { classifyError, type ApiProblem } from '../api/errors';
import { useT } from '../i18n/useT';
import { describeProblem, type ProblemTexts, type ShownProblem } from './problem';

export type Send<TData> = () => Promise<OperationResult<TData>>;

export interface ServerAction {
  busy: boolean;
  problem: ShownProblem | null;
  clear: () => void;
}

/**
 * Runs one mutation outside a form (a delete, a revoke) and keeps what went wrong:
 * `run(send, onDone)` calls `onDone(data)` on success, or shows the problem, with a retry
 * that sends the same request again when the network or the server failed.
 */
export function useServerAction(texts?: ProblemTexts): ServerAction & {
  run: <TData>(send: Send<TData>, onDone: (data: TData) => void) => Promise<void>;
} {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ShownProblem | null>(null);
  const inFlight = useRef(false);

  const run = useCallback(
    async function run<TData>(send: Send<TData>, onDone: (data: TData) => void): Promise<void> {
      if (inFlight.current) return;
      inFlight.current = true;
      setBusy(true);
      setProblem(null);
      let found: ApiProblem | null = null;
      try {
        const result = await send();
        if (result.error) found = classifyError(result.error);
        else if (result.data !== undefined) onDone(result.data);
      } catch (error) {
        found = { kind: 'retryable', message: String(error) };
      } finally {
        inFlight.current = false;
        setBusy(false);
      }
      if (found) {
        setProblem({
          kind: found.kind,
          text: describeProblem(found, t, texts),
          retry: found.kind === 'retryable' ? () => void run(send, onDone) : null,
        });
      }
    },
    [t, texts],
  );

  const clear = useCallback(() => setProblem(null), []);
  return { busy, problem, run, clear };
}
