import { z } from 'zod';

import type { MessageId } from '../../../i18n/messages';
import type { Evaluation } from './evaluation';

type T = (id: MessageId, values?: Record<string, string | number>) => string;
type Question = Evaluation['scorecard']['sections'][number]['questions'][number];

/** A question's answer as the form holds it: '' (none yet), 'na', or the value ('0', '1', '3'). */
export const NA = 'na';

export function scoringSchema(t: T) {
  return z.object({
    answers: z.record(z.string(), z.string()),
    comments: z.array(z.object({ offsetSeconds: z.number().min(0), text: z.string().trim().min(1, t('validation.required')).max(2000) })),
    overallComment: z.string().max(5000, t('validation.tooLong', { max: 5000 })),
  });
}

export type ScoringDraft = z.input<ReturnType<typeof scoringSchema>>;
export type ScoringValues = z.output<ReturnType<typeof scoringSchema>>;

export function questionsOf(evaluation: Evaluation): Question[] {
  return evaluation.scorecard.sections.flatMap((section) => section.questions);
}

export function toScoringDraft(evaluation: Evaluation): ScoringDraft {
  const answers: Record<string, string> = {};
  for (const question of questionsOf(evaluation)) answers[question.id] = '';
  for (const answer of evaluation.answers) {
    answers[answer.questionId] = answer.na ? NA : answer.value === null || answer.value === undefined ? '' : String(answer.value);
  }
  return {
    answers,
    comments: evaluation.comments.map((c) => ({ offsetSeconds: c.offsetSeconds, text: c.text })),
    overallComment: evaluation.overallComment ?? '',
  };
}

/** The answers the form sends, in the scorecard's order, unanswered questions left out. */
function answerList(evaluation: Evaluation, values: ScoringValues) {
  return questionsOf(evaluation)
    .filter((q) => (values.answers[q.id] ?? '') !== '')
    .map((q) => {
      const given = values.answers[q.id];
      return given === NA ? { questionId: q.id, value: null, na: true } : { questionId: q.id, value: Number(given), na: false };
    });
}

export function toEvaluationInput(evaluation: Evaluation, values: ScoringValues) {
  return {
    answers: answerList(evaluation, values),
    comments: values.comments.map((c) => ({ offsetSeconds: c.offsetSeconds, text: c.text })),
    overallComment: values.overallComment.trim() || null,
  };
}

/**
 * The form path of a server error, for useServerForm's `mapServerField`: the server names an
 * answer by its index in the list sent (`answers.2.value`), the form holds answers by
 * question id (`answers.empathy`), so the index is looked up in the same list.
 */
export function scoringFormField(evaluation: Evaluation) {
  return (serverField: string, values: ScoringValues): string | null => {
    const match = /^answers\.(\d+)\.(value|na|questionId)$/.exec(serverField);
    if (!match) return null;
    const sent = answerList(evaluation, values)[Number(match[1])];
    return sent ? `answers.${sent.questionId}` : null;
  };
}

/** The choices of a question: yes/no or 1..N, and N/A where allowed. */
export function choicesOf(question: Question, t: T): { value: string; label: string }[] {
  const choices =
    question.type === 'YES_NO'
      ? [
          { value: '1', label: t('qa.yes') },
          { value: '0', label: t('qa.no') },
        ]
      : Array.from({ length: question.scaleMax ?? 5 }, (_, i) => ({ value: String(i + 1), label: String(i + 1) }));
  return question.allowNa ? [...choices, { value: NA, label: t('qa.na') }] : choices;
}
