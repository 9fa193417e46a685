import { DEFAULT_LOCALE, parseLocale, type Locale } from './messages';

// A language is a preference, not a secret: it is the only thing the app keeps in
// localStorage. One key per user id, and one for this device before anyone logged in.
const DEVICE_KEY = 'hotline.locale';
const userKey = (userId: string) => `hotline.locale.${userId}`;

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Storage may be disabled (private mode, policy); the choice then lasts for the page.
  }
}

/** The device's language: the last one chosen here, else the browser's. */
export function deviceLocale(): Locale {
  return parseLocale(read(DEVICE_KEY)) ?? parseLocale(navigator.language) ?? DEFAULT_LOCALE;
}

/** The language `userId` chose, if any. */
export function userLocale(userId: string): Locale | null {
  return parseLocale(read(userKey(userId)));
}

export function rememberLocale(locale: Locale, userId: string | null): void {
  write(DEVICE_KEY, locale);
  if (userId) write(userKey(userId), locale);
}
