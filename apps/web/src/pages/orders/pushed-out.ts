import type { Order } from '../../api/client';

/** True when `a` comes after `b` in the API's order (newest first by orderedAt, then by id descending). */
function listedAfter(a: Order, b: Order): boolean {
  const at = Date.parse(a.orderedAt) - Date.parse(b.orderedAt);
  return at < 0 || (at === 0 && a.id < b.id);
}

/**
 * The orders a refreshed first page no longer holds because newer ones pushed them out of it. While
 * further pages are loaded they belong in front of those pages: the next page's cursor starts after
 * the old first page, so nothing else would list them. An order missing from the new first page that
 * sorts before its last one no longer matches the filters and stays out.
 */
export function pushedOutOfFirstPage(previousFirst: readonly Order[], newFirst: readonly Order[], loadedBeyond: readonly Order[]): Order[] {
  const last = newFirst[newFirst.length - 1];
  if (!last) return [];
  const listed = new Set([...newFirst, ...loadedBeyond].map((o) => o.id));
  return previousFirst.filter((o) => !listed.has(o.id) && listedAfter(o, last));
}
