import type { ApiProblem } from '../api/errors';
import type { MessageId } from '../i18n/messages';

/** A failed action as the page shows it: a sentence, and a retry when one may help. */
export interface ShownProblem {
  kind: ApiProblem['kind'];
  text: string;
  retry: (() => void) | null;
}

type T = (id: MessageId, values?: Record<string, string | number>) => string;

/** Overrides for a page whose errors mean something more specific (logIn: bad credentials). */
export type ProblemTexts = Partial<Record<ApiProblem['kind'], MessageId>>;

/** The sentence shown for `problem`; the server's own words are kept where they name what. */
export function describeProblem(problem: ApiProblem, t: T, texts: ProblemTexts = {}): string {
  const custom = texts[problem.kind];
  if (custom) return t(custom, { detail: problem.message });
  switch (problem.kind) {
    case 'retryable':
      return t('problem.retryable');
    case 'unauthenticated':
      return t('problem.unauthenticated');
    case 'forbidden':
      return t('problem.forbidden');
    case 'notFound':
      return t('problem.notFound');
    case 'conflict':
      return t('problem.conflict', { detail: problem.message });
    case 'badInput':
      return t('problem.badInput', { detail: problem.message });
    case 'rateLimited':
      return problem.retryAfter !== null
        ? t('problem.rateLimitedFor', { seconds: Math.ceil(problem.retryAfter) })
        : t('problem.rateLimited');
    case 'other':
      return problem.message;
  }
}
