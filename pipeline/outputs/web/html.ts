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
import { sourceKey, type Article, type RelatedArticle } from '../../model/article.ts';
import { standfirstOf } from '../../model/lede.ts';
import { isRightToLeft } from '../../model/lang.ts';
import { claimSlug } from '../../model/slug.ts';
import { tagSlug, topicsOf, type Topic } from '../../model/topics.ts';
import { projectFile } from '../../engine/project.ts';
import { absoluteUrl, relativeHref } from '../../model/urls.ts';
import { FEED_KINDS, OUTPUTS, OUTPUT_PATHS } from '../registry.ts';
import { formatIsoDate } from '../../model/dates.ts';
import { IMAGE_TYPES } from '../../model/images.ts';
import { digestOf } from '../../engine/digest.ts';
import { bodyHast } from './body-html.ts';
import { copyrightOf, relatedTarget, safeUrl } from '../article-view.ts';
import { noMemo, pageSettingsDigest, type ArticleEdition, type ArticleOutput, type Edition, type ListOutput, type OutputFile, type PlannedFile, type RenderMemo } from '../edition.ts';
import { articlePage } from '../../../templates/article-page.tsx';
import { indexPage } from '../../../templates/index-page.tsx';
import { tagPage } from '../../../templates/tag-page.tsx';
import { olderPage } from '../../../templates/older-page.tsx';
import { topicIndex } from '../../../templates/topic-index.tsx';
import { feedsPage } from '../../../templates/feeds-page.tsx';
import { listPages, type Parted } from '../parts.ts';
import { teaser, type TeaserRenderer } from '../../../templates/teaser.tsx';
import { fileSize } from '../../../templates/format.ts';
import { labelsFor } from '../../../templates/labels.ts';
import type { AlternateView, FeedAddressView, MetaView, PagerView, PageView, RelatedView, SiteChromeView, TagView, TeaserView } from '../../../templates/views.ts';

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

/** The article page, as the engine makes it for each article. */
export const articlePageOutput: ArticleOutput = {
  format: OUTPUTS.articlePage,
  dependencies: (article, edition) => articlePageDependencies(article, edition),
  render: (article, edition) => renderArticlePage(article, edition),
};

/** The pages that list articles, the feeds page, and the stylesheet they share. */
export const listPagesOutput: ListOutput = {
  formats: [OUTPUTS.frontPage, OUTPUTS.olderPage, OUTPUTS.topicPage, OUTPUTS.olderTopicPage, OUTPUTS.topicIndex, OUTPUTS.feedsPage, OUTPUTS.stylesheet],
  plan: (edition, memo) => sitePagePlans(edition, memo),
};

/**
 * The files of renderSitePages, each made when asked for (see PlannedFile): the front page and
 * each topic's first page (the newest `pageSize` articles), their older pages (numbered from the
 * oldest: see parts.ts), the `/tags/` index, the feeds page and the stylesheet.
 */
export function sitePagePlans(edition: Edition, memo: RenderMemo = noMemo): PlannedFile[] {
  const { site } = edition;
  const front = listPages(edition.articles, site.pageSize);
  const files: PlannedFile[] = [
    { path: OUTPUT_PATHS.index, articles: front.head, render: () => ({ path: OUTPUT_PATHS.index, data: serialiseListPage(memo, indexPageOf(edition)) }) },
    ...olderPagePlans(edition, memo, front, OUTPUT_PATHS.index, OUTPUT_PATHS.olderPage, (number, articles, pager) => olderPageOf(edition, number, articles, pager)),
  ];
  const topics = topicsOf(edition.articles);
  for (const topic of topics) {
    const path = OUTPUT_PATHS.tagPage(topic.slug);
    const pages = listPages(topic.articles, site.pageSize);
    files.push(
      { path, articles: pages.head, render: () => ({ path, data: serialiseListPage(memo, tagPageOf(topic, edition)) }) },
      ...olderPagePlans(edition, memo, pages, path, (number) => OUTPUT_PATHS.olderTagPage(topic.slug, number), (number, articles, pager) => tagPageOf(topic, edition, { number, articles, pager }), topic.label),
    );
  }
  files.push({ path: OUTPUT_PATHS.tagIndex, articles: [], render: () => ({ path: OUTPUT_PATHS.tagIndex, data: renderTopicIndex(edition) }) });
  files.push({ path: OUTPUT_PATHS.feedsPage, articles: [], render: () => ({ path: OUTPUT_PATHS.feedsPage, data: renderFeedsPage(edition) }) });
  // Read at render time, not module load: no module-level state, and an edited stylesheet is
  // picked up by a long-running watcher.
  files.push({ path: OUTPUT_PATHS.stylesheet, articles: [], render: () => ({ path: OUTPUT_PATHS.stylesheet, data: fs.readFileSync(STYLESHEET_SOURCE, 'utf8') }) });
  return files;
}

