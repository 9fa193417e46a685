import { useEffect, useState, useSyncExternalStore } from 'react';

import { startLevelMeter } from './levelMeter';
import type { CallQuality } from './quality';
import type { CallInfo, Softphone, SoftphoneState } from './softphone';

/** The softphone's state, re-rendering on every change. */
export function useSoftphone(softphone: Softphone): SoftphoneState {
  return useSyncExternalStore(softphone.subscribe, softphone.getState, softphone.getState);
}

/** Seconds since the call was answered (or since it rang), ticking every second. */
export function useCallTimer(call: CallInfo | null): number {
  const [now, setNow] = useState(() => Date.now());
  const live = call !== null && call.phase !== 'ended';
  useEffect(() => {
    if (!live) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [live]);
  if (!call) return 0;
  const start = call.answeredAt ?? call.ringingAt;
  const end = call.endedAt ?? Math.max(now, start);
  return Math.max(0, Math.floor((end - start) / 1000));
}

/** The microphone level (0..1) while a call has a local track. */
export function useMicrophoneLevel(softphone: Softphone, active: boolean): number {
  const [level, setLevel] = useState(0);
  const stream = active ? softphone.microphoneStream : null;
  useEffect(() => {
    if (!stream) return;
    const stop = startLevelMeter(stream, setLevel);
    return () => {
      stop();
      setLevel(0);
    };
  }, [stream]);
  return level;
}

/** The call's quality, read every two seconds while it is active. */
export function useCallQuality(softphone: Softphone, active: boolean): CallQuality | null {
  const [quality, setQuality] = useState<CallQuality | null>(null);
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    const read = () =>
      void softphone.quality().then((q) => {
        if (!stopped) setQuality(q);
      });
    read();
    const timer = window.setInterval(read, 2000);
    return () => {
      stopped = true;
      window.clearInterval(timer);
      setQuality(null);
    };
  }, [softphone, active]);
  return quality;
}

/** Formats a duration as m:ss (or h:mm:ss). */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
