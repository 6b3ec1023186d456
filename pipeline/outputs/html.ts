/**
 * The web edition: one page per article, the front page, a page per topic, and the
 * stylesheet. This module decides what each page says and where it points (relative links
 * inside the site so it works under a sub-path, absolute URLs in the metadata); the templates
 * in `templates/` decide how it looks. Pages are hast trees serialised once by
 * hast-util-to-html, so text from content is always escaped and never becomes markup.
 */
import fs from 'node:fs';
import type { Element, ElementContent, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { visit } from 'unist-util-visit';
import type { Article, RelatedArticle } from '../article.ts';
import { summaryRepeatsLede } from '../lede.ts';
import { isRightToLeft } from '../lang.ts';
import { claimSlug } from '../slug.ts';
import { tagSlug, topicsOf, type Topic } from '../topics.ts';
import { projectFile } from '../project.ts';
import { OUTPUT_PATHS, absoluteUrl, relativeHref } from '../urls.ts';
import { formatIsoDate } from '../dates.ts';
import { bodyHast } from './body-html.ts';
import type { Edition, OutputFile } from './edition.ts';
import { articlePage } from '../../templates/article-page.tsx';
import { indexPage } from '../../templates/index-page.tsx';
import { tagPage } from '../../templates/tag-page.tsx';
import { fileSize, pdfLabel } from '../../templates/format.ts';
import type { AlternateView, MetaView, PageView, RelatedView, SiteChromeView, TagView, TeaserView } from '../../templates/views.ts';

/** The stylesheet in `templates/`, published as OUTPUT_PATHS.stylesheet. */
export const STYLESHEET_SOURCE = projectFile('templates/style.css');

/** Every file of the web edition: front page, article pages, topic pages, stylesheet. */
export function renderHtml(edition: Edition): OutputFile[] {
  return [
    ...edition.articles.map((article) => ({ path: OUTPUT_PATHS.articlePage(article.slug), data: renderArticlePage(article, edition) })),
    ...renderSitePages(edition),
  ];
}

/**
 * The pages that list articles (front page, topic pages) and the stylesheet: what the build
 * renders after every article, while article pages render one by one as their PDFs are ready.
 */
export function renderSitePages(edition: Edition): OutputFile[] {
  const files: OutputFile[] = [{ path: OUTPUT_PATHS.index, data: renderIndexPage(edition) }];
  for (const topic of topicsOf(edition.articles)) {
    files.push({ path: OUTPUT_PATHS.tagPage(topic.slug), data: renderTagPage(topic, edition) });
  }
  // Read at render time, not module load: no module-level state, and an edited stylesheet is
  // picked up by a long-running watcher.
  files.push({ path: OUTPUT_PATHS.stylesheet, data: fs.readFileSync(STYLESHEET_SOURCE, 'utf8') });
  return files;
}

export function renderArticlePage(article: Article, edition: Edition): string {
  const { site } = edition;
  const pagePath = OUTPUT_PATHS.articlePage(article.slug);
  const canonical = absoluteUrl(site, pagePath);
  const pdfPath = OUTPUT_PATHS.articlePdf(article.slug);
  const pdfBytes = edition.pdfBytes.get(article.slug) ?? null;
  const body = bodyHast(article);
  levelHeadings(body);
  markDirectionAuto(body);
  const taken = idsIn(body);
  const updated = article.updated.getTime() > article.date.getTime() ? article.updated : null;

  const page: PageView = {
    ...pageBasics(edition, pagePath, article.lang),
    title: `${article.title} — ${site.title}`,
    description: article.summary,
    alternates: [
      ...feedAlternates(edition, pagePath),
      { type: 'application/pdf', href: relativeHref(pagePath, pdfPath), title: `${article.title} (${pdfLabel(pdfBytes)})` },
    ],
    meta: [
      name('author', article.author),
      property('og:site_name', site.title),
      property('og:type', 'article'),
      property('og:title', article.title),
      property('og:description', article.summary),
      property('og:url', canonical),
      property('article:published_time', formatIsoDate(article.date)),
      property('article:modified_time', formatIsoDate(article.updated)),
      property('article:author', article.author),
      ...article.tags.map((tag) => property('article:tag', tag)),
      name('twitter:card', 'summary'),
      name('twitter:title', article.title),
      name('twitter:description', article.summary),
    ],
    jsonLd: jsonLdText(newsArticleJsonLd(article, edition, pdfBytes)),
  };
  return serialise(
    articlePage({
      page,
      lang: article.lang,
      dir: direction(article.lang),
      title: article.title,
      standfirst: summaryRepeatsLede(article) ? null : article.summary,
      author: article.author,
      published: article.date,
      updated,
      readingMinutes: article.readingMinutes,
      body,
      credit: article.credit,
      related: article.related.map((item) => relatedView(item, article, edition, pagePath)),
      tags: article.tags.map((tag) => tagView(tag, pagePath)),
      pdf: { href: relativeHref(pagePath, pdfPath), bytes: pdfBytes },
      ids: { content: claimSlug('content', taken), related: claimSlug('related', taken), tags: claimSlug('topics', taken) },
    }),
  );
}

export function renderIndexPage(edition: Edition): string {
  const { site } = edition;
  const pagePath = OUTPUT_PATHS.index;
  const canonical = absoluteUrl(site, pagePath);
  const page: PageView = {
    ...pageBasics(edition, pagePath, site.language),
    title: site.title,
    description: site.description,
    alternates: feedAlternates(edition, pagePath),
    meta: [
      property('og:site_name', site.title),
      property('og:type', 'website'),
      property('og:title', site.title),
      property('og:description', site.description),
      property('og:url', canonical),
      name('twitter:card', 'summary'),
      name('twitter:title', site.title),
      name('twitter:description', site.description),
    ],
    jsonLd: jsonLdText(websiteJsonLd(edition)),
  };
  return serialise(indexPage({ page, articles: edition.articles.map((article) => teaserView(article, edition, pagePath)) }));
}

export function renderTagPage(topic: Topic, edition: Edition): string {
  const { site } = edition;
  const pagePath = OUTPUT_PATHS.tagPage(topic.slug);
  const canonical = absoluteUrl(site, pagePath);
  const description = `Articles on ${topic.label} from ${site.title}.`;
  const page: PageView = {
    ...pageBasics(edition, pagePath, site.language),
    title: `${topic.label} — ${site.title}`,
    description,
    alternates: [
      ...feedAlternates(edition, pagePath),
      // The topic's own feeds, which the feeds stage writes for every tag that has a slug.
      ...FEEDS.map((feed) => ({ type: feed.type, href: relativeHref(pagePath, OUTPUT_PATHS.tagFeed(topic.slug, feed.key)), title: `${site.title}: ${topic.label} (${feed.label})` })),
    ],
    meta: [
      property('og:site_name', site.title),
      property('og:type', 'website'),
      property('og:title', `${topic.label} — ${site.title}`),
      property('og:description', description),
      property('og:url', canonical),
      name('twitter:card', 'summary'),
    ],
    jsonLd: jsonLdText({
      '@context': 'https://schema.org',
      '@type': 'CollectionPage',
      name: topic.label,
      url: canonical,
      isPartOf: { '@type': 'WebSite', name: site.title, url: site.baseUrl },
    }),
  };
  const feeds = FEEDS.map((feed) => ({ href: relativeHref(pagePath, OUTPUT_PATHS.tagFeed(topic.slug, feed.key)), label: feed.label }));
  return serialise(tagPage({ page, tag: topic.label, feeds, articles: topic.articles.map((article) => teaserView(article, edition, pagePath)) }));
}

/** `</script>`, `<!--` and `]]>` cannot occur in the output: every `<`, `>` and `&` is a JSON escape. */
export function jsonLdText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The schema.org NewsArticle search engines read: headline, dates, people, the PDF. */
export function newsArticleJsonLd(article: Article, edition: Edition, pdfBytes: number | null): Record<string, unknown> {
  const { site } = edition;
  const url = absoluteUrl(site, OUTPUT_PATHS.articlePage(article.slug));
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: article.title,
    description: article.summary,
    datePublished: formatIsoDate(article.date),
    dateModified: formatIsoDate(article.updated),
    author: { '@type': 'Person', name: article.author },
    publisher: publisherJsonLd(edition),
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    url,
    inLanguage: article.lang,
    ...(article.tags.length > 0 ? { keywords: [...article.tags] } : {}),
    wordCount: article.words,
    ...(article.credit ? { creditText: article.credit } : {}),
    isPartOf: { '@type': 'WebSite', name: site.title, url: site.baseUrl },
    associatedMedia: {
      '@type': 'MediaObject',
      contentUrl: absoluteUrl(site, OUTPUT_PATHS.articlePdf(article.slug)),
      encodingFormat: 'application/pdf',
      ...(pdfBytes === null ? {} : { contentSize: fileSize(pdfBytes) }),
    },
  };
}

