import { NavLink } from 'react-router';

import type { MessageId } from '../i18n/messages';
import { useT } from '../i18n/useT';
import type { NavItem } from './navigation';
import './area-tabs.css';

/** An area's pages as a row of links above the page (the supervisor's and agent's areas). */
export function AreaTabs({ label, pages }: { label: MessageId; pages: readonly NavItem[] }) {
  const t = useT();
  return (
    <nav aria-label={t(label)} className="area-tabs">
      <ul>
        {pages.map((page) => (
          <li key={page.to}>
            <NavLink to={page.to} end className="area-tab">
              {t(page.label)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
