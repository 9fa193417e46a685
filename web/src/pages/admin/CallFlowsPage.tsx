import { useMemo, useState } from 'react';
import { useIntl } from 'react-intl';
import { useMutation } from 'urql';
import { z } from 'zod';

import { useAdminList } from '../../data/useAdminList';
import { useServerForm } from '../../forms/useServerForm';
import { graphql } from '../../gql';
import { useT } from '../../i18n/useT';
import { Button } from '../../ui/Button';
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
import { StatusMessage } from '../../ui/StatusMessage';
import { TextField } from '../../ui/TextField';
import { FlowEditor } from './callFlows/FlowEditor';

// Call flows (docs/call-flows.md): a list, a create dialog, and the node-list editor of the
// chosen flow, which saves the draft and publishes it; the server's field errors land on
// the node they name.
export const AdminCallFlowsQuery = graphql(`
  query AdminCallFlows($first: Int, $after: String) {
    callFlows(first: $first, after: $after) {
      nodes {
        id
        name
        publishedVersionId
        updatedAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const CreateCallFlowDocument = graphql(`
  mutation CreateCallFlow($input: CreateCallFlowInput!) {
    createCallFlow(input: $input) {
      id
      name
    }
  }
`);

interface CallFlowRow {
  id: string;
  name: string;
  publishedVersionId?: string | null;
  updatedAt: string;
}

export default function CallFlowsPage() {
  const t = useT();
  const intl = useIntl();
  const list = useAdminList({
    query: AdminCallFlowsQuery,
    select: (data) => data.callFlows,
    matches: (flow, needle) => flow.name.toLowerCase().includes(needle),
  });
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  const columns: Column<CallFlowRow>[] = [
    { header: t('field.name'), cell: (flow) => flow.name, isRowHeader: true },
    { header: t('callFlows.state'), cell: (flow) => (flow.publishedVersionId ? t('callFlows.isPublished') : t('callFlows.isDraft')) },
    { header: t('callFlows.updatedAt'), cell: (flow) => intl.formatDate(flow.updatedAt, { dateStyle: 'medium', timeStyle: 'short' }) },
    { header: t('list.actions'), className: 'cell-actions', cell: (flow) => <RowActions onEdit={() => setEditing(flow.id)} /> },
  ];

  return (
    <section className="page">
      <PageHeader
        title={t('callFlows.title')}
        intro={t('callFlows.intro')}
        actions={
          <Button variant="primary" onClick={() => setCreating(true)}>
            {t('callFlows.create')}
          </Button>
        }
      />
      <StatusMessage message={status} />
      <ListToolbar shown={list.rows.length} loaded={list.loaded}>
        <SearchBox value={list.search} onChange={list.setSearch} />
      </ListToolbar>
      {list.error ? <QueryProblem error={list.error} retry={list.refresh} /> : null}
      <DataTable
        caption={t('callFlows.title')}
        rows={list.rows}
        columns={columns}
        rowKey={(flow) => flow.id}
        busy={list.fetching}
        empty={list.fetching ? t('app.loading') : list.search ? t('list.noMatch') : t('callFlows.empty')}
      />
      <Pager
        label={t('callFlows.pages')}
        page={list.pager.page}
        hasPrevious={list.pager.hasPrevious}
        hasNext={list.pager.hasNext}
        onPrevious={list.pager.previous}
        onNext={list.pager.next}
      />
      {editing ? (
        <FlowEditor
          key={editing}
          flowId={editing}
          onClose={() => {
            setEditing(null);
            list.refresh();
          }}
        />
      ) : null}
      <Dialog title={t('callFlows.create')} isOpen={creating} onClose={() => setCreating(false)}>
        <CreateCallFlowForm
          onCancel={() => setCreating(false)}
          onCreated={(id, name) => {
            setCreating(false);
            setStatus(t('callFlows.created', { name }));
            setEditing(id);
            list.refresh();
          }}
        />
      </Dialog>
    </section>
  );
}

export function CreateCallFlowForm({ onCancel, onCreated }: { onCancel: () => void; onCreated: (id: string, name: string) => void }) {
  const t = useT();
  const [, createFlow] = useMutation(CreateCallFlowDocument);
  // Mirrors routing/flows/service.py:CallFlowIn.
  const schema = useMemo(
    () => ({ schema: z.object({ name: z.string().trim().min(1, t('validation.required')).max(120, t('validation.tooLong', { max: 120 })) }) }),
    [t],
  );
  const { form, problem, busy, handleSubmit } = useServerForm({ ...schema, defaultValues: { name: '' } });
  const onSubmit = handleSubmit(
    (input) => createFlow({ input }),
    (data) => onCreated(data.createCallFlow.id, data.createCallFlow.name),
  );
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <TextField form={form} name="name" label={t('field.name')} required autoComplete="off" autoFocus />
      <FormAlert problem={problem} />
      <FormActions busy={busy} onCancel={onCancel} />
    </form>
  );
}
