import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { CombinedError } from '@urql/core';
import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';

export const PAGE_SIZE = 25;

interface Page<Node> {
  nodes: readonly Node[];
  pageInfo?: { hasNextPage: boolean; endCursor?: string | null };
}

type PageVariables = { first?: number | null; after?: string | null };
type NoVariables = Record<string, never>;

interface Options<Data, Node> {
  /**
   * A query declaring `$first: Int, $after: String` and returning a connection, or a query
   * without variables returning every row (short configuration lists such as break reasons).
   */
  query: TypedDocumentNode<Data, PageVariables> | TypedDocumentNode<Data, NoVariables>;
  select: (data: Data) => Page<Node>;
  /** Whether `node` matches the search text (already trimmed and lower-cased). */
  matches: (node: Node, needle: string) => boolean;
  pageSize?: number;
}

export interface AdminList<Node> {
  /** The loaded page, filtered by the search text. */
  rows: readonly Node[];
  /** How many rows the loaded page holds before filtering. */
  loaded: number;
  fetching: boolean;
  error: CombinedError | undefined;
  /** Re-reads the page from the server (after a create, an edit or a delete). */
  refresh: () => void;
  search: string;
  setSearch: (text: string) => void;
  pager: {
    page: number;
    hasPrevious: boolean;
    hasNext: boolean;
    previous: () => void;
    next: () => void;
  };
}

/**
 * The list half of an admin page: one query, cursor paging (`first`/`after`, with a stack
 * of cursors for "Previous", since connections page forwards), and a search box that
 * filters the loaded page. The search text lives in the URL (`?q=`) so it can be shared.
 */
export function useAdminList<Data, Node>(options: Options<Data, Node>): AdminList<Node> {
  const paged = isPaged(options.query);
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const [cursors, setCursors] = useState<readonly (string | null)[]>([null]);
  const [params, setParams] = useSearchParams();
  const search = params.get('q') ?? '';

  const after = cursors[cursors.length - 1] ?? null;
  const variables = useMemo(() => (paged ? { first: pageSize, after } : {}), [paged, pageSize, after]);
  const [result, reexecute] = useQuery({
    query: options.query as TypedDocumentNode<Data, PageVariables>,
    variables,
  });

  const page = result.data ? options.select(result.data) : { nodes: [] };
  const needle = search.trim().toLowerCase();
  const rows = needle ? page.nodes.filter((node) => options.matches(node, needle)) : page.nodes;
  const endCursor = page.pageInfo?.endCursor ?? null;
  const hasNext = Boolean(page.pageInfo?.hasNextPage && endCursor);

  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const setSearch = useCallback(
    (text: string) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (text) next.set('q', text);
          else next.delete('q');
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );

  return {
    rows,
    loaded: page.nodes.length,
    fetching: result.fetching,
    error: result.error,
    refresh,
    search,
    setSearch,
    pager: {
      page: cursors.length,
      hasPrevious: cursors.length > 1,
      hasNext,
      previous: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
      next: () => {
        if (endCursor) setCursors((c) => [...c, endCursor]);
      },
    },
  };
}

/** Whether the operation declares `$after`, i.e. pages through a connection. */
function isPaged(query: Options<unknown, unknown>['query']): boolean {
  const operation = query.definitions[0] as
    | { variableDefinitions?: readonly { variable: { name: { value: string } } }[] }
    | undefined;
  return Boolean(operation?.variableDefinitions?.some((v) => v.variable.name.value === 'after'));
}
