import { useCallback, useId, useMemo, useState } from 'react';
import { useIntl } from 'react-intl';
import { useMutation, useQuery } from 'urql';

import { useEditorState } from '../../data/useEditorState';
import { PAGE_SIZE } from '../../data/useAdminList';
import { useServerAction } from '../../forms/useServerAction';
import { useT } from '../../i18n/useT';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { DataTable, type Column } from '../../ui/DataTable';
import { Dialog } from '../../ui/Dialog';
import { FormAlert } from '../../ui/FormAlert';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';
import { QueryProblem } from '../../ui/QueryProblem';
import { RowActions } from '../../ui/RowActions';
import { SearchBox } from '../../ui/SearchBox';
import { StatusMessage } from '../../ui/StatusMessage';
import { CustomerForm, type CustomerRow } from './customers/CustomerForm';
import { ImportWizard } from './customers/ImportWizard';
import { exportUrl } from './customers/importJobs';
import {
  AdminCustomersQuery,
  AssignCustomersMutation,
  CustomerChoicesQuery,
  DeleteCustomerMutation,
} from './customers/operations';
import { useCustomerSearch, type SortKey } from './customers/useCustomerSearch';
import './customers/customers.css';

/**
 * Customers, paged on the server: the filter (name prefix or any spelling of a phone
 * number, category, tag, owner) and the order go to `customers(...)`, 25 rows at a time, so
 * a tenant with 100,000 customers loads one page, never the set.
 */
function useCustomerPages(filter: ReturnType<typeof useCustomerSearch>) {
  // The cursors belong to one search: a new search starts again at page 1.
  const [paging, setPaging] = useState<{ key: string; cursors: readonly (string | null)[] }>({ key: filter.key, cursors: [null] });
  const cursors = paging.key === filter.key ? paging.cursors : [null];
  const after = cursors[cursors.length - 1] ?? null;
  const variables = useMemo(
    () => ({ filter: filter.filter, orderBy: filter.orderBy, first: PAGE_SIZE, after }),
    [after, filter.filter, filter.orderBy],
  );
  const [result, reexecute] = useQuery({ query: AdminCustomersQuery, variables });
  const page = result.data?.customers;
  const endCursor = page?.pageInfo.endCursor ?? null;
  return {
    rows: page?.nodes ?? [],
    fetching: result.fetching,
    error: result.error,
    refresh: useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]),
    pager: {
      page: cursors.length,
      hasPrevious: cursors.length > 1,
      hasNext: Boolean(page?.pageInfo.hasNextPage && endCursor),
      previous: () => setPaging({ key: filter.key, cursors: cursors.length > 1 ? cursors.slice(0, -1) : cursors }),
      next: () => {
        if (endCursor) setPaging({ key: filter.key, cursors: [...cursors, endCursor] });
      },
    },
  };
}

const SORTS: Record<string, [SortKey, SortKey]> = { name: ['name', '-name'], created: ['created', '-created'], updated: ['updated', '-updated'] };

