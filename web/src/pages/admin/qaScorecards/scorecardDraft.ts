import { z } from 'zod';

import type { QaQuestionType } from '../../../gql/graphql';
import type { MessageId } from '../../../i18n/messages';

/** ScorecardIn's limits (analytics/quality/schemas.py). */
export const MAX_SECTIONS = 50;
export const MAX_QUESTIONS = 100;
export const MAX_SCALE = 10;
export const QUESTION_TYPES: readonly QaQuestionType[] = ['YES_NO', 'SCALE'];

type T = (id: MessageId, values?: Record<string, string | number>) => string;

/**
 * The scorecard form's rules, mirroring ScorecardIn: a name, at least one section, each with
 * a title and at least one question; a question's weight is a number in (0, 100], and a
 * scale question has its top value (2..10).
 */
export function scorecardSchema(t: T) {
  const question = z
    .object({
      id: z.string(),
      text: z.string().trim().min(1, t('validation.required')).max(500, t('validation.tooLong', { max: 500 })),
      type: z.enum(['YES_NO', 'SCALE']),
      scaleMax: z.string().trim(),
      allowNa: z.boolean(),
      weight: z
        .string()
        .trim()
        .regex(/^\d+(\.\d+)?$/, t('admin.qa.weightRule'))
        .transform(Number)
        .pipe(z.number().positive(t('admin.qa.weightRule')).max(100, t('admin.qa.weightRule'))),
      autoFail: z.boolean(),
    })
    .superRefine((draft, ctx) => {
      if (draft.type !== 'SCALE') return;
      const top = Number(draft.scaleMax);
      if (!/^\d+$/.test(draft.scaleMax) || top < 2 || top > MAX_SCALE) {
        ctx.addIssue({ code: 'custom', path: ['scaleMax'], message: t('admin.qa.scaleRule', { max: MAX_SCALE }) });
      }
    });
  const section = z.object({
    title: z.string().trim().min(1, t('validation.required')).max(120, t('validation.tooLong', { max: 120 })),
    questions: z.array(question).min(1, t('admin.qa.questionsNeeded')).max(MAX_QUESTIONS, t('validation.atMost', { max: MAX_QUESTIONS })),
  });
  return z.object({
    name: z.string().trim().min(1, t('validation.required')).max(120, t('validation.tooLong', { max: 120 })),
    description: z.string().max(2000, t('validation.tooLong', { max: 2000 })),
    sections: z.array(section).min(1, t('admin.qa.sectionsNeeded')).max(MAX_SECTIONS, t('validation.atMost', { max: MAX_SECTIONS })),
  });
}

export type ScorecardDraft = z.input<ReturnType<typeof scorecardSchema>>;
export type ScorecardValues = z.output<ReturnType<typeof scorecardSchema>>;
export type QuestionDraft = ScorecardDraft['sections'][number]['questions'][number];

export interface StoredQuestion {
  id: string;
  text: string;
  type: QaQuestionType;
  scaleMax?: number | null;
  allowNa: boolean;
  weight: number;
  autoFail: boolean;
}

export interface StoredScorecard {
  id: string;
  name: string;
  status: 'ACTIVE' | 'ARCHIVED';
  version: number;
  description?: string | null;
  sections: readonly { title: string; questions: readonly StoredQuestion[] }[];
}

export function newQuestion(): QuestionDraft {
  return { id: '', text: '', type: 'YES_NO', scaleMax: '5', allowNa: false, weight: '1', autoFail: false };
}

export function newSection(): ScorecardDraft['sections'][number] {
  return { title: '', questions: [newQuestion()] };
}

export function toScorecardDraft(card: StoredScorecard | null): ScorecardDraft {
  if (!card) return { name: '', description: '', sections: [newSection()] };
  return {
    name: card.name,
    description: card.description ?? '',
    sections: card.sections.map((section) => ({
      title: section.title,
      questions: section.questions.map((q) => ({
        id: q.id,
        text: q.text,
        type: q.type,
        scaleMax: String(q.scaleMax ?? 5),
        allowNa: q.allowNa,
        weight: String(q.weight),
        autoFail: q.autoFail,
      })),
    })),
  };
}

/** The QaScorecardInput for the form's values: sections and questions in the order shown. */
export function toScorecardInput(values: ScorecardValues) {
  return {
    name: values.name,
    description: values.description.trim() || null,
    sections: values.sections.map((section) => ({
      title: section.title,
      questions: section.questions.map((q) => ({
        id: q.id || null,
        text: q.text,
        type: q.type,
        scaleMax: q.type === 'SCALE' ? Number(q.scaleMax) : null,
        allowNa: q.allowNa,
        weight: q.weight,
        autoFail: q.autoFail,
      })),
    })),
  };
}

/**
 * The form path of a server error, for useServerForm's `mapServerField`. The server names
 * nested problems by index (`sections.1.questions.0.weight`), as the form does; only the
 * names the form has no input for move: a question's `id` (hidden) and a yes/no question's
 * `scaleMax` land on its text and its type, a section's empty `questions` on its title.
 */
export function scorecardFormField(serverField: string, values: ScorecardValues): string | null {
  const question = /^sections\.(\d+)\.questions\.(\d+)\.(id|scaleMax)$/.exec(serverField);
  if (question) {
    const [, s, q, name] = question;
    const kind = values.sections[Number(s)]?.questions[Number(q)]?.type;
    if (name === 'id') return `sections.${s}.questions.${q}.text`;
    return kind === 'SCALE' ? null : `sections.${s}.questions.${q}.type`;
  }
  const section = /^sections\.(\d+)\.questions$/.exec(serverField);
  return section ? `sections.${section[1]}.title` : null;
}
