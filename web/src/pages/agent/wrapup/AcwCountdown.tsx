import { useEffect, useState } from 'react';

import { useT } from '../../../i18n/useT';

/** Seconds left until `endsAt`, re-rendered once a second (a display clock, not a poll). */
function useSecondsLeft(endsAt: string | null | undefined): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!endsAt) return undefined;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [endsAt]);
  if (!endsAt) return null;
  return Math.max(0, Math.ceil((Date.parse(endsAt) - now) / 1000));
}

function clock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

/** The ACW countdown from the queue's wrap-up time, or why there is none. */
export function AcwCountdown({ endsAt, overdue, requireDisposition }: { endsAt: string | null | undefined; overdue: boolean; requireDisposition: boolean }) {
  const t = useT();
  const left = useSecondsLeft(endsAt);
  if (overdue) return <p className="wrapup-overdue">{t('wrapUp.overdue')}</p>;
  if (left === null) return <p>{requireDisposition ? t('wrapUp.untilDisposition') : t('wrapUp.noTimer')}</p>;
  return (
    <p>
      {t('wrapUp.timeLeft')}{' '}
      <time aria-label={t('wrapUp.secondsLeft', { seconds: left })} className="wrapup-clock">
        {clock(left)}
      </time>
    </p>
  );
}
