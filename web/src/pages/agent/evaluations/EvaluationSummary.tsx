import { FormattedDate } from 'react-intl';

import type { MessageId } from '../../../i18n/messages';
import { useT } from '../../../i18n/useT';
import { FormSection } from '../../../ui/FormSection';
import { formatOffset, type Evaluation } from '../../supervisor/qa/evaluation';
import { ScoreLine } from '../../supervisor/qa/ScoreLine';

/** A submitted evaluation, read-only: each answer, the pinned comments and the overall comment. */
export function EvaluationSummary({ evaluation, seek }: { evaluation: Evaluation; seek?: (seconds: number) => void }) {
  const t = useT();
  const answers = new Map(evaluation.answers.map((a) => [a.questionId, a]));
  const shown = (questionId: string, type: string) => {
    const answer = answers.get(questionId);
    if (!answer) return t('qa.unanswered');
    if (answer.na) return t('qa.na');
    if (type === 'YES_NO') return answer.value === 1 ? t('qa.yes') : t('qa.no');
    return String(answer.value);
  };
  return (
    <div className="qa-summary">
      <p>
        {t('qa.scorecardVersion', { name: evaluation.scorecard.name, version: evaluation.scorecard.version })} ·{' '}
        {t(`qa.status.${evaluation.status}` as MessageId)} · <FormattedDate value={evaluation.callAt} dateStyle="medium" timeStyle="short" />
      </p>
      <ScoreLine evaluation={evaluation} />
      {evaluation.scorecard.sections.map((section) => (
        <FormSection key={section.title} title={section.title}>
          <dl className="qa-answers">
            {section.questions.map((q) => (
              <div key={q.id}>
                <dt>{q.text}</dt>
                <dd>{shown(q.id, q.type)}</dd>
              </div>
            ))}
          </dl>
        </FormSection>
      ))}
      {evaluation.comments.length ? (
        <FormSection title={t('qa.comments')}>
          <ol className="qa-comments">
            {evaluation.comments.map((c, index) => (
              <li key={index}>
                {seek ? (
                  <button type="button" className="btn btn-small btn-ghost" onClick={() => seek(c.offsetSeconds)} aria-label={t('qa.playFrom', { at: formatOffset(c.offsetSeconds) })}>
                    {formatOffset(c.offsetSeconds)}
                  </button>
                ) : (
                  <span>{formatOffset(c.offsetSeconds)}</span>
                )}
                <span className="qa-comment-text">{c.text}</span>
              </li>
            ))}
          </ol>
        </FormSection>
      ) : null}
      {evaluation.overallComment ? (
        <FormSection title={t('qa.overallComment')}>
          <p>{evaluation.overallComment}</p>
        </FormSection>
      ) : null}
      {evaluation.disputeReason ? (
        <FormSection title={t('qa.disputeReason')}>
          <p>{evaluation.disputeReason}</p>
        </FormSection>
      ) : null}
    </div>
  );
}
