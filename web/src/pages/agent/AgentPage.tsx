import { Link } from 'react-router';

import { useT } from '../../i18n/useT';
import { PageHeader } from '../../ui/PageHeader';

export default function AgentPage() {
  const t = useT();
  return (
    <section className="page">
      <PageHeader
        title={t('agent.title')}
        actions={
          <Link className="btn btn-secondary" to="/agent/recordings">
            {t('recordings.mine.link')}
          </Link>
        }
      />
      <p>{t('agent.body')}</p>
    </section>
  );
}
