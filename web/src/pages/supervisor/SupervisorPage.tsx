import { useT } from '../../i18n/useT';
import { PageHeader } from '../../ui/PageHeader';

export default function SupervisorPage() {
  const t = useT();
  return (
    <section className="page">
      <PageHeader title={t('supervisor.title')} />
      <p>{t('supervisor.body')}</p>
    </section>
  );
}
