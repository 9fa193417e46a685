import { useT } from '../i18n/useT';

/** A loading notice that screen readers announce. */
export function Loading({ label }: { label?: string }) {
  const t = useT();
  return (
    <p role="status" className="loading">
      {label ?? t('app.loading')}
    </p>
  );
}
