import { useCallback, useState } from 'react';

import type { RecordingPlayerHandle } from '../../../recordings/RecordingPlayer';

/**
 * The player's clock for a scoring form: read its current time, move it to a moment.
 * `attach` is the callback ref of the shared `RecordingPlayer`, kept in state so that the
 * functions passed down never read a ref while rendering.
 */
export function useAudioClock() {
  const [player, attach] = useState<RecordingPlayerHandle | null>(null);
  const currentTime = useCallback(() => player?.currentTime() ?? 0, [player]);
  const seek = useCallback((seconds: number) => player?.seek(seconds), [player]);
  return { attach, currentTime, seek };
}
