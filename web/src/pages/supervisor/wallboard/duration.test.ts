import { describe, expect, it } from 'vitest';

import { formatDuration } from './duration';

describe('formatDuration', () => {
  it('reads like a clock: m:ss under an hour, h:mm:ss from one', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65.9)).toBe('1:05');
    expect(formatDuration(3599)).toBe('59:59');
    expect(formatDuration(3600)).toBe('1:00:00');
    expect(formatDuration(36_061)).toBe('10:01:01');
  });

  it('never shows a negative time (a clock a little behind the server)', () => {
    expect(formatDuration(-3)).toBe('0:00');
  });
});
