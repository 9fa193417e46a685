import { useMemo } from 'react';
import { useIntl } from 'react-intl';
import { useMutation } from 'urql';
import { z } from 'zod';

import type { Role } from '../../auth/roles';
import { useSession } from '../../auth/session';
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
import { Pager } from '../../ui/Pager';
import { QueryProblem } from '../../ui/QueryProblem';
import { RowActions } from '../../ui/RowActions';
import { SearchBox } from '../../ui/SearchBox';
import { SelectField } from '../../ui/SelectField';
import { StatusMessage } from '../../ui/StatusMessage';
import { TextField } from '../../ui/TextField';
import { PASSWORD_MAX, PASSWORD_MIN, passwordSchema } from '../public/passwordRules';
import { grantableRoles, mayManage, roleLabel, toRoleInput, type RoleInput } from './grantableRoles';

export const AdminUsersQuery = graphql(`
  query AdminUsers($first: Int, $after: String) {
    users(first: $first, after: $after) {
      nodes {
        id
        email
        displayName
        role
        active
        createdAt
        lastLoginAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const CreateUserMutation = graphql(`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      id
      email
    }
  }
`);

const UpdateUserMutation = graphql(`
  mutation UpdateUser($input: UpdateUserInput!) {
    updateUser(input: $input) {
      id
      displayName
      role
    }
  }
`);

const DeactivateUserMutation = graphql(`
  mutation DeactivateUser($id: ID!) {
    deactivateUser(id: $id) {
      id
      active
    }
  }
