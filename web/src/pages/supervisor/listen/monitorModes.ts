import type { MessageId } from '../../../i18n/messages';

/**
 * Monitoring beyond listen, and why this media plane cannot offer it yet: rtpengine 10.5
 * has no mixer, so neither whisper (the supervisor heard by the agent only) nor barge
 * (three-way) can be built on it (docs/media-plane.md, "Supervisor call control").
 */
export const UNAVAILABLE_MONITOR_MODES: readonly { mode: 'whisper' | 'barge'; label: MessageId; reason: MessageId }[] = [
  { mode: 'whisper', label: 'supervisor.listen.whisper', reason: 'supervisor.listen.whisperUnavailable' },
  { mode: 'barge', label: 'supervisor.listen.barge', reason: 'supervisor.listen.bargeUnavailable' },
];
