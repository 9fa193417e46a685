import { useMemo } from 'react';
import { useMutation } from 'urql';
import { z } from 'zod';

import { useAdminList } from '../../data/useAdminList';
import { useEditorState } from '../../data/useEditorState';
import { useServerForm } from '../../forms/useServerForm';
import { graphql } from '../../gql';
import { useT } from '../../i18n/useT';
import { Button } from '../../ui/Button';
import { CheckboxField } from '../../ui/CheckboxField';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { DataTable, type Column } from '../../ui/DataTable';
import { Dialog } from '../../ui/Dialog';
import { FormActions } from '../../ui/FormActions';
import { FormAlert } from '../../ui/FormAlert';
import { ListToolbar } from '../../ui/ListToolbar';
import { PageHeader } from '../../ui/PageHeader';
import { QueryProblem } from '../../ui/QueryProblem';
import { RowActions } from '../../ui/RowActions';
import { SearchBox } from '../../ui/SearchBox';
import { StatusMessage } from '../../ui/StatusMessage';
import { TextField } from '../../ui/TextField';

// Disposition codes are a short list without paging (dispositions returns every row), built
// like BreakReasonsPage. A code calls already carry cannot be deleted: it is archived
// (Active unticked), so the facts and reports keep meaning what they said.
const AdminDispositionsQuery = graphql(`
  query AdminDispositions {
    dispositions(includeArchived: true) {
      id
      code
      label
      active
      requiresNote
      used
    }
  }
`);

const CreateDispositionMutation = graphql(`
  mutation CreateDisposition($input: DispositionInput!) {
    createDisposition(input: $input) {
      id
      code
    }
  }
`);

const UpdateDispositionMutation = graphql(`
  mutation UpdateDisposition($id: ID!, $input: DispositionInput!) {
    updateDisposition(id: $id, input: $input) {
      id
      code
    }
  }
`);

const DeleteDispositionMutation = graphql(`
  mutation DeleteDisposition($id: ID!) {
    deleteDisposition(id: $id)
  }
`);

export interface DispositionRow {
  id: string;
  code: string;
  label: string;
  active: boolean;
  requiresNote: boolean;
  used: boolean;
}

export default function DispositionsPage() {
  const t = useT();
  const list = useAdminList({
    query: AdminDispositionsQuery,
    select: (data) => ({ nodes: data.dispositions }),
    matches: (row, needle) => row.code.includes(needle) || row.label.toLowerCase().includes(needle),
  });
  const editor = useEditorState<DispositionRow>();
  const [, deleteDisposition] = useMutation(DeleteDispositionMutation);
  const { state } = editor;

  const columns: Column<DispositionRow>[] = [
    { header: t('dispositions.code'), cell: (row) => row.code, isRowHeader: true },
    { header: t('dispositions.label'), cell: (row) => row.label },
    { header: t('dispositions.requiresNote'), cell: (row) => (row.requiresNote ? t('dispositions.yes') : t('dispositions.no')) },
    { header: t('dispositions.status'), cell: (row) => (row.active ? t('dispositions.active') : t('dispositions.archived')) },
    {
      header: t('list.actions'),
      className: 'cell-actions',
      cell: (row) => <RowActions onEdit={() => editor.openEdit(row)} onDelete={row.used ? undefined : () => editor.openDelete(row)} />,
    },
  ];

  return (
    <section className="page">
      <PageHeader
        title={t('dispositions.title')}
        intro={t('dispositions.intro')}
        actions={
          <Button variant="primary" onClick={editor.openCreate}>
            {t('dispositions.create')}
          </Button>
        }
      />
      <StatusMessage message={editor.status} />
      <ListToolbar shown={list.rows.length} loaded={list.loaded}>
        <SearchBox value={list.search} onChange={list.setSearch} />
      </ListToolbar>
      {list.error ? <QueryProblem error={list.error} retry={list.refresh} /> : null}
      <DataTable
        caption={t('dispositions.title')}
        rows={list.rows}
        columns={columns}
        rowKey={(row) => row.id}
        busy={list.fetching}
        empty={list.fetching ? t('app.loading') : list.search ? t('list.noMatch') : t('dispositions.empty')}
      />

      <Dialog
        title={state.mode === 'edit' ? t('dispositions.edit') : t('dispositions.create')}
        isOpen={state.mode === 'create' || state.mode === 'edit'}
        onClose={editor.close}
      >
        <DispositionForm
          disposition={state.mode === 'edit' ? state.row : null}
          onCancel={editor.close}
          onSaved={(code, created) => {
            editor.finish(t(created ? 'dispositions.created' : 'dispositions.saved', { code }));
            list.refresh();
          }}
        />
      </Dialog>

      {state.mode === 'delete' ? (
        <ConfirmDialog
          isOpen
          title={t('dispositions.deleteTitle', { code: state.row.code })}
          confirmLabel={t('action.delete')}
          onClose={editor.close}
          send={() => deleteDisposition({ id: state.row.id })}
          onDone={() => {
            editor.finish(t('dispositions.deleted', { code: state.row.code }));
            list.refresh();
          }}
        >
          <p>{t('dispositions.deleteBody')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

interface DispositionFormProps {
  disposition: DispositionRow | null;
  onCancel: () => void;
  onSaved: (code: string, created: boolean) => void;
}

export function DispositionForm({ disposition, onCancel, onSaved }: DispositionFormProps) {
  const t = useT();
  const [, createDisposition] = useMutation(CreateDispositionMutation);
  const [, updateDisposition] = useMutation(UpdateDispositionMutation);
  // Mirrors routing/dispositions/schemas.py.
  const schema = useMemo(
    () => ({
      schema: z.object({
        code: z
          .string()
          .trim()
          .toLowerCase()
          .min(1, t('validation.required'))
          .max(40, t('validation.tooLong', { max: 40 }))
          .regex(/^[a-z0-9_-]+$/, t('dispositions.codeRule')),
        label: z.string().trim().min(1, t('validation.required')).max(120, t('validation.tooLong', { max: 120 })),
        active: z.boolean(),
        requiresNote: z.boolean(),
      }),
    }),
    [t],
  );
  const { form, problem, busy, handleSubmit } = useServerForm({
    ...schema,
    defaultValues: {
      code: disposition?.code ?? '',
      label: disposition?.label ?? '',
      active: disposition?.active ?? true,
      requiresNote: disposition?.requiresNote ?? false,
    },
  });
  const onSubmit = handleSubmit<unknown>(
    (input) => (disposition ? updateDisposition({ id: disposition.id, input }) : createDisposition({ input })),
    (_data, values) => onSaved(values.code, disposition === null),
  );
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <TextField
        form={form}
        name="code"
        label={t('dispositions.code')}
        hint={disposition?.used ? t('dispositions.codeUsed') : t('dispositions.codeRule')}
        required
        autoComplete="off"
        autoFocus
        readOnly={disposition?.used}
      />
      <TextField form={form} name="label" label={t('dispositions.label')} required autoComplete="off" />
      <CheckboxField form={form} name="requiresNote" label={t('dispositions.requiresNote')} hint={t('dispositions.requiresNoteHint')} />
      <CheckboxField form={form} name="active" label={t('dispositions.active')} hint={t('dispositions.activeHint')} />
      <FormAlert problem={problem} />
      <FormActions busy={busy} onCancel={onCancel} />
    </form>
  );
}
