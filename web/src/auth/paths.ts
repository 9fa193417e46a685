/** Pages anyone may open; everything else needs a session. */
const PUBLIC_PREFIXES = ['/login', '/signup', '/t/', '/forgot-password', '/reset-password'];

export function isPublicPath(pathname: string): boolean {
  return PUBLIC_PREFIXES.some((prefix) =>
    prefix.endsWith('/') ? pathname.startsWith(prefix) : pathname === prefix || pathname.startsWith(`${prefix}/`),
  );
}

/** The log-in page that returns to `next` (a path of this app) afterwards. */
export function loginPath(next?: string): string {
  const target = safeNext(next);
  return target && target !== '/' ? `/login?next=${encodeURIComponent(target)}` : '/login';
}

/**
 * `next` if it is a path of this app, else null: a `next` pointing at another origin
 * (`//evil.example`, `https:…`, `/\evil`) would make the log-in page an open redirect.
 */
export function safeNext(next: string | null | undefined): string | null {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  if (isPublicPath(next.split(/[?#]/)[0] ?? next)) return null;
  return next;
}
