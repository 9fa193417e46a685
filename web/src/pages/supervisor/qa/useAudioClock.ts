import { useCallback, useState } from 'react';

function seekTo(element: HTMLAudioElement, seconds: number) {
  element.currentTime = seconds;
  void element.play().catch(() => undefined);
}

/**
 * The player's clock for a scoring form: read its current time, move it to a moment.
 * `attach` is the callback ref of the `<audio>` element, kept in state so that the
 * functions passed down never read a ref while rendering.
 */
export function useAudioClock() {
  const [audio, attach] = useState<HTMLAudioElement | null>(null);
  const currentTime = useCallback(() => audio?.currentTime ?? 0, [audio]);
  const seek = useCallback((seconds: number) => (audio ? seekTo(audio, seconds) : undefined), [audio]);
  return { attach, currentTime, seek };
}
