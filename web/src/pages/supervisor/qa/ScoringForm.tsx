import { useMemo } from 'react';
import { useMutation } from 'urql';

import { useServerForm } from '../../../forms/useServerForm';
import { graphql } from '../../../gql';
import { useT } from '../../../i18n/useT';
import { Button } from '../../../ui/Button';
import { FormAlert } from '../../../ui/FormAlert';
import { FormSection } from '../../../ui/FormSection';
import { TextAreaField } from '../../../ui/TextAreaField';
import type { Evaluation } from './evaluation';
import { PinnedComments } from './PinnedComments';
import { QuestionChoice } from './QuestionChoice';
import { ScoreLine } from './ScoreLine';
import { scoringFormField, scoringSchema, toEvaluationInput, toScoringDraft } from './scoringDraft';

const SaveQaEvaluationMutation = graphql(`
  mutation SaveQaEvaluation($id: ID!, $input: QaEvaluationInput!) {
    saveQaEvaluation(id: $id, input: $input) {
      ...QaEvaluationFields
    }
  }
`);

const SubmitQaEvaluationMutation = graphql(`
  mutation SubmitQaEvaluation($id: ID!) {
    submitQaEvaluation(id: $id) {
      ...QaEvaluationFields
    }
  }
`);

interface ScoringFormProps {
  evaluation: Evaluation;
  currentTime: () => number;
  seek: (seconds: number) => void;
  /** The evaluation as the server has it after a save or the submit (its score). */
  onSaved: (evaluation: Evaluation, submitted: boolean) => void;
}

/**
 * A draft evaluation's answers, pinned comments and overall comment. "Save draft" keeps it;
 * "Submit" saves and submits it. The score is the server's, shown after each save.
 */
export function ScoringForm({ evaluation, currentTime, seek, onSaved }: ScoringFormProps) {
  const t = useT();
  const [, save] = useMutation(SaveQaEvaluationMutation);
  const [, submit] = useMutation(SubmitQaEvaluationMutation);
  const schema = useMemo(() => scoringSchema(t), [t]);
  const mapServerField = useMemo(() => scoringFormField(evaluation), [evaluation]);
  const { form, problem, busy, handleSubmit } = useServerForm({
    schema,
    defaultValues: toScoringDraft(evaluation),
    mapServerField,
    mode: 'onSubmit',
  });
  const send = (andSubmit: boolean) =>
    handleSubmit<{ saveQaEvaluation?: Evaluation; submitQaEvaluation?: Evaluation }>(
      async (values) => {
        const saved = await save({ id: evaluation.id, input: toEvaluationInput(evaluation, values) });
        if (saved.error || !andSubmit) return saved;
        return submit({ id: evaluation.id });
      },
      (data) => {
        const next = data.submitQaEvaluation ?? data.saveQaEvaluation;
        if (next) onSaved(next, Boolean(data.submitQaEvaluation));
      },
    );
  return (
    <form onSubmit={send(false)} noValidate className="form qa-scoring">
      <ScoreLine evaluation={evaluation} />
      {evaluation.scorecard.sections.map((section) => (
        <FormSection key={section.title} title={section.title}>
          {section.questions.map((question) => (
            <QuestionChoice key={question.id} form={form} question={question} />
          ))}
        </FormSection>
      ))}
      <PinnedComments form={form} currentTime={currentTime} seek={seek} />
      <TextAreaField form={form} name="overallComment" label={t('qa.overallComment')} rows={3} />
      <FormAlert problem={problem} />
      <div className="dialog-actions">
        <Button type="submit" busy={busy}>
          {t('qa.saveDraft')}
        </Button>
        <Button variant="primary" busy={busy} onClick={() => void send(true)()}>
          {t('qa.submit')}
        </Button>
      </div>
    </form>
  );
}
