import { useMemo } from 'react';
import { useIntl } from 'react-intl';
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
import { Pager } from '../../ui/Pager';
import { QueryProblem } from '../../ui/QueryProblem';
import { RowActions } from '../../ui/RowActions';
import { SearchBox } from '../../ui/SearchBox';
import { StatusMessage } from '../../ui/StatusMessage';
import { TextField } from '../../ui/TextField';

// The exemplar admin page (web/README.md, "Building an admin page"): one list query with
// paging, one create, one update and one delete mutation, each typed from schema.graphql.
export const AdminSkillsQuery = graphql(`
  query AdminSkills($first: Int, $after: String) {
    skills(first: $first, after: $after) {
      nodes {
        id
        name
        createdAt
        updatedAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const CreateSkillMutation = graphql(`
  mutation CreateSkill($input: CreateSkillInput!) {
    createSkill(input: $input) {
      id
      name
    }
  }
`);

const UpdateSkillMutation = graphql(`
  mutation UpdateSkill($input: UpdateSkillInput!) {
    updateSkill(input: $input) {
      id
      name
    }
  }
`);

const DeleteSkillMutation = graphql(`
  mutation DeleteSkill($id: ID!) {
    deleteSkill(id: $id)
  }
`);

interface Skill {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}

export default function SkillsPage() {
  const t = useT();
  const intl = useIntl();
  const list = useAdminList({
    query: AdminSkillsQuery,
    select: (data) => data.skills,
    matches: (skill, needle) => skill.name.toLowerCase().includes(needle),
  });
  const editor = useEditorState<Skill>();
  const [, deleteSkill] = useMutation(DeleteSkillMutation);

  const columns: Column<Skill>[] = [
    { header: t('field.name'), cell: (skill) => skill.name, isRowHeader: true },
    {
      header: t('field.createdAt'),
      cell: (skill) => intl.formatDate(skill.createdAt, { dateStyle: 'medium', timeStyle: 'short' }),
    },
    {
      header: t('list.actions'),
      className: 'cell-actions',
      cell: (skill) => <RowActions onEdit={() => editor.openEdit(skill)} onDelete={() => editor.openDelete(skill)} />,
    },
  ];

  const { state } = editor;
  return (
    <section className="page">
      <PageHeader
        title={t('skills.title')}
        intro={t('skills.intro')}
        actions={
          <Button variant="primary" onClick={editor.openCreate}>
            {t('skills.create')}
          </Button>
        }
      />
      <StatusMessage message={editor.status} />
      <ListToolbar shown={list.rows.length} loaded={list.loaded}>
        <SearchBox value={list.search} onChange={list.setSearch} />
      </ListToolbar>
      {list.error ? <QueryProblem error={list.error} retry={list.refresh} /> : null}
      <DataTable
        caption={t('skills.title')}
        rows={list.rows}
        columns={columns}
        rowKey={(skill) => skill.id}
        busy={list.fetching}
        empty={list.fetching ? t('app.loading') : list.search ? t('list.noMatch') : t('skills.empty')}
      />
      <Pager
        label={t('skills.pages')}
        page={list.pager.page}
        hasPrevious={list.pager.hasPrevious}
        hasNext={list.pager.hasNext}
        onPrevious={list.pager.previous}
        onNext={list.pager.next}
      />

      <Dialog
        title={state.mode === 'edit' ? t('skills.edit') : t('skills.create')}
        isOpen={state.mode === 'create' || state.mode === 'edit'}
        onClose={editor.close}
      >
        <SkillForm
          skill={state.mode === 'edit' ? state.row : null}
          onCancel={editor.close}
          onSaved={(name, created) => {
            editor.finish(t(created ? 'skills.created' : 'skills.saved', { name }));
            list.refresh();
          }}
        />
      </Dialog>

      {state.mode === 'delete' ? (
        <ConfirmDialog
          isOpen
          title={t('skills.deleteTitle', { name: state.row.name })}
          confirmLabel={t('action.delete')}
          onClose={editor.close}
          send={() => deleteSkill({ id: state.row.id })}
          onDone={() => {
            editor.finish(t('skills.deleted', { name: state.row.name }));
            list.refresh();
          }}
        >
          <p>{t('skills.deleteBody')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

interface SkillFormProps {
  /** The skill to edit, or null to create one. */
  skill: Pick<Skill, 'id' | 'name'> | null;
  onCancel: () => void;
  onSaved: (name: string, created: boolean) => void;
}

/** Create or rename a skill. Exported for its component test. */
export function SkillForm({ skill, onCancel, onSaved }: SkillFormProps) {
  const t = useT();
  const [, createSkill] = useMutation(CreateSkillMutation);
  const [, updateSkill] = useMutation(UpdateSkillMutation);
  // Mirrors routing/config/schemas.py SkillIn: 1 to 80 characters.
  const schema = useMemo(
    () => z.object({ name: z.string().trim().min(1, t('validation.required')).max(80, t('validation.tooLong', { max: 80 })) }),
    [t],
  );
  const { form, problem, busy, handleSubmit } = useServerForm({ schema, defaultValues: { name: skill?.name ?? '' } });

  const onSubmit = handleSubmit<unknown>(
    (values) => (skill ? updateSkill({ input: { id: skill.id, ...values } }) : createSkill({ input: values })),
    (_data, values) => onSaved(values.name, skill === null),
  );

  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <TextField form={form} name="name" label={t('field.name')} required autoComplete="off" autoFocus />
      <FormAlert problem={problem} />
      <FormActions busy={busy} onCancel={onCancel} />
    </form>
  );
}
