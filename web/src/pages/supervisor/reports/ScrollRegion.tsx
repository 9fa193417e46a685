import type { ReactNode } from 'react';

/** A wide table's horizontal scroller, reachable by keyboard (it takes focus, named by `label`). */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scroll container must be focusable to scroll by keyboard
    <div className="report-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
