import { useMemo } from 'react';
import { useMutation, useQuery } from 'urql';
import { z } from 'zod';

import { useEditorState } from '../../../data/useEditorState';
import { useServerForm } from '../../../forms/useServerForm';
import { graphql } from '../../../gql';
import type { CategoryRouting } from '../../../gql/graphql';
import type { MessageId } from '../../../i18n/messages';
import { useT } from '../../../i18n/useT';
import { Button } from '../../../ui/Button';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { DataTable, type Column } from '../../../ui/DataTable';
import { Dialog } from '../../../ui/Dialog';
import { FormActions } from '../../../ui/FormActions';
import { FormAlert } from '../../../ui/FormAlert';
import { QueryProblem } from '../../../ui/QueryProblem';
import { RowActions } from '../../../ui/RowActions';
import { SelectField } from '../../../ui/SelectField';
import { StatusMessage } from '../../../ui/StatusMessage';
import { TextField } from '../../../ui/TextField';

export const AdminCustomerCategoriesQuery = graphql(`
  query AdminCustomerCategories {
    customerCategories {
      id
      name
      routing
      position
    }
  }
`);

const CreateCustomerCategoryMutation = graphql(`
  mutation CreateCustomerCategory($input: CustomerCategoryInput!) {
    createCustomerCategory(input: $input) {
      id
      name
    }
  }
`);

const UpdateCustomerCategoryMutation = graphql(`
  mutation UpdateCustomerCategory($id: ID!, $input: CustomerCategoryInput!) {
    updateCustomerCategory(id: $id, input: $input) {
      id
      name
    }
  }
`);

const DeleteCustomerCategoryMutation = graphql(`
  mutation DeleteCustomerCategory($id: ID!) {
    deleteCustomerCategory(id: $id) {
      deletedId
    }
  }
`);

const ROUTINGS: readonly CategoryRouting[] = ['NONE', 'PRIORITY', 'REJECT'];

interface CustomerCategory {
  id: string;
  name: string;
  routing: CategoryRouting;
  position: number;
}

/** Customer categories (VIP, blacklist, …) and what each means for routing a call. */
export function CustomerCategoriesSection() {
  const t = useT();
  const [result, reexecute] = useQuery({ query: AdminCustomerCategoriesQuery });
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  const editor = useEditorState<CustomerCategory>();
  const [, deleteCategory] = useMutation(DeleteCustomerCategoryMutation);
  const { state } = editor;
  const rows = result.data?.customerCategories ?? [];

  const columns: Column<CustomerCategory>[] = [
    { header: t('field.name'), cell: (category) => category.name, isRowHeader: true },
    { header: t('admin.crm.categories.routing'), cell: (category) => t(`admin.crm.categories.routing.${category.routing}` as MessageId) },
    {
      header: t('list.actions'),
      className: 'cell-actions',
      cell: (category) => <RowActions onEdit={() => editor.openEdit(category)} onDelete={() => editor.openDelete(category)} />,
    },
  ];

  return (
    <section className="page-section" aria-labelledby="crm-categories-title">
      <div className="section-header">
        <h2 id="crm-categories-title">{t('admin.crm.categories.title')}</h2>
        <Button variant="primary" onClick={editor.openCreate}>
          {t('admin.crm.categories.create')}
        </Button>
      </div>
      <p className="page-intro">{t('admin.crm.categories.intro')}</p>
      <StatusMessage message={editor.status} />
      {result.error ? <QueryProblem error={result.error} retry={refresh} /> : null}
      <DataTable
        caption={t('admin.crm.categories.title')}
        rows={rows}
        columns={columns}
        rowKey={(category) => category.id}
        busy={result.fetching}
        empty={result.fetching ? t('app.loading') : t('admin.crm.categories.empty')}
      />

      <Dialog
        title={state.mode === 'edit' ? t('admin.crm.categories.edit') : t('admin.crm.categories.create')}
        isOpen={state.mode === 'create' || state.mode === 'edit'}
        onClose={editor.close}
      >
        <CustomerCategoryForm
          category={state.mode === 'edit' ? state.row : null}
          onCancel={editor.close}
          onSaved={(name, created) => {
            editor.finish(t(created ? 'admin.crm.categories.created' : 'admin.crm.categories.saved', { name }));
            refresh();
          }}
        />
      </Dialog>

      {state.mode === 'delete' ? (
        <ConfirmDialog
          isOpen
          title={t('admin.crm.categories.deleteTitle', { name: state.row.name })}
          confirmLabel={t('action.delete')}
          onClose={editor.close}
          send={() => deleteCategory({ id: state.row.id })}
          onDone={() => {
            editor.finish(t('admin.crm.categories.deleted', { name: state.row.name }));
            refresh();
          }}
        >
          <p>{t('admin.crm.categories.deleteBody')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

interface CustomerCategoryFormProps {
  category: CustomerCategory | null;
  onCancel: () => void;
  onSaved: (name: string, created: boolean) => void;
}

/** Create or change a customer category. Exported for its component test. */
export function CustomerCategoryForm({ category, onCancel, onSaved }: CustomerCategoryFormProps) {
  const t = useT();
  const [, createCategory] = useMutation(CreateCustomerCategoryMutation);
  const [, updateCategory] = useMutation(UpdateCustomerCategoryMutation);
  // Mirrors CategoryIn (tenants/crm/schemas.py): a name of 1 to 64 characters, position 0 to 10,000.
  const schema = useMemo(
    () =>
      z.object({
        name: z.string().trim().min(1, t('validation.required')).max(64, t('validation.tooLong', { max: 64 })),
        routing: z.enum(ROUTINGS as [CategoryRouting, ...CategoryRouting[]]),
        position: z
          .string()
          .trim()
          .regex(/^\d+$/, t('validation.wholeNumber'))
          .transform(Number)
          .pipe(z.number().max(10_000, t('validation.atMost', { max: 10_000 }))),
      }),
    [t],
  );
  const { form, problem, busy, handleSubmit } = useServerForm({
    schema,
    defaultValues: { name: category?.name ?? '', routing: category?.routing ?? 'NONE', position: String(category?.position ?? 0) },
  });
  const routings = ROUTINGS.map((value) => ({ value, label: t(`admin.crm.categories.routing.${value}` as MessageId) }));
  const onSubmit = handleSubmit<unknown>(
    (input) => (category ? updateCategory({ id: category.id, input }) : createCategory({ input })),
    (_data, values) => onSaved(values.name, category === null),
  );
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <TextField form={form} name="name" label={t('field.name')} required autoComplete="off" autoFocus />
      <SelectField
        form={form}
        name="routing"
        label={t('admin.crm.categories.routing')}
        hint={t('admin.crm.categories.routingHint')}
        options={routings}
        required
      />
      <TextField form={form} name="position" label={t('admin.fieldSchema.position')} hint={t('admin.fieldSchema.positionHint')} inputMode="numeric" />
      <FormAlert problem={problem} />
      <FormActions busy={busy} onCancel={onCancel} />
    </form>
  );
}
