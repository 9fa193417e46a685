import { useT } from '../../i18n/useT';
import { PageHeader } from '../../ui/PageHeader';
import { WorkListsPanel } from './worklists/WorkListsPanel';
import { WrapUpPanel } from './wrapup/WrapUpPanel';

export default function AgentPage() {
  const t = useT();
  return (
    <section className="page">
      <PageHeader title={t('agent.title')} />
      <p>{t('agent.body')}</p>
      <WrapUpPanel />
      <WorkListsPanel />
    </section>
  );
}
