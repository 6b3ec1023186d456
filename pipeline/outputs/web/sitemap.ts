/**
 * `sitemap.xml` (sitemaps.org 0.9): the front page, every article page and every topic page, by
 * absolute URL, each with the date it last changed (an article's `updated`; a list page's, its
 * newest article's). Above `sitemapLimit` URLs (50,000 by default, the protocol's limit) it is a
 * sitemap index instead: the pages that are not articles in `sitemaps/pages.xml`, the articles
 * in parts of `sitemapLimit` numbered from the oldest (see parts.ts), so an arrival or a
 * correction rewrites the index and one part, never the old parts.
 *
 * Beside it, `sitemap-news.xml`: a Google News sitemap of the articles published in the two days
 * up to the newest article's date (never the clock's), at most 1,000 (Google's limit).
 *
 * Dates come from the articles, never the clock. The XML is an xast tree serialised by
 * xast-util-to-xml, so no text is ever spliced into markup.
 */
import { x } from 'xastscript';
import { toXml } from 'xast-util-to-xml';
import type { Element } from 'xast';
import type { Article } from '../../model/article.ts';
import { formatIsoDate } from '../../model/dates.ts';
import { topicsOf } from '../../model/topics.ts';
import { absoluteUrl } from '../../model/urls.ts';
import { digest, digestOf } from '../../engine/digest.ts';
import { keepWhenAsked, type Edition, type ListOutput, type PlannedFile, type RenderMemo } from '../edition.ts';
import { OUTPUTS } from '../registry.ts';
import { partsFromOldest } from '../parts.ts';

const SITEMAP_NAMESPACE = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const NEWS_NAMESPACE = 'http://www.google.com/schemas/sitemap-news/0.9';

/** The news sitemap's window, back from the newest article's date, and Google's limit on its URLs. */
export const NEWS_WINDOW_MS = 2 * 24 * 60 * 60 * 1000;
export const NEWS_MAX_URLS = 1000;

/** A page of the sitemap: its absolute URL and when it last changed (W3C date-time). */
type SitemapEntry = readonly [url: string, lastmod: string | null];

export const sitemapOutput: ListOutput = {
  formats: [OUTPUTS.sitemap, OUTPUTS.sitemapPages, OUTPUTS.sitemapPart, OUTPUTS.newsSitemap],
  plan: (edition, memo) => [...sitemapPlans(edition, memo), newsSitemapPlan(edition, memo)],
};

/** The sitemap's files: one `sitemap.xml`, or an index and its parts. */
function sitemapPlans(edition: Edition, memo: RenderMemo): PlannedFile[] {
  const { site, articles } = edition;
  const path = OUTPUTS.sitemap.path('');
  const pages = pageEntries(edition);
  if (pages.length + articles.length <= site.sitemapLimit) {
    return [{ path, articles: [], render: () => urlsetFile(memo, path, OUTPUTS.sitemap.name, pages.slice(0, 1), articles.map((article) => articleEntry(edition, article)), pages.slice(1)) }];
  }
  const pagesPath = OUTPUTS.sitemapPages.path('');
  const { parts } = partsFromOldest(articles, 0, site.sitemapLimit);
  const files: PlannedFile[] = [{ path: pagesPath, articles: [], render: () => urlsetFile(memo, pagesPath, OUTPUTS.sitemapPages.name, pages, [], []) }];
  // an index names each part with its newest change: [path, lastmod]
  const index: SitemapEntry[] = [[absoluteUrl(site, pagesPath), lastChange(articles)]];
  parts.forEach((members, i) => {
    const partPath = OUTPUTS.sitemapPart.path('', i + 1);
    index.push([absoluteUrl(site, partPath), lastChange(members)]);
    // oldest first within a part too: a part reads in the order it grew
    files.push({ path: partPath, articles: [], render: () => urlsetFile(memo, partPath, OUTPUTS.sitemapPart.name, [], [...members].reverse().map((article) => articleEntry(edition, article)), []) });
  });
  files.unshift({ path, articles: [], render: () => memo.output(path, 'sitemap-index', [digest(index)], () => renderSitemapIndex(index)) });
  return files;
}

/** Article URLs per block of a sitemap, counted from the oldest (see urlsetFile). */
export const SITEMAP_BLOCK = 1000;

/** The memo's kind for a block of a sitemap's URLs. */
const URLS_KIND = 'sitemap-urls';

/**
 * A `<urlset>` file of `before`, `articles` and `after`. The article URLs are kept in the memo
 * in blocks of SITEMAP_BLOCK counted from the oldest end, so that an arrival (or a correction)
 * renders one block of them again, not the whole archive: a sitemap lists every article.
 */
