import { describe, expect, it } from 'vitest';

import { callerNumber } from './listenTarget';

describe('callerNumber', () => {
  it('reads the user part of a SIP or tel URI', () => {
    expect(callerNumber('sip:+14155502662@127.0.0.1:50316')).toBe('+14155502662');
    expect(callerNumber('sips:alice@example.com;transport=tls')).toBe('alice');
    expect(callerNumber('tel:+33612345678')).toBe('+33612345678');
  });

  it('keeps a plain number as it is', () => {
    expect(callerNumber('+33612345678')).toBe('+33612345678');
  });
});
