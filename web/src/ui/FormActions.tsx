import { useT } from '../i18n/useT';
import { Button } from './Button';

/** A dialog form's buttons: "Cancel" and the submit button ("Save" by default). */
export function FormActions({ busy, onCancel, submitLabel }: { busy: boolean; onCancel?: () => void; submitLabel?: string }) {
  const t = useT();
  return (
    <div className="dialog-actions">
      {onCancel ? <Button onClick={onCancel}>{t('action.cancel')}</Button> : null}
      <Button type="submit" variant="primary" busy={busy}>
        {submitLabel ?? t('action.save')}
      </Button>
    </div>
  );
}