function urlsetFile(memo: RenderMemo, path: string, kind: string, before: readonly SitemapEntry[], articles: readonly SitemapEntry[], after: readonly SitemapEntry[]) {
  // newest first, as the URLs are listed
  const blocks = [...partsFromOldest(articles, 0, SITEMAP_BLOCK).parts].reverse();
  let rendered = false;
  const output = memo.output(path, kind, [digest([before, articles, after])], () => {
    rendered = true;
    const [open, close] = urlsetShell();
    return [open, utf8(renderUrls(before)), ...blocks.map((block) => memo.bytes(URLS_KIND, block, () => renderUrls(block))), utf8(renderUrls(after)), close];
  });
  // a sitemap taken whole keeps its blocks for the day it is made anew
  if (!rendered) {
    keepWhenAsked(memo, () => {
      for (const block of blocks) memo.keep?.(URLS_KIND, block);
    });
  }
  return output;
}

/** `<url>` elements of `entries`, each on a line of its own: what goes inside `<urlset>`. */
function renderUrls(entries: readonly SitemapEntry[]): string {
  return toXml(x(null, entries.flatMap(([url, lastmod]) => ['\n  ', x('url', [x('loc', url), ...(lastmod ? [x('lastmod', lastmod)] : [])])])));
}

/** A `<urlset>` document as what comes before its URLs and what comes after them. */
function urlsetShell(): [Uint8Array, Uint8Array] {
  const whole = document(x('urlset', { xmlns: SITEMAP_NAMESPACE }, '\n'));
  const at = whole.lastIndexOf('\n</urlset>');
  return [utf8(whole.slice(0, at)), utf8(whole.slice(at))];
}

function utf8(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

function articleEntry(edition: Edition, article: Article): SitemapEntry {
  return [absoluteUrl(edition.site, OUTPUTS.articlePage.path(article.slug)), formatIsoDate(article.updated)];
}

function lastChange(articles: readonly Article[]): string | null {
  const newest = articles.reduce<Date | null>((latest, article) => (latest && latest >= article.updated ? latest : article.updated), null);
  return newest && formatIsoDate(newest);
}

/** The pages that are not articles: the front page, then each topic's. */
function pageEntries(edition: Edition): SitemapEntry[] {
  const { site, articles } = edition;
  return [
    [absoluteUrl(site, OUTPUTS.frontPage.path('')), lastChange(articles)],
    ...topicsOf(articles).map((topic): SitemapEntry => [absoluteUrl(site, OUTPUTS.topicPage.path(topic.slug)), lastChange(topic.articles)]),
  ];
}

/** `<sitemapindex>` naming each sitemap of `entries`. */
export function renderSitemapIndex(entries: readonly SitemapEntry[]): string {
  return document(x('sitemapindex', { xmlns: SITEMAP_NAMESPACE }, entries.flatMap(([url, lastmod]) => ['\n  ', x('sitemap', [x('loc', url), ...(lastmod ? [x('lastmod', lastmod)] : [])])]), '\n'));
}

function document(root: Element): string {
  return toXml(x(null, [{ type: 'instruction', name: 'xml', value: 'version="1.0" encoding="UTF-8"' }, '\n', root, '\n']));
}

/**
 * The articles the news sitemap lists: published at most two days before the newest one,
 * newest first, at most NEWS_MAX_URLS. Counted from the newest article, not the clock, so the
 * same sources always give the same file.
 */
export function newsArticles(articles: readonly Article[]): readonly Article[] {
  const newest = articles[0];
  if (!newest) return [];
  const from = newest.date.getTime() - NEWS_WINDOW_MS;
  const shown: Article[] = [];
  // newest first: stop at the first one outside the window
  for (const article of articles) {
    if (article.date.getTime() < from || shown.length === NEWS_MAX_URLS) break;
    shown.push(article);
  }
  return shown;
}

/**
 * Google News wants ISO 639 codes, with `zh-cn` and `zh-tw` for the two Chinese scripts: the
 * article's BCP 47 tag, reduced to that.
 */
function newsLanguage(lang: string): string {
  const [primary = 'en', ...rest] = lang.toLowerCase().split('-');
  if (primary !== 'zh') return primary;
  return rest.some((subtag) => subtag === 'hant' || subtag === 'tw' || subtag === 'hk' || subtag === 'mo') ? 'zh-tw' : 'zh-cn';
}

function newsSitemapPlan(edition: Edition, memo: RenderMemo): PlannedFile {
  const path = OUTPUTS.newsSitemap.path('');
  return {
    path,
    articles: [],
    render: () => {
      const { site } = edition;
      const publication = site.publisher.name;
      const items = newsArticles(edition.articles).map((article) => ({
        url: absoluteUrl(site, OUTPUTS.articlePage.path(article.slug)),
        language: newsLanguage(article.lang),
        date: formatIsoDate(article.date),
        title: article.title,
      }));
      return memo.output(path, OUTPUTS.newsSitemap.name, [digestOf(site), digest(items)], () =>
        document(
          x(
            'urlset',
            { xmlns: SITEMAP_NAMESPACE, 'xmlns:news': NEWS_NAMESPACE },
            items.flatMap((item) => [
              '\n  ',
              x('url', [
                x('loc', item.url),
                x('news:news', [
                  x('news:publication', [x('news:name', publication), x('news:language', item.language)]),
                  x('news:publication_date', item.date),
                  x('news:title', item.title),
                ]),
              ]),
            ]),
            '\n',
          ),
        ),
      );
    },
  };
}
