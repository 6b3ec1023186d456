/**
 * Every kind of file Galley publishes, declared once, as data (in the manner of Hugo's output
 * formats): its media type, where it goes, how many there are, which `--formats` family makes
 * it, and what it reads besides its articles and the site settings. Paths, autodiscovery links,
 * enclosure types, the PDF link and the sitemap are derived from here: nothing else spells a
 * media type or a file name. Which module makes each kind is listed in `outputs.ts`.
 */

/** The families `--formats` chooses from; all three unless it says otherwise. */
export const OUTPUT_FAMILIES = ['pdf', 'html', 'feeds'] as const;
export type OutputFamily = (typeof OUTPUT_FAMILIES)[number];

/** What an output is made for: each article, each topic (tag), the edition once, or each picture the articles show. */
export type OutputScope = 'article' | 'topic' | 'edition' | 'image';

/** A fact about other outputs that an output may read, handed to it only when it declares it. */
export type OutputFact = 'pdf-size';

export interface OutputFormat<Scope extends OutputScope = OutputScope> {
  /** Names the output in messages and its cached files in the cache. */
  readonly name: string;
  readonly mediaType: string;
  readonly family: OutputFamily;
  readonly scope: Scope;
  /**
   * Its path in the edition (POSIX), from the article's or the topic's slug (unused for the
   * edition; a picture's published name, which engine/media.ts makes safe) and, for an output made in numbered parts (older list pages, feed archives, sitemap
   * parts), the part's number, counted from the oldest from 1 (see parts.ts).
   */
  readonly path: (slug: string, part?: number) => string;
  /** What it reads of other outputs (see OutputFact): a PDF size read but not declared is an error. */
  readonly reads: readonly OutputFact[];
  /** A subscription linked from pages as `<link rel="alternate">`, under this label. */
  readonly alternate?: string;
  /**
   * Made only as the edition needs it, so possibly not at all: numbered parts (older list
   * pages, feed archives, sitemap parts; `path` takes the part's number) or a file that exists
   * only when the sitemap is an index.
   */
  readonly asNeeded?: true;
}

/** The number of a part, which an output made in parts must be given. */
function part(n: number | undefined): number {
  if (n === undefined || !Number.isInteger(n) || n < 1) throw new Error(`an output made in parts needs a part number from 1, not ${n}`);
  return n;
}

function format<const Scope extends OutputScope>(spec: OutputFormat<Scope>): OutputFormat<Scope> {
  return spec;
}

