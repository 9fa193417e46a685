import { useNavigate, useSearchParams } from 'react-router';

import { useT } from '../../i18n/useT';
import { PageHeader } from '../../ui/PageHeader';
import { EvaluationList } from './qa/EvaluationList';
import { EvaluationWorkspace } from './qa/EvaluationWorkspace';
import { StartEvaluation } from './qa/StartEvaluation';
import './qa/qa.css';

/**
 * Supervisors score recorded calls: start an evaluation (a scorecard and a recording,
 * `?recording=` preselects one), score it beside the audio, and follow drafts and disputes.
 * `?evaluation=` opens one, so a link to it can be shared.
 */
export default function QaPage() {
  const t = useT();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const evaluationId = params.get('evaluation');
  return (
    <section className="page">
      <PageHeader title={t('qa.title')} intro={t('qa.intro')} />
      {evaluationId ? (
        <EvaluationWorkspace key={evaluationId} evaluationId={evaluationId} />
      ) : (
        <>
          <StartEvaluation recordingId={params.get('recording')} onStarted={(id) => void navigate(`/supervisor/qa?evaluation=${encodeURIComponent(id)}`)} />
          <EvaluationList title={t('qa.drafts')} status={['DRAFT']} basePath="/supervisor/qa" />
          <EvaluationList title={t('qa.disputes')} status={['DISPUTED']} basePath="/supervisor/qa" />
          <EvaluationList title={t('qa.recent')} status={['SUBMITTED', 'ACKNOWLEDGED']} basePath="/supervisor/qa" />
        </>
      )}
    </section>
  );
}
