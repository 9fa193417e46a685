import { useMemo } from 'react';
import { useMutation, useQuery } from 'urql';
import { z } from 'zod';

import { useAdminList } from '../../data/useAdminList';
import { useEditorState } from '../../data/useEditorState';
import { useServerForm } from '../../forms/useServerForm';
import { graphql } from '../../gql';
import { useT } from '../../i18n/useT';
import { Button } from '../../ui/Button';
import { CheckboxGroupField } from '../../ui/CheckboxGroupField';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { DataTable, type Column } from '../../ui/DataTable';
import { Dialog } from '../../ui/Dialog';
import { FormActions } from '../../ui/FormActions';
import { FormAlert } from '../../ui/FormAlert';
import { ListToolbar } from '../../ui/ListToolbar';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { QueryProblem } from '../../ui/QueryProblem';
import { RowActions } from '../../ui/RowActions';
import { SearchBox } from '../../ui/SearchBox';
import { StatusMessage } from '../../ui/StatusMessage';
import { TextField } from '../../ui/TextField';

// Teams are a short list without paging (teams returns every row), like break reasons.
export const AdminTeamsQuery = graphql(`
  query AdminTeams {
    teams {
      id
      name
      members {
        id
        email
        displayName
      }
    }
  }
`);

/** Who may join a team: the tenant's active users (the API refuses a deactivated one). */
export const TeamCandidatesQuery = graphql(`
  query TeamCandidates {
    users(first: 100, active: true) {
      nodes {
        id
        email
        displayName
      }
    }
  }
`);

const CreateTeamMutation = graphql(`
  mutation CreateTeam($input: TeamInput!) {
    createTeam(input: $input) {
      id
      name
    }
  }
`);

const UpdateTeamMutation = graphql(`
  mutation UpdateTeam($id: ID!, $input: TeamInput!) {
    updateTeam(id: $id, input: $input) {
      id
      name
    }
  }
`);

const DeleteTeamMutation = graphql(`
  mutation DeleteTeam($id: ID!) {
    deleteTeam(id: $id) {
      deletedId
    }
  }
`);

interface Member {
  id: string;
  email: string;
  displayName: string;
}

interface Team {
  id: string;
  name: string;
  members: readonly Member[];
}

const memberName = (member: Member) => member.displayName || member.email;

export default function TeamsPage() {
  const t = useT();
  const list = useAdminList({
    query: AdminTeamsQuery,
    select: (data) => ({ nodes: data.teams }),
    matches: (team, needle) =>
      team.name.toLowerCase().includes(needle) || team.members.some((m) => memberName(m).toLowerCase().includes(needle)),
  });
  const editor = useEditorState<Team>();
  const [, deleteTeam] = useMutation(DeleteTeamMutation);
  const { state } = editor;

  const columns: Column<Team>[] = [
    { header: t('field.name'), cell: (team) => team.name, isRowHeader: true },
    {
      header: t('admin.teams.members'),
      cell: (team) => (team.members.length ? team.members.map(memberName).join(', ') : t('admin.teams.noMembers')),
    },
    {
      header: t('list.actions'),
      className: 'cell-actions',
      cell: (team) => <RowActions onEdit={() => editor.openEdit(team)} onDelete={() => editor.openDelete(team)} />,
    },
  ];

  return (
    <section className="page">
      <PageHeader
        title={t('admin.teams.title')}
        intro={t('admin.teams.intro')}
        actions={
          <Button variant="primary" onClick={editor.openCreate}>
            {t('admin.teams.create')}
          </Button>
        }
      />
      <StatusMessage message={editor.status} />
      <ListToolbar shown={list.rows.length} loaded={list.loaded}>
        <SearchBox value={list.search} onChange={list.setSearch} />
      </ListToolbar>
      {list.error ? <QueryProblem error={list.error} retry={list.refresh} /> : null}
      <DataTable
        caption={t('admin.teams.title')}
        rows={list.rows}
        columns={columns}
        rowKey={(team) => team.id}
        busy={list.fetching}
        empty={list.fetching ? t('app.loading') : list.search ? t('list.noMatch') : t('admin.teams.empty')}
      />

      <Dialog
        title={state.mode === 'edit' ? t('admin.teams.edit') : t('admin.teams.create')}
        isOpen={state.mode === 'create' || state.mode === 'edit'}
        onClose={editor.close}
      >
        <TeamForm
          team={state.mode === 'edit' ? state.row : null}
          onCancel={editor.close}
          onSaved={(name, created) => {
            editor.finish(t(created ? 'admin.teams.created' : 'admin.teams.saved', { name }));
            list.refresh();
          }}
        />
      </Dialog>

      {state.mode === 'delete' ? (
        <ConfirmDialog
          isOpen
          title={t('admin.teams.deleteTitle', { name: state.row.name })}
          confirmLabel={t('action.delete')}
          onClose={editor.close}
          send={() => deleteTeam({ id: state.row.id })}
          onDone={() => {
            editor.finish(t('admin.teams.deleted', { name: state.row.name }));
            list.refresh();
          }}
        >
          <p>{t('admin.teams.deleteBody')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

interface TeamFormProps {
  /** The team to edit, or null to create one. */
  team: Team | null;
  onCancel: () => void;
  onSaved: (name: string, created: boolean) => void;
}

/** A team's name and members: waits for the users it may choose from. Exported for its test. */
export function TeamForm(props: TeamFormProps) {
  const [result, reexecute] = useQuery({ query: TeamCandidatesQuery, requestPolicy: 'cache-and-network' });
  if (result.error && !result.data) {
    return <QueryProblem error={result.error} retry={() => reexecute({ requestPolicy: 'network-only' })} />;
  }
  if (!result.data) return <Loading />;
  return <TeamFields {...props} candidates={result.data.users.nodes} />;
}

function TeamFields({ team, onCancel, onSaved, candidates }: TeamFormProps & { candidates: readonly Member[] }) {
  const t = useT();
  const [, createTeam] = useMutation(CreateTeamMutation);
  const [, updateTeam] = useMutation(UpdateTeamMutation);
  // Current members stay choosable even if they are not among the active users listed.
  const options = useMemo(() => {
    const all = new Map<string, Member>();
    for (const member of [...candidates, ...(team?.members ?? [])]) all.set(member.id, member);
    return [...all.values()].map((m) => ({ value: m.id, label: m.displayName ? `${m.displayName} (${m.email})` : m.email }));
  }, [candidates, team]);
  // Mirrors tenants/tickets/schemas.py TeamIn: a name of 1 to 120 characters.
  const schema = useMemo(
    () =>
      z.object({
        name: z.string().trim().min(1, t('validation.required')).max(120, t('validation.tooLong', { max: 120 })),
        memberIds: z.array(z.string()),
      }),
    [t],
  );
  const { form, problem, busy, handleSubmit } = useServerForm({
    schema,
    defaultValues: { name: team?.name ?? '', memberIds: team?.members.map((m) => m.id) ?? [] },
  });
  const onSubmit = handleSubmit<unknown>(
    (input) => (team ? updateTeam({ id: team.id, input }) : createTeam({ input })),
    (_data, values) => onSaved(values.name, team === null),
  );
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <TextField form={form} name="name" label={t('field.name')} required autoComplete="off" autoFocus />
      <CheckboxGroupField
        form={form}
        name="memberIds"
        label={t('admin.teams.members')}
        hint={t('admin.teams.membersHint')}
        options={options}
        empty={t('admin.teams.noCandidates')}
      />
      <FormAlert problem={problem} />
      <FormActions busy={busy} onCancel={onCancel} />
    </form>
  );
}
