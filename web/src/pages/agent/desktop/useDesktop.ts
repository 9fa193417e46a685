import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useClient } from 'urql';

import { jssipUa } from '../../../softphone/jssipUa';
import { Softphone } from '../../../softphone/softphone';
import { SipCredentialsQuery } from '../operations';
import { browserChannel, DesktopLock, type LockState } from './desktopLock';

declare global {
  interface Window {
    /** The desktop's softphone, for support diagnostics and browser tests (getStats). */
    hotlineSoftphone?: Softphone;
  }
}

export interface Desktop {
  softphone: Softphone;
  lock: LockState;
  /** Claims the desktop again from the tab that took it (refused while that tab is on a call). */
  takeOver: () => void;
}

/**
 * The agent's softphone, registered only while this tab holds the agent's desktop (one
 * per agent among the tabs of the browser: desktopLock.ts).
 */
export function useDesktop(userId: string): Desktop {
  const client = useClient();
  const softphone = useMemo(
    () =>
      new Softphone({
        ua: jssipUa,
        credentials: async () => {
          const result = await client.query(SipCredentialsQuery, {}, { requestPolicy: 'network-only' }).toPromise();
          if (!result.data) throw new Error(result.error?.message ?? 'no SIP credentials');
          return result.data.sipCredentials;
        },
      }),
    [client],
  );
  const [lockState, setLockState] = useState<LockState>('claiming');
  const lockRef = useRef<DesktopLock | null>(null);

  const claim = useCallback(
    (lock: DesktopLock) =>
      void lock.claim().then((state) => {
        if (state === 'held' && lockRef.current === lock) void softphone.start();
      }),
    [softphone],
  );

  useEffect(() => {
    const lock = new DesktopLock({
      channel: browserChannel(`hotline-desktop:${userId}`),
      isBusy: () => {
        const phase = softphone.getState().call?.phase;
        return phase !== undefined && phase !== 'ended';
      },
      release: () => softphone.stop(),
    });
    lockRef.current = lock;
    const unsubscribe = lock.subscribe(() => setLockState(lock.state));
    window.hotlineSoftphone = softphone;
    const online = () => softphone.reconnectNow();
    window.addEventListener('online', online);
    claim(lock);
    return () => {
      window.removeEventListener('online', online);
      unsubscribe();
      lockRef.current = null;
      lock.close();
      softphone.stop();
      if (window.hotlineSoftphone === softphone) delete window.hotlineSoftphone;
    };
  }, [userId, softphone, claim]);

  const takeOver = useCallback(() => {
    if (lockRef.current) claim(lockRef.current);
  }, [claim]);

  return { softphone, lock: lockState, takeOver };
}
