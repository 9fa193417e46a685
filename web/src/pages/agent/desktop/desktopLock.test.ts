import { describe, expect, it, vi } from 'vitest';

import { DesktopLock, type Channel } from './desktopLock';

/** BroadcastChannel semantics in memory: a message reaches every other member. */
function hub() {
  const members: Channel[] = [];
  return () => {
    const channel: Channel = {
      onmessage: null,
      postMessage: (message) => {
        for (const other of members) if (other !== channel) queueMicrotask(() => other.onmessage?.({ data: message }));
      },
      close: () => members.splice(members.indexOf(channel), 1),
    };
    members.push(channel);
    return channel;
  };
}

describe('DesktopLock', () => {
  it('holds the desktop when no other tab answers', async () => {
    const lock = new DesktopLock({ channel: hub()(), isBusy: () => false, release: vi.fn(), waitMs: 20 });
    expect(await lock.claim()).toBe('held');
  });

  it('moves the desktop to a new tab after the old one let go', async () => {
    const open = hub();
    const released: string[] = [];
    const first = new DesktopLock({ channel: open(), isBusy: () => false, release: () => void released.push('first'), waitMs: 20 });
    await first.claim();
    const second = new DesktopLock({ channel: open(), isBusy: () => false, release: vi.fn(), waitMs: 1000 });
    const started = Date.now();
    expect(await second.claim()).toBe('held');
    expect(Date.now() - started).toBeLessThan(500); // the answer, not the timeout
    expect(first.state).toBe('moved');
    expect(released).toEqual(['first']);
  });

  it('is refused while the holding tab is on a call, which keeps it', async () => {
    const open = hub();
    const release = vi.fn();
    const first = new DesktopLock({ channel: open(), isBusy: () => true, release, waitMs: 20 });
    await first.claim();
    const second = new DesktopLock({ channel: open(), isBusy: () => false, release: vi.fn(), waitMs: 1000 });
    expect(await second.claim()).toBe('refused');
    expect(first.state).toBe('held');
    expect(release).not.toHaveBeenCalled();
  });

  it('takes the desktop back from the tab that took it', async () => {
    const open = hub();
    const first = new DesktopLock({ channel: open(), isBusy: () => false, release: vi.fn(), waitMs: 20 });
    await first.claim();
    const second = new DesktopLock({ channel: open(), isBusy: () => false, release: vi.fn(), waitMs: 200 });
    await second.claim();
    expect(await first.claim()).toBe('held');
    expect(second.state).toBe('moved');
  });
});
