import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { z } from 'zod';

import { useServerAction } from '../../../forms/useServerAction';
import { useServerForm } from '../../../forms/useServerForm';
import { graphql } from '../../../gql';
import { useT } from '../../../i18n/useT';
import { RecordingPlayer } from '../../../recordings/RecordingPlayer';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { FormActions } from '../../../ui/FormActions';
import { FormAlert } from '../../../ui/FormAlert';
import { QueryProblem } from '../../../ui/QueryProblem';
import { StatusMessage } from '../../../ui/StatusMessage';
import { TextAreaField } from '../../../ui/TextAreaField';
import { useAudioClock } from '../../supervisor/qa/useAudioClock';
import { EvaluationSummary } from './EvaluationSummary';

const AgentQaEvaluationQuery = graphql(`
  query AgentQaEvaluation($id: ID!) {
    qaEvaluation(id: $id) {
      ...QaEvaluationFields
    }
  }
`);

const AcknowledgeQaEvaluationMutation = graphql(`
  mutation AcknowledgeQaEvaluation($id: ID!) {
    acknowledgeQaEvaluation(id: $id) {
      id
      status
    }
  }
`);

const DisputeQaEvaluationMutation = graphql(`
  mutation DisputeQaEvaluation($id: ID!, $reason: String!) {
    disputeQaEvaluation(id: $id, reason: $reason) {
      id
      status
      disputeReason
    }
  }
`);

/** The agent's own evaluation: the summary beside the call, and acknowledge or dispute it. */
export function AgentEvaluation({ evaluationId }: { evaluationId: string }) {
  const t = useT();
  const [result, reexecute] = useQuery({ query: AgentQaEvaluationQuery, variables: { id: evaluationId } });
  const [, acknowledge] = useMutation(AcknowledgeQaEvaluationMutation);
  const action = useServerAction();
  const { attach, seek } = useAudioClock();
  const [disputing, setDisputing] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  if (result.error) return <QueryProblem error={result.error} retry={() => reexecute({ requestPolicy: 'network-only' })} />;
  const evaluation = result.data?.qaEvaluation;
  if (!evaluation) return <p>{t('app.loading')}</p>;
  const refresh = (message: string) => {
    setStatus(message);
    reexecute({ requestPolicy: 'network-only' });
  };
  return (
    <div className="qa-workspace">
      <p>
        <Link to="/agent/evaluations">{t('qa.backToMine')}</Link>
      </p>
      <StatusMessage message={status} />
      <FormAlert problem={action.problem} />
      {evaluation.status === 'SUBMITTED' ? (
        <div className="page-actions">
          <Button variant="primary" busy={action.busy} onClick={() => void action.run(() => acknowledge({ id: evaluation.id }), () => refresh(t('qa.acknowledgedStatus')))}>
            {t('qa.acknowledge')}
          </Button>
          <Button onClick={() => setDisputing(true)}>{t('qa.dispute')}</Button>
        </div>
      ) : null}
      <div className="qa-columns">
        <section className="qa-player" aria-label={t('qa.recording')}>
          <RecordingPlayer key={evaluation.recordingId} ref={attach} recordingId={evaluation.recordingId} />
        </section>
        <section className="qa-sheet" aria-label={t('qa.evaluation')}>
          <EvaluationSummary evaluation={evaluation} seek={seek} />
        </section>
      </div>
      <Dialog title={t('qa.disputeTitle')} isOpen={disputing} onClose={() => setDisputing(false)}>
        <DisputeForm
          evaluationId={evaluation.id}
          onCancel={() => setDisputing(false)}
          onDone={() => {
            setDisputing(false);
            refresh(t('qa.disputedStatus'));
          }}
        />
      </Dialog>
    </div>
  );
}

function DisputeForm({ evaluationId, onCancel, onDone }: { evaluationId: string; onCancel: () => void; onDone: () => void }) {
  const t = useT();
  const [, dispute] = useMutation(DisputeQaEvaluationMutation);
  const schema = useMemo(() => z.object({ reason: z.string().trim().min(1, t('validation.required')).max(2000, t('validation.tooLong', { max: 2000 })) }), [t]);
  const { form, problem, busy, handleSubmit } = useServerForm({ schema, defaultValues: { reason: '' } });
  const onSubmit = handleSubmit(
    (values) => dispute({ id: evaluationId, reason: values.reason }),
    () => onDone(),
  );
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <TextAreaField form={form} name="reason" label={t('qa.disputeReason')} required autoFocus />
      <FormAlert problem={problem} />
      <FormActions busy={busy} onCancel={onCancel} submitLabel={t('qa.sendDispute')} />
    </form>
  );
}
