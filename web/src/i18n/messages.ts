import en from './en.json';

/** Every message id; the English catalogue is the reference and zh-CN has the same keys. */
export type MessageId = keyof typeof en;
export type Catalogue = Record<MessageId, string>;

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** The English catalogue ships with the shell; others load when chosen. */
export const english: Catalogue = en;

export async function loadCatalogue(locale: Locale): Promise<Catalogue> {
  if (locale === 'en') return english;
  const module = await import('./zh-CN.json');
  return module.default;
}

export function parseLocale(value: string | null | undefined): Locale | null {
  if (!value) return null;
  const exact = LOCALES.find((l) => l.toLowerCase() === value.toLowerCase());
  if (exact) return exact;
  return value.toLowerCase().startsWith('zh') ? 'zh-CN' : value.toLowerCase().startsWith('en') ? 'en' : null;
}
