import { useMemo } from 'react';
import { useMutation } from 'urql';
import { z } from 'zod';

import { useAdminList } from '../../data/useAdminList';
import { useEditorState } from '../../data/useEditorState';
import { useServerForm } from '../../forms/useServerForm';
import { graphql } from '../../gql';
import { useT } from '../../i18n/useT';
import { Button } from '../../ui/Button';
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

// Break reasons are a short list without paging (breakReasons returns every row), so the
// list hook runs without a pager; otherwise this page is built like SkillsPage.
const AdminBreakReasonsQuery = graphql(`
  query AdminBreakReasons {
    breakReasons {
      id
      name
    }
  }
`);

const CreateBreakReasonMutation = graphql(`
  mutation CreateBreakReason($input: BreakReasonInput!) {
    createBreakReason(input: $input) {
      id
      name
    }
  }
`);

const UpdateBreakReasonMutation = graphql(`
  mutation UpdateBreakReason($id: ID!, $input: BreakReasonInput!) {
    updateBreakReason(id: $id, input: $input) {
      id
      name
    }
  }
`);

const DeleteBreakReasonMutation = graphql(`
  mutation DeleteBreakReason($id: ID!) {
    deleteBreakReason(id: $id)
  }
`);

interface BreakReason {
  id: string;
  name: string;
}

export default function BreakReasonsPage() {
  const t = useT();
  const list = useAdminList({
    query: AdminBreakReasonsQuery,
    select: (data) => ({ nodes: data.breakReasons }),
    matches: (reason, needle) => reason.name.includes(needle),
  });
  const editor = useEditorState<BreakReason>();
  const [, deleteReason] = useMutation(DeleteBreakReasonMutation);
  const { state } = editor;

  const columns: Column<BreakReason>[] = [
    { header: t('field.name'), cell: (reason) => reason.name, isRowHeader: true },
    {
      header: t('list.actions'),
      className: 'cell-actions',
      cell: (reason) => <RowActions onEdit={() => editor.openEdit(reason)} onDelete={() => editor.openDelete(reason)} />,
    },
  ];

  return (
    <section className="page">
      <PageHeader
        title={t('breakReasons.title')}
        intro={t('breakReasons.intro')}
        actions={
          <Button variant="primary" onClick={editor.openCreate}>
            {t('breakReasons.create')}
          </Button>
        }
      />
      <StatusMessage message={editor.status} />
      <ListToolbar shown={list.rows.length} loaded={list.loaded}>
        <SearchBox value={list.search} onChange={list.setSearch} />
      </ListToolbar>
      {list.error ? <QueryProblem error={list.error} retry={list.refresh} /> : null}
      <DataTable
        caption={t('breakReasons.title')}
        rows={list.rows}
        columns={columns}
        rowKey={(reason) => reason.id}
        busy={list.fetching}
        empty={list.fetching ? t('app.loading') : list.search ? t('list.noMatch') : t('breakReasons.empty')}
      />

      <Dialog
        title={state.mode === 'edit' ? t('breakReasons.edit') : t('breakReasons.create')}
        isOpen={state.mode === 'create' || state.mode === 'edit'}
        onClose={editor.close}
      >
        <BreakReasonForm
          reason={state.mode === 'edit' ? state.row : null}
          onCancel={editor.close}
          onSaved={(name, created) => {
            editor.finish(t(created ? 'breakReasons.created' : 'breakReasons.saved', { name }));
            list.refresh();
          }}
        />
      </Dialog>

      {state.mode === 'delete' ? (
        <ConfirmDialog
          isOpen
          title={t('breakReasons.deleteTitle', { name: state.row.name })}
          confirmLabel={t('action.delete')}
          onClose={editor.close}
          send={() => deleteReason({ id: state.row.id })}
          onDone={() => {
            editor.finish(t('breakReasons.deleted', { name: state.row.name }));
            list.refresh();
          }}
        >
          <p>{t('breakReasons.deleteBody')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

interface BreakReasonFormProps {
  reason: BreakReason | null;
  onCancel: () => void;
  onSaved: (name: string, created: boolean) => void;
}

function BreakReasonForm({ reason, onCancel, onSaved }: BreakReasonFormProps) {
  const t = useT();
  const [, createReason] = useMutation(CreateBreakReasonMutation);
  const [, updateReason] = useMutation(UpdateBreakReasonMutation);
  // Mirrors routing/break_reasons/schemas.py: routing spells a reason break:<name>.
  const schema = useMemo(
    () => ({
      schema: z.object({
        name: z
          .string()
          .trim()
          .toLowerCase()
          .min(1, t('validation.required'))
          .max(40, t('validation.tooLong', { max: 40 }))
          .regex(/^[a-z0-9_-]+$/, t('breakReasons.nameRule')),
      }),
    }),
    [t],
  );
  const { form, problem, busy, handleSubmit } = useServerForm({ ...schema, defaultValues: { name: reason?.name ?? '' } });
  const onSubmit = handleSubmit<unknown>(
    (input) => (reason ? updateReason({ id: reason.id, input }) : createReason({ input })),
    (_data, values) => onSaved(values.name, reason === null),
  );
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <TextField form={form} name="name" label={t('field.name')} hint={t('breakReasons.nameRule')} required autoComplete="off" autoFocus />
      <FormAlert problem={problem} />
      <FormActions busy={busy} onCancel={onCancel} />
    </form>
  );
}
