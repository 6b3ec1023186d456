/**
 * What every output shows of an article beyond its own text, decided once, so that the page,
 * the feeds and the PDF cannot disagree: which URLs are safe to link, what each related item
 * links to, and the copyright line.
 */
import type { Article, RelatedArticle } from '../model/article.ts';
import type { SiteSettings } from '../model/site.ts';
import { absoluteUrl } from '../model/urls.ts';
import { OUTPUTS } from './registry.ts';

/**
 * `url` when, resolved against `base` the way a browser would, it is http(s) (or, with `mail`, a
 * mailto: address): resolving first catches `java\tscript:` and other spellings a prefix check
 * misses. Relative URLs stay relative unless `absolute`.
 */
export function safeUrl(url: string, base: string, options: { readonly absolute: boolean; readonly mail?: boolean }): string | null {
  let resolved: URL;
  try {
    resolved = new URL(url, base);
  } catch {
    return null;
  }
  const allowed = resolved.protocol === 'http:' || resolved.protocol === 'https:' || (options.mail === true && resolved.protocol === 'mailto:');
  if (!allowed) return null;
  return options.absolute || URL.canParse(url) ? resolved.href : url;
}

/** What a related item links to: the editor's URL, a published article, or nothing (plain text). */
export type RelatedTarget = { readonly url: string } | { readonly article: Article } | null;

/** The articles a related item can be matched against: the edition's (an output's view of it). */
export interface RelatedScope {
  readonly site: Pick<SiteSettings, 'baseUrl'>;
  readonly articles: readonly Article[];
}

/**
 * The editor's URL when it is a web address (never `javascript:` and the like; relative to the
 * article's page, and kept relative), else the published article with that title (not the
 * article itself), else nothing.
 */
export function relatedTarget(item: RelatedArticle, self: Article, scope: RelatedScope): RelatedTarget {
  if (item.url) {
    const given = safeUrl(item.url, absoluteUrl(scope.site, OUTPUTS.articlePage.path(self.slug)), { absolute: false });
    if (given) return { url: given };
  }
  const match = articlesByTitle(scope).get(titleKey(item.title))?.find((article) => article !== self);
  return match ? { article: match } : null;
}

/** A related item with an absolute URL, or none: as the PDF and other documents outside the site link it. */
export interface RelatedLink {
  readonly title: string;
  readonly url: string | null;
}

export function relatedLinks(article: Article, scope: RelatedScope): RelatedLink[] {
  const pageUrl = absoluteUrl(scope.site, OUTPUTS.articlePage.path(article.slug));
  return article.related.map((item) => {
    const target = relatedTarget(item, article, scope);
    const url = target === null ? null : 'url' in target ? new URL(target.url, pageUrl).href : absoluteUrl(scope.site, OUTPUTS.articlePage.path(target.article.slug));
    return { title: item.title, url };
  });
}

/** The copyright line every output states. */
export function copyrightOf(site: Pick<SiteSettings, 'copyright' | 'publisher'>): string {
  return site.copyright ?? `© ${site.publisher.name}`;
}

/**
 * The scope's articles by title key, made once per list of articles: looking titles up article
 * by article would make related links cost O(n²) on a large archive. Kept per list object, so it
 * lives exactly as long as the list and can never describe another one.
 */
const titleIndexes = new WeakMap<readonly Article[], Map<string, Article[]>>();

function articlesByTitle(scope: RelatedScope): Map<string, Article[]> {
  let index = titleIndexes.get(scope.articles);
  if (!index) {
    index = new Map();
    for (const article of scope.articles) {
      const key = titleKey(article.title);
      const same = index.get(key);
      if (same) same.push(article);
      else index.set(key, [article]);
    }
    titleIndexes.set(scope.articles, index);
  }
  return index;
}

/** Titles as an editor would consider them the same: case, spacing and Unicode form aside. */
function titleKey(title: string): string {
  // printable ASCII is its own NFKC form: most titles skip the normalisation, the costly part
  const normal = PRINTABLE_ASCII.test(title) ? title : title.normalize('NFKC');
  // toLowerCase is Unicode's default, language-neutral lower-casing (what toLocaleLowerCase('und') gives, at a fraction of the cost)
  return normal.replace(/\s+/g, ' ').trim().toLowerCase();
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
