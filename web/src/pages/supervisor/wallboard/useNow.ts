import { useEffect, useState } from 'react';

/** The browser's clock, read again every `everyMs`: it makes waits and times in state tick
 * on screen. It reads nothing from the server. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}
