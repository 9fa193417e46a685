import { useId } from 'react';
import { get, type FieldErrors, type UseFormReturn } from 'react-hook-form';

import { useT } from '../../../i18n/useT';
import type { Evaluation } from './evaluation';
import { choicesOf, type ScoringDraft, type ScoringValues } from './scoringDraft';

type Question = Evaluation['scorecard']['sections'][number]['questions'][number];

/** One question as a radio group named by its text: yes/no or 1..N, N/A where allowed. */
export function QuestionChoice({ form, question }: { form: UseFormReturn<ScoringDraft, unknown, ScoringValues>; question: Question }) {
  const t = useT();
  const id = useId();
  const name = `answers.${question.id}` as const;
  const error = get<FieldErrors<ScoringDraft>, { message?: string } | undefined>(form.formState.errors, name);
  return (
    <fieldset className="qa-question" aria-describedby={error ? `${id}-error` : `${id}-hint`}>
      <legend>{question.text}</legend>
      <p id={`${id}-hint`} className="field-hint">
        {t('qa.weightIs', { weight: question.weight })}
        {question.autoFail ? ` · ${t('qa.autoFailQuestion')}` : ''}
      </p>
      <div className="qa-choices">
        {choicesOf(question, t).map((choice) => (
          <label key={choice.value} className="qa-choice">
            <input type="radio" value={choice.value} {...form.register(name)} />
            {choice.label}
          </label>
        ))}
      </div>
      {error?.message ? (
        <p id={`${id}-error`} className="field-error">
          {error.message}
        </p>
      ) : null}
    </fieldset>
  );
}
