import { useMemo } from 'react';
import { useMutation, useQuery } from 'urql';
import { z } from 'zod';

import { useEditorState } from '../../../data/useEditorState';
import { useServerForm } from '../../../forms/useServerForm';
import { graphql } from '../../../gql';
import type { CustomFieldType } from '../../../gql/graphql';
import type { MessageId } from '../../../i18n/messages';
import { useT } from '../../../i18n/useT';
import { Button } from '../../../ui/Button';
import { CheckboxField } from '../../../ui/CheckboxField';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { DataTable, type Column } from '../../../ui/DataTable';
import { Dialog } from '../../../ui/Dialog';
import { FormActions } from '../../../ui/FormActions';
import { FormAlert } from '../../../ui/FormAlert';
import { QueryProblem } from '../../../ui/QueryProblem';
import { RowActions } from '../../../ui/RowActions';
import { StatusMessage } from '../../../ui/StatusMessage';
import { TextField } from '../../../ui/TextField';
import { FieldDefinitionInputs } from '../fieldSchema/FieldDefinitionInputs';
import { checkOptions, fieldDraftShape, toFieldDraft, toFieldInput } from '../fieldSchema/fieldDefinition';

export const AdminCustomFieldsQuery = graphql(`
  query AdminCustomFields {
    customFields {
      id
      key
      label
      type
      required
      unique
      default
      options
      position
    }
  }
`);

const CreateCustomFieldMutation = graphql(`
  mutation CreateCustomField($input: CustomFieldInput!) {
    createCustomField(input: $input) {
      id
      label
    }
  }
`);

const UpdateCustomFieldMutation = graphql(`
  mutation UpdateCustomField($id: ID!, $input: CustomFieldInput!) {
    updateCustomField(id: $id, input: $input) {
      id
      label
    }
  }
`);

const DeleteCustomFieldMutation = graphql(`
  mutation DeleteCustomField($id: ID!) {
    deleteCustomField(id: $id) {
      deletedId
    }
  }
`);

export interface CustomField {
  id: string;
  key: string;
  label: string;
  type: CustomFieldType;
  required: boolean;
  unique: boolean;
  default?: unknown;
  options: readonly string[];
  position: number;
}

/** The fields every customer record has beyond name, phones and emails. */
export function CustomFieldsSection() {
  const t = useT();
  const [result, reexecute] = useQuery({ query: AdminCustomFieldsQuery });
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  const editor = useEditorState<CustomField>();
  const [, deleteField] = useMutation(DeleteCustomFieldMutation);
  const { state } = editor;
  const rows = result.data?.customFields ?? [];

  const columns: Column<CustomField>[] = [
    { header: t('admin.fieldSchema.label'), cell: (field) => field.label, isRowHeader: true },
    { header: t('admin.fieldSchema.key'), cell: (field) => <code>{field.key}</code> },
    { header: t('admin.fieldSchema.type'), cell: (field) => t(`admin.fieldSchema.type.${field.type}` as MessageId) },
    {
      header: t('admin.fieldSchema.rules'),
      cell: (field) =>
        [field.required ? t('admin.fieldSchema.required') : null, field.unique ? t('admin.crm.fields.unique') : null]
          .filter(Boolean)
          .join(', ') || '—',
    },
    {
      header: t('list.actions'),
      className: 'cell-actions',
      cell: (field) => <RowActions onEdit={() => editor.openEdit(field)} onDelete={() => editor.openDelete(field)} />,
    },
  ];

  return (
    <section className="page-section" aria-labelledby="crm-fields-title">
      <div className="section-header">
        <h2 id="crm-fields-title">{t('admin.crm.fields.title')}</h2>
        <Button variant="primary" onClick={editor.openCreate}>
          {t('admin.crm.fields.create')}
        </Button>
      </div>
      <p className="page-intro">{t('admin.crm.fields.intro')}</p>
      <StatusMessage message={editor.status} />
      {result.error ? <QueryProblem error={result.error} retry={refresh} /> : null}
      <DataTable
        caption={t('admin.crm.fields.title')}
        rows={rows}
        columns={columns}
        rowKey={(field) => field.id}
        busy={result.fetching}
        empty={result.fetching ? t('app.loading') : t('admin.crm.fields.empty')}
      />

      <Dialog
        title={state.mode === 'edit' ? t('admin.crm.fields.edit') : t('admin.crm.fields.create')}
        isOpen={state.mode === 'create' || state.mode === 'edit'}
        onClose={editor.close}
      >
        <CustomFieldForm
          field={state.mode === 'edit' ? state.row : null}
          onCancel={editor.close}
          onSaved={(label, created) => {
            editor.finish(t(created ? 'admin.crm.fields.created' : 'admin.crm.fields.saved', { name: label }));
            refresh();
          }}
        />
      </Dialog>

      {state.mode === 'delete' ? (
        <ConfirmDialog
          isOpen
          title={t('admin.crm.fields.deleteTitle', { name: state.row.label })}
          confirmLabel={t('action.delete')}
          onClose={editor.close}
          send={() => deleteField({ id: state.row.id })}
          onDone={() => {
            editor.finish(t('admin.crm.fields.deleted', { name: state.row.label }));
            refresh();
          }}
        >
          <p>{t('admin.crm.fields.deleteBody')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

interface CustomFieldFormProps {
  field: CustomField | null;
  onCancel: () => void;
  onSaved: (label: string, created: boolean) => void;
}

/** Create or change a custom field definition. Exported for its component test. */
export function CustomFieldForm({ field, onCancel, onSaved }: CustomFieldFormProps) {
  const t = useT();
  const [, createField] = useMutation(CreateCustomFieldMutation);
  const [, updateField] = useMutation(UpdateCustomFieldMutation);
  // Mirrors CustomFieldIn (tenants/crm/schemas.py); position 0 to 10,000.
  const schema = useMemo(
    () =>
      z
        .object({
          ...fieldDraftShape(t),
          unique: z.boolean(),
          position: z
            .string()
            .trim()
            .regex(/^\d+$/, t('validation.wholeNumber'))
            .transform(Number)
            .pipe(z.number().max(10_000, t('validation.atMost', { max: 10_000 }))),
        })
        .superRefine((draft, ctx) =>
          checkOptions(t, draft, (message) => ctx.addIssue({ code: 'custom', path: ['options'], message })),
        ),
    [t],
  );
  const { form, problem, busy, handleSubmit } = useServerForm({
    schema,
    defaultValues: { ...toFieldDraft(field), unique: field?.unique ?? false, position: String(field?.position ?? 0) },
  });
  const onSubmit = handleSubmit<unknown>(
    (values) => {
      const input = { ...toFieldInput(values), unique: values.unique, position: values.position };
      return field ? updateField({ id: field.id, input }) : createField({ input });
    },
    (_data, values) => onSaved(values.label, field === null),
  );
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <FieldDefinitionInputs form={form} name={(part) => part} autoFocus />
      <CheckboxField form={form} name="unique" label={t('admin.crm.fields.unique')} hint={t('admin.crm.fields.uniqueHint')} />
      <TextField form={form} name="position" label={t('admin.fieldSchema.position')} hint={t('admin.fieldSchema.positionHint')} inputMode="numeric" />
      <FormAlert problem={problem} />
      <FormActions busy={busy} onCancel={onCancel} />
    </form>
  );
}
