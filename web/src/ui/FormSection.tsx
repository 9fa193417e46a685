import type { ReactNode } from 'react';

import './structured-fields.css';

/**
 * One titled part of a long form (General, Timers, …): a `<fieldset>` whose `<legend>`
 * names the group for screen readers, with an optional sentence under the title.
 */
export function FormSection({ title, hint, children }: { title: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <fieldset className="form-section">
      <legend className="form-section-title">{title}</legend>
      {hint ? <p className="form-section-hint">{hint}</p> : null}
      <div className="form-section-body">{children}</div>
    </fieldset>
  );
}