function websiteJsonLd(edition: Edition): Record<string, unknown> {
  const { site } = edition;
  return {
    '@context': 'https://schema.org',
    '@type': 'WebSite',
    name: site.title,
    description: site.description,
    url: site.baseUrl,
    inLanguage: site.language,
    publisher: publisherJsonLd(edition),
  };
}

function publisherJsonLd(edition: Edition): Record<string, unknown> {
  const { publisher, baseUrl } = edition.site;
  const logo = publisher.logo ? safeUrl(publisher.logo, baseUrl, { absolute: true }) : null;
  return { '@type': 'Organization', name: publisher.name, ...(logo ? { logo: { '@type': 'ImageObject', url: logo } } : {}) };
}

/** What every page of the edition shares, seen from the page at `pagePath`. */
function pageBasics(edition: Edition, pagePath: string, lang: string): Pick<PageView, 'lang' | 'dir' | 'canonical' | 'stylesheet' | 'site'> {
  return {
    lang,
    dir: direction(lang),
    canonical: absoluteUrl(edition.site, pagePath),
    stylesheet: relativeHref(pagePath, OUTPUT_PATHS.stylesheet),
    site: siteChrome(edition, pagePath),
  };
}

function siteChrome(edition: Edition, pagePath: string): SiteChromeView {
  const { site } = edition;
  return {
    title: site.title,
    description: site.description,
    lang: site.language,
    dir: direction(site.language),
    home: relativeHref(pagePath, OUTPUT_PATHS.index),
    feeds: FEEDS.map((feed) => ({ href: relativeHref(pagePath, OUTPUT_PATHS[feed.key]), label: feed.label })),
    copyright: site.copyright ?? `© ${site.publisher.name}`,
    editionDate: edition.articles[0]?.date ?? null,
    dateLocale: site.language,
  };
}

