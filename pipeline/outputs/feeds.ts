/**
 * Subscriptions: RSS 2.0 and Atom 1.0 through `feed` 6, JSON Feed 1.1 through json-feed.ts, for
 * the whole edition and for each tag, plus the XSL stylesheet that makes the XML feeds readable
 * in a browser.
 *
 * Everything in a feed comes from the edition, never from the clock: the channel's
 * `updated`/`lastBuildDate` is the newest change among its items (`feed` stamps `new Date()`
 * when it is not given one), so two builds of the same sources give the same bytes. The one
 * file read is the stylesheet shipped in templates/, never content.
 *
 * `feed` 6 has faults this module works around (see `XmlText`, `rssXml`, `fixAtomEnclosureType`):
 * - it serialises with xml-js, which turns every `&amp;` in text back into `&` before escaping
 *   (so literal "&amp;" is lost), splits only the first `]]>` of a CDATA section (a second one
 *   ends the section: the document is no longer XML), and escapes nothing but `"` in attribute
 *   values (a `<` there is not XML either);
 * - Atom entry titles are always `type="html"`, so a headline such as `Use <b> for bold` would be
 *   markup to every reader, not the words the editor wrote;
 * - the Atom enclosure type is guessed as `image/` + the file extension (`image/pdf`);
 * - an RSS `<author>` without an e-mail address is invalid, and `dc:creator` is not offered.
 */
import fs from 'node:fs';
import { Feed, type FeedOptions, type Item } from 'feed';
import type { Article } from '../article.ts';
import type { SiteSettings } from '../site.ts';
import { topicsOf } from '../topics.ts';
import { projectFile } from '../project.ts';
import { OUTPUT_PATHS, absoluteUrl, relativeHref } from '../urls.ts';
import { bodyHtml } from './body-html.ts';
import type { Edition, OutputFile, RenderMemo } from './edition.ts';
import { noMemo } from './edition.ts';
import { JSON_FEED_MEDIA_TYPE, serializeJsonFeed, type JsonFeedItem } from './json-feed.ts';

export type FeedFormat = 'rss' | 'atom' | 'json';

/** Media types for `<link rel="alternate" type=…>` autodiscovery and for serving the files. */
export const FEED_MEDIA_TYPES: Readonly<Record<FeedFormat, string>> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: JSON_FEED_MEDIA_TYPE,
};

const PDF_MEDIA_TYPE = 'application/pdf';

/** Shipped with the code: presentation of the XML feeds, copied as is to OUT/feed.xsl. */
const STYLESHEET_FILE = projectFile('templates/feed.xsl');

/** The generator named in RSS and Atom: a name, never a version or a time. */
const GENERATOR = 'Galley';


/** Everything one feed needs, in all three formats. */
interface FeedPlan {
  readonly title: string;
  readonly description: string;
  /** The HTML page this feed mirrors. */
  readonly homeUrl: string;
  readonly paths: Readonly<Record<FeedFormat, string>>;
  readonly entries: readonly Entry[];
}

/** One article as every feed shows it; made once per render and shared by the tag feeds. */
interface Entry {
  readonly article: Article;
  /** Canonical page URL: link and id in every format, so it must never change. */
  readonly url: string;
  /** The page's body, every URL absolute (readers ignore `xml:base`). */
  readonly html: string;
  readonly pdf: { readonly url: string; readonly bytes: number } | null;
}

/** RSS, Atom and JSON Feed for the edition and for each of its tags, and the XSL stylesheet. */
export function renderFeeds(edition: Edition, memo: RenderMemo = noMemo): OutputFile[] {
  const { site } = edition;
  const entries = new Map(edition.articles.map((article) => [article, entryOf(site, article, edition.pdfBytes, memo)]));
  const limit = (articles: readonly Article[]) => articles.slice(0, site.feedLimit ?? articles.length).map((article) => entries.get(article)!);

  const plans: FeedPlan[] = [
    {
      title: site.title,
      description: site.description,
      homeUrl: absoluteUrl(site, OUTPUT_PATHS.index),
      paths: { rss: OUTPUT_PATHS.rss, atom: OUTPUT_PATHS.atom, json: OUTPUT_PATHS.json },
      entries: limit(edition.articles),
    },
  ];
  for (const { slug, label: name, articles } of topicsOf(edition.articles)) {
    plans.push({
      title: `${site.title}: ${name}`,
      description: `${site.description} Articles tagged “${name}”.`,
      homeUrl: absoluteUrl(site, OUTPUT_PATHS.tagPage(slug)),
      paths: { rss: OUTPUT_PATHS.tagFeed(slug, 'rss'), atom: OUTPUT_PATHS.tagFeed(slug, 'atom'), json: OUTPUT_PATHS.tagFeed(slug, 'json') },
      entries: limit(articles),
    });
  }

  const files: OutputFile[] = plans.flatMap((plan) => {
    // a feed is a function of its plan: unchanged articles, unchanged feed (most tag feeds on a rebuild)
    const inputs = [site, plan.title, plan.description, plan.homeUrl, plan.paths, plan.entries.map(({ article, url, pdf }) => [article.sourcePath.split('/').pop(), article.hash, url, pdf])];
    return [
      memo.output(plan.paths.rss, 'rss', inputs, () => rssXml(site, plan)),
      memo.output(plan.paths.atom, 'atom', inputs, () => atomXml(site, plan)),
      memo.output(plan.paths.json, 'json-feed', inputs, () => jsonFeed(site, plan)),
    ];
  });
  files.push({ path: OUTPUT_PATHS.feedStylesheet, data: fs.readFileSync(STYLESHEET_FILE, 'utf8') });
  return files;
}

