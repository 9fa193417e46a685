import { useState } from 'react';
import type { CombinedError, OperationResult } from '@urql/core';
import { useMutation, useQuery } from 'urql';

import { classifyError } from '../../../api/errors';
import { useServerAction } from '../../../forms/useServerAction';
import { graphql } from '../../../gql';
import type { PublishCallFlowMutation, UpdateCallFlowDraftMutation } from '../../../gql/graphql';
import { useT } from '../../../i18n/useT';
import { Button } from '../../../ui/Button';
import { FormAlert } from '../../../ui/FormAlert';
import { FormField } from '../../../ui/FormField';
import { QueryProblem } from '../../../ui/QueryProblem';
import { StatusMessage } from '../../../ui/StatusMessage';
import { fromRows, nodeOfField, rowKey, toRows, type DraftRows, type NodeRow } from './draft';
import { NodeRowEditor } from './NodeRowEditor';

export const CallFlowDraftQuery = graphql(`
  query CallFlowDraft($id: ID!) {
    callFlow(id: $id) {
      id
      name
      draft
      publishedVersionId
      versions(first: 100) {
        nodes {
          id
          number
        }
      }
    }
  }
`);

const UpdateDraftDocument = graphql(`
  mutation UpdateCallFlowDraft($input: UpdateCallFlowDraftInput!) {
    updateCallFlowDraft(input: $input) {
      id
      draft
    }
  }
`);

const PublishDocument = graphql(`
  mutation PublishCallFlow($id: ID!) {
    publishCallFlow(id: $id) {
      id
      number
    }
  }
`);

type Saved = UpdateCallFlowDraftMutation | PublishCallFlowMutation;

interface FieldErrors {
  start?: string;
  settings?: string;
  byNode: Record<string, string>;
}

/** Loads one flow and edits its draft as a list of nodes; Save and Publish. */
export function FlowEditor({ flowId, onClose }: { flowId: string; onClose: () => void }) {
  const t = useT();
  const [result, reload] = useQuery({ query: CallFlowDraftQuery, variables: { id: flowId } });
  const flow = result.data?.callFlow;
  if (result.error) return <QueryProblem error={result.error} retry={() => reload({ requestPolicy: 'network-only' })} />;
  if (!flow) return <p>{t('app.loading')}</p>;
  const latest = flow.versions.nodes.at(-1)?.number ?? null;
  return <DraftForm key={flow.id} flowId={flow.id} name={flow.name} initial={toRows(flow.draft)} latest={latest} onClose={onClose} />;
}

interface DraftFormProps {
  flowId: string;
  name: string;
  initial: DraftRows;
  latest: number | null;
  onClose: () => void;
}

function DraftForm({ flowId, name, initial, latest, onClose }: DraftFormProps) {
  const t = useT();
  const [rows, setRows] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({ byNode: {} });
  const [status, setStatus] = useState<string | null>(null);
  const [version, setVersion] = useState(latest);
  const [, updateDraft] = useMutation(UpdateDraftDocument);
  const [, publish] = useMutation(PublishDocument);
  const action = useServerAction();

  const setNode = (index: number, row: NodeRow) => setRows({ ...rows, nodes: rows.nodes.map((n, i) => (i === index ? row : n)) });
  const removeNode = (index: number) => setRows({ ...rows, nodes: rows.nodes.filter((_, i) => i !== index) });
  const addNode = () => setRows({ ...rows, nodes: [...rows.nodes, { key: rowKey(), id: '', type: 'hangup', fields: '{}' }] });

  /** Puts a BAD_USER_INPUT that names a node, the start or the settings on that field. */
  function placed(error: CombinedError | undefined): boolean {
    if (!error) return false;
    const problem = classifyError(error);
    const field = problem.kind === 'badInput' ? problem.field : null;
    const node = nodeOfField(field);
    if (node !== null) setErrors({ byNode: { [node]: problem.message } });
    else if (field === 'start') setErrors({ start: problem.message, byNode: {} });
    else if (field?.startsWith('hours') || field?.startsWith('holidays')) setErrors({ settings: problem.message, byNode: {} });
    else return false;
    return true;
  }

  async function save(then: 'save' | 'publish') {
    setStatus(null);
    const built = fromRows(rows);
    if ('problem' in built) {
      const where = built.problem;
      const node = where.at === 'node' ? (rows.nodes[where.index]?.id ?? '') : '';
      setErrors(where.at === 'settings' ? { settings: t('callFlows.badJson'), byNode: {} } : { byNode: { [node]: t('callFlows.badJson') } });
      return;
    }
    setErrors({ byNode: {} });
    const send = async (): Promise<OperationResult<Saved>> => {
      const saved: OperationResult<Saved> = await updateDraft({ input: { id: flowId, draft: built.draft } });
      const result: OperationResult<Saved> = saved.error || then === 'save' ? saved : await publish({ id: flowId });
      // A field error is shown on its field, so the action has nothing more to say.
      return placed(result.error) ? { ...result, error: undefined, data: undefined } : result;
    };
    await action.run(send, (data) => {
      if ('publishCallFlow' in data) {
        setVersion(data.publishCallFlow.number);
        setStatus(t('callFlows.published', { name, version: data.publishCallFlow.number }));
      } else setStatus(t('callFlows.saved', { name }));
    });
  }

  return (
    <section className="form" aria-label={t('callFlows.editing', { name })}>
      <h2>{t('callFlows.editing', { name })}</h2>
      <p>{version === null ? t('callFlows.neverPublished') : t('callFlows.liveVersion', { version })}</p>
      <StatusMessage message={status} />
      <FormField label={t('callFlows.start')} error={errors.start} required>
        {(control) => (
          <select className="input" {...control} value={rows.start} onChange={(e) => setRows({ ...rows, start: e.target.value })}>
            {rows.nodes.map((node) => (
              <option key={node.key} value={node.id}>
                {node.id}
              </option>
            ))}
          </select>
        )}
      </FormField>
      {rows.nodes.map((row, index) => (
        <NodeRowEditor key={row.key} row={row} error={errors.byNode[row.id]} onChange={(next) => setNode(index, next)} onRemove={() => removeNode(index)} />
      ))}
      <Button onClick={addNode}>{t('callFlows.addNode')}</Button>
      <FormField label={t('callFlows.settings')} hint={t('callFlows.settingsHint')} error={errors.settings}>
        {(control) => (
          <textarea className="input input-code" rows={4} spellCheck={false} {...control} value={rows.settings} onChange={(e) => setRows({ ...rows, settings: e.target.value })} />
        )}
      </FormField>
      <FormAlert problem={action.problem} />
      <div className="form-actions">
        <Button onClick={onClose}>{t('callFlows.close')}</Button>
        <Button busy={action.busy} onClick={() => void save('save')}>
          {t('callFlows.saveDraft')}
        </Button>
        <Button variant="primary" busy={action.busy} onClick={() => void save('publish')}>
          {t('callFlows.publish')}
        </Button>
      </div>
    </section>
  );
}
