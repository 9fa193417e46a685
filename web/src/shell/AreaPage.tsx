import { Suspense, type ReactNode } from 'react';
import { Outlet } from 'react-router';

import { Loading } from '../ui/Loading';

/** An area's `<main>`, with an optional side navigation (the admin pages) or tabs above it. */
export function AreaPage({ sideNav, tabs }: { sideNav?: ReactNode; tabs?: ReactNode }) {
  return (
    <div className={sideNav ? 'area area-with-nav' : 'area'}>
      {sideNav}
      <main id="main" className="area-main" tabIndex={-1}>
        {tabs}
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