/** A list page's neighbours, as links relative to it. */
function pagerOf(pagePath: string, newer: string | null, older: string | null): PagerView {
  return { newer: newer === null ? null : relativeHref(pagePath, newer), older: older === null ? null : relativeHref(pagePath, older) };
}

/**
 * The older pages below a first list page: page n links the newer page n + 1 (the newest, the
 * first page) as `prev` and the older page n − 1 as `next`. Each is kept whole by the memo under
 * everything it shows: its articles (source, PDF size), its neighbours, the site, and `extra`
 * (a topic's label): an arrival leaves all but the newest one or two as they were, so a rebuild
 * serialises none of them.
 */
function olderPagePlans(
  edition: Edition,
  memo: RenderMemo,
  pages: Parted<Article>,
  first: string,
  pathOf: (number: number) => string,
  pageOf: (number: number, articles: readonly Article[], pager: PagerView) => ListPage,
  extra: string | null = null,
): PlannedFile[] {
  const last = pages.parts.length;
  return pages.parts.map((articles, index) => {
    const number = index + 1;
    const path = pathOf(number);
    const newer = number === last ? first : pathOf(number + 1);
    const older = number > 1 ? pathOf(number - 1) : null;
    return {
      path,
      articles,
      render: () => {
        const inputs = [digestOf(edition.site), path, newer, older, extra, articles.map((article) => [sourceKey(article), edition.pdfBytes.get(article.slug) ?? null])];
        return memo.output(path, 'older-page', inputs, () => serialiseListPage(memo, pageOf(number, articles, pagerOf(path, newer, older))));
      },
    };
  });
}

/** The `/tags/` index: every topic with a page, in slug order. */
export function renderTopicIndex(edition: Edition): string {
  const { site } = edition;
  const pagePath = OUTPUT_PATHS.tagIndex;
  const title = `Topics — ${site.title}`;
  const description = `Every topic ${site.title} has published on.`;
  return serialise(
    topicIndex({
      page: collectionPage(edition, pagePath, title, description, collectionJsonLd(edition, 'Topics', pagePath)),
      topics: topicsOf(edition.articles).map((topic) => ({ label: topic.label, href: relativeHref(pagePath, OUTPUT_PATHS.tagPage(topic.slug)), articles: topic.articles.length })),
    }),
  );
}

/**
 * The feeds page, for people: how to subscribe, and the address of every feed (the edition's,
 * then each topic's, in slug order, each under the anchor its topic page links to). In the
 * site's language. It shows topics, never articles, so an arrival changes it only when it
 * brings a new topic.
 */
