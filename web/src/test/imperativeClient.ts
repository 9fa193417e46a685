import { createRequest, type GraphQLRequest, type OperationContext } from '@urql/core';
import type { DocumentNode } from 'graphql';
import { pipe, take, toPromise } from 'wonka';

import { fakeClient, type FakeAnswer } from './render';

type Responder = (request: GraphQLRequest) => FakeAnswer | undefined;

/** `fakeClient` plus urql's `client.query(...).toPromise()`, answered by the same `query`. */
export function imperativeClient(respond: { query?: Responder; mutation?: Responder }) {
  const fake = fakeClient(respond);
  const client = fake.client as unknown as Record<string, unknown>;
  client.query = (query: DocumentNode, variables: Record<string, unknown>, context?: Partial<OperationContext>) => ({
    toPromise: () => pipe(fake.executeQuery(createRequest(query, variables), context), take(1), toPromise),
  });
  return fake;
}
