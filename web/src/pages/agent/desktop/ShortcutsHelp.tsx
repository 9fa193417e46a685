import { useT } from '../../../i18n/useT';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { SHORTCUTS } from './shortcuts';

/** The `?` overlay: every key of the desktop and what it does. */
export function ShortcutsHelp({ isOpen, onClose }: { isOpen: boolean; onClose: () => void }) {
  const t = useT();
  return (
    <Dialog title={t('agent.shortcuts.title')} isOpen={isOpen} onClose={onClose}>
      <dl className="agent-shortcuts">
        {SHORTCUTS.map((s) => (
          <div key={s.key}>
            <dt>
              <kbd>{s.key.toUpperCase()}</kbd>
            </dt>
            <dd>{t(s.label)}</dd>
          </div>
        ))}
      </dl>
      <p>{t('agent.shortcuts.note')}</p>
      <div className="dialog-actions">
        <Button onClick={onClose}>{t('agent.shortcuts.close')}</Button>
      </div>
    </Dialog>
  );
}
