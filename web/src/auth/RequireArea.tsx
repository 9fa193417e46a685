import { Outlet } from 'react-router';

import { NotAllowedPage } from '../pages/NotAllowedPage';
import { canSee, type Area } from './roles';
import { useSession } from './session';

/** An area's pages, or "not allowed" for a role that may not see them. */
export function RequireArea({ area }: { area: Area }) {
  const { user } = useSession();
  if (canSee(user.role, area)) return <Outlet />;
  return (
    <div className="area">
      <main id="main" className="area-main" tabIndex={-1}>
        <NotAllowedPage />
      </main>
    </div>
  );
}