export function renderFeedsPage(edition: Edition): string {
  const { site } = edition;
  const pagePath = OUTPUT_PATHS.feedsPage;
  const labels = labelsFor(site.language);
  const heading = labels.messages.feedsTitle;
  const title = `${heading} — ${site.title}`;
  const description = labels.text('feedsPageDescription', { site: site.title });
  const addresses = (pathOf: (kind: (typeof FEED_KINDS)[number]) => string, format: 'edition' | 'topic'): FeedAddressView[] =>
    FEED_KINDS.map((kind) => {
      const path = pathOf(kind);
      return { label: kind[format].alternate ?? kind[format].name, href: relativeHref(pagePath, path), url: absoluteUrl(site, path), type: kind[format].mediaType };
    });
  return serialise(
    feedsPage({
      page: collectionPage(edition, pagePath, title, description, { '@context': 'https://schema.org', '@type': 'WebPage', name: heading, url: absoluteUrl(site, pagePath), isPartOf: { '@type': 'WebSite', name: site.title, url: site.baseUrl } }),
      site: site.title,
      feeds: addresses((kind) => kind.edition.path(''), 'edition'),
      topics: topicsOf(edition.articles).map((topic) => ({
        label: topic.label,
        id: topicAnchor(topic.slug),
        href: relativeHref(pagePath, OUTPUT_PATHS.tagPage(topic.slug)),
        feeds: addresses((kind) => kind.topic.path(topic.slug), 'topic'),
      })),
    }),
  );
}

/** The id of a topic's feeds on the feeds page: slugs are `a-z0-9-`, so always a valid id. */
function topicAnchor(slug: string): string {
  return `topic-${slug}`;
}

/** A site page that is not an article (a list, the topics, the feeds page), in the site's language: its head. */
function collectionPage(edition: Edition, pagePath: string, title: string, description: string, jsonLd: unknown): PageView {
  return {
    ...pageBasics(edition, pagePath, edition.site.language, null),
    title,
    description,
    alternates: feedAlternates(edition, pagePath),
    meta: collectionMeta(edition, title, description, pagePath),
    jsonLd: jsonLdText(jsonLd),
  };
}

/** OpenGraph for a page that lists articles. */
function collectionMeta(edition: Edition, title: string, description: string, pagePath: string): MetaView[] {
  return [
    property('og:site_name', edition.site.title),
    property('og:type', 'website'),
    property('og:title', title),
    property('og:description', description),
    property('og:url', absoluteUrl(edition.site, pagePath)),
    name('twitter:card', 'summary'),
  ];
}

function collectionJsonLd(edition: Edition, title: string, pagePath: string): Record<string, unknown> {
  const { site } = edition;
  return { '@context': 'https://schema.org', '@type': 'CollectionPage', name: title, url: absoluteUrl(site, pagePath), isPartOf: { '@type': 'WebSite', name: site.title, url: site.baseUrl } };
}

/** A page of the front page's older articles. */
function olderPageOf(edition: Edition, number: number, articles: readonly Article[], pager: PagerView): ListPage {
  const { site } = edition;
  const pagePath = OUTPUT_PATHS.olderPage(number);
  const heading = 'Older articles';
  const title = `${heading}, page ${number} — ${site.title}`;
  const description = `Articles from ${site.title}, page ${number} counted from the oldest.`;
  const page: PageView = { ...collectionPage(edition, pagePath, title, description, collectionJsonLd(edition, `${heading}, page ${number}`, pagePath)), pager };
  return (renderTeaser) => olderPage({ page, heading, number, articles: articles.map((article) => new TeaserOf(article, edition, pagePath)) }, renderTeaser);
}

/**
 * What an article's page takes from the rest of the edition, beyond the article itself, the
 * site and the size of its PDF: its related links as resolved against the titles of the other
 * published articles, and nothing else. In particular not the edition's date: the masthead
 * shows it on the front page only (an article's page must not change whenever another article
 * is published), and renderArticlePage does not even hand it to the template. Topic links are
 * made from the article's own tags. JSON-serialisable, for a build to key a cached page by.
 */
export function articlePageDependencies(article: Article, edition: ArticleEdition): unknown {
  return { related: relatedViews(article, edition, OUTPUT_PATHS.articlePage(article.slug)) };
}

/**
 * An article's page. What it uses of `edition` beyond the site and the article's PDF size is
 * exactly articlePageDependencies: keep the two in step.
 */
