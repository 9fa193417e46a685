/**
 * The browser session is an httpOnly cookie the page never sees. The server also sets the
 * readable `hotline_csrf` cookie; every GraphQL request echoes it in `X-CSRF-Token` (the
 * double-submit pattern), read when the request is sent so a new log-in takes effect at once.
 */
export const CSRF_COOKIE = 'hotline_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

/** The value of cookie `name` in `cookies` (document.cookie by default), or null. */
export function readCookie(name: string, cookies: string = document.cookie): string | null {
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    }
  }
  return null;
}

/**
 * `fetch` for the GraphQL client: same-origin credentials (the session cookie) and the CSRF
 * header. `fetch` is looked up at call time so tests can replace the global.
 */
export const csrfFetch: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers);
  const token = readCookie(CSRF_COOKIE);
  if (token) headers.set(CSRF_HEADER, token);
  return globalThis.fetch(input, { ...init, headers, credentials: 'same-origin' });
};
