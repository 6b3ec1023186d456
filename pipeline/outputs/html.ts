/**
 * The web edition: one page per article, the front page, a page per topic, and the
 * stylesheet. This module decides what each page says and where it points (relative links
 * inside the site so it works under a sub-path, absolute URLs in the metadata); the templates
 * in `templates/` decide how it looks. Pages are hast trees serialised by hast-util-to-html,
 * so text from content is always escaped and never becomes markup; the front and topic pages,
 * given a memo, splice in the UTF-8 of teasers it serialised the same way earlier
 * (serialiseListPage).
 */
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Element, ElementContent, Root, RootContent } from 'hast';
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
import { digestOf } from '../digest.ts';
import { bodyHast } from './body-html.ts';
import { noMemo, type Edition, type OutputFile, type PlannedFile, type RenderMemo } from './edition.ts';
import { articlePage } from '../../templates/article-page.tsx';
import { indexPage } from '../../templates/index-page.tsx';
import { tagPage } from '../../templates/tag-page.tsx';
import { teaser, type TeaserRenderer } from '../../templates/teaser.tsx';
import { fileSize, pdfLabel } from '../../templates/format.ts';
import type { AlternateView, MetaView, PageView, RelatedView, SiteChromeView, TagView, TeaserView } from '../../templates/views.ts';

/** The stylesheet in `templates/`, published as OUTPUT_PATHS.stylesheet. */
export const STYLESHEET_SOURCE = projectFile('templates/style.css');

/** Every file of the web edition: front page, article pages, topic pages, stylesheet. */
export function renderHtml(edition: Edition, memo: RenderMemo = noMemo): OutputFile[] {
  return [
    ...edition.articles.map((article) => ({ path: OUTPUT_PATHS.articlePage(article.slug), data: renderArticlePage(article, edition) })),
    ...renderSitePages(edition, memo),
  ];
}

/**
 * The pages that list articles (front page, topic pages) and the stylesheet: what the build
 * renders after every article, while article pages render one by one as their PDFs are ready.
 * With a memo, each teaser's HTML is remembered, so a rebuild after one article changed
 * serialises that article's teasers and the pages' frames, not a thousand teasers again; those
 * pages are then pieces of bytes (see serialiseListPage), without one, strings as renderIndexPage gives.
 */
export function renderSitePages(edition: Edition, memo: RenderMemo = noMemo): OutputFile[] {
  return sitePagePlans(edition, memo).map((file) => file.render());
}

/** The files of renderSitePages, each made when asked for (see PlannedFile). */
export function sitePagePlans(edition: Edition, memo: RenderMemo = noMemo): PlannedFile[] {
  const files: PlannedFile[] = [
    { path: OUTPUT_PATHS.index, articles: edition.articles, render: () => ({ path: OUTPUT_PATHS.index, data: serialiseListPage(memo, indexPageOf(edition)) }) },
  ];
  for (const topic of topicsOf(edition.articles)) {
    const path = OUTPUT_PATHS.tagPage(topic.slug);
    files.push({ path, articles: topic.articles, render: () => ({ path, data: serialiseListPage(memo, tagPageOf(topic, edition)) }) });
  }
  // Read at render time, not module load: no module-level state, and an edited stylesheet is
  // picked up by a long-running watcher.
  files.push({ path: OUTPUT_PATHS.stylesheet, articles: [], render: () => ({ path: OUTPUT_PATHS.stylesheet, data: fs.readFileSync(STYLESHEET_SOURCE, 'utf8') }) });
  return files;
}

/**
 * What an article's page takes from the rest of the edition, beyond the article itself, the
 * site and the size of its PDF: its related links as resolved against the titles of the other
 * published articles, and nothing else. In particular not the edition's date: the masthead
 * shows it on the front page only (an article's page must not change whenever another article
 * is published), and renderArticlePage does not even hand it to the template. Topic links are
 * made from the article's own tags. JSON-serialisable, for a build to key a cached page by.
 */
export function articlePageDependencies(article: Article, edition: Edition): unknown {
  return { related: relatedViews(article, edition, OUTPUT_PATHS.articlePage(article.slug)) };
}