export function renderArticlePage(article: Article, edition: ArticleEdition): string {
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
      { type: OUTPUTS.articlePdf.mediaType, href: relativeHref(pagePath, pdfPath), title: `${article.title} (${labelsFor(article.lang).pdfLabel(pdfBytes)})` },
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
      ...leadPictureMeta(article, edition),
      name('twitter:card', article.images?.length ? 'summary_large_image' : 'summary'),
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
      standfirst: standfirstOf(article),
      dateline: article.dateline ?? null,
      author: article.author,
      authorTitle: article.authorTitle ?? null,
      published: article.date,
      updated,
      readingMinutes: article.readingMinutes,
      body,
      credit: article.credit,
      related: relatedViews(article, edition, pagePath),
      tags: article.tags.map((tag) => tagView(tag, pagePath)),
      pdf: { href: relativeHref(pagePath, pdfPath), type: OUTPUTS.articlePdf.mediaType, bytes: pdfBytes },
      ids: { content: claimSlug('content', taken), related: claimSlug('related', taken), tags: claimSlug('topics', taken) },
    }),
  );
}

/** The article's first picture as social cards show it (OpenGraph): absolute URL, size, description. */
function leadPictureMeta(article: Article, edition: ArticleEdition): MetaView[] {
  const lead = article.images?.[0];
  if (!lead) return [];
  return [
    property('og:image', absoluteUrl(edition.site, lead.path)),
    property('og:image:type', IMAGE_TYPES[lead.type].mediaType),
    property('og:image:width', String(lead.width)),
    property('og:image:height', String(lead.height)),
  ];
}

/** The front page, serialised whole: the reference the pages a build splices together must equal. */
export function renderIndexPage(edition: Edition): string {
  return serialise(indexPageOf(edition)(teaser));
}

/** The front page's tree (the newest `pageSize` articles), made with the teaser renderer it is given. */
function indexPageOf(edition: Edition): ListPage {
  const { site } = edition;
  const pagePath = OUTPUT_PATHS.index;
  const { head, parts } = listPages(edition.articles, site.pageSize);
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
    pager: pagerOf(pagePath, null, parts.length ? OUTPUT_PATHS.olderPage(parts.length) : null),
  };
  const topics = relativeHref(pagePath, OUTPUT_PATHS.tagIndex);
  return (renderTeaser) => indexPage({ page, topics, articles: head.map((article) => new TeaserOf(article, edition, pagePath)) }, renderTeaser);
}

/**
 * A topic page's tree, made with the teaser renderer it is given: its first page (the newest
 * `pageSize` articles) or, given `older`, one of its older pages.
 */
