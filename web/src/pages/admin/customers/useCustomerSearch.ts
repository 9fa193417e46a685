import { useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';

import type { CustomerFilter, CustomerOrder, CustomerSortField } from '../../../gql/graphql';

export const SEARCH_DEBOUNCE_MS = 300;

/** The sort orders the list offers: `customers(orderBy:)`'s fields, each way. */
export type SortKey = 'name' | '-name' | 'created' | '-created' | 'updated' | '-updated';
const SORT_FIELDS: Record<string, CustomerSortField> = { name: 'NAME', created: 'CREATED_AT', updated: 'UPDATED_AT' };
export const DEFAULT_SORT: SortKey = 'name';

function parseSort(value: string | null): SortKey {
  const key = (value ?? DEFAULT_SORT) as SortKey;
  return SORT_FIELDS[key.replace(/^-/, '')] ? key : DEFAULT_SORT;
}

export function orderOf(sort: SortKey): CustomerOrder {
  return { field: SORT_FIELDS[sort.replace(/^-/, '')] ?? 'NAME', descending: sort.startsWith('-') };
}

/**
 * Whether the search text is a phone number rather than a name: digits with the usual
 * separators (`+86 139-0000 0000`, `(415) 555 0100`), at least five digits. The server
 * matches it whatever its spelling (`filter.phone`).
 */
export function looksLikePhone(text: string): boolean {
  const trimmed = text.trim();
  return /^[+(]?[\d\s().\-/]+$/.test(trimmed) && (trimmed.match(/\d/g)?.length ?? 0) >= 5;
}

/** The server's filter for the search box and the selects (namePrefix or phone, and the rest). */
export function filterOf(values: { q: string; category: string; tag: string; owner: string }): CustomerFilter | null {
  const filter: CustomerFilter = {};
  const q = values.q.trim();
  if (q) {
    if (looksLikePhone(q)) filter.phone = q;
    else filter.namePrefix = q;
  }
  if (values.category) filter.category = values.category;
  if (values.tag.trim()) filter.tag = values.tag.trim();
  if (values.owner) filter.ownerId = values.owner;
  return Object.keys(filter).length ? filter : null;
}

type Key = 'q' | 'category' | 'tag' | 'owner' | 'sort';

/**
 * The list's search, kept in the URL (`?q=&category=&tag=&owner=&sort=`) so a reload or a
 * shared link shows the same list. Typing in the search box (and the tag box) updates the
 * URL, and so the query, once the typing pauses: one request per pause, not per key.
 */
export function useCustomerSearch() {
  const [params, setParams] = useSearchParams();
  const applied = useMemo(
    () => ({
      q: params.get('q') ?? '',
      category: params.get('category') ?? '',
      tag: params.get('tag') ?? '',
      owner: params.get('owner') ?? '',
      sort: parseSort(params.get('sort')),
    }),
    [params],
  );
  const [text, setText] = useState({ q: applied.q, tag: applied.tag });

  const set = useCallback(
    (changes: Partial<Record<Key, string>>) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(changes)) {
            if (value) next.set(key, value);
            else next.delete(key);
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );

  // Debounce: the typed text reaches the URL once typing pauses.
  useEffect(() => {
    if (text.q === applied.q && text.tag === applied.tag) return;
    const timer = setTimeout(() => set({ q: text.q, tag: text.tag }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [applied.q, applied.tag, set, text]);

  const filter = useMemo(() => filterOf(applied), [applied]);
  const orderBy = useMemo(() => orderOf(applied.sort), [applied.sort]);
  return {
    /** What the boxes show (typed, maybe not applied yet). */
    text,
    setQ: (q: string) => setText((current) => ({ ...current, q })),
    setTag: (tag: string) => setText((current) => ({ ...current, tag })),
    category: applied.category,
    setCategory: (category: string) => set({ category }),
    owner: applied.owner,
    setOwner: (owner: string) => set({ owner }),
    sort: applied.sort,
    setSort: (sort: SortKey) => set({ sort: sort === DEFAULT_SORT ? '' : sort }),
    /** The applied filter and order, as the query sends them. */
    filter,
    orderBy,
    /** Changes whenever the applied search does: the pager starts again from page 1. */
    key: JSON.stringify([filter, orderBy]),
  };
}
