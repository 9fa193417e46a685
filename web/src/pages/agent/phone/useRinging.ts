import { useEffect } from 'react';

import { notifyHidden, startRinging } from '../desktop/ringer';

/** Rings (and notifies, when the tab is hidden) while `ringing`. */
export function useRinging(ringing: boolean, title: string, body: string): void {
  useEffect(() => {
    if (!ringing) return;
    const stopSound = startRinging();
    const closeNotice = notifyHidden(title, body);
    return () => {
      stopSound();
      closeNotice();
    };
  }, [ringing, title, body]);
}
