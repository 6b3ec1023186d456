/**
 * `sitemap.xml` (sitemaps.org 0.9): the front page, every article page and every topic page, by
 * absolute URL, each with the date it last changed (an article's `updated`; a list page's, its
 * newest article's). Dates come from the articles, never the clock. The XML is an xast tree
 * serialised by xast-util-to-xml, so no text is ever spliced into markup.
 */
import { x } from 'xastscript';
import { toXml } from 'xast-util-to-xml';
import type { Article } from '../../model/article.ts';
import { formatIsoDate } from '../../model/dates.ts';
import { topicsOf } from '../../model/topics.ts';
import { absoluteUrl } from '../../model/urls.ts';
import { digestOf } from '../../engine/digest.ts';
import type { Edition, ListOutput } from '../edition.ts';
import { OUTPUTS } from '../registry.ts';

const SITEMAP_NAMESPACE = 'http://www.sitemaps.org/schemas/sitemap/0.9';

/** A page of the sitemap: its absolute URL and when it last changed (W3C date-time). */
type SitemapEntry = readonly [url: string, lastmod: string | null];

export const sitemapOutput: ListOutput = {
  formats: [OUTPUTS.sitemap],
  plan(edition, memo) {
    const path = OUTPUTS.sitemap.path('');
    return [
      {
        path,
        articles: [],
        render: () => {
          const entries = sitemapEntries(edition);
          return memo.output(path, OUTPUTS.sitemap.name, [digestOf(entries)], () => renderSitemap(entries));
        },
      },
    ];
  },
};

function lastChange(articles: readonly Article[]): string | null {
  const newest = articles.reduce<Date | null>((latest, article) => (latest && latest >= article.updated ? latest : article.updated), null);
  return newest && formatIsoDate(newest);
}

/** Every page of the web edition, front page first, then articles newest first, then topics. */
export function sitemapEntries(edition: Edition): SitemapEntry[] {
  const { site, articles } = edition;
  return [
    [absoluteUrl(site, OUTPUTS.frontPage.path('')), lastChange(articles)],
    ...articles.map((article): SitemapEntry => [absoluteUrl(site, OUTPUTS.articlePage.path(article.slug)), formatIsoDate(article.updated)]),
    ...topicsOf(articles).map((topic): SitemapEntry => [absoluteUrl(site, OUTPUTS.topicPage.path(topic.slug)), lastChange(topic.articles)]),
  ];
}

export function renderSitemap(entries: readonly SitemapEntry[]): string {
  const tree = x(null, [
    { type: 'instruction', name: 'xml', value: 'version="1.0" encoding="UTF-8"' },
    '\n',
    x(
      'urlset',
      { xmlns: SITEMAP_NAMESPACE },
      entries.flatMap(([url, lastmod]) => ['\n  ', x('url', [x('loc', url), ...(lastmod ? [x('lastmod', lastmod)] : [])])]),
      '\n',
    ),
    '\n',
  ]);
  return toXml(tree);
}