/**
 * An article's page. What it uses of `edition` beyond the site and the article's PDF size is
 * exactly articlePageDependencies: keep the two in step.
 */
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
    // no edition date: it is the front page's (see articlePageDependencies)
    ...pageBasics(edition, pagePath, article.lang, null),
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
      related: relatedViews(article, edition, pagePath),
      tags: article.tags.map((tag) => tagView(tag, pagePath)),
      pdf: { href: relativeHref(pagePath, pdfPath), bytes: pdfBytes },
      ids: { content: claimSlug('content', taken), related: claimSlug('related', taken), tags: claimSlug('topics', taken) },
    }),
  );
}

/** The front page, serialised whole: the reference the pages a build splices together must equal. */
export function renderIndexPage(edition: Edition): string {
  return serialise(indexPageOf(edition)(teaser));
}

/** The front page's tree, made with the teaser renderer it is given. */
function indexPageOf(edition: Edition): ListPage {
  const { site } = edition;
  const pagePath = OUTPUT_PATHS.index;
  const canonical = absoluteUrl(site, pagePath);
  const page: PageView = {
    ...pageBasics(edition, pagePath, site.language, editionDate(edition)),
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
  return (renderTeaser) => indexPage({ page, articles: edition.articles.map((article) => new TeaserOf(article, edition, pagePath)) }, renderTeaser);
}

/** A topic's page, serialised whole (see renderIndexPage). */
export function renderTagPage(topic: Topic, edition: Edition): string {
  return serialise(tagPageOf(topic, edition)(teaser));
}

/** A topic page's tree, made with the teaser renderer it is given. */
function tagPageOf(topic: Topic, edition: Edition): ListPage {
  const { site } = edition;
  const pagePath = OUTPUT_PATHS.tagPage(topic.slug);
  const canonical = absoluteUrl(site, pagePath);
  const description = `Articles on ${topic.label} from ${site.title}.`;
  const page: PageView = {
    ...pageBasics(edition, pagePath, site.language, editionDate(edition)),
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
  return (renderTeaser) => tagPage({ page, tag: topic.label, feeds, articles: topic.articles.map((article) => new TeaserOf(article, edition, pagePath)) }, renderTeaser);
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
    ...(article.correction ? { correction: { '@type': 'CorrectionComment', text: article.correction, datePublished: formatIsoDate(article.updated) } } : {}),
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

/** The date the newest article was published: the edition's date line. */
function editionDate(edition: Edition): Date | null {
  return edition.articles[0]?.date ?? null;
}

/** What every page of the edition shares, seen from the page at `pagePath`. */
function pageBasics(edition: Edition, pagePath: string, lang: string, date: Date | null): Pick<PageView, 'lang' | 'dir' | 'canonical' | 'stylesheet' | 'site'> {
  return {
    lang,
    dir: direction(lang),
    canonical: absoluteUrl(edition.site, pagePath),
    stylesheet: relativeHref(pagePath, OUTPUT_PATHS.stylesheet),
    site: siteChrome(edition, pagePath, date),
  };
}

function siteChrome(edition: Edition, pagePath: string, date: Date | null): SiteChromeView {
  const { site } = edition;
  return {
    title: site.title,
    description: site.description,
    lang: site.language,
    dir: direction(site.language),
    home: relativeHref(pagePath, OUTPUT_PATHS.index),
    feeds: FEEDS.map((feed) => ({ href: relativeHref(pagePath, OUTPUT_PATHS[feed.key]), label: feed.label })),
    copyright: site.copyright ?? `© ${site.publisher.name}`,
    editionDate: date,
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

/**
 * A teaser's view, made when the template first reads it: a list page built from kept teasers
 * (see serialiseListPage) never reads it, and making 4,000 of them (their links relative to the
 * page) was a fifth of the list pages' cost. Knows the article and the page it stands for, which
 * is what the teaser memo keys by. Each field of TeaserView reads through to the view (below).
 */
// the interface gives the class TeaserView's fields, which the getters below define
interface TeaserOf extends TeaserView {}
class TeaserOf {
  readonly article: Article;
  readonly edition: Edition;
  readonly pagePath: string;
  #view: TeaserView | null = null;

  constructor(article: Article, edition: Edition, pagePath: string) {
    this.article = article;
    this.edition = edition;
    this.pagePath = pagePath;
  }

  get view(): TeaserView {
    this.#view ??= teaserView(this.article, this.edition, this.pagePath);
    return this.#view;
  }
}

/** Every field of a TeaserView, once (a field missing here is a type error). */
const TEASER_FIELDS: Readonly<Record<keyof TeaserView, true>> = { href: true, lang: true, dir: true, title: true, summary: true, author: true, published: true, readingMinutes: true, pdf: true, tags: true };
for (const field of Object.keys(TEASER_FIELDS) as (keyof TeaserView)[]) {
  Object.defineProperty(TeaserOf.prototype, field, {
    get(this: TeaserOf) {
      return this.view[field];
    },
  });
}

function tagView(tag: string, pagePath: string): TagView {
  // tagSlug remembers the slug of every tag it has made (topics.ts)
  const slug = tagSlug(tag);
  return { label: tag, href: slug ? relativeHref(pagePath, OUTPUT_PATHS.tagPage(slug)) : null };
}

/** An article's related links, seen from the page at `pagePath`. */
function relatedViews(article: Article, edition: Edition, pagePath: string): RelatedView[] {
  return article.related.map((item) => relatedView(item, article, edition, pagePath));
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
  // toLowerCase is Unicode's default, language-neutral lower-casing (what toLocaleLowerCase('und') gives, at a fraction of the cost)
  return title.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
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
  eachElement(tree, (node) => {
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
  eachElement(tree, (node) => {
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
  eachElement(tree, (node) => {
    if (typeof node.properties.id === 'string') ids.add(node.properties.id);
  });
  return ids;
}

/** Containers whose children are all elements: a line break between them changes no rendering. */
const BLOCK_CONTAINERS = new Set(['html', 'head', 'body', 'header', 'main', 'footer', 'article', 'section', 'aside', 'nav', 'ul', 'ol', 'div']);

/**
 * One element per line at the top levels, so the golden fixture and a view-source read and
 * diff line by line. The body keeps the line breaks remark-rehype already gives it. A teaser
 * spliced in as HTML counts as the element it was serialised from.
 */
function breakLines(tree: Root | Element): void {
  eachElement(tree, (node) => {
    if (!BLOCK_CONTAINERS.has(node.tagName) || !node.children.every((child) => child.type === 'element' || isTeaserHtml(child))) return;
    node.children = node.children.flatMap((child, index): ElementContent[] => (index === 0 ? [child] : [{ type: 'text', value: '\n' }, child]));
  });
}

/**
 * Calls `visitor` on every element of `tree` (itself included), in document order, each before its children (so
 * it may replace them): what unist-util-visit does for elements, without its bookkeeping
 * (parents, tests), which over every element of every page was a tenth of a web-only build.
 */
function eachElement(tree: Root | Element, visitor: (node: Element) => void): void {
  if (tree.type === 'element') visitor(tree);
  for (const child of tree.children) if (child.type === 'element') eachElement(child, visitor);
}
/** A page as text; `withTeaserSlots` lets the placeholders of serialiseListPage through as they are. */
function serialise(tree: Root, withTeaserSlots = false): string {
  breakLines(tree);
  return `${tree.children.map((node) => toHtml(node, { upperDoctype: true, allowDangerousHtml: withTeaserSlots })).join('\n')}\n`;
}

/** A `raw` node: HTML that hast-util-to-html writes out as it is when allowed to. */
type Raw = Extract<RootContent, { type: 'raw' }>;

/**
 * The `raw` nodes this module made to stand for teasers: the only raw HTML a page may carry.
 * Weak, so it holds no node beyond the render that made it.
 */
const teaserHtml = new WeakSet<Raw>();

function isTeaserHtml(node: RootContent): boolean {
  return node.type === 'raw' && teaserHtml.has(node);
}

/** A list page (front page, topic page): its tree, made with the teaser renderer it is given. */
type ListPage = (renderTeaser: TeaserRenderer) => Root;

/**
 * A front or topic page, made by `page` with the teaser renderer it is given. Without a memo
 * it is one hast tree serialised as a whole: the reference the spliced pages are tested
 * against, byte for byte. With one, each teaser is serialised on its own (its line breaks
 * made exactly as inside the page) and remembered, as UTF-8, under everything the template
 * reads to make it: the teaser's view (its hrefs are relative to this page, so they name the
 * page too), lead or not, and the page's language and direction. In the page's tree a teaser is
 * a `raw` node holding a placeholder, which counts as an element for the line breaks; the page
 * so serialised (its frame: small, every teaser a placeholder) is encoded once, cut at the
 * placeholders, and the teasers' bytes put in between: the file's pieces, written as they are.
 * Never a string of the whole page: splicing the HTML into the tree would copy the page again at
 * every level of nesting around the teasers, and splicing strings meant decoding every kept
 * teaser (a one-article rebuild of 1,000 decoded and encoded again megabytes of them).
 *
 * Safe: a teaser's HTML is hast-util-to-html's serialisation of the hast the template built
 * from our views, where every string from content is a text node or an attribute value and is
 * escaped on the way out; it never holds unescaped content. A placeholder names a random
 * nonce made for this page alone, so no content can spell one, and each must be found exactly
 * once. `allowDangerousHtml` lets only our own placeholders through: any other raw node in the
 * page is refused.
 */
function serialiseListPage(memo: RenderMemo, page: ListPage): string | readonly Uint8Array[] {
  if (memo === noMemo) return serialise(page(teaser));
  const nonce = randomUUID();
  const teasers: Uint8Array[] = [];
  const tree = page((view, options) => {
    // A teaser shows its article (made from its source under the site settings: what the
    // article cache keys it by), its links relative to this page, its PDF's size and, through
    // the options, lead or not and the page's language; that is its key, so a kept teaser is
    // found without making its view. A view that is not a TeaserOf keys by itself.
    const inputs =
      view instanceof TeaserOf
        ? [digestOf(view.edition.site), view.article.sourcePath.split('/').pop(), view.article.hash, view.pagePath, view.edition.pdfBytes.get(view.article.slug) ?? null]
        : [view];
    teasers.push(
      memo.bytes('teaser', [...inputs, options.lead, options.page.lang, options.page.dir], () => {
        const node = teaser(view, options);
        breakLines(node);
        return toHtml(node);
      }),
    );
    const node: Raw = { type: 'raw', value: `<!--${nonce}:${teasers.length - 1}-->` };
    teaserHtml.add(node);
    return node;
  });
  visit(tree, 'raw', (node: Raw) => {
    if (!teaserHtml.has(node)) throw new Error('a list page holds raw HTML that is not one of its teasers');
  });
  const frame = Buffer.from(serialise(tree, true), 'utf8');
  // The placeholders, found in the frame's bytes (they are ASCII): each replaced by its teaser.
  const open = Buffer.from(`<!--${nonce}:`, 'latin1');
  const close = Buffer.from('-->', 'latin1');
  const parts: Uint8Array[] = [];
  const placed = new Set<number>();
  let found = 0;
  let from = 0;
  for (let at = frame.indexOf(open); at >= 0; at = frame.indexOf(open, from)) {
    const digits = at + open.length;
    const end = frame.indexOf(close, digits);
    const index = end > digits ? frame.toString('latin1', digits, end) : '';
    if (!/^\d+$/.test(index) || Number(index) >= teasers.length) throw new Error('a list page holds a teaser placeholder it did not make');
    found++;
    placed.add(Number(index));
    parts.push(frame.subarray(from, at), teasers[Number(index)]!);
    from = end + close.length;
  }
  parts.push(frame.subarray(from));
  if (found !== teasers.length || placed.size !== teasers.length) throw new Error('a list page did not place each of its teasers exactly once');
  // written in pieces, as feeds are: joining ~30 topic pages of kept teasers was its own cost
  return parts;
}

function name(key: string, content: string): MetaView {
  return { key: 'name', keyValue: key, content };
}

function property(key: string, content: string): MetaView {
  return { key: 'property', keyValue: key, content };
}
