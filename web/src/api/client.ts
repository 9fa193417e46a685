import {
  Client,
  cacheExchange,
  fetchExchange,
  mapExchange,
  subscriptionExchange,
  type Operation,
} from '@urql/core';
import type { Client as WsClient } from 'graphql-ws';

import { csrfFetch, CSRF_COOKIE, readCookie } from './csrf';
import { hasCode } from './errors';

export const GRAPHQL_PATH = '/graphql';

/** Context flag for operations that may fail UNAUTHENTICATED without leaving the page (logIn). */
export const AUTH_OPTIONAL = { authOptional: true } as const;

declare module '@urql/core' {
  interface OperationContext {
    /** Set on public pages' operations: their UNAUTHENTICATED is shown, not redirected. */
    authOptional?: boolean;
  }
}

function webSocketUrl(location: Location = window.location): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${GRAPHQL_PATH}`;
}

export interface ApiClient {
  client: Client;
  /** Closes the WebSocket, if one was opened. */
  dispose: () => void;
}

/**
 * One GraphQL client per session: a log-in or log-out builds a new one, so nothing cached
 * for one user (or tenant) is ever shown to the next.
 *
 * `onUnauthenticated` runs whenever an operation answers UNAUTHENTICATED (an expired or
 * logged-out session), except operations sent with AUTH_OPTIONAL.
 */
export function createApiClient(onUnauthenticated: (operation: Operation) => void): ApiClient {
  let ws: Promise<WsClient> | null = null;
  // graphql-ws is loaded with the first subscription, so the shell does not carry it.
  const wsClient = () =>
    (ws ??= import('graphql-ws').then(({ createClient }) =>
      createClient({
        url: webSocketUrl(),
        lazy: true,
        retryAttempts: 8,
        // The cookie rides on the upgrade request; the CSRF token proves the page sent it.
        connectionParams: () => ({ csrfToken: readCookie(CSRF_COOKIE) }),
      }),
    ));

  const client = new Client({
    url: GRAPHQL_PATH,
    fetch: csrfFetch,
    fetchOptions: { credentials: 'same-origin' },
    // POST only: the API's CSRF check and body limits are written for POST.
    preferGetMethod: false,
    exchanges: [
      cacheExchange,
      mapExchange({
        onError(error, operation) {
          if (!operation.context.authOptional && hasCode(error, 'UNAUTHENTICATED')) {
            onUnauthenticated(operation);
          }
        },
      }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              let unsubscribe = () => {};
              let closed = false;
              void wsClient().then((c) => {
                if (!closed) unsubscribe = c.subscribe(input, sink);
              });
              return {
                unsubscribe() {
                  closed = true;
                  unsubscribe();
                },
              };
            },
          };
        },
      }),
    ],
  });

  return {
    client,
    dispose() {
      void ws?.then((c) => c.dispose());
    },
  };
}