export default function CustomersPage() {
  const t = useT();
  const intl = useIntl();
  const search = useCustomerSearch();
  const list = useCustomerPages(search);
  const [choices] = useQuery({ query: CustomerChoicesQuery });
  const editor = useEditorState<CustomerRow>();
  const [importing, setImporting] = useState(false);
  const [, deleteCustomer] = useMutation(DeleteCustomerMutation);
  const [selection, setSelection] = useState<{ key: string; ids: ReadonlySet<string> }>({ key: '', ids: new Set() });
  const pageKey = `${search.key}|${list.pager.page}`;
  const selected = selection.key === pageKey ? selection.ids : new Set<string>();
  const setSelected = (ids: ReadonlySet<string>) => setSelection({ key: pageKey, ids });

  const categoryId = useId();
  const tagId = useId();
  const ownerId = useId();
  const users = choices.data?.users.nodes ?? [];
  const categories = choices.data?.customerCategories ?? [];

  const sortOf = (column: string): Column<CustomerRow>['sort'] => {
    const [up, down] = SORTS[column] ?? ['name', '-name'];
    const direction = search.sort === up ? 'ascending' : search.sort === down ? 'descending' : 'none';
    return { direction, onSort: () => search.setSort(direction === 'ascending' ? down : up) };
  };

  const allSelected = list.rows.length > 0 && list.rows.every((row) => selected.has(row.id));
  const columns: Column<CustomerRow>[] = [
    {
      header: t('admin.customers.select'),
      className: 'cell-select',
      headerContent: (
        <input
          type="checkbox"
          aria-label={t('admin.customers.selectAll')}
          checked={allSelected}
          disabled={list.rows.length === 0}
          onChange={(event) => setSelected(event.target.checked ? new Set(list.rows.map((row) => row.id)) : new Set())}
        />
      ),
      cell: (row) => (
        <input
          type="checkbox"
          aria-label={t('admin.customers.selectOne', { name: row.name })}
          checked={selected.has(row.id)}
          onChange={(event) => {
            const next = new Set(selected);
            if (event.target.checked) next.add(row.id);
            else next.delete(row.id);
            setSelected(next);
          }}
        />
      ),
    },
    { header: t('field.name'), cell: (row) => row.name, isRowHeader: true, sort: sortOf('name') },
    { header: t('admin.customers.phones'), cell: (row) => row.phones.map((phone) => phone.e164).join(', ') },
    { header: t('admin.customers.category'), cell: (row) => row.category?.name ?? '' },
    { header: t('admin.customers.tags'), cell: (row) => row.tags.join(', ') },
    { header: t('admin.customers.owner'), cell: (row) => row.owner?.displayName || row.owner?.email || '' },
    {
      header: t('admin.customers.updated'),
      cell: (row) => intl.formatDate(row.updatedAt, { dateStyle: 'medium', timeStyle: 'short' }),
      sort: sortOf('updated'),
    },
    {
      header: t('field.createdAt'),
      cell: (row) => intl.formatDate(row.createdAt, { dateStyle: 'medium' }),
      sort: sortOf('created'),
    },
    {
      header: t('list.actions'),
      className: 'cell-actions',
      cell: (row) => <RowActions onEdit={() => editor.openEdit(row)} onDelete={() => editor.openDelete(row)} />,
    },
  ];

  const closeImport = () => {
    setImporting(false);
    list.refresh();
  };
  const searching = Boolean(search.filter);
  const { state } = editor;
  return (
    <section className="page customers-page">
      <PageHeader
        title={t('admin.customers.title')}
        intro={t('admin.customers.intro')}
        actions={
          <>
            <a className="btn btn-secondary" href={exportUrl(search.filter ?? {})} download="customers.csv">
              {t('admin.customers.export')}
            </a>
            <Button onClick={() => setImporting(true)}>{t('admin.customers.import.open')}</Button>
            <Button variant="primary" onClick={editor.openCreate}>
              {t('admin.customers.create')}
            </Button>
          </>
        }
      />
      <StatusMessage message={editor.status} />
      <div className="list-toolbar customer-filters">
        <SearchBox value={search.text.q} onChange={search.setQ} label={t('admin.customers.search')} />
        <div className="field">
          <label htmlFor={categoryId} className="field-label">
            {t('admin.customers.category')}
          </label>
          <select id={categoryId} className="input" value={search.category} onChange={(event) => search.setCategory(event.target.value)}>
            <option value="">{t('admin.customers.anyCategory')}</option>
            {categories.map((category) => (
              <option key={category.id} value={category.name}>
                {category.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={tagId} className="field-label">
            {t('admin.customers.tag')}
          </label>
          <input id={tagId} className="input" type="search" value={search.text.tag} onChange={(event) => search.setTag(event.target.value)} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={ownerId} className="field-label">
            {t('admin.customers.owner')}
          </label>
          <select id={ownerId} className="input" value={search.owner} onChange={(event) => search.setOwner(event.target.value)}>
            <option value="">{t('admin.customers.anyOwner')}</option>
            {users.map((user) => (
              <option key={user.id} value={user.id}>
                {user.displayName || user.email}
              </option>
            ))}
          </select>
        </div>
      </div>
      {selected.size > 0 ? (
        <BulkAssign
          ids={[...selected]}
          users={users}
          onDone={(count) => {
            setSelected(new Set());
            editor.finish(t('admin.customers.assigned', { count }));
            list.refresh();
          }}
        />
      ) : null}
      <p className="list-count" aria-live="polite">
        {t('list.count', { count: list.rows.length })}
      </p>
      {list.error ? <QueryProblem error={list.error} retry={list.refresh} /> : null}
      <DataTable
        caption={t('admin.customers.title')}
        rows={list.rows}
        columns={columns}
        rowKey={(row) => row.id}
        busy={list.fetching}
        empty={list.fetching ? t('app.loading') : searching ? t('admin.customers.noMatch') : t('admin.customers.empty')}
      />
      <Pager
        label={t('admin.customers.pages')}
        page={list.pager.page}
        hasPrevious={list.pager.hasPrevious}
        hasNext={list.pager.hasNext}
        onPrevious={list.pager.previous}
        onNext={list.pager.next}
      />

      <Dialog
        title={state.mode === 'edit' ? t('admin.customers.edit') : t('admin.customers.create')}
        isOpen={state.mode === 'create' || state.mode === 'edit'}
        onClose={editor.close}
      >
        <CustomerForm
          customer={state.mode === 'edit' ? state.row : null}
          choices={choices.data}
          onCancel={editor.close}
          onSaved={(name, created) => {
            editor.finish(t(created ? 'admin.customers.created' : 'admin.customers.saved', { name }));
            list.refresh();
          }}
        />
      </Dialog>

      {/* However the wizard closes, the list is read again: an import may have run. */}
      <Dialog title={t('admin.customers.import.title')} isOpen={importing} onClose={closeImport}>
        <ImportWizard customFields={choices.data?.customFields ?? []} onClose={closeImport} onImported={list.refresh} />
      </Dialog>

      {state.mode === 'delete' ? (
        <ConfirmDialog
          isOpen
          title={t('admin.customers.deleteTitle', { name: state.row.name })}
          confirmLabel={t('action.delete')}
          onClose={editor.close}
          send={() => deleteCustomer({ id: state.row.id })}
          onDone={() => {
            editor.finish(t('admin.customers.deleted', { name: state.row.name }));
            list.refresh();
          }}
        >
          <p>{t('admin.customers.deleteBody')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

interface BulkAssignProps {
  ids: string[];
  users: readonly { id: string; email: string; displayName: string }[];
  onDone: (count: number) => void;
}

/** "Assign the selected customers to …": one `assignCustomers` for the selected rows. */
export function BulkAssign({ ids, users, onDone }: BulkAssignProps) {
  const t = useT();
  const id = useId();
  const [owner, setOwner] = useState('');
  const action = useServerAction();
  const [, assign] = useMutation(AssignCustomersMutation);
  return (
    <div className="bulk-assign" role="group" aria-label={t('admin.customers.bulk')}>
      <p className="bulk-count">{t('admin.customers.selected', { count: ids.length })}</p>
      <div className="field">
        <label htmlFor={id} className="field-label">
          {t('admin.customers.assignTo')}
        </label>
        <select id={id} className="input" value={owner} onChange={(event) => setOwner(event.target.value)}>
          <option value="">{t('admin.customers.nobody')}</option>
          {users.map((user) => (
            <option key={user.id} value={user.id}>
              {user.displayName || user.email}
            </option>
          ))}
        </select>
      </div>
      <Button
        variant="primary"
        busy={action.busy}
        onClick={() => void action.run(() => assign({ input: { ids, ownerId: owner || null } }), (data) => onDone(data.assignCustomers.updated))}
      >
        {t('admin.customers.assign')}
      </Button>
      <FormAlert problem={action.problem} />
    </div>
  );
}
