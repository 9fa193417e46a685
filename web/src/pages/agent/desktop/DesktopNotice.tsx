import { useT } from '../../../i18n/useT';
import { Button } from '../../../ui/Button';
import type { LockState } from './desktopLock';

/** Why this tab's softphone is off: the desktop moved to another tab, or that tab refused. */
export function DesktopNotice({ lock, onTakeOver }: { lock: LockState; onTakeOver: () => void }) {
  const t = useT();
  if (lock !== 'moved' && lock !== 'refused') return null;
  return (
    <div role="alert" className="alert alert-warning agent-desktop-notice">
      <p>{lock === 'moved' ? t('agent.desktop.moved') : t('agent.desktop.refused')}</p>
      <Button variant="primary" onClick={onTakeOver}>
        {lock === 'moved' ? t('agent.desktop.useHere') : t('agent.desktop.tryAgain')}
      </Button>
    </div>
  );
}
