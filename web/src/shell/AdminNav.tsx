import { NavLink } from 'react-router';

import { useT } from '../i18n/useT';
import { ADMIN_PAGES } from './navigation';

export function AdminNav() {
  const t = useT();
  return (
    <nav aria-label={t('nav.admin.label')} className="side-nav">
      <ul>
        {ADMIN_PAGES.map((page) => (
          <li key={page.to}>
            <NavLink to={page.to} end={page.to === '/admin'} className="side-nav-link">
              {t(page.label)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