function entryOf(site: SiteSettings, article: Article, pdfBytes: ReadonlyMap<string, number>, memo: RenderMemo): Entry {
  const url = absoluteUrl(site, OUTPUT_PATHS.articlePage(article.slug));
  const bytes = pdfBytes.get(article.slug);
  let html: string | null = null;
  return {
    article,
    url,
    // made only for feeds that are rendered, and then once
    get html() {
      html ??= memo.text('feed-body', [article.hash, url], () => bodyHtml(article, url));
      return html;
    },
    // No size, no enclosure: a feed must never announce a length the file does not have.
    pdf: bytes === undefined ? null : { url: absoluteUrl(site, OUTPUT_PATHS.articlePdf(article.slug)), bytes },
  };
}

/** The newest change among the entries (the epoch for an empty feed): never the build time. */
function lastChange(entries: readonly Entry[]): Date {
  let newest = 0;
  for (const { article } of entries) newest = Math.max(newest, article.date.getTime(), article.updated.getTime());
  return new Date(newest);
}

function copyright(site: SiteSettings): string {
  return site.copyright ?? `© ${site.publisher.name}`;
}

/** Characters XML 1.0 forbids (C0 controls but tab and newlines, U+FFFE/U+FFFF, lone surrogates). */
const MAYBE_NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as every format carries it: without the characters XML cannot hold, so the three formats
 * agree (a stray control character from wire copy cannot be written in RSS or Atom at all).
 */
export function feedText(text: string): string {
  // the full pattern (with its lookarounds) is slow on long bodies; most text has nothing to drop
  return MAYBE_NOT_XML.test(text) ? text.replace(NOT_XML, '') : text;
}

function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Text handed to `feed` as opaque tokens and put back, escaped by us, once it has serialised.
 *
 * xml-js mangles `&amp;`, splits only the first `]]>` of a CDATA section and leaves `<` raw in
 * attributes (see the module comment), and `feed` offers no way to escape a value itself. A
 * token is U+FFFF, a number, U+FFFF: U+FFFF cannot occur in XML, so `feedText` removes it from
 * every value and a token can never be confused with real text. `resolve` replaces each token,
 * with the CDATA section `feed` may have wrapped around it, by the value as escaped character
 * data, which is the same text to every XML parser. This is the one place XML is written by
 * hand, because `feed` leaves no other way to get these values into the document intact.
 */
class XmlText {
  readonly #values: { readonly text: string; readonly html: boolean }[] = [];

  /** Plain text: where `feed` declared an Atom `type="html"` for it, the type becomes `text`. */
  text(value: string): string {
    return this.#token(feedText(value), false);
  }

  /** HTML (a page body; an RSS description, which readers take as HTML). */
  html(value: string): string {
    return this.#token(feedText(value), true);
  }

  #token(text: string, html: boolean): string {
    this.#values.push({ text, html });
    return `\uFFFF${this.#values.length - 1}\uFFFF`;
  }

  resolve(xml: string): string {
    const resolved = xml.replace(/( type="html">)?(<!\[CDATA\[)?\uFFFF(\d+)\uFFFF(\]\]>)?/g, (_match, htmlType: string | undefined, open: string | undefined, index: string, close: string | undefined) => {
      const value = this.#values[Number(index)];
      if (!value || Boolean(open) !== Boolean(close)) throw new Error(`feeds: unexpected serialisation around text token ${index}`);
      const type = htmlType ? (value.html ? ' type="html">' : ' type="text">') : '';
      return type + escapeMarkup(value.text);
    });
    if (resolved.includes('\uFFFF')) throw new Error('feeds: a text token was left in the XML');
    return resolved;
  }
}

