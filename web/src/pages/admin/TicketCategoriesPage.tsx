import { useMutation } from 'urql';

import { useAdminList } from '../../data/useAdminList';
import { useEditorState } from '../../data/useEditorState';
import { graphql } from '../../gql';
import { useT } from '../../i18n/useT';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { DataTable, type Column } from '../../ui/DataTable';
import { Dialog } from '../../ui/Dialog';
import { ListToolbar } from '../../ui/ListToolbar';
import { PageHeader } from '../../ui/PageHeader';
import { QueryProblem } from '../../ui/QueryProblem';
import { RowActions } from '../../ui/RowActions';
import { SearchBox } from '../../ui/SearchBox';
import { StatusMessage } from '../../ui/StatusMessage';
import type { StoredCategory } from './ticketCategories/categoryDraft';
import { TicketCategoryForm } from './ticketCategories/TicketCategoryForm';

// ticketCategories returns every row (a short configuration list): no pager, as BreakReasonsPage.
export const AdminTicketCategoriesQuery = graphql(`
  query AdminTicketCategories {
    ticketCategories {
      id
      name
      fields {
        key
        label
        type
        required
        default
        options
      }
      steps {
        id
        name
        position
        role
        slaSeconds
        team {
          id
          name
        }
      }
    }
  }
`);

const DeleteTicketCategoryMutation = graphql(`
  mutation DeleteTicketCategory($id: ID!) {
    deleteTicketCategory(id: $id) {
      deletedId
    }
  }
`);

export default function TicketCategoriesPage() {
  const t = useT();
  const list = useAdminList({
    query: AdminTicketCategoriesQuery,
    select: (data) => ({ nodes: data.ticketCategories }),
    matches: (category, needle) => category.name.toLowerCase().includes(needle),
  });
  const editor = useEditorState<StoredCategory>();
  const [, deleteCategory] = useMutation(DeleteTicketCategoryMutation);
  const { state } = editor;

  const columns: Column<StoredCategory>[] = [
    { header: t('field.name'), cell: (category) => category.name, isRowHeader: true },
    { header: t('admin.ticketCategories.workflow'), cell: (category) => category.steps.map((step) => step.name).join(' → ') },
    { header: t('admin.ticketCategories.fieldCount'), cell: (category) => t('admin.ticketCategories.fields', { count: category.fields.length }) },
    {
      header: t('list.actions'),
      className: 'cell-actions',
      cell: (category) => <RowActions onEdit={() => editor.openEdit(category)} onDelete={() => editor.openDelete(category)} />,
    },
  ];

  return (
    <section className="page">
      <PageHeader
        title={t('admin.ticketCategories.title')}
        intro={t('admin.ticketCategories.intro')}
        actions={
          <Button variant="primary" onClick={editor.openCreate}>
            {t('admin.ticketCategories.create')}
          </Button>
        }
      />
      <StatusMessage message={editor.status} />
      <ListToolbar shown={list.rows.length} loaded={list.loaded}>
        <SearchBox value={list.search} onChange={list.setSearch} />
      </ListToolbar>
      {list.error ? <QueryProblem error={list.error} retry={list.refresh} /> : null}
      <DataTable
        caption={t('admin.ticketCategories.title')}
        rows={list.rows}
        columns={columns}
        rowKey={(category) => category.id}
        busy={list.fetching}
        empty={list.fetching ? t('app.loading') : list.search ? t('list.noMatch') : t('admin.ticketCategories.empty')}
      />

      <Dialog
        title={state.mode === 'edit' ? t('admin.ticketCategories.edit') : t('admin.ticketCategories.create')}
        isOpen={state.mode === 'create' || state.mode === 'edit'}
        onClose={editor.close}
        wide
      >
        <TicketCategoryForm
          category={state.mode === 'edit' ? state.row : null}
          onCancel={editor.close}
          onSaved={(name, created) => {
            editor.finish(t(created ? 'admin.ticketCategories.created' : 'admin.ticketCategories.saved', { name }));
            list.refresh();
          }}
        />
      </Dialog>

      {state.mode === 'delete' ? (
        <ConfirmDialog
          isOpen
          title={t('admin.ticketCategories.deleteTitle', { name: state.row.name })}
          confirmLabel={t('action.delete')}
          onClose={editor.close}
          send={() => deleteCategory({ id: state.row.id })}
          onDone={() => {
            editor.finish(t('admin.ticketCategories.deleted', { name: state.row.name }));
            list.refresh();
          }}
        >
          <p>{t('admin.ticketCategories.deleteBody')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