/** The three feeds, as autodiscovery links and subscribe links. */
const FEEDS = [
  { key: 'rss', type: 'application/rss+xml', label: 'RSS' },
  { key: 'atom', type: 'application/atom+xml', label: 'Atom' },
  { key: 'json', type: 'application/feed+json', label: 'JSON Feed' },
] as const;

function feedAlternates(edition: Edition, pagePath: string): AlternateView[] {
  return FEEDS.map((feed) => ({ type: feed.type, href: relativeHref(pagePath, OUTPUT_PATHS[feed.key]), title: `${edition.site.title} (${feed.label})` }));
}

function teaserView(article: Article, edition: Edition, pagePath: string): TeaserView {
  return {
    href: relativeHref(pagePath, OUTPUT_PATHS.articlePage(article.slug)),
    lang: article.lang,
    dir: direction(article.lang),
    title: article.title,
    summary: article.summary,
    author: article.author,
    published: article.date,
    readingMinutes: article.readingMinutes,
    pdf: { href: relativeHref(pagePath, OUTPUT_PATHS.articlePdf(article.slug)), bytes: edition.pdfBytes.get(article.slug) ?? null },
    tags: article.tags.map((tag) => tagView(tag, pagePath)),
  };
}

function tagView(tag: string, pagePath: string): TagView {
  const slug = tagSlug(tag);
  return { label: tag, href: slug ? relativeHref(pagePath, OUTPUT_PATHS.tagPage(slug)) : null };
}

/**
 * The editor's URL when it is a web address (never `javascript:` and the like), else the page
 * of the published article with that title, else plain text.
 */
export function relatedView(item: RelatedArticle, self: Article, edition: Edition, pagePath: string): RelatedView {
  const given = item.url ? safeUrl(item.url, absoluteUrl(edition.site, pagePath), { absolute: false }) : null;
  if (given) return { title: item.title, href: given };
  const match = articlesByTitle(edition).get(titleKey(item.title))?.find((article) => article !== self);
  return { title: item.title, href: match ? relativeHref(pagePath, OUTPUT_PATHS.articlePage(match.slug)) : null };
}

