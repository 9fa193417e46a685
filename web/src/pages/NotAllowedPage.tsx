import { Link } from 'react-router';

import { homePath } from '../auth/roles';
import { useSession } from '../auth/session';
import { useT } from '../i18n/useT';
import { PageHeader } from '../ui/PageHeader';

export function NotAllowedPage() {
  const t = useT();
  const { user } = useSession();
  return (
    <section className="page">
      <PageHeader title={t('notAllowed.title')} />
      <p>{t('notAllowed.body')}</p>
      <p>
        <Link to={homePath(user.role)}>{t('notAllowed.home')}</Link>
      </p>
    </section>
  );
}
