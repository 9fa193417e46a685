import { useMutation } from 'urql';

import { useAdminList } from '../../data/useAdminList';
import { useEditorState } from '../../data/useEditorState';
import { useServerAction } from '../../forms/useServerAction';
import { graphql } from '../../gql';
import { useT } from '../../i18n/useT';
import { Button } from '../../ui/Button';
import { DataTable, type Column } from '../../ui/DataTable';
import { Dialog } from '../../ui/Dialog';
import { FormAlert } from '../../ui/FormAlert';
import { ListToolbar } from '../../ui/ListToolbar';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';
import { QueryProblem } from '../../ui/QueryProblem';
import { SearchBox } from '../../ui/SearchBox';
import { StatusMessage } from '../../ui/StatusMessage';
import { QaScorecardForm } from './qaScorecards/QaScorecardForm';
import type { StoredScorecard } from './qaScorecards/scorecardDraft';

export const AdminQaScorecardsQuery = graphql(`
  query AdminQaScorecards($first: Int, $after: String) {
    qaScorecards(includeArchived: true, first: $first, after: $after) {
      nodes {
        id
        name
        status
        version
        description
        sections {
          title
          questions {
            id
            text
            type
            scaleMax
            allowNa
            weight
            autoFail
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const ArchiveQaScorecardMutation = graphql(`
  mutation ArchiveQaScorecard($id: ID!) {
    archiveQaScorecard(id: $id) {
      id
      status
    }
  }
`);

const RestoreQaScorecardMutation = graphql(`
  mutation RestoreQaScorecard($id: ID!) {
    restoreQaScorecard(id: $id) {
      id
      status
    }
  }
`);

/** Admins define the QA scorecards supervisors score calls with; archived ones stay listed. */
export default function QaScorecardsPage() {
  const t = useT();
  const list = useAdminList({
    query: AdminQaScorecardsQuery,
    select: (data) => data.qaScorecards,
    matches: (card, needle) => card.name.toLowerCase().includes(needle),
  });
  const editor = useEditorState<StoredScorecard>();
  const action = useServerAction();
  const [, archive] = useMutation(ArchiveQaScorecardMutation);
  const [, restore] = useMutation(RestoreQaScorecardMutation);
  const { state } = editor;

  const toggle = (card: StoredScorecard) => {
    const archived = card.status === 'ARCHIVED';
    void action.run<unknown>(
      () => (archived ? restore({ id: card.id }) : archive({ id: card.id })),
      () => {
        editor.finish(t(archived ? 'admin.qa.restored' : 'admin.qa.archived', { name: card.name }));
        list.refresh();
      },
    );
  };

  const columns: Column<StoredScorecard>[] = [
    { header: t('field.name'), cell: (card) => card.name, isRowHeader: true },
    { header: t('admin.qa.version'), cell: (card) => String(card.version) },
    { header: t('admin.qa.questions'), cell: (card) => String(card.sections.reduce((n, s) => n + s.questions.length, 0)) },
    { header: t('admin.qa.status'), cell: (card) => t(card.status === 'ACTIVE' ? 'admin.qa.status.ACTIVE' : 'admin.qa.status.ARCHIVED') },
    {
      header: t('list.actions'),
      className: 'cell-actions',
      cell: (card) => (
        <div className="row-actions">
          {card.status === 'ACTIVE' ? (
            <Button className="btn-small" onClick={() => editor.openEdit(card)}>
              {t('action.edit')}
            </Button>
          ) : null}
          <Button className="btn-small" onClick={() => toggle(card)} busy={action.busy}>
            {t(card.status === 'ACTIVE' ? 'admin.qa.archive' : 'admin.qa.restore')}
          </Button>
        </div>
      ),
    },
  ];

  return (
    <section className="page">
      <PageHeader
        title={t('admin.qa.title')}
        intro={t('admin.qa.intro')}
        actions={
          <Button variant="primary" onClick={editor.openCreate}>
            {t('admin.qa.create')}
          </Button>
        }
      />
      <StatusMessage message={editor.status} />
      <FormAlert problem={action.problem} />
      <ListToolbar shown={list.rows.length} loaded={list.loaded}>
        <SearchBox value={list.search} onChange={list.setSearch} />
      </ListToolbar>
      {list.error ? <QueryProblem error={list.error} retry={list.refresh} /> : null}
      <DataTable
        caption={t('admin.qa.title')}
        rows={list.rows}
        columns={columns}
        rowKey={(card) => card.id}
        busy={list.fetching}
        empty={list.fetching ? t('app.loading') : list.search ? t('list.noMatch') : t('admin.qa.empty')}
      />
      <Pager
        label={t('admin.qa.pages')}
        page={list.pager.page}
        hasPrevious={list.pager.hasPrevious}
        hasNext={list.pager.hasNext}
        onPrevious={list.pager.previous}
        onNext={list.pager.next}
      />
      <Dialog
        title={state.mode === 'edit' ? t('admin.qa.edit') : t('admin.qa.create')}
        isOpen={state.mode === 'create' || state.mode === 'edit'}
        onClose={editor.close}
        wide
      >
        <QaScorecardForm
          scorecard={state.mode === 'edit' ? state.row : null}
          onCancel={editor.close}
          onSaved={(name, version, created) => {
            editor.finish(t(created ? 'admin.qa.created' : 'admin.qa.saved', { name, version }));
            list.refresh();
          }}
        />
      </Dialog>
    </section>
  );
}