/**
 * The edition's articles by title key, made once per edition: looking titles up article by
 * article made related links cost O(n²) on a large archive. Kept per edition object, so it
 * lives exactly as long as the edition and can never describe another one.
 */
const titleIndexes = new WeakMap<Edition, Map<string, Article[]>>();

function articlesByTitle(edition: Edition): Map<string, Article[]> {
  let index = titleIndexes.get(edition);
  if (!index) {
    index = new Map();
    for (const article of edition.articles) {
      const key = titleKey(article.title);
      index.set(key, [...(index.get(key) ?? []), article]);
    }
    titleIndexes.set(edition, index);
  }
  return index;
}

/** Titles as an editor would consider them the same: case, spacing and Unicode form aside. */
function titleKey(title: string): string {
  return title.normalize('NFKC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('und');
}

/**
 * `url` when, resolved against `base` the way a browser would, it is http(s): resolving first
 * catches `java\tscript:` and other spellings a prefix check misses. Relative URLs stay
 * relative unless `absolute`.
 */
function safeUrl(url: string, base: string, options: { absolute: boolean }): string | null {
  let resolved: URL;
  try {
    resolved = new URL(url, base);
  } catch {
    return null;
  }
  if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') return null;
  return options.absolute || URL.canParse(url) ? resolved.href : url;
}

function direction(lang: string): 'ltr' | 'rtl' {
  return isRightToLeft(lang) ? 'rtl' : 'ltr';
}

/** Blocks that take their direction from their own first strong letter: an Arabic quote in an English story. */
const DIRECTIONAL_BLOCKS = new Set(['p', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'blockquote', 'dd', 'dt', 'td', 'th', 'figcaption']);

function markDirectionAuto(tree: Root): void {
  visit(tree, 'element', (node: Element) => {
    if (DIRECTIONAL_BLOCKS.has(node.tagName)) node.properties.dir = 'auto';
  });
}

/**
 * Body headings step down from the page's `<h1>` one level at a time: a source that opens
 * with `###`, or jumps from `##` to `####`, would otherwise leave holes in the outline that
 * screen-reader users navigate by (and the W3C checker rejects). Only the rank changes; the
 * text and the heading ids stay as the feeds have them.
 */
function levelHeadings(tree: Root): void {
  let previous = 1;
  let shift: number | null = null;
  visit(tree, 'element', (node: Element) => {
    const rank = headingRank(node);
    if (rank === null) return;
    // The body's first heading becomes h2; later ones keep their distance to it, never deeper than one more than the last.
    shift ??= rank - 2;
    const level = Math.max(2, Math.min(rank - shift, previous + 1, 6));
    node.tagName = `h${level}`;
    previous = level;
  });
}

function headingRank(node: Element): number | null {
  const match = /^h([1-6])$/.exec(node.tagName);
  return match ? Number(match[1]) : null;
}

/** Ids the body already uses (rehype-slug heading ids), so the chrome's ids never clash with them. */
function idsIn(tree: Root): Set<string> {
  const ids = new Set<string>();
  visit(tree, 'element', (node: Element) => {
    if (typeof node.properties.id === 'string') ids.add(node.properties.id);
  });
  return ids;
}

/** Containers whose children are all elements: a line break between them changes no rendering. */
const BLOCK_CONTAINERS = new Set(['html', 'head', 'body', 'header', 'main', 'footer', 'article', 'section', 'aside', 'nav', 'ul', 'ol', 'div']);

/**
 * One element per line at the top levels, so the golden fixture and a view-source read and
 * diff line by line. The body keeps the line breaks remark-rehype already gives it.
 */
function breakLines(tree: Root): void {
  visit(tree, 'element', (node: Element) => {
    if (!BLOCK_CONTAINERS.has(node.tagName) || !node.children.every((child) => child.type === 'element')) return;
    node.children = node.children.flatMap((child, index): ElementContent[] => (index === 0 ? [child] : [{ type: 'text', value: '\n' }, child]));
  });
}

function serialise(tree: Root): string {
  breakLines(tree);
  return `${tree.children.map((node) => toHtml(node, { upperDoctype: true })).join('\n')}\n`;
}

function name(key: string, content: string): MetaView {
  return { key: 'name', keyValue: key, content };
}

function property(key: string, content: string): MetaView {
  return { key: 'property', keyValue: key, content };
}
