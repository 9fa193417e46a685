import type { ReactNode } from 'react';

import { useT } from '../i18n/useT';

/** The search box and the count above a list. */
export function ListToolbar({ children, shown, loaded }: { children: ReactNode; shown: number; loaded: number }) {
  const t = useT();
  return (
    <div className="list-toolbar">
      {children}
      <p className="list-count" aria-live="polite">
        {shown === loaded ? t('list.count', { count: loaded }) : t('list.filtered', { shown, count: loaded })}
      </p>
    </div>
  );
}
