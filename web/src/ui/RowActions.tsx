import { useT } from '../i18n/useT';
import { Button } from './Button';

/**
 * "Edit" and "Delete" of one row. The names stay plain ("Edit", "Delete"); the row header
 * tells them apart, so find them within their row: `within(getByRole('row', { name: /Billing/ }))`.
 */
export function RowActions({ onEdit, onDelete, deleteLabel }: { onEdit?: () => void; onDelete?: () => void; deleteLabel?: string }) {
  const t = useT();
  return (
    <div className="row-actions">
      {onEdit ? (
        <Button className="btn-small" onClick={onEdit}>
          {t('action.edit')}
        </Button>
      ) : null}
      {onDelete ? (
        <Button className="btn-small" variant="danger" onClick={onDelete}>
          {deleteLabel ?? t('action.delete')}
        </Button>
      ) : null}
    </div>
  );
}
