/**
 * Long lists cut into documents that stay put: the newest items in a first document (the front
 * page, a subscription feed), the older ones in parts numbered from the oldest. Part 1 always
 * holds the oldest `size` items, part 2 the next, and so on, so an arriving article (the newest)
 * moves items only at the newest end: the parts before the newest one never change, however long
 * the archive. Counted from the newest instead, every page would shift by one at each arrival.
 */

export interface Parted<T> {
  /** The newest items, newest first: the first document. */
  readonly head: readonly T[];
  /** The older items in parts: `parts[0]` is part 1, the oldest. Each newest first. */
  readonly parts: readonly (readonly T[])[];
}

/**
 * `items` (newest first) as the newest `headCount` and parts of `size` from the oldest; the
 * newest part holds what is left over (from 1 to `size` items).
 */
export function partsFromOldest<T>(items: readonly T[], headCount: number, size: number): Parted<T> {
  if (!(size >= 1)) throw new Error(`parts need a size of at least 1, not ${size}`);
  const head = items.slice(0, headCount);
  const rest = items.slice(headCount);
  const parts: T[][] = [];
  // oldest-first positions [k·size, (k+1)·size) are newest-first [R − (k+1)·size, R − k·size)
  for (let end = rest.length; end > 0; end -= size) parts.push(rest.slice(Math.max(0, end - size), end));
  return { head, parts };
}

/**
 * List pages: the front (or first topic) page shows the newest `pageSize`; the older pages hold
 * `pageSize` each from the oldest, the newest of them what is left. An arrival rewrites the first
 * page and the newest older page (and, once in `pageSize` arrivals, starts a new one).
 */
export function listPages<T>(items: readonly T[], pageSize: number): Parted<T> {
  return partsFromOldest(items, pageSize, pageSize);
}

/** The items an archive document of a feed with `feedLimit` holds: half of it, rounded up. */
export function archiveSize(feedLimit: number): number {
  return Math.ceil(feedLimit / 2);
}

/**
 * A feed (RFC 5005): archive documents are only ever full (`archiveSize` items, from the oldest),
 * so no arrival changes one; the subscription document holds the rest, the newest, which is never
 * more than `feedLimit` and, once there are that many articles, more than half of it.
 */
export function feedArchives<T>(items: readonly T[], feedLimit: number): Parted<T> {
  const size = archiveSize(feedLimit);
  const archived = size * Math.ceil(Math.max(0, items.length - feedLimit) / size);
  return partsFromOldest(items, items.length - archived, size);
}
