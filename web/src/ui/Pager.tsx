import { useT } from '../i18n/useT';
import { Button } from './Button';

interface PagerProps {
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  label: string;
}

/** "Previous" / "Next" over a cursor connection; hidden when everything fits on one page. */
export function Pager({ page, hasPrevious, hasNext, onPrevious, onNext, label }: PagerProps) {
  const t = useT();
  if (!hasPrevious && !hasNext) return null;
  return (
    <nav className="pager" aria-label={label}>
      <Button onClick={onPrevious} disabled={!hasPrevious}>
        {t('list.previous')}
      </Button>
      <span className="pager-page">{t('list.page', { page })}</span>
      <Button onClick={onNext} disabled={!hasNext}>
        {t('list.next')}
      </Button>
    </nav>
  );
}
