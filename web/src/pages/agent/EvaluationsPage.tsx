import { useSearchParams } from 'react-router';

import { useT } from '../../i18n/useT';
import { PageHeader } from '../../ui/PageHeader';
import { EvaluationList } from '../supervisor/qa/EvaluationList';
import { AgentEvaluation } from './evaluations/AgentEvaluation';
import '../supervisor/qa/qa.css';

/** The agent's own evaluations (the API shows an agent nothing else): open one to respond. */
export default function EvaluationsPage() {
  const t = useT();
  const [params] = useSearchParams();
  const evaluationId = params.get('evaluation');
  return (
    <section className="page">
      <PageHeader title={t('qa.mine')} intro={t('qa.mineIntro')} />
      {evaluationId ? <AgentEvaluation key={evaluationId} evaluationId={evaluationId} /> : <EvaluationList title={t('qa.mine')} basePath="/agent/evaluations" />}
    </section>
  );
}
