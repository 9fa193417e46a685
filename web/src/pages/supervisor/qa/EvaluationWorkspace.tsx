import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';

import { graphql } from '../../../gql';
import { useT } from '../../../i18n/useT';
import { RecordingPlayer } from '../../../recordings/RecordingPlayer';
import { QueryProblem } from '../../../ui/QueryProblem';
import { StatusMessage } from '../../../ui/StatusMessage';
import { EvaluationSummary } from '../../agent/evaluations/EvaluationSummary';
import { ScoringForm } from './ScoringForm';
import { useAudioClock } from './useAudioClock';

const SupervisorQaEvaluationQuery = graphql(`
  query SupervisorQaEvaluation($id: ID!) {
    qaEvaluation(id: $id) {
      ...QaEvaluationFields
    }
  }
`);

/** One evaluation beside its recording: the scoring form while a draft, the summary after. */
export function EvaluationWorkspace({ evaluationId }: { evaluationId: string }) {
  const t = useT();
  const [result, reexecute] = useQuery({ query: SupervisorQaEvaluationQuery, variables: { id: evaluationId } });
  const { attach, currentTime, seek } = useAudioClock();
  const [status, setStatus] = useState<string | null>(null);
  if (result.error) return <QueryProblem error={result.error} retry={() => reexecute({ requestPolicy: 'network-only' })} />;
  const evaluation = result.data?.qaEvaluation;
  if (!evaluation) return <p>{t('app.loading')}</p>;
  return (
    <div className="qa-workspace">
      <p>
        <Link to="/supervisor/qa">{t('qa.backToList')}</Link>
      </p>
      <StatusMessage message={status} />
      <div className="qa-columns">
        <section className="qa-player" aria-label={t('qa.recording')}>
          <p>{t('qa.call', { call: evaluation.callId })}</p>
          <RecordingPlayer key={evaluation.recordingId} ref={attach} recordingId={evaluation.recordingId} loadOnMount />
        </section>
        <section className="qa-sheet" aria-label={t('qa.evaluation')}>
          {evaluation.status === 'DRAFT' ? (
            <ScoringForm
              key={evaluation.id}
              evaluation={evaluation}
              currentTime={currentTime}
              seek={seek}
              onSaved={(next, submitted) => {
                setStatus(submitted ? t('qa.submitted', { score: next.score ?? 0 }) : t('qa.saved'));
                reexecute({ requestPolicy: 'network-only' });
              }}
            />
          ) : (
            <EvaluationSummary evaluation={evaluation} seek={seek} />
          )}
        </section>
      </div>
    </div>
  );
}
