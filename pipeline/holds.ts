/**
 * What agency copy itself holds back, whatever the flags: an item the agency killed or withheld
 * (a `status` other than usable on any source of the same `guid`, the latest version deciding),
 * an embargo not yet lifted (`--future` does not release it), and an item past its `expires`.
 * Pure: the build passes "now" and reports each hold by name.
 */
import path from 'node:path';
import type { Article } from './article.ts';

export type Hold =
  | { readonly kind: 'withdrawn'; readonly status: 'withheld' | 'canceled'; readonly by: string }
  | { readonly kind: 'embargoed'; readonly until: Date }
  | { readonly kind: 'expired'; readonly at: Date };

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
  return holds;
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
  }
}

/**
 * The earliest instant after `now` at which the edition changes by itself: an article's date or
 * embargo passes, or a published article expires.
 */
export function nextChange(articles: readonly Article[], now: Date): number | null {
  const times = articles.flatMap((article) => [article.date, article.embargoed, article.expires]).flatMap((date) => (date && date > now ? [date.getTime()] : []));
  return times.length ? Math.min(...times) : null;
}
