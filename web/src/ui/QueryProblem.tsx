import type { CombinedError } from '@urql/core';

import { classifyError } from '../api/errors';
import { describeProblem } from '../forms/problem';
import { useT } from '../i18n/useT';
import { Button } from './Button';

/** A query that failed: what happened and, for network or server failures, "Retry". */
export function QueryProblem({ error, retry }: { error: CombinedError; retry: () => void }) {
  const t = useT();
  const problem = classifyError(error);
  // UNAUTHENTICATED is already on its way to the log-in page (api/client.ts).
  if (problem.kind === 'unauthenticated') return null;
  return (
    <div role="alert" className={`alert alert-${problem.kind === 'retryable' ? 'warning' : 'error'}`}>
      <p>{describeProblem(problem, t)}</p>
      {problem.kind === 'retryable' ? <Button onClick={retry}>{t('action.retry')}</Button> : null}
    </div>
  );
}
