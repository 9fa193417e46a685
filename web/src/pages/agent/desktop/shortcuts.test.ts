import { describe, expect, it } from 'vitest';

import { shortcutOf } from './shortcuts';

const key = (k: string, extra: Partial<KeyboardEvent> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, target: document.body, ...extra });

describe('shortcutOf', () => {
  it('maps the desktop keys, in either case', () => {
    expect(shortcutOf(key('a'))).toBe('answer');
    expect(shortcutOf(key('A'))).toBe('answer');
    expect(shortcutOf(key('x'))).toBe('hangUp');
    expect(shortcutOf(key('h'))).toBe('hold');
    expect(shortcutOf(key('m'))).toBe('mute');
    expect(shortcutOf(key('r'))).toBe('ready');
    expect(shortcutOf(key('n'))).toBe('notReady');
    expect(shortcutOf(key('?'))).toBe('help');
    expect(shortcutOf(key('q'))).toBeNull();
  });

  it('leaves keys typed into a field, and modified keys, alone', () => {
    const input = document.createElement('input');
    const area = document.createElement('textarea');
    expect(shortcutOf(key('a', { target: input }))).toBeNull();
    expect(shortcutOf(key('m', { target: area }))).toBeNull();
    expect(shortcutOf(key('a', { ctrlKey: true }))).toBeNull();
    const box = document.createElement('input');
    box.type = 'checkbox';
    expect(shortcutOf(key('r', { target: box }))).toBe('ready');
    expect(shortcutOf(key('r', { metaKey: true }))).toBeNull();
  });
});
