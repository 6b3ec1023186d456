/**
 * What agency copy itself holds back, whatever the flags: an item the agency killed or withheld
 * (a `status` other than usable on any source of the same `guid`, the latest version deciding),
 * an embargo not yet lifted (`--future` does not release it), and an item past its `expires`.
 * When several usable sources share a `guid` (an update or correction arrived as a new raw
 * file), the earliest-ingested version stays published, as an editor may have edited it, and
 * each later one is held for review with a warning on every build: neither side is dropped.
 * Pure: the build passes "now" and reports each hold by name.
 */
import path from 'node:path';
import type { Article } from './article.ts';

export type Hold =
  | { readonly kind: 'withdrawn'; readonly status: 'withheld' | 'canceled'; readonly by: string }
  | { readonly kind: 'embargoed'; readonly until: Date }
  | { readonly kind: 'expired'; readonly at: Date }
  /** A later version of an item whose earlier version is published: kept for an editor to review. */
  | { readonly kind: 'newer-version'; readonly of: string };

/** The latest of a guid's sources: highest version, then latest update; a kill wins a tie. */
function latest(a: Article, b: Article): Article {
  const versions = (a.version ?? 0) - (b.version ?? 0) || a.updated.getTime() - b.updated.getTime();
  if (versions !== 0) return versions > 0 ? a : b;
  return statusOf(a) !== 'usable' ? a : b;
}

const statusOf = (article: Article) => article.status ?? 'usable';

export function holdsOf(articles: readonly Article[], now: Date): Map<Article, Hold> {
  const byGuid = new Map<string, Article>();
  for (const article of articles) {
    if (!article.guid) continue;
    const known = byGuid.get(article.guid);
    byGuid.set(article.guid, known ? latest(known, article) : article);
  }
  const holds = new Map<Article, Hold>();
  for (const article of articles) {
    const decides = article.guid ? byGuid.get(article.guid)! : article;
    const decided = statusOf(decides);
    const own = statusOf(article);
    if (decided !== 'usable') holds.set(article, { kind: 'withdrawn', status: decided, by: decides.sourcePath });
    else if (own !== 'usable') holds.set(article, { kind: 'withdrawn', status: own, by: article.sourcePath });
    else if (article.embargoed && article.embargoed > now) holds.set(article, { kind: 'embargoed', until: article.embargoed });
    else if (article.expires && article.expires <= now) holds.set(article, { kind: 'expired', at: article.expires });
  }
  // of the usable sources of one guid, the first version stays; later ones wait for review
  const first = new Map<string, Article>();
  for (const article of articles) {
    if (!article.guid || holds.has(article)) continue;
    const known = first.get(article.guid);
    if (!known || (article.version ?? 0) < (known.version ?? 0) || ((article.version ?? 0) === (known.version ?? 0) && article.sourcePath < known.sourcePath)) first.set(article.guid, article);
  }
  for (const article of articles) {
    const kept = article.guid ? first.get(article.guid) : undefined;
    if (kept && kept !== article && !holds.has(article)) holds.set(article, { kind: 'newer-version', of: kept.sourcePath });
  }
  return holds;
}

/** A version waiting for review is a warning (it needs an editor); the other holds are notices. */
export function holdSeverity(hold: Hold): 'warning' | 'notice' {
  return hold.kind === 'newer-version' ? 'warning' : 'notice';
}

/** What the build prints about a hold, naming the article. */
export function describeHold(article: Article, hold: Hold): string {
  const title = `“${article.title}”`;
  switch (hold.kind) {
    case 'withdrawn':
      return `${title} is withdrawn: the agency marked it ${hold.status}${hold.by === article.sourcePath ? '' : ` (in ${path.basename(hold.by)})`}; it is left out of every page, feed and sitemap`;
    case 'embargoed':
      return `${title} is under embargo until ${hold.until.toISOString().replace('.000Z', 'Z')}; held back (--future does not release an embargo)`;
    case 'expired':
      return `${title} expired at ${hold.at.toISOString().replace('.000Z', 'Z')}; held back`;
    case 'newer-version':
      return `${title} (version ${article.version ?? '?'}) is a later version of ${path.basename(hold.of)}, which stays published: review the two, keep one and delete the other`;
  }
}

/**
 * The earliest instant after `now` at which the edition changes by itself: an article's date or
 * embargo passes, or a published article expires.
 */
export function nextChange(articles: readonly Article[], now: Date): number | null {
  // a loop, not Math.min(...times): a spread of 100,000 future dates overflows the stack
  let next: number | null = null;
  for (const article of articles) {
    for (const date of [article.date, article.embargoed, article.expires]) {
      if (date && date > now && (next === null || date.getTime() < next)) next = date.getTime();
    }
  }
  return next;
}
