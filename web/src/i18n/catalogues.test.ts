import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';

import en from './en.json';
import zh from './zh-CN.json';

const catalogues = { en, 'zh-CN': zh } as Record<string, Record<string, string>>;

/** The argument names a message uses: `{name}`, `{count, plural, …}`. */
function argumentsOf(message: string): string[] {
  return [...message.matchAll(/\{\s*([a-zA-Z0-9_]+)\s*[,}]/g)].map((m) => m[1] ?? '').sort();
}

describe('message catalogues', () => {
  it('have the same keys in every language', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it('have no empty message', () => {
    for (const [locale, messages] of Object.entries(catalogues)) {
      for (const [key, message] of Object.entries(messages)) {
        expect(message.trim(), `${locale} ${key}`).not.toBe('');
      }
    }
  });

  it('are valid ICU messages with the same arguments in every language', () => {
    for (const [key, english] of Object.entries(en)) {
      const chinese = (zh as Record<string, string>)[key] ?? '';
      expect(() => new IntlMessageFormat(english, 'en'), `en ${key}`).not.toThrow();
      expect(() => new IntlMessageFormat(chinese, 'zh-CN'), `zh-CN ${key}`).not.toThrow();
      expect([...new Set(argumentsOf(chinese))], key).toEqual([...new Set(argumentsOf(english))]);
    }
  });
});
