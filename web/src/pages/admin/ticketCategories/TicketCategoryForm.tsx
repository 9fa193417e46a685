import { useMemo } from 'react';
import { useMutation, useQuery } from 'urql';

import { useServerForm } from '../../../forms/useServerForm';
import { graphql } from '../../../gql';
import { useT } from '../../../i18n/useT';
import { FormActions } from '../../../ui/FormActions';
import { FormAlert } from '../../../ui/FormAlert';
import { QueryProblem } from '../../../ui/QueryProblem';
import { TextField } from '../../../ui/TextField';
import { categorySchema, stepFormField, toCategoryDraft, toCategoryInput, type StoredCategory } from './categoryDraft';
import { FieldSchemaEditor } from './FieldSchemaEditor';
import { WorkflowStepEditor } from './WorkflowStepEditor';

export const AdminTeamOptionsQuery = graphql(`
  query AdminTeamOptions {
    teams {
      id
      name
    }
  }
`);

const CreateTicketCategoryMutation = graphql(`
  mutation CreateTicketCategory($input: TicketCategoryInput!) {
    createTicketCategory(input: $input) {
      id
      name
    }
  }
`);

const UpdateTicketCategoryMutation = graphql(`
  mutation UpdateTicketCategory($id: ID!, $input: TicketCategoryInput!) {
    updateTicketCategory(id: $id, input: $input) {
      id
      name
    }
  }
`);

interface TicketCategoryFormProps {
  category: StoredCategory | null;
  onCancel: () => void;
  onSaved: (name: string, created: boolean) => void;
}

/** Create or change a ticket category: its name, its field schema and its workflow. */
export function TicketCategoryForm({ category, onCancel, onSaved }: TicketCategoryFormProps) {
  const t = useT();
  const [teams, reexecuteTeams] = useQuery({ query: AdminTeamOptionsQuery });
  const [, createCategory] = useMutation(CreateTicketCategoryMutation);
  const [, updateCategory] = useMutation(UpdateTicketCategoryMutation);
  const schema = useMemo(() => categorySchema(t), [t]);
  const { form, problem, busy, handleSubmit } = useServerForm({
    schema,
    defaultValues: toCategoryDraft(category),
    mapServerField: stepFormField,
    mode: 'onSubmit',
  });
  const onSubmit = handleSubmit<unknown>(
    (values) => {
      const input = toCategoryInput(values);
      return category ? updateCategory({ id: category.id, input }) : createCategory({ input });
    },
    (_data, values) => onSaved(values.name, category === null),
  );
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <TextField form={form} name="name" label={t('field.name')} required autoComplete="off" autoFocus />
      <FieldSchemaEditor form={form} />
      {teams.error ? <QueryProblem error={teams.error} retry={() => reexecuteTeams({ requestPolicy: 'network-only' })} /> : null}
      <WorkflowStepEditor form={form} teams={teams.data?.teams ?? []} />
      <FormAlert problem={problem} />
      <FormActions busy={busy} onCancel={onCancel} />
    </form>
  );
}
