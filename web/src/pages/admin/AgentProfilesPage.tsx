import { useMemo } from 'react';
import { useMutation, useQuery } from 'urql';
import { z } from 'zod';

import { useAdminList } from '../../data/useAdminList';
import { useEditorState } from '../../data/useEditorState';
import { useServerForm } from '../../forms/useServerForm';
import { graphql } from '../../gql';
import type { CreateAgentProfileMutation, UpdateAgentProfileMutation } from '../../gql/graphql';
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
import { Pager } from '../../ui/Pager';
import { QueryProblem } from '../../ui/QueryProblem';
import { RowActions } from '../../ui/RowActions';
import { SearchBox } from '../../ui/SearchBox';
import { SelectField } from '../../ui/SelectField';
import { SkillLevelPicker } from '../../ui/SkillLevelPicker';
import { StatusMessage } from '../../ui/StatusMessage';
import { TextField } from '../../ui/TextField';

// Agent profiles: a user (agent or supervisor) routing may offer calls to, with skill
// levels and the queues they may sign in to.
export const AdminAgentProfilesQuery = graphql(`
  query AdminAgentProfiles($first: Int, $after: String) {
    agentProfiles(first: $first, after: $after) {
      nodes {
        id
        userId
        displayName
        role
        sipUser
        skills {
          skill {
            id
            name
          }
          level
        }
        queues {
          id
          name
        }
        createdAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

// What the form picks from: users who may take calls, skills, and queues.
const AgentProfileOptionsQuery = graphql(`
  query AgentProfileOptions {
    users(first: 100, active: true) {
      nodes {
        id
        email
        displayName
        role
      }
    }
    skills(first: 100) {
      nodes {
        id
        name
      }
    }
    queues(first: 100) {
      nodes {
        id
        name
      }
    }
    agentProfiles(first: 100) {
      nodes {
        id
        userId
      }
    }
  }
`);

const CreateAgentProfileMutation = graphql(`
  mutation CreateAgentProfile($input: CreateAgentProfileInput!) {
    createAgentProfile(input: $input) {
      id
      displayName
    }
  }
`);

const UpdateAgentProfileMutation = graphql(`
  mutation UpdateAgentProfile($input: UpdateAgentProfileInput!) {
    updateAgentProfile(input: $input) {
      id
      displayName
    }
  }
`);

const DeleteAgentProfileMutation = graphql(`
  mutation DeleteAgentProfile($id: ID!) {
    deleteAgentProfile(id: $id)
  }
`);

interface AgentProfile {
  id: string;
  userId: string;
  displayName: string;
  role: string;
  sipUser: string;
  skills: readonly { skill: { id: string; name: string }; level: number }[];
  queues: readonly { id: string; name: string }[];
}

const CALL_TAKERS = new Set(['agent', 'supervisor']);

export default function AgentProfilesPage() {
  const t = useT();
  const list = useAdminList({
    query: AdminAgentProfilesQuery,
    select: (data) => data.agentProfiles,
    matches: (profile, needle) =>
      profile.displayName.toLowerCase().includes(needle) ||
      profile.sipUser.includes(needle) ||
      profile.skills.some((s) => s.skill.name.toLowerCase().includes(needle)) ||
      profile.queues.some((q) => q.name.toLowerCase().includes(needle)),
  });
  const editor = useEditorState<AgentProfile>();
  const [, deleteProfile] = useMutation(DeleteAgentProfileMutation);

  const columns: Column<AgentProfile>[] = [
    { header: t('admin.agents.agent'), cell: (p) => p.displayName, isRowHeader: true },
    { header: t('admin.agents.role'), cell: (p) => p.role },
    {
      header: t('admin.agents.skills'),
      cell: (p) =>
        p.skills.length ? p.skills.map((s) => t('admin.agents.skillLevel', { skill: s.skill.name, level: s.level })).join(', ') : t('admin.agents.none'),
    },
    { header: t('admin.agents.queues'), cell: (p) => (p.queues.length ? p.queues.map((q) => q.name).join(', ') : t('admin.agents.none')) },
    { header: t('admin.agents.sipUser'), cell: (p) => p.sipUser },
    {
      header: t('list.actions'),
      className: 'cell-actions',
      cell: (p) => <RowActions onEdit={() => editor.openEdit(p)} onDelete={() => editor.openDelete(p)} />,
    },
  ];

  const { state } = editor;
  return (
    <section className="page">
      <PageHeader
        title={t('admin.agents.title')}
        intro={t('admin.agents.intro')}
        actions={
          <Button variant="primary" onClick={editor.openCreate}>
            {t('admin.agents.create')}
          </Button>
        }
      />
      <StatusMessage message={editor.status} />
      <ListToolbar shown={list.rows.length} loaded={list.loaded}>
        <SearchBox value={list.search} onChange={list.setSearch} />
      </ListToolbar>
      {list.error ? <QueryProblem error={list.error} retry={list.refresh} /> : null}
      <DataTable
        caption={t('admin.agents.title')}
        rows={list.rows}
        columns={columns}
        rowKey={(p) => p.id}
        busy={list.fetching}
        empty={list.fetching ? t('app.loading') : list.search ? t('list.noMatch') : t('admin.agents.empty')}
      />
      <Pager
        label={t('admin.agents.pages')}
        page={list.pager.page}
        hasPrevious={list.pager.hasPrevious}
        hasNext={list.pager.hasNext}
        onPrevious={list.pager.previous}
        onNext={list.pager.next}
      />

      <Dialog
        title={state.mode === 'edit' ? t('admin.agents.edit') : t('admin.agents.create')}
        isOpen={state.mode === 'create' || state.mode === 'edit'}
        onClose={editor.close}
      >
        <AgentProfileEditor
          profile={state.mode === 'edit' ? state.row : null}
          onCancel={editor.close}
          onSaved={(name, created) => {
            editor.finish(t(created ? 'admin.agents.created' : 'admin.agents.saved', { name }));
            list.refresh();
          }}
        />
      </Dialog>

      {state.mode === 'delete' ? (
        <ConfirmDialog
          isOpen
          title={t('admin.agents.deleteTitle', { name: state.row.displayName })}
          confirmLabel={t('action.delete')}
          onClose={editor.close}
          send={() => deleteProfile({ id: state.row.id })}
          onDone={() => {
            editor.finish(t('admin.agents.deleted', { name: state.row.displayName }));
            list.refresh();
          }}
        >
          <p>{t('admin.agents.deleteBody')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

interface EditorProps {
  profile: AgentProfile | null;
  onCancel: () => void;
  onSaved: (name: string, created: boolean) => void;
}

function AgentProfileEditor({ profile, onCancel, onSaved }: EditorProps) {
  const [options, reload] = useQuery({ query: AgentProfileOptionsQuery, requestPolicy: 'network-only' });
  if (options.error) return <QueryProblem error={options.error} retry={() => reload({ requestPolicy: 'network-only' })} />;
  if (!options.data) return <Loading />;
  // Users who already have a profile are left out of the picker.
  const profiled = new Set(options.data.agentProfiles.nodes.map((p) => p.userId));
  const users = options.data.users.nodes
    .filter((u) => CALL_TAKERS.has(u.role.toLowerCase()) && !profiled.has(u.id))
    .map((u) => ({ id: u.id, label: u.displayName && u.displayName !== u.email ? `${u.displayName} (${u.email})` : u.email }));
  return (
    <AgentProfileForm
      profile={profile}
      users={users}
      skills={options.data.skills.nodes}
      queues={options.data.queues.nodes}
      onCancel={onCancel}
      onSaved={onSaved}
    />
  );
}

interface AgentProfileFormProps {
  /** The profile to edit, or null to create one. */
  profile: AgentProfile | null;
  /** The users a new profile may be for. */
  users: readonly { id: string; label: string }[];
  skills: readonly { id: string; name: string }[];
  queues: readonly { id: string; name: string }[];
  onCancel: () => void;
  onSaved: (name: string, created: boolean) => void;
}

/** A user's skills with levels and the queues they may serve. Exported for its component test. */
export function AgentProfileForm({ profile, users, skills, queues, onCancel, onSaved }: AgentProfileFormProps) {
  const t = useT();
  const [, createProfile] = useMutation(CreateAgentProfileMutation);
  const [, updateProfile] = useMutation(UpdateAgentProfileMutation);
  // Mirrors routing/config/schemas.py AgentProfileIn.
  const schema = useMemo(
    () =>
      z.object({
        userId: profile ? z.string() : z.string().min(1, t('admin.agents.pickUser')),
        skills: z.array(z.object({ skillId: z.string().min(1), level: z.string().regex(/^\d+$/).transform(Number) })),
        queueIds: z.array(z.string()),
        sipUser: z
          .string()
          .trim()
          .toLowerCase()
          .refine((v) => v === '' || /^[a-z0-9][a-z0-9._-]{0,63}$/.test(v), t('admin.agents.sipUserHint')),
      }),
    [profile, t],
  );
  const { form, problem, busy, handleSubmit } = useServerForm({
    schema,
    defaultValues: {
      userId: profile?.userId ?? '',
      skills: (profile?.skills ?? []).map((s) => ({ skillId: s.skill.id, level: String(s.level) })),
      queueIds: (profile?.queues ?? []).map((q) => q.id),
      sipUser: profile?.sipUser ?? '',
    },
  });
  const onSubmit = handleSubmit<CreateAgentProfileMutation | UpdateAgentProfileMutation>(
    (values) => {
      const fields = { skills: values.skills, queueIds: values.queueIds, sipUser: values.sipUser || null };
      return profile ? updateProfile({ input: { id: profile.id, ...fields } }) : createProfile({ input: { userId: values.userId, ...fields } });
    },
    (data) => onSaved('createAgentProfile' in data ? data.createAgentProfile.displayName : data.updateAgentProfile.displayName, profile === null),
  );

  return (
    <form onSubmit={onSubmit} noValidate className="form">
      {/* No autoFocus on the user select: leaving it untouched would mark it invalid on blur,
          and the error appearing under it moves the buttons below while they are clicked. */}
      {profile ? (
        <p>
          <strong>{t('admin.agents.user')}:</strong> {profile.displayName}
        </p>
      ) : (
        <SelectField
          form={form}
          name="userId"
          label={t('admin.agents.user')}
          hint={users.length ? t('admin.agents.userHint') : t('admin.agents.noUsers')}
          required
          options={[{ value: '', label: t('admin.agents.pickUser') }, ...users.map((u) => ({ value: u.id, label: u.label }))]}
        />
      )}
      <SkillLevelPicker
        form={form}
        name="skills"
        levelKey="level"
        label={t('admin.agents.skills')}
        levelLabel={t('admin.agents.level')}
        addLabel={t('admin.agents.addSkill')}
        empty={t('admin.agents.noSkills')}
        skills={skills}
      />
      <CheckboxGroupField
        form={form}
        name="queueIds"
        label={t('admin.agents.queues')}
        hint={t('admin.agents.queuesHint')}
        options={queues.map((q) => ({ value: q.id, label: q.name }))}
        empty={t('admin.agents.noQueues')}
      />
      <TextField form={form} name="sipUser" label={t('admin.agents.sipUser')} hint={t('admin.agents.sipUserHint')} autoComplete="off" />
      <FormAlert problem={problem} />
      <FormActions busy={busy} onCancel={onCancel} />
    </form>
  );
}
