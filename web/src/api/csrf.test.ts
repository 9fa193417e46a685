import { afterEach, describe, expect, it, vi } from 'vitest';

import { createApiClient } from './client';
import { csrfFetch, readCookie } from './csrf';

function okResponse(): Response {
  return new Response(JSON.stringify({ data: { reportTimeZone: 'UTC' } }), {
    status: 200,
    headers: { 'Content-Type': 'application/json' },
  });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('readCookie', () => {
  it('finds a cookie among others and decodes it', () => {
    expect(readCookie('hotline_csrf', 'a=1; hotline_csrf=abc%3D%3D; b=2')).toBe('abc==');
    expect(readCookie('hotline_csrf', 'hotline_csrf_other=x')).toBeNull();
    expect(readCookie('hotline_csrf', '')).toBeNull();
  });
});

describe('csrfFetch', () => {
  it('sends the CSRF cookie as X-CSRF-Token, read at request time, with same-origin credentials', async () => {
    const fetchMock = vi.fn<typeof globalThis.fetch>(() => Promise.resolve(okResponse()));
    vi.stubGlobal('fetch', fetchMock);

    document.cookie = 'hotline_csrf=first-token; path=/';
    await csrfFetch('/graphql', { method: 'POST', headers: { 'Content-Type': 'application/json' } });
    document.cookie = 'hotline_csrf=second-token; path=/';
    await csrfFetch('/graphql', { method: 'POST' });

    const [first, second] = fetchMock.mock.calls;
    const firstInit = first?.[1];
    expect(new Headers(firstInit?.headers).get('X-CSRF-Token')).toBe('first-token');
    expect(new Headers(firstInit?.headers).get('Content-Type')).toBe('application/json');
    expect(firstInit?.credentials).toBe('same-origin');
    expect(new Headers(second?.[1]?.headers).get('X-CSRF-Token')).toBe('second-token');
  });

  it('sends no header when there is no CSRF cookie (before log-in)', async () => {
    const fetchMock = vi.fn<typeof globalThis.fetch>(() => Promise.resolve(okResponse()));
    vi.stubGlobal('fetch', fetchMock);
    await csrfFetch('/graphql', { method: 'POST' });
    expect(new Headers(fetchMock.mock.calls[0]?.[1]?.headers).has('X-CSRF-Token')).toBe(false);
  });

  it('is what the GraphQL client sends every operation through, as a POST', async () => {
    const fetchMock = vi.fn<typeof globalThis.fetch>(() => Promise.resolve(okResponse()));
    vi.stubGlobal('fetch', fetchMock);
    document.cookie = 'hotline_csrf=client-token; path=/';
    const { client, dispose } = createApiClient(() => {});
    await client.query('query Zone { reportTimeZone }', {}).toPromise();
    dispose();

    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe('/graphql');
    expect(init?.method).toBe('POST');
    expect(init?.credentials).toBe('same-origin');
    expect(new Headers(init?.headers).get('X-CSRF-Token')).toBe('client-token');
    expect(init?.body).toEqual(expect.not.stringContaining('token'));
  });

  it('reports UNAUTHENTICATED answers, except for operations marked authOptional', async () => {
    const unauthenticated = () =>
      Promise.resolve(
        new Response(JSON.stringify({ data: null, errors: [{ message: 'authentication required', extensions: { code: 'UNAUTHENTICATED' } }] }), {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
        }),
      );
    vi.stubGlobal('fetch', vi.fn(unauthenticated));
    const onUnauthenticated = vi.fn();
    const { client, dispose } = createApiClient(onUnauthenticated);
    await client.query('query A { reportTimeZone }', {}).toPromise();
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
    await client.mutation('mutation B { logOut }', {}, { authOptional: true }).toPromise();
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
    dispose();
  });
});
