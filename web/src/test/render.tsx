import { render } from '@testing-library/react';
import {
  CombinedError,
  makeOperation,
  type Client,
  type GraphQLRequest,
  type OperationContext,
  type OperationResult,
} from '@urql/core';
import type { DocumentNode } from 'graphql';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { Provider } from 'urql';
import { vi } from 'vitest';
import { fromValue, never } from 'wonka';

import { SessionProvider, type Session } from '../auth/session';
import { LocaleProvider } from '../i18n/LocaleProvider';

/** What a fake API answers: data, or an error built with `gqlError`/`networkError`. */
export type FakeAnswer = { data: unknown } | { error: CombinedError };

export function gqlError(code: string, message: string, extra: Record<string, unknown> = {}): CombinedError {
  return new CombinedError({ graphQLErrors: [{ message, extensions: { code, ...extra } }] });
}

export function networkError(): CombinedError {
  return new CombinedError({ networkError: new TypeError('Failed to fetch') });
}

function answer(kind: 'query' | 'mutation', request: GraphQLRequest, context: Partial<OperationContext> | undefined, reply: FakeAnswer): OperationResult {
  const operation = makeOperation(kind, request, { url: '/graphql', requestPolicy: 'cache-first', ...context });
  return {
    operation,
    data: 'data' in reply ? reply.data : undefined,
    error: 'error' in reply ? reply.error : undefined,
    stale: false,
    hasNext: false,
  };
}

type Responder = (request: GraphQLRequest, context?: Partial<OperationContext>) => FakeAnswer | undefined;

/**
 * A urql client whose queries and mutations are answered by `respond` (undefined: the
 * request never answers, i.e. still loading). The mocks record every call.
 */
export function fakeClient(respond: { query?: Responder; mutation?: Responder } = {}) {
  const executeQuery = vi.fn((request: GraphQLRequest, context?: Partial<OperationContext>) => {
    const reply = respond.query?.(request, context);
    return reply ? fromValue(answer('query', request, context, reply)) : never;
  });
  const executeMutation = vi.fn((request: GraphQLRequest, context?: Partial<OperationContext>) => {
    const reply = respond.mutation?.(request, context);
    return reply ? fromValue(answer('mutation', request, context, reply)) : never;
  });
  const client = { executeQuery, executeMutation, executeSubscription: vi.fn(() => never) } as unknown as Client;
  return { client, executeQuery, executeMutation };
}

/** The operation name of a request, e.g. "LogIn". */
export function operationName(request: GraphQLRequest): string | undefined {
  const definition = (request.query as DocumentNode).definitions[0] as { name?: { value: string } } | undefined;
  return definition?.name?.value;
}

export const ownerSession: Session = {
  user: { id: 'VXNlcjox', email: 'owner@acme.test', role: 'owner', displayName: 'Olive Owner' },
  tenant: { id: 'VGVuYW50OjE=', slug: 'acme', name: 'Acme Support', createdAt: '2025-01-01T00:00:00+00:00', timeZone: 'UTC' },
};

/** Shows the router's current location, so a test can see where a page navigated. */
function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{`${location.pathname}${location.search}`}</output>;
}

interface RenderOptions {
  /** The URL the test starts at. */
  path?: string;
  /** The route pattern `ui` is mounted at (default: any path). */
  route?: string;
  client?: Client;
  session?: Session;
}

/** Renders `ui` as the app would: English catalogue, a router, a GraphQL client, a session. */
export function renderPage(ui: ReactElement, { path = '/', route = '*', client = fakeClient().client, session }: RenderOptions = {}) {
  const page = session ? <SessionProvider session={session}>{ui}</SessionProvider> : ui;
  return render(
    <LocaleProvider initial="en">
      <Provider value={client}>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route path={route} element={page} />
            {route === '*' ? null : <Route path="*" element={null} />}
          </Routes>
          <LocationProbe />
        </MemoryRouter>
      </Provider>
    </LocaleProvider>,
  );
}
