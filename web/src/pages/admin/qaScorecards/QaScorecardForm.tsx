import { useMemo } from 'react';
import { useMutation } from 'urql';

import { useServerForm } from '../../../forms/useServerForm';
import { graphql } from '../../../gql';
import { useT } from '../../../i18n/useT';
import { FormActions } from '../../../ui/FormActions';
import { FormAlert } from '../../../ui/FormAlert';
import { FormSection } from '../../../ui/FormSection';
import { TextAreaField } from '../../../ui/TextAreaField';
import { TextField } from '../../../ui/TextField';
import { SectionsEditor } from './SectionsEditor';
import { scorecardFormField, scorecardSchema, toScorecardDraft, toScorecardInput, type StoredScorecard } from './scorecardDraft';

const CreateQaScorecardMutation = graphql(`
  mutation CreateQaScorecard($input: QaScorecardInput!) {
    createQaScorecard(input: $input) {
      id
      name
      version
    }
  }
`);

const UpdateQaScorecardMutation = graphql(`
  mutation UpdateQaScorecard($id: ID!, $input: QaScorecardInput!) {
    updateQaScorecard(id: $id, input: $input) {
      id
      name
      version
    }
  }
`);

interface QaScorecardFormProps {
  scorecard: StoredScorecard | null;
  onCancel: () => void;
  onSaved: (name: string, version: number, created: boolean) => void;
}

/** Create or change a scorecard: its name, sections and questions. */
export function QaScorecardForm({ scorecard, onCancel, onSaved }: QaScorecardFormProps) {
  const t = useT();
  const [, create] = useMutation(CreateQaScorecardMutation);
  const [, update] = useMutation(UpdateQaScorecardMutation);
  const schema = useMemo(() => scorecardSchema(t), [t]);
  const { form, problem, busy, handleSubmit } = useServerForm({
    schema,
    defaultValues: toScorecardDraft(scorecard),
    mapServerField: scorecardFormField,
    mode: 'onSubmit',
  });
  const onSubmit = handleSubmit<{ createQaScorecard?: { version: number }; updateQaScorecard?: { version: number } }>(
    (values) => {
      const input = toScorecardInput(values);
      return scorecard ? update({ id: scorecard.id, input }) : create({ input });
    },
    (data, values) => onSaved(values.name, (data.updateQaScorecard ?? data.createQaScorecard)?.version ?? 1, scorecard === null),
  );
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <FormSection title={t('admin.qa.general')} hint={scorecard ? t('admin.qa.versionHint', { version: scorecard.version }) : undefined}>
        <TextField form={form} name="name" label={t('field.name')} required autoComplete="off" autoFocus />
        <TextAreaField form={form} name="description" label={t('admin.qa.description')} rows={2} />
      </FormSection>
      <SectionsEditor form={form} />
      <FormAlert problem={problem} />
      <FormActions busy={busy} onCancel={onCancel} />
    </form>
  );
}
