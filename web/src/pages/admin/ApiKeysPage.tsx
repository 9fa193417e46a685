import { useMemo, useState } from 'react';
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
import { OneTimeSecretDialog } from '../../ui/OneTimeSecretDialog';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';
import { QueryProblem } from '../../ui/QueryProblem';
import { RowActions } from '../../ui/RowActions';
import { SearchBox } from '../../ui/SearchBox';
import { SelectField } from '../../ui/SelectField';
import { StatusMessage } from '../../ui/StatusMessage';
import { TextField } from '../../ui/TextField';
import { grantableRoles, mayManage, roleLabel } from './grantableRoles';

export const AdminApiKeysQuery = graphql(`
  query AdminApiKeys($first: Int, $after: String) {
    apiKeys(first: $first, after: $after) {
      nodes {
        id
        name
        prefix
        role
        createdAt
        lastUsedAt
        revokedAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const CreateApiKeyMutation = graphql(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      apiKey {
        id
        name
        prefix
      }
      secret
    }
  }
`);

const RevokeApiKeyMutation = graphql(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      id
      revokedAt
    }
  }
`);

interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  role: string;
  createdAt: string;
  lastUsedAt?: string | null;
  revokedAt?: string | null;
}

export default function ApiKeysPage() {
  const t = useT();
  const intl = useIntl();
  const { user: me } = useSession();
  const list = useAdminList({
    query: AdminApiKeysQuery,
    select: (data) => data.apiKeys,
    matches: (key, needle) => key.name.toLowerCase().includes(needle) || key.prefix.toLowerCase().includes(needle),
  });
  const editor = useEditorState<ApiKey>();
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [, revokeKey] = useMutation(RevokeApiKeyMutation);
  const when = (value: string) => intl.formatDate(value, { dateStyle: 'medium', timeStyle: 'short' });

  const columns: Column<ApiKey>[] = [
    { header: t('field.name'), cell: (key) => key.name, isRowHeader: true },
    { header: t('admin.apiKeys.prefix'), cell: (key) => <code>{key.prefix}</code> },
    { header: t('admin.apiKeys.role'), cell: (key) => t(roleLabel(key.role)) },
    { header: t('field.createdAt'), cell: (key) => when(key.createdAt) },
    { header: t('admin.apiKeys.lastUsed'), cell: (key) => (key.lastUsedAt ? when(key.lastUsedAt) : t('admin.apiKeys.neverUsed')) },
    {
      header: t('admin.apiKeys.status'),
      cell: (key) =>
        key.revokedAt ? (
          <span className="badge badge-off">{t('admin.apiKeys.revokedOn', { date: when(key.revokedAt) })}</span>
        ) : (
          t('admin.apiKeys.active')
        ),
    },
    {
      header: t('list.actions'),
      className: 'cell-actions',
      // Only an owner may revoke an owner-role key (the server says FORBIDDEN otherwise).
      cell: (key) =>
        !key.revokedAt && mayManage(me.role, key.role) ? (
          <RowActions onDelete={() => editor.openDelete(key)} deleteLabel={t('admin.apiKeys.revoke')} />
        ) : null,
    },
  ];

  const { state } = editor;
  return (
    <section className="page">
      <PageHeader
        title={t('admin.apiKeys.title')}
        intro={t('admin.apiKeys.intro')}
        actions={
          <Button variant="primary" onClick={editor.openCreate}>
            {t('admin.apiKeys.create')}
          </Button>
        }
      />
      <StatusMessage message={editor.status} />
      <ListToolbar shown={list.rows.length} loaded={list.loaded}>
        <SearchBox value={list.search} onChange={list.setSearch} />
      </ListToolbar>
      {list.error ? <QueryProblem error={list.error} retry={list.refresh} /> : null}
      <DataTable
        caption={t('admin.apiKeys.title')}
        rows={list.rows}
        columns={columns}
        rowKey={(key) => key.id}
        busy={list.fetching}
        empty={list.fetching ? t('app.loading') : list.search ? t('list.noMatch') : t('admin.apiKeys.empty')}
      />
      <Pager
        label={t('admin.apiKeys.pages')}
        page={list.pager.page}
        hasPrevious={list.pager.hasPrevious}
        hasNext={list.pager.hasNext}
        onPrevious={list.pager.previous}
        onNext={list.pager.next}
      />

      <Dialog title={t('admin.apiKeys.create')} isOpen={state.mode === 'create'} onClose={editor.close}>
        <CreateApiKeyForm
          caller={me.role}
          onCancel={editor.close}
          onCreated={(name, secret) => {
            editor.finish(t('admin.apiKeys.created', { name }));
            setCreated({ name, secret });
            list.refresh();
          }}
        />
      </Dialog>

      <OneTimeSecretDialog
        title={t('admin.apiKeys.secretTitle', { name: created?.name ?? '' })}
        secret={created?.secret ?? null}
        label={t('admin.apiKeys.secret')}
        warning={<p>{t('admin.apiKeys.secretWarning')}</p>}
        copyLabel={t('admin.apiKeys.copy')}
        copiedText={t('admin.apiKeys.copied')}
        copyFailedText={t('admin.apiKeys.copyFailed')}
        doneLabel={t('admin.apiKeys.done')}
        onClose={() => setCreated(null)}
      />

      {state.mode === 'delete' ? (
        <ConfirmDialog
          isOpen
          title={t('admin.apiKeys.revokeTitle', { name: state.row.name })}
          confirmLabel={t('admin.apiKeys.revoke')}
          onClose={editor.close}
          send={() => revokeKey({ id: state.row.id })}
          onDone={() => {
            editor.finish(t('admin.apiKeys.revoked', { name: state.row.name }));
            list.refresh();
          }}
        >
          <p>{t('admin.apiKeys.revokeBody')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

interface CreateApiKeyFormProps {
  caller: Role;
  onCancel: () => void;
  onCreated: (name: string, secret: string) => void;
}

/** A new key's name and role. Exported for its component test. */
export function CreateApiKeyForm({ caller, onCancel, onCreated }: CreateApiKeyFormProps) {
  const t = useT();
  const [, createKey] = useMutation(CreateApiKeyMutation);
  const roles = useMemo(() => grantableRoles(caller).map((role) => ({ value: role, label: t(roleLabel(role)) })), [caller, t]);
  // Mirrors tenants/identity/schemas.py ApiKeyCreateIn: a name of 1 to 120 characters.
  const schema = useMemo(
    () =>
      z.object({
        name: z.string().trim().min(1, t('validation.required')).max(120, t('validation.tooLong', { max: 120 })),
        role: z.enum(['OWNER', 'ADMIN', 'SUPERVISOR', 'AGENT']),
      }),
    [t],
  );
  const { form, problem, busy, handleSubmit } = useServerForm({ schema, defaultValues: { name: '', role: 'ADMIN' } });
  const onSubmit = handleSubmit(
    (input) => createKey({ input }),
    (data) => onCreated(data.createApiKey.apiKey.name, data.createApiKey.secret),
  );
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <TextField form={form} name="name" label={t('field.name')} hint={t('admin.apiKeys.nameHint')} required autoComplete="off" autoFocus />
      <SelectField form={form} name="role" label={t('admin.apiKeys.role')} hint={t('admin.apiKeys.roleHint')} options={roles} required />
      <FormAlert problem={problem} />
      <FormActions busy={busy} onCancel={onCancel} submitLabel={t('admin.apiKeys.createSubmit')} />
    </form>
  );
}
