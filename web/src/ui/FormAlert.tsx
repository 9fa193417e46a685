import type { ShownProblem } from '../forms/problem';
import { useT } from '../i18n/useT';
import { Button } from './Button';

/** A form's (or an action's) problem, announced as an alert, with "Retry" when it may help. */
export function FormAlert({ problem }: { problem: ShownProblem | null }) {
  const t = useT();
  if (!problem) return null;
  return (
    <div role="alert" className={`alert alert-${problem.kind === 'retryable' ? 'warning' : 'error'}`}>
      <p>{problem.text}</p>
      {problem.retry ? (
        <Button variant="secondary" onClick={problem.retry}>
          {t('action.retry')}
        </Button>
      ) : null}
    </div>
  );
}
