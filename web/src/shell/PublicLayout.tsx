import { Suspense } from 'react';
import { Outlet } from 'react-router';

import { useT } from '../i18n/useT';
import { Loading } from '../ui/Loading';
import { LanguageSwitch } from './LanguageSwitch';

/** Sign-up, log-in and password pages: a centred card, the language switch above it. */
export function PublicLayout() {
  const t = useT();
  return (
    <div className="public">
      <header className="public-header">
        <span className="shell-brand">
          <span className="shell-logo" aria-hidden="true" />
          <span className="shell-product">Hotline</span>
        </span>
        <LanguageSwitch />
      </header>
      <main id="main" className="public-main">
        <Suspense fallback={<Loading label={t('app.loading')} />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