export const OUTPUTS = {
  articlePage: format({ name: 'article-page', mediaType: 'text/html', family: 'html', scope: 'article', path: (slug) => `articles/${slug}/index.html`, reads: ['pdf-size'] }),
  articlePdf: format({ name: 'pdf', mediaType: 'application/pdf', family: 'pdf', scope: 'article', path: (slug) => `articles/${slug}/${slug}.pdf`, reads: [] }),
  frontPage: format({ name: 'front-page', mediaType: 'text/html', family: 'html', scope: 'edition', path: () => 'index.html', reads: ['pdf-size'] }),
  topicPage: format({ name: 'topic-page', mediaType: 'text/html', family: 'html', scope: 'topic', path: (slug) => `tags/${slug}/index.html`, reads: ['pdf-size'] }),
  /** The older articles of the front page, in pages numbered from the oldest. */
  olderPage: format({ name: 'older-page', mediaType: 'text/html', family: 'html', scope: 'edition', path: (_slug, n) => `page/${part(n)}/index.html`, reads: ['pdf-size'], asNeeded: true }),
  olderTopicPage: format({ name: 'older-topic-page', mediaType: 'text/html', family: 'html', scope: 'topic', path: (slug, n) => `tags/${slug}/page/${part(n)}/index.html`, reads: ['pdf-size'], asNeeded: true }),
  /** Every topic, linked. */
  topicIndex: format({ name: 'topic-index', mediaType: 'text/html', family: 'html', scope: 'edition', path: () => 'tags/index.html', reads: [] }),
  /** How to subscribe, for people: every feed's address, the edition's and each topic's. */
  feedsPage: format({ name: 'feeds-page', mediaType: 'text/html', family: 'html', scope: 'edition', path: () => 'feeds/index.html', reads: [] }),
  stylesheet: format({ name: 'stylesheet', mediaType: 'text/css', family: 'html', scope: 'edition', path: () => 'style.css', reads: [] }),
  rss: format({ name: 'rss', mediaType: 'application/rss+xml', family: 'feeds', scope: 'edition', path: () => 'feed.xml', reads: ['pdf-size'], alternate: 'RSS' }),
  atom: format({ name: 'atom', mediaType: 'application/atom+xml', family: 'feeds', scope: 'edition', path: () => 'atom.xml', reads: ['pdf-size'], alternate: 'Atom' }),
  jsonFeed: format({ name: 'json-feed', mediaType: 'application/feed+json', family: 'feeds', scope: 'edition', path: () => 'feed.json', reads: ['pdf-size'], alternate: 'JSON Feed' }),
  topicRss: format({ name: 'topic-rss', mediaType: 'application/rss+xml', family: 'feeds', scope: 'topic', path: (slug) => `tags/${slug}/feed.xml`, reads: ['pdf-size'], alternate: 'RSS' }),
  topicAtom: format({ name: 'topic-atom', mediaType: 'application/atom+xml', family: 'feeds', scope: 'topic', path: (slug) => `tags/${slug}/atom.xml`, reads: ['pdf-size'], alternate: 'Atom' }),
  topicJsonFeed: format({ name: 'topic-json-feed', mediaType: 'application/feed+json', family: 'feeds', scope: 'topic', path: (slug) => `tags/${slug}/feed.json`, reads: ['pdf-size'], alternate: 'JSON Feed' }),
  /** RFC 5005 archive documents of each feed, numbered from the oldest. */
  rssArchive: format({ name: 'rss-archive', mediaType: 'application/rss+xml', family: 'feeds', scope: 'edition', path: (_slug, n) => `archive/${part(n)}/feed.xml`, reads: ['pdf-size'], asNeeded: true }),
  atomArchive: format({ name: 'atom-archive', mediaType: 'application/atom+xml', family: 'feeds', scope: 'edition', path: (_slug, n) => `archive/${part(n)}/atom.xml`, reads: ['pdf-size'], asNeeded: true }),
  jsonFeedArchive: format({ name: 'json-feed-archive', mediaType: 'application/feed+json', family: 'feeds', scope: 'edition', path: (_slug, n) => `archive/${part(n)}/feed.json`, reads: ['pdf-size'], asNeeded: true }),
  topicRssArchive: format({ name: 'topic-rss-archive', mediaType: 'application/rss+xml', family: 'feeds', scope: 'topic', path: (slug, n) => `tags/${slug}/archive/${part(n)}/feed.xml`, reads: ['pdf-size'], asNeeded: true }),
  topicAtomArchive: format({ name: 'topic-atom-archive', mediaType: 'application/atom+xml', family: 'feeds', scope: 'topic', path: (slug, n) => `tags/${slug}/archive/${part(n)}/atom.xml`, reads: ['pdf-size'], asNeeded: true }),
  topicJsonFeedArchive: format({ name: 'topic-json-feed-archive', mediaType: 'application/feed+json', family: 'feeds', scope: 'topic', path: (slug, n) => `tags/${slug}/archive/${part(n)}/feed.json`, reads: ['pdf-size'], asNeeded: true }),
  sitemap: format({ name: 'sitemap', mediaType: 'application/xml', family: 'html', scope: 'edition', path: () => 'sitemap.xml', reads: [] }),
  /** A part of the sitemap when it is an index (more URLs than `sitemapLimit`), numbered from the oldest. */
  sitemapPart: format({ name: 'sitemap-part', mediaType: 'application/xml', family: 'html', scope: 'edition', path: (_slug, n) => `sitemaps/${part(n)}.xml`, reads: [], asNeeded: true }),
  /** The pages that are not articles (front page, topics), a part of their own when the sitemap is an index. */
  sitemapPages: format({ name: 'sitemap-pages', mediaType: 'application/xml', family: 'html', scope: 'edition', path: () => 'sitemaps/pages.xml', reads: [], asNeeded: true }),
  /** Google News sitemap: the articles of the newest two days. */
  newsSitemap: format({ name: 'news-sitemap', mediaType: 'application/xml', family: 'html', scope: 'edition', path: () => 'sitemap-news.xml', reads: [] }),
  robots: format({ name: 'robots', mediaType: 'text/plain', family: 'html', scope: 'edition', path: () => 'robots.txt', reads: [] }),
  /**
   * A picture an article shows, `media/STEM.HASH.EXT`, as the content folder holds it (its media
   * type is its format's: model/images.ts). Published with the pages, and with feeds alone too,
   * whose items show it.
   */
  image: format({ name: 'image', mediaType: 'image/*', family: 'html', scope: 'image', path: (name) => `media/${name}`, reads: [], asNeeded: true }),
} as const;

/** A feed format: the edition's subscription document and each topic's, in one syntax. */
export interface FeedKind {
  readonly key: 'rss' | 'atom' | 'json';
  readonly edition: OutputFormat<'edition'>;
  readonly topic: OutputFormat<'topic'>;
  /** Their archive documents (RFC 5005), by part number. */
  readonly editionArchive: OutputFormat<'edition'>;
  readonly topicArchive: OutputFormat<'topic'>;
}

/** The three feed syntaxes, in the order pages list them. */
export const FEED_KINDS: readonly FeedKind[] = [
  { key: 'rss', edition: OUTPUTS.rss, topic: OUTPUTS.topicRss, editionArchive: OUTPUTS.rssArchive, topicArchive: OUTPUTS.topicRssArchive },
  { key: 'atom', edition: OUTPUTS.atom, topic: OUTPUTS.topicAtom, editionArchive: OUTPUTS.atomArchive, topicArchive: OUTPUTS.topicAtomArchive },
  { key: 'json', edition: OUTPUTS.jsonFeed, topic: OUTPUTS.topicJsonFeed, editionArchive: OUTPUTS.jsonFeedArchive, topicArchive: OUTPUTS.topicJsonFeedArchive },
];

/** Every output path, by what it is (derived from OUTPUTS). */
export const OUTPUT_PATHS = {
  index: OUTPUTS.frontPage.path(''),
  rss: OUTPUTS.rss.path(''),
  atom: OUTPUTS.atom.path(''),
  json: OUTPUTS.jsonFeed.path(''),
  stylesheet: OUTPUTS.stylesheet.path(''),
  sitemap: OUTPUTS.sitemap.path(''),
  robots: OUTPUTS.robots.path(''),
  articlePage: OUTPUTS.articlePage.path,
  articlePdf: OUTPUTS.articlePdf.path,
  tagPage: OUTPUTS.topicPage.path,
  olderPage: (n: number) => OUTPUTS.olderPage.path('', n),
  olderTagPage: (tag: string, n: number) => OUTPUTS.olderTopicPage.path(tag, n),
  tagIndex: OUTPUTS.topicIndex.path(''),
  feedsPage: OUTPUTS.feedsPage.path(''),
  newsSitemap: OUTPUTS.newsSitemap.path(''),
  tagFeed: (tag: string, key: FeedKind['key']) => FEED_KINDS.find((kind) => kind.key === key)!.topic.path(tag),
} as const;