function tagPageOf(topic: Topic, edition: Edition, older?: { readonly number: number; readonly articles: readonly Article[]; readonly pager: PagerView }): ListPage {
  const { site } = edition;
  const pagePath = older ? OUTPUT_PATHS.olderTagPage(topic.slug, older.number) : OUTPUT_PATHS.tagPage(topic.slug);
  const canonical = absoluteUrl(site, pagePath);
  const topicDescription = labelsFor(site.language).text('topicDescription', { topic: topic.label, site: site.title });
  const description = older ? `${topicDescription} Page ${older.number}, counted from the oldest.` : topicDescription;
  const title = older ? `${topic.label}, page ${older.number} — ${site.title}` : `${topic.label} — ${site.title}`;
  const first = older ? null : listPages(topic.articles, site.pageSize);
  const page: PageView = {
    // an older page names no edition date: it must not change when an article arrives
    ...pageBasics(edition, pagePath, site.language, older ? null : editionDate(edition)),
    title,
    description,
    alternates: [
      ...feedAlternates(edition, pagePath),
      // The topic's own feeds, which the feeds stage writes for every tag that has a slug.
      ...FEED_KINDS.map(({ topic: feed }) => ({ type: feed.mediaType, href: relativeHref(pagePath, feed.path(topic.slug)), title: `${site.title}: ${topic.label} (${feed.alternate})` })),
    ],
    meta: [
      property('og:site_name', site.title),
      property('og:type', 'website'),
      property('og:title', title),
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
    pager: older ? older.pager : pagerOf(pagePath, null, first!.parts.length ? OUTPUT_PATHS.olderTagPage(topic.slug, first!.parts.length) : null),
  };
  const feeds = `${relativeHref(pagePath, OUTPUT_PATHS.feedsPage)}#${topicAnchor(topic.slug)}`;
  const shown = older ? older.articles : first!.head;
  return (renderTeaser) => tagPage({ page, tag: topic.label, number: older?.number ?? null, feeds, articles: shown.map((article) => new TeaserOf(article, edition, pagePath)) }, renderTeaser);
}

/** `</script>`, `<!--` and `]]>` cannot occur in the output: every `<`, `>` and `&` is a JSON escape. */
export function jsonLdText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The schema.org NewsArticle search engines read: headline, dates, people, the PDF. */
export function newsArticleJsonLd(article: Article, edition: ArticleEdition, pdfBytes: number | null): Record<string, unknown> {
  const { site } = edition;
  const url = absoluteUrl(site, OUTPUT_PATHS.articlePage(article.slug));
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: article.title,
    description: article.summary,
    datePublished: formatIsoDate(article.date),
    dateModified: formatIsoDate(article.updated),
    author: { '@type': 'Person', name: article.author, ...(article.authorTitle ? { jobTitle: article.authorTitle } : {}) },
    ...(article.dateline ? { dateline: article.dateline } : {}),
    publisher: publisherJsonLd(edition),
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    url,
    inLanguage: article.lang,
    ...(article.tags.length > 0 ? { keywords: [...article.tags] } : {}),
    wordCount: article.words,
    ...(article.credit ? { creditText: article.credit } : {}),
    ...(article.correction ? { correction: { '@type': 'CorrectionComment', text: article.correction, datePublished: formatIsoDate(article.updated) } } : {}),
    ...(article.images?.length ? { image: article.images.map((image) => ({ '@type': 'ImageObject', url: absoluteUrl(site, image.path), width: image.width, height: image.height })) } : {}),
    isPartOf: { '@type': 'WebSite', name: site.title, url: site.baseUrl },
    associatedMedia: {
      '@type': 'MediaObject',
      contentUrl: absoluteUrl(site, OUTPUT_PATHS.articlePdf(article.slug)),
      encodingFormat: OUTPUTS.articlePdf.mediaType,
      ...(pdfBytes === null ? {} : { contentSize: fileSize(pdfBytes) }),
    },
  };
}