`);

interface User {
  id: string;
  email: string;
  displayName: string;
  role: string;
  active: boolean;
  createdAt: string;
  lastLoginAt?: string | null;
}

export default function UsersPage() {
  const t = useT();
  const intl = useIntl();
  const { user: me } = useSession();
  const list = useAdminList({
    query: AdminUsersQuery,
    select: (data) => data.users,
    matches: (user, needle) =>
      user.email.toLowerCase().includes(needle) ||
      user.displayName.toLowerCase().includes(needle) ||
      t(roleLabel(user.role)).toLowerCase().includes(needle),
  });
  const editor = useEditorState<User>();
  const [, deactivateUser] = useMutation(DeactivateUserMutation);
  const when = (value: string) => intl.formatDate(value, { dateStyle: 'medium', timeStyle: 'short' });

  const columns: Column<User>[] = [
    { header: t('field.email'), cell: (user) => user.email, isRowHeader: true },
    { header: t('admin.users.displayName'), cell: (user) => user.displayName },
    { header: t('admin.users.roleField'), cell: (user) => t(roleLabel(user.role)) },
    {
      header: t('admin.users.status'),
      cell: (user) =>
        user.active ? t('admin.users.active') : <span className="badge badge-off">{t('admin.users.deactivated')}</span>,
    },
    {
      header: t('admin.users.lastLogin'),
      cell: (user) => (user.lastLoginAt ? when(user.lastLoginAt) : t('admin.users.never')),
    },
    {
      header: t('list.actions'),
      className: 'cell-actions',
      // An admin may not touch an owner (the server says FORBIDDEN), so the buttons are not offered.
      cell: (user) =>
        mayManage(me.role, user.role) ? (
          <RowActions
            onEdit={() => editor.openEdit(user)}
            onDelete={user.active ? () => editor.openDelete(user) : undefined}
            deleteLabel={t('admin.users.deactivate')}
          />
        ) : null,
    },
  ];

  const { state } = editor;
  return (
    <section className="page">
      <PageHeader
        title={t('admin.users.title')}
        intro={t('admin.users.intro')}
        actions={
          <Button variant="primary" onClick={editor.openCreate}>
            {t('admin.users.create')}
          </Button>
        }
      />
      <StatusMessage message={editor.status} />
      <ListToolbar shown={list.rows.length} loaded={list.loaded}>
        <SearchBox value={list.search} onChange={list.setSearch} />
      </ListToolbar>
      {list.error ? <QueryProblem error={list.error} retry={list.refresh} /> : null}
      <DataTable
        caption={t('admin.users.title')}
        rows={list.rows}
        columns={columns}
        rowKey={(user) => user.id}
        busy={list.fetching}
        empty={list.fetching ? t('app.loading') : list.search ? t('list.noMatch') : t('admin.users.empty')}
      />
      <Pager
        label={t('admin.users.pages')}
        page={list.pager.page}
        hasPrevious={list.pager.hasPrevious}
        hasNext={list.pager.hasNext}
        onPrevious={list.pager.previous}
        onNext={list.pager.next}
      />

      <Dialog title={t('admin.users.create')} isOpen={state.mode === 'create'} onClose={editor.close}>
        <CreateUserForm
          caller={me.role}
          onCancel={editor.close}
          onSaved={(email) => {
            editor.finish(t('admin.users.created', { email }));
            list.refresh();
          }}
        />
      </Dialog>

      <Dialog title={t('admin.users.edit')} isOpen={state.mode === 'edit'} onClose={editor.close}>
        {state.mode === 'edit' ? (
          <EditUserForm
            user={state.row}
            caller={me.role}
            onCancel={editor.close}
            onSaved={() => {
              editor.finish(t('admin.users.saved', { email: state.row.email }));
              list.refresh();
            }}
          />
        ) : null}
      </Dialog>

      {state.mode === 'delete' ? (
        <ConfirmDialog
          isOpen
          title={t('admin.users.deactivateTitle', { email: state.row.email })}
          confirmLabel={t('admin.users.deactivate')}
          onClose={editor.close}
          send={() => deactivateUser({ id: state.row.id })}
          onDone={() => {
            editor.finish(t('admin.users.deactivatedStatus', { email: state.row.email }));
            list.refresh();
          }}
        >
          <p>{t('admin.users.deactivateBody')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function useRoleOptions(caller: Role, current?: RoleInput) {
  const t = useT();
  return useMemo(() => {
    const roles = grantableRoles(caller);
    const shown = current && !roles.includes(current) ? [current, ...roles] : roles;
    return shown.map((role) => ({ value: role, label: t(roleLabel(role)) }));
  }, [caller, current, t]);
}

const ROLE_VALUES = ['OWNER', 'ADMIN', 'SUPERVISOR', 'AGENT'] as const;

interface CreateUserFormProps {
  caller: Role;
  onCancel: () => void;
  onSaved: (email: string) => void;
}

/** A new user: email, name, role and the first password. Exported for its component test. */
export function CreateUserForm({ caller, onCancel, onSaved }: CreateUserFormProps) {
  const t = useT();
  const [, createUser] = useMutation(CreateUserMutation);
  const roles = useRoleOptions(caller);
  // Mirrors tenants/identity/schemas.py UserCreateIn.
  const schema = useMemo(
    () =>
      z.object({
        email: z.string().trim().min(1, t('validation.required')).pipe(z.email(t('validation.email'))),
        displayName: z.string().trim().max(120, t('validation.tooLong', { max: 120 })),
        role: z.enum(ROLE_VALUES),
        password: passwordSchema(t),
      }),
    [t],
  );
  const { form, problem, busy, handleSubmit } = useServerForm({
    schema,
    defaultValues: { email: '', displayName: '', role: 'AGENT', password: '' },
  });
  const onSubmit = handleSubmit<unknown>(
    (input) => createUser({ input }),
    (_data, values) => onSaved(values.email),
  );
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <TextField form={form} name="email" label={t('field.email')} type="email" required autoComplete="off" autoFocus />
      <TextField form={form} name="displayName" label={t('admin.users.displayName')} autoComplete="off" />
      <SelectField form={form} name="role" label={t('admin.users.roleField')} options={roles} required />
      <TextField
        form={form}
        name="password"
        label={t('admin.users.initialPassword')}
        hint={t('admin.users.passwordHint', { min: PASSWORD_MIN, max: PASSWORD_MAX })}
        type="password"
        required
        autoComplete="new-password"
      />
      <FormAlert problem={problem} />
      <FormActions busy={busy} onCancel={onCancel} />
    </form>
  );
}

interface EditUserFormProps {
  user: Pick<User, 'id' | 'email' | 'displayName' | 'role'>;
  caller: Role;
  onCancel: () => void;
  onSaved: () => void;
}

/** A user's name and role. Exported for its component test. */
export function EditUserForm({ user, caller, onCancel, onSaved }: EditUserFormProps) {
  const t = useT();
  const [, updateUser] = useMutation(UpdateUserMutation);
  const currentRole = toRoleInput(user.role);
  const roles = useRoleOptions(caller, currentRole);
  const schema = useMemo(
    () =>
      z.object({
        displayName: z.string().trim().max(120, t('validation.tooLong', { max: 120 })),
        role: z.enum(ROLE_VALUES),
      }),
    [t],
  );
  const { form, problem, busy, handleSubmit } = useServerForm({
    schema,
    defaultValues: { displayName: user.displayName, role: currentRole },
  });
  const onSubmit = handleSubmit<unknown>(
    (values) => updateUser({ input: { id: user.id, ...values } }),
    () => onSaved(),
  );
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <p className="field-hint">{t('admin.users.editing', { email: user.email })}</p>
      <TextField form={form} name="displayName" label={t('admin.users.displayName')} autoComplete="off" autoFocus />
      <SelectField form={form} name="role" label={t('admin.users.roleField')} options={roles} required />
      <FormAlert problem={problem} />
      <FormActions busy={busy} onCancel={onCancel} />
    </form>
  );
}
