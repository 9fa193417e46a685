import { useT } from '../../../i18n/useT';
import type { Evaluation } from './evaluation';

/** The server's score of an evaluation: "Score 87.5 / 100", or auto-failed, or none yet. */
export function ScoreLine({ evaluation }: { evaluation: Pick<Evaluation, 'score' | 'autoFailed'> }) {
  const t = useT();
  const text = evaluation.autoFailed
    ? t('qa.autoFailed')
    : evaluation.score === null || evaluation.score === undefined
      ? t('qa.noScore')
      : t('qa.score', { score: evaluation.score });
  return (
    <p className={evaluation.autoFailed ? 'qa-score qa-score-failed' : 'qa-score'} role="status">
      {text}
    </p>
  );
}
