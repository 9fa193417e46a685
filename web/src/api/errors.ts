import type { CombinedError } from '@urql/core';

/** The codes the API puts in `extensions.code` (CONVENTIONS.md, "Errors"). */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'INTERNAL';

/** What a failed operation means for the page that sent it. */
export type ApiProblem =
  /** The request never got a GraphQL answer (offline, proxy, 5xx) or the server failed. */
  | { kind: 'retryable'; message: string }
  | { kind: 'unauthenticated'; message: string }
  | { kind: 'forbidden'; message: string }
  | { kind: 'notFound'; message: string }
  | { kind: 'badInput'; message: string; field: string | null }
  | { kind: 'conflict'; message: string; field: string | null }
  | { kind: 'rateLimited'; message: string; retryAfter: number | null }
  | { kind: 'other'; message: string; code: string | null };

function codeOf(extensions: Record<string, unknown> | undefined): string | null {
  const code = extensions?.code;
  return typeof code === 'string' ? code : null;
}

export function errorCodes(error: CombinedError | undefined): string[] {
  if (!error) return [];
  return error.graphQLErrors.map((e) => codeOf(e.extensions)).filter((c) => c !== null);
}

export function hasCode(error: CombinedError | undefined, code: ErrorCode): boolean {
  return errorCodes(error).includes(code);
}

/** Classifies the first problem of `error`; the order puts what the user can act on first. */
export function classifyError(error: CombinedError): ApiProblem {
  const status = (error.response as Response | undefined)?.status;
  if (error.networkError || (status !== undefined && status >= 500 && !error.graphQLErrors.length)) {
    return { kind: 'retryable', message: error.networkError?.message ?? `HTTP ${status ?? ''}` };
  }
  const first = error.graphQLErrors[0];
  if (!first) return { kind: 'retryable', message: error.message };
  const extensions = first.extensions as Record<string, unknown> | undefined;
  const field = typeof extensions?.field === 'string' ? extensions.field : null;
  const message = first.message;
  switch (codeOf(extensions)) {
    case 'BAD_USER_INPUT':
      return { kind: 'badInput', message, field };
    case 'CONFLICT':
      return { kind: 'conflict', message, field };
    case 'UNAUTHENTICATED':
      return { kind: 'unauthenticated', message };
    case 'FORBIDDEN':
      return { kind: 'forbidden', message };
    case 'NOT_FOUND':
      return { kind: 'notFound', message };
    case 'RATE_LIMITED': {
      const after = extensions?.retryAfter;
      return { kind: 'rateLimited', message, retryAfter: typeof after === 'number' ? after : null };
    }
    case 'INTERNAL':
      return { kind: 'retryable', message };
    default:
      if (status !== undefined && status >= 500) return { kind: 'retryable', message };
      return { kind: 'other', message, code: codeOf(extensions) };
  }
}

function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The form field a server `extensions.field` names, or null. The server spells fields as
 * GraphQL does (`shortAbandonS`), as pydantic does (`admin_password`) or as a path
 * (`input.name`, `requiredSkills.0.minLevel`); `aliases` maps server names the form spells
 * differently (keys in camelCase).
 */
export function resolveField<F extends string>(
  serverField: string | null | undefined,
  formFields: readonly F[],
  aliases: Partial<Record<string, F>> = {},
): F | null {
  if (!serverField) return null;
  const known = new Set<string>(formFields);
  const pick = (candidate: string): F | null => {
    const aliased = aliases[candidate];
    if (aliased !== undefined) return aliased;
    return known.has(candidate) ? (candidate as F) : null;
  };
  const path = serverField.split('.').map(camel);
  const candidates = [
    path.join('.'),
    ...path.map((_, i) => path.slice(i).join('.')),
    ...path.map((_, i) => path.slice(0, path.length - i).join('.')),
  ];
  for (const candidate of candidates) {
    const hit = pick(candidate);
    if (hit) return hit;
  }
  return null;
}
