import { useMemo } from 'react';
import { useIntl } from 'react-intl';
import { useMutation, useQuery } from 'urql';
import { z } from 'zod';

import { useAdminList } from '../../data/useAdminList';
import { useEditorState } from '../../data/useEditorState';
import { useServerForm } from '../../forms/useServerForm';
import { graphql } from '../../gql';
import type { CreatePhoneNumberMutation, UpdatePhoneNumberMutation } from '../../gql/graphql';
import { useT } from '../../i18n/useT';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { DataTable, type Column } from '../../ui/DataTable';
import { Dialog } from '../../ui/Dialog';
import { FormActions } from '../../ui/FormActions';
import { FormAlert } from '../../ui/FormAlert';
import { ListToolbar } from '../../ui/ListToolbar';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';
import { QueryProblem } from '../../ui/QueryProblem';
import { RowActions } from '../../ui/RowActions';
import { SearchBox } from '../../ui/SearchBox';
import { SelectField } from '../../ui/SelectField';
import { StatusMessage } from '../../ui/StatusMessage';
import { TextField } from '../../ui/TextField';

// Phone numbers (DIDs): the server reads what the admin typed (E.164, or national in the
// tenant's default region) and refuses an invalid number with BAD_USER_INPUT on `number`.
export const AdminPhoneNumbersQuery = graphql(`
  query AdminPhoneNumbers($first: Int, $after: String) {
    phoneNumbers(first: $first, after: $after) {
      nodes {
        id
        number
        raw
        queueId
        description
        createdAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

// The queues a number may ring (also names the queue of each listed number).
const PhoneNumberQueuesQuery = graphql(`
  query PhoneNumberQueues {
    queues(first: 100) {
      nodes {
        id
        name
      }
    }
  }
`);

const CreatePhoneNumberMutation = graphql(`
  mutation CreatePhoneNumber($input: CreatePhoneNumberInput!) {
    createPhoneNumber(input: $input) {
      id
      number
    }
  }
`);

const UpdatePhoneNumberMutation = graphql(`
  mutation UpdatePhoneNumber($input: UpdatePhoneNumberInput!) {
    updatePhoneNumber(input: $input) {
      id
      number
    }
  }
`);

const DeletePhoneNumberMutation = graphql(`
  mutation DeletePhoneNumber($id: ID!) {
    deletePhoneNumber(id: $id)
  }
`);

interface PhoneNumber {
  id: string;
  number: string;
  raw: string;
  queueId: string;
  description: string;
  createdAt: string;
}

type QueueOption = { id: string; name: string };

export default function PhoneNumbersPage() {
  const t = useT();
  const intl = useIntl();
  const [queuesResult, reloadQueues] = useQuery({ query: PhoneNumberQueuesQuery, requestPolicy: 'cache-and-network' });
  const queues: readonly QueueOption[] = queuesResult.data?.queues.nodes ?? [];
  const queueName = (id: string) => queues.find((q) => q.id === id)?.name ?? t('admin.phoneNumbers.unknownQueue');
  const list = useAdminList({
    query: AdminPhoneNumbersQuery,
    select: (data) => data.phoneNumbers,
    matches: (number, needle) =>
      number.number.includes(needle.replace(/[\s().-]/g, '')) ||
      number.raw.toLowerCase().includes(needle) ||
      number.description.toLowerCase().includes(needle) ||
      queueName(number.queueId).toLowerCase().includes(needle),
  });
  const editor = useEditorState<PhoneNumber>();
  const [, deleteNumber] = useMutation(DeletePhoneNumberMutation);

  const columns: Column<PhoneNumber>[] = [
    { header: t('admin.phoneNumbers.number'), cell: (n) => n.number, isRowHeader: true },
    { header: t('admin.phoneNumbers.queue'), cell: (n) => (queuesResult.data ? queueName(n.queueId) : '') },
    { header: t('admin.phoneNumbers.description'), cell: (n) => n.description },
    { header: t('admin.phoneNumbers.raw'), cell: (n) => n.raw },
    { header: t('field.createdAt'), cell: (n) => intl.formatDate(n.createdAt, { dateStyle: 'medium', timeStyle: 'short' }) },
    {
      header: t('list.actions'),
      className: 'cell-actions',
      cell: (n) => (
        <RowActions onEdit={() => editor.openEdit(n)} onDelete={() => editor.openDelete(n)} deleteLabel={t('admin.phoneNumbers.release')} />
      ),
    },
  ];

  const { state } = editor;
  const error = list.error ?? queuesResult.error;
  return (
    <section className="page">
      <PageHeader
        title={t('admin.phoneNumbers.title')}
        intro={t('admin.phoneNumbers.intro')}
        actions={
          <Button variant="primary" onClick={editor.openCreate}>
            {t('admin.phoneNumbers.create')}
          </Button>
        }
      />
      <StatusMessage message={editor.status} />
      <ListToolbar shown={list.rows.length} loaded={list.loaded}>
        <SearchBox value={list.search} onChange={list.setSearch} />
      </ListToolbar>
      {error ? (
        <QueryProblem
          error={error}
          retry={() => {
            list.refresh();
            reloadQueues({ requestPolicy: 'network-only' });
          }}
        />
      ) : null}
      <DataTable
        caption={t('admin.phoneNumbers.title')}
        rows={list.rows}
        columns={columns}
        rowKey={(n) => n.id}
        busy={list.fetching}
        empty={list.fetching ? t('app.loading') : list.search ? t('list.noMatch') : t('admin.phoneNumbers.empty')}
      />
      <Pager
        label={t('admin.phoneNumbers.pages')}
        page={list.pager.page}
        hasPrevious={list.pager.hasPrevious}
        hasNext={list.pager.hasNext}
        onPrevious={list.pager.previous}
        onNext={list.pager.next}
      />

      <Dialog
        title={state.mode === 'edit' ? t('admin.phoneNumbers.edit') : t('admin.phoneNumbers.create')}
        isOpen={state.mode === 'create' || state.mode === 'edit'}
        onClose={editor.close}
      >
        {queuesResult.data ? (
          <PhoneNumberForm
            phoneNumber={state.mode === 'edit' ? state.row : null}
            queues={queues}
            onCancel={editor.close}
            onSaved={(number, created) => {
              editor.finish(t(created ? 'admin.phoneNumbers.created' : 'admin.phoneNumbers.saved', { number }));
              list.refresh();
            }}
          />
        ) : (
          <Loading />
        )}
      </Dialog>

      {state.mode === 'delete' ? (
        <ConfirmDialog
          isOpen
          title={t('admin.phoneNumbers.deleteTitle', { number: state.row.number })}
          confirmLabel={t('admin.phoneNumbers.release')}
          onClose={editor.close}
          send={() => deleteNumber({ id: state.row.id })}
          onDone={() => {
            editor.finish(t('admin.phoneNumbers.deleted', { number: state.row.number }));
            list.refresh();
          }}
        >
          <p>{t('admin.phoneNumbers.deleteBody')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

interface PhoneNumberFormProps {
  /** The number to edit, or null to add one. */
  phoneNumber: PhoneNumber | null;
  queues: readonly QueueOption[];
  onCancel: () => void;
  onSaved: (number: string, created: boolean) => void;
}

/** Add or change a DID and the queue it rings. Exported for its component test. */
export function PhoneNumberForm({ phoneNumber, queues, onCancel, onSaved }: PhoneNumberFormProps) {
  const t = useT();
  const [, createNumber] = useMutation(CreatePhoneNumberMutation);
  const [, updateNumber] = useMutation(UpdatePhoneNumberMutation);
  // Mirrors routing/config/schemas.py PhoneNumberIn; whether the digits are a valid number
  // is the server's call (it knows the tenant's default region).
  const schema = useMemo(
    () =>
      z.object({
        number: z.string().trim().min(1, t('validation.required')).max(64, t('validation.tooLong', { max: 64 })),
        queueId: z.string().min(1, t('admin.phoneNumbers.pickQueue')),
        description: z.string().trim().max(200, t('validation.tooLong', { max: 200 })),
      }),
    [t],
  );
  const { form, problem, busy, handleSubmit } = useServerForm({
    schema,
    defaultValues: {
      number: phoneNumber?.raw ?? '',
      queueId: phoneNumber?.queueId ?? (queues.length === 1 ? (queues[0]?.id ?? '') : ''),
      description: phoneNumber?.description ?? '',
    },
  });
  const onSubmit = handleSubmit<CreatePhoneNumberMutation | UpdatePhoneNumberMutation>(
    (values) => (phoneNumber ? updateNumber({ input: { id: phoneNumber.id, ...values } }) : createNumber({ input: values })),
    (data) => {
      const saved = 'createPhoneNumber' in data ? data.createPhoneNumber : data.updatePhoneNumber;
      onSaved(saved.number, phoneNumber === null);
    },
  );
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <TextField
        form={form}
        name="number"
        label={t('admin.phoneNumbers.number')}
        hint={t('admin.phoneNumbers.numberHint')}
        type="tel"
        required
        autoComplete="off"
        autoFocus
      />
      <SelectField
        form={form}
        name="queueId"
        label={t('admin.phoneNumbers.queue')}
        hint={queues.length === 0 ? t('admin.phoneNumbers.noQueues') : undefined}
        required
        options={[{ value: '', label: t('admin.phoneNumbers.pickQueue') }, ...queues.map((q) => ({ value: q.id, label: q.name }))]}
      />
      <TextField form={form} name="description" label={t('admin.phoneNumbers.description')} hint={t('admin.phoneNumbers.descriptionHint')} autoComplete="off" />
      <FormAlert problem={problem} />
      <FormActions busy={busy} onCancel={onCancel} />
    </form>
  );
}