function websiteJsonLd(edition: ArticleEdition): Record<string, unknown> {
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

function publisherJsonLd(edition: ArticleEdition): Record<string, unknown> {
  const { publisher, baseUrl } = edition.site;
  const logo = publisher.logo ? safeUrl(publisher.logo, baseUrl, { absolute: true }) : null;
  return { '@type': 'Organization', name: publisher.name, ...(logo ? { logo: { '@type': 'ImageObject', url: logo } } : {}) };
}

/** The date the newest article was published: the edition's date line. */
function editionDate(edition: ArticleEdition): Date | null {
  return edition.articles[0]?.date ?? null;
}

/** What every page of the edition shares, seen from the page at `pagePath`. */
function pageBasics(edition: ArticleEdition, pagePath: string, lang: string, date: Date | null): Pick<PageView, 'lang' | 'dir' | 'canonical' | 'stylesheet' | 'site'> {
  return {
    lang,
    dir: direction(lang),
    canonical: absoluteUrl(edition.site, pagePath),
    stylesheet: relativeHref(pagePath, OUTPUT_PATHS.stylesheet),
    site: siteChrome(edition, pagePath, date),
  };
}

function siteChrome(edition: ArticleEdition, pagePath: string, date: Date | null): SiteChromeView {
  const { site } = edition;
  return {
    title: site.title,
    description: site.description,
    lang: site.language,
    dir: direction(site.language),
    home: relativeHref(pagePath, OUTPUT_PATHS.index),
    feedsPage: relativeHref(pagePath, OUTPUT_PATHS.feedsPage),
    copyright: copyrightOf(site),
    editionDate: date,
    timeZone: site.timeZone,
  };
}

/** The edition's feeds, as autodiscovery links. */
function feedAlternates(edition: ArticleEdition, pagePath: string): AlternateView[] {
  return FEED_KINDS.map(({ edition: feed }) => ({ type: feed.mediaType, href: relativeHref(pagePath, feed.path('')), title: `${edition.site.title} (${feed.alternate})` }));
}

function teaserView(article: Article, edition: ArticleEdition, pagePath: string): TeaserView {
  return {
    href: relativeHref(pagePath, OUTPUT_PATHS.articlePage(article.slug)),
    lang: article.lang,
    dir: direction(article.lang),
    title: article.title,
    summary: article.summary,
    author: article.author,
    published: article.date,
    readingMinutes: article.readingMinutes,
    pdf: { href: relativeHref(pagePath, OUTPUT_PATHS.articlePdf(article.slug)), type: OUTPUTS.articlePdf.mediaType, bytes: edition.pdfBytes.get(article.slug) ?? null },
    tags: article.tags.map((tag) => tagView(tag, pagePath)),
  };
}

/**
 * A teaser's view, made when the template first reads it: a list page built from kept teasers
 * (see serialiseListPage) never reads it, and making thousands of them (their links relative
 * to the page) would be most of a rebuild's list pages. Knows the article and the page it stands for, which
 * is what the teaser memo keys by. Each field of TeaserView reads through to the view (below).
 */
// the interface gives the class TeaserView's fields, which the getters below define
interface TeaserOf extends TeaserView {}
class TeaserOf {
  readonly article: Article;
  readonly edition: ArticleEdition;
  readonly pagePath: string;
  #view: TeaserView | null = null;

  constructor(article: Article, edition: ArticleEdition, pagePath: string) {
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
function relatedViews(article: Article, edition: ArticleEdition, pagePath: string): RelatedView[] {
  return article.related.map((item) => relatedView(item, article, edition, pagePath));
}

/** A related item as the page links it: the editor's URL as given, or the page of the published article. */
export function relatedView(item: RelatedArticle, self: Article, edition: ArticleEdition, pagePath: string): RelatedView {
  const target = relatedTarget(item, self, edition);
  if (target === null) return { title: item.title, href: null };
  return { title: item.title, href: 'url' in target ? target.url : relativeHref(pagePath, OUTPUT_PATHS.articlePage(target.article.slug)) };
}

function direction(lang: string): 'ltr' | 'rtl' {
  return isRightToLeft(lang) ? 'rtl' : 'ltr';
}

/** Blocks that take their direction from their own first strong letter: an Arabic quote in an English story. */
const DIRECTIONAL_BLOCKS = new Set(['p', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'blockquote', 'dd', 'dt', 'td', 'th', 'figcaption']);

function markDirectionAuto(tree: Root): void {
  eachElement(tree, (node) => {
    if (!DIRECTIONAL_BLOCKS.has(node.tagName)) return;
    // An item whose text is in paragraphs (a loose list, a footnote) takes the page's direction:
    // `dir="auto"` skips children with a `dir` of their own, so it would find no letter and
    // turn the item left-to-right, its number on the wrong side of a right-to-left text.
    if (node.tagName === 'li' && node.children.some((child) => child.type === 'element' && DIRECTIONAL_BLOCKS.has(child.tagName))) return;
    node.properties.dir = 'auto';
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
 * (parents, tests), which over every element of every page is a noticeable share of a web build.
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
        ? [pageSettingsDigest(view.edition.site), sourceKey(view.article), view.pagePath, view.edition.pdfBytes.get(view.article.slug) ?? null]
        : [view];
    teasers.push(
      memo.bytes('teaser', [...inputs, options.lead, options.page.lang, options.page.dir, options.page.timeZone], () => {
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
