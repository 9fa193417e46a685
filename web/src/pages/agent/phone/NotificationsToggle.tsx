import { useState } from 'react';

import { useT } from '../../../i18n/useT';
import { Button } from '../../../ui/Button';

function permission(): NotificationPermission | 'unsupported' {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Asks once for notification permission, so an offer can show while the tab is hidden. */
export function NotificationsToggle() {
  const t = useT();
  const [state, setState] = useState(permission);
  if (state !== 'default') return null;
  return (
    <Button variant="ghost" onClick={() => void Notification.requestPermission().then(setState)}>
      {t('agent.phone.allowNotifications')}
    </Button>
  );
}
