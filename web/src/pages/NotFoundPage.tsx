import { Link } from 'react-router';

import { useT } from '../i18n/useT';
import { PageHeader } from '../ui/PageHeader';

export default function NotFoundPage() {
  const t = useT();
  return (
    <section className="page">
      <PageHeader title={t('notFound.title')} />
      <p>{t('notFound.body')}</p>
      <p>
        <Link to="/">{t('notFound.home')}</Link>
      </p>
    </section>
  );
}
