import type { ReactNode } from 'react';

import { PageHeader } from '../../ui/PageHeader';

/** The card every public page sits in: its heading, its form, links under it. */
export function AuthCard({ title, intro, children, footer }: { title: string; intro?: ReactNode; children: ReactNode; footer?: ReactNode }) {
  return (
    <section className="auth-card">
      <PageHeader title={title} intro={intro} />
      {children}
      {footer ? <div className="auth-footer">{footer}</div> : null}
    </section>
  );
}
