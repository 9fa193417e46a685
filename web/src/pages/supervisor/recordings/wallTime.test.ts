import { describe, expect, it } from 'vitest';

import { wallTimeToIso } from './wallTime';

describe('wallTimeToIso', () => {
  it('reads the input in the tenant time zone', () => {
    expect(wallTimeToIso('2026-11-20T09:00', 'UTC')).toBe('2026-11-20T09:00:00.000Z');
    expect(wallTimeToIso('2026-11-20T09:00', 'Asia/Shanghai')).toBe('2026-11-20T01:00:00.000Z');
    expect(wallTimeToIso('2026-07-01T12:30', 'Europe/Paris')).toBe('2026-07-01T10:30:00.000Z');
    expect(wallTimeToIso('2026-01-01T12:30', 'Europe/Paris')).toBe('2026-01-01T11:30:00.000Z');
  });

  it('is null for an empty or malformed value', () => {
    expect(wallTimeToIso('', 'UTC')).toBeNull();
    expect(wallTimeToIso('yesterday', 'UTC')).toBeNull();
  });
});