/** Options both XML formats share; `feed` falls back to `new Date()` without `updated`. */
function feedOptions(site: SiteSettings, plan: FeedPlan, format: 'rss' | 'atom', text: XmlText): FeedOptions {
  return {
    id: text.text(absoluteUrl(site, plan.paths.atom)),
    title: text.text(plan.title),
    description: text.text(plan.description),
    link: plan.homeUrl,
    language: text.text(site.language),
    copyright: text.text(copyright(site)),
    updated: lastChange(plan.entries),
    generator: text.text(GENERATOR),
    // `feed` takes the Atom self link from `feedLinks.atom`, the RSS one from `feedLinks.rss`.
    feedLinks: { [format]: absoluteUrl(site, plan.paths[format]) },
    // Relative, so the stylesheet loads from the same origin wherever the site is served.
    stylesheet: relativeHref(plan.paths[format], OUTPUT_PATHS.feedStylesheet),
  };
}

function rssXml(site: SiteSettings, plan: FeedPlan): string {
  const text = new XmlText();
  const feed = new Feed({ ...feedOptions(site, plan, 'rss', text), docs: 'https://www.rssboard.org/rss-specification' });
  for (const { article, url, html, pdf } of plan.entries) {
    const item: Item = {
      title: text.text(article.title),
      // No `id`/`guid`: then `feed` writes the link as `<guid isPermaLink="true">`.
      link: url,
      date: article.updated,
      published: article.date,
      // RSS readers render the description as HTML: the summary is text, so it is escaped first.
      description: text.html(escapeMarkup(article.summary)),
      // Always set (a token is never empty): `feed` declares xmlns:dc only when there is content.
      content: text.html(html),
      category: article.tags.map((tag) => ({ name: text.text(tag) })),
      // `dc:creator`, not `<author>`: RSS 2.0 wants an e-mail address there.
      extensions: [{ name: 'dc:creator', objects: { _text: text.text(article.author) } }],
    };
    if (pdf) item.enclosure = { url: pdf.url, type: PDF_MEDIA_TYPE, length: pdf.bytes };
    feed.addItem(item);
  }
  return `${text.resolve(feed.rss2())}\n`;
}

function atomXml(site: SiteSettings, plan: FeedPlan): string {
  const text = new XmlText();
  const feed = new Feed({ ...feedOptions(site, plan, 'atom', text), author: { name: text.text(site.publisher.name) } });
  for (const { article, url, html, pdf } of plan.entries) {
    const item: Item = {
      title: text.text(article.title),
      id: url,
      link: url,
      date: article.updated,
      published: article.date,
      description: text.text(article.summary),
      content: text.html(html),
      author: [{ name: text.text(article.author) }],
      category: article.tags.map((tag) => ({ term: text.text(tag) })),
    };
    if (pdf) item.enclosure = { url: pdf.url, length: pdf.bytes };
    feed.addItem(item);
  }
  return `${fixAtomEnclosureType(text.resolve(feed.atom1()))}\n`;
}

/**
 * `feed` 6 types every Atom enclosure `image/` + extension; ours are all PDFs. Safe as a string
 * edit: after `XmlText`, every value in the document is escaped, so `<link` only occurs as markup.
 */
function fixAtomEnclosureType(xml: string): string {
  return xml.replace(/(<link rel="enclosure" href="[^"]*") type="image\/pdf"/g, `$1 type="${PDF_MEDIA_TYPE}"`);
}

function jsonFeed(site: SiteSettings, plan: FeedPlan): string {
  return serializeJsonFeed({
    title: feedText(plan.title),
    home_page_url: plan.homeUrl,
    feed_url: absoluteUrl(site, plan.paths.json),
    description: feedText(plan.description),
    authors: [{ name: feedText(site.publisher.name) }],
    language: site.language,
    items: plan.entries.map(({ article, url, html, pdf }): JsonFeedItem => ({
      id: url,
      url,
      title: feedText(article.title),
      content_html: feedText(html),
      summary: feedText(article.summary),
      date_published: article.date.toISOString(),
      date_modified: article.updated.toISOString(),
      authors: [{ name: feedText(article.author) }],
      ...(article.tags.length ? { tags: article.tags.map(feedText) } : {}),
      language: article.lang,
      ...(pdf ? { attachments: [{ url: pdf.url, mime_type: PDF_MEDIA_TYPE, title: `${feedText(article.title)} (PDF)`, size_in_bytes: pdf.bytes }] } : {}),
    })),
  });
}
