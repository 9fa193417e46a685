import { Suspense } from 'react';
import { NavLink, Outlet } from 'react-router';

import { useSession } from '../auth/session';
import { useT } from '../i18n/useT';
import { Loading } from '../ui/Loading';
import { LanguageSwitch } from './LanguageSwitch';
import { LogOutButton } from './LogOutButton';
import { visibleAreas } from './navigation';

/** The one layout of every signed-in page: header, area navigation, main. */
export function Shell() {
  const t = useT();
  const { user, tenant } = useSession();
  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        {t('shell.skipToContent')}
      </a>
      <header className="shell-header">
        <div className="shell-brand">
          <span className="shell-logo" aria-hidden="true" />
          <span className="shell-product">Hotline</span>
          <span className="shell-tenant" title={tenant.slug}>
            {tenant.name}
          </span>
        </div>
        <nav aria-label={t('shell.areas')} className="shell-areas">
          <ul>
            {visibleAreas(user.role).map((item) => (
              <li key={item.area}>
                <NavLink to={item.to} className="shell-area-link">
                  {t(item.label)}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="shell-user">
          <span className="shell-email">{user.email}</span>
          <LanguageSwitch />
          <LogOutButton />
        </div>
      </header>
      <Suspense fallback={<Loading />}>
        <Outlet />
      </Suspense>
    </div>
  );
}
