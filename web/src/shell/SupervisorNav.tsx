import { NavLink } from 'react-router';

import { useT } from '../i18n/useT';
import { SUPERVISOR_PAGES } from './navigation';

export function SupervisorNav() {
  const t = useT();
  return (
    <nav aria-label={t('nav.supervisor.label')} className="side-nav">
      <ul>
        {SUPERVISOR_PAGES.map((page) => (
          <li key={page.to}>
            <NavLink to={page.to} end={page.to === '/supervisor'} className="side-nav-link">
              {t(page.label)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
