/**
 * Subscriptions: RSS 2.0 and Atom 1.0 through `feed` 6, JSON Feed 1.1 through json-feed.ts, for
 * the whole edition and for each tag. They are documents for feed readers, with no XSLT
 * stylesheet: browsers are dropping XSLT (Chromium puts a warning over a page that uses it), and
 * people are sent to the feeds page (`feeds/`, web/html.ts), which says how to subscribe.
 *
 * Everything in a feed comes from the edition, never from the clock: the channel's
 * `updated`/`lastBuildDate` is the newest change among its items (`feed` stamps `new Date()`
 * when it is not given one), so two builds of the same sources give the same bytes.
 *
 * A feed file is assembled from per-item fragments (see `renderFeeds`, `cutItem`): each item is
 * serialised once, by the same `feed` code path as a whole feed, and kept by the build's memo, so
 * a rebuild where one article of 1,000 changed serialises one item per format, not every feed.
 * Fragments are kept and spliced as UTF-8 bytes, never as strings: a file is its head and tail
 * (serialised per build, small) encoded once and the kept bytes copied between them. As strings,
 * a one-article rebuild of 1,000 decoded ~20 MB of kept items, joined them into strings of up to
 * 5 MB a feed and encoded those again, mostly garbage to collect.
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
import { digest, digestOf } from '../../engine/digest.ts';
import { Feed, type FeedOptions, type Item } from 'feed';
import { sourceKey, type Article } from '../../model/article.ts';
import type { PageSettings, SiteSettings } from '../../model/site.ts';
import { topicsOf } from '../../model/topics.ts';
import { absoluteUrl } from '../../model/urls.ts';
import { FEED_KINDS, OUTPUTS, OUTPUT_PATHS, type FeedKind } from '../registry.ts';
import { bodyHtml } from '../web/body-html.ts';
import { copyrightOf } from '../article-view.ts';
import { labelsFor } from '../../../templates/labels.ts';
import { feedCreditHtml } from '../../../templates/feed-item.ts';
import { openLede } from '../../../templates/lede.tsx';
import type { Edition, FileContent, ListOutput, OutputFile, PlannedFile, RenderMemo } from '../edition.ts';
import { keepWhenAsked, noMemo, pageSettingsDigest } from '../edition.ts';
import { x } from 'xastscript';
import { toXml } from 'xast-util-to-xml';
import { feedArchives } from '../parts.ts';
import { jsonFeedItemText, jsonFeedPieces, serializeJsonFeed, type JsonFeedItem } from './json-feed.ts';

export type FeedFormat = FeedKind['key'];


/** The generator named in RSS and Atom: a name, never a version or a time. */
const GENERATOR = 'Galley';


/** A feed's own values (channel, head), the same in all three formats. */
interface FeedChannel {
  readonly title: string;
  readonly description: string;
  /** The HTML page this feed mirrors. */
  readonly homeUrl: string;
  /** This document's path in each syntax. */
  readonly paths: Readonly<Record<FeedFormat, string>>;
  /** The subscription document's paths: the feed's identity (Atom id, JSON Feed feed_url) in all its documents. */
  readonly feedPaths: Readonly<Record<FeedFormat, string>>;
  /** Its place in the feed's RFC 5005 archive chain; null for a feed without archives. */
  readonly history: FeedHistory | null;
}

/**
 * RFC 5005 links of one document of a feed, as paths in each syntax: the subscription document
 * links the newest archive as `prev-archive`; an archive document carries `fh:archive`, links
 * `current` (the subscription document), the older archive (`prev-archive`) and the newer one
 * (`next-archive`). JSON Feed has one way: `next_url`, the next older document.
 */
interface FeedHistory {
  readonly archive: boolean;
  readonly older: Readonly<Record<FeedFormat, string>> | null;
  readonly newer: Readonly<Record<FeedFormat, string>> | null;
}

/** RFC 5005's namespace, for `fh:archive`. */
const HISTORY_NAMESPACE = 'http://purl.org/syndication/history/1.0';

/** Everything one feed needs, in all three formats. */
interface FeedPlan extends FeedChannel {
  /** The articles it shows. */
  readonly articles: readonly Article[];
  /** Their entries, made when first asked for (an entry states its PDF's size). */
  readonly entries: readonly FeedEntry[];
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

/** An entry of the edition, with its item as each format serialises it. */
interface FeedEntry extends Entry {
  /**
   * The item's text in `format` as it stands in any feed, as UTF-8: in RSS and Atom with the
   * newline and indent before it (see `cutItem`), in JSON Feed at the items' depth (see
   * `jsonFeedItemText`). Bytes, only ever copied into a file (see the module comment).
   */
  fragment(format: FeedFormat): Uint8Array;
  /** Keeps the item in `format` for later builds without making it (see RenderMemo.keep). */
  keep(format: FeedFormat): void;
}

/** RSS, Atom and JSON Feed for the edition and for each of its tags. */
export function renderFeeds(edition: Edition, memo: RenderMemo = noMemo): OutputFile[] {
  return feedFilePlans(edition, memo).map((file) => file.render());
}

/** The feeds in every syntax, for the edition and each topic. */
export const feedsOutput: ListOutput = {
  formats: FEED_KINDS.flatMap((kind) => [kind.edition, kind.topic, kind.editionArchive, kind.topicArchive]),
  plan: (edition, memo) => feedFilePlans(edition, memo),
  articlePieces: (article, site, memo, pdfBytes) => articleItems(article, site, memo, pdfBytes),
};

/** The files of renderFeeds, each made when asked for (see PlannedFile). */
export function feedFilePlans(edition: Edition, memo: RenderMemo = noMemo): PlannedFile[] {
  const { site } = edition;
  const files: PlannedFile[] = plansOf(edition, memo).flatMap((plan) => {
    // a feed is a function of its plan: unchanged articles, unchanged feed (most tag feeds on a rebuild)
    // (a line per entry, 1,000 in the main feed: digested once for the three formats)
    let inputs: unknown[] | null = null;
    const inputsOf = () =>
      (inputs ??= [
        digest([
          digestOf(site),
          plan.title,
          plan.description,
          plan.homeUrl,
          plan.paths,
          plan.feedPaths,
          plan.history,
          plan.articles.map((article) => entryDigest(site, article, edition.pdfBytes)),
        ]),
      ]);
    const keepItems = (format: FeedFormat) => keepItemsWhenAsked(site, plan.articles, edition.pdfBytes, memo, format);
    const file = (format: FeedFormat, kind: string, render: () => FileContent): PlannedFile => ({
      path: plan.paths[format],
      articles: plan.articles,
      render: () => {
        let rendered = false;
        const output = memo.output(plan.paths[format], kind, inputsOf(), () => {
          rendered = true;
          return render();
        });
        if (!rendered) keepItems(format);
        return output;
      },
    });
    return [file('rss', 'rss', () => assembledXml(site, plan, 'rss')), file('atom', 'atom', () => assembledXml(site, plan, 'atom')), file('json', 'json-feed', () => assembledJson(site, plan))];
  });
  return files;
}

/**
 * A feed taken whole from the cache uses none of its items: they are kept all the same, for the
 * build that makes it again after one of them changes. Kept later, and only if the memo asks
 * (when it rewrites its store): a rebuild takes most feeds whole, and keeping their items one by
 * one was a tenth of an arrival's time. The PDF sizes are read now, while the feed may read them.
 * What waits holds the feed's articles and their sizes, not its plan: a rebuild of a large
 * archive holds one of these for each of thousands of archive documents to its end.
 */
function keepItemsWhenAsked(site: SiteSettings, articles: readonly Article[], pdfBytes: ReadonlyMap<string, number>, memo: RenderMemo, format: FeedFormat): void {
  const sizes = articles.some((article) => pdfBytes.has(article.slug)) ? new Map(articles.flatMap((article) => (pdfBytes.has(article.slug) ? [[article.slug, pdfBytes.get(article.slug)!] as const] : []))) : NO_SIZES;
  keepWhenAsked(memo, () => {
    for (const article of articles) entryOf(site, homeChannel(site), article, sizes, memo).keep(format);
  });
}

/** The PDF sizes of an edition without PDFs. */
const NO_SIZES: ReadonlyMap<string, number> = new Map();

/**
 * The same files as `renderFeeds`, each feed serialised by `feed` in one piece with all its items,
 * nothing memoised: the reference the assembled feeds must equal byte for byte (the tests compare
 * them). A build never uses it.
 */
export function renderWholeFeeds(edition: Edition): OutputFile[] {
  const { site } = edition;
  const files: OutputFile[] = plansOf(edition, noMemo).flatMap((plan) => {
    const updated = lastChange(plan.entries);
    return [
      { path: plan.paths.rss, data: rssXml(site, plan, updated, plan.entries) },
      { path: plan.paths.atom, data: atomXml(site, plan, updated, plan.entries) },
      { path: plan.paths.json, data: jsonFeed(site, plan, plan.entries) },
    ];
  });
  return files;
}

/**
 * The edition's feed, then one per tag: each its subscription document (the newest entries, at
 * most `feedLimit`) and its archive documents, numbered from the oldest (see parts.ts:
 * feedArchives), which no arrival changes.
 */
function plansOf(edition: Edition, memo: RenderMemo): FeedPlan[] {
  const { site } = edition;
  const home = homeChannel(site);
  // an entry is made once for all the feeds that hold it, and only when one of them is made:
  // it states its PDF's size, which a build may learn only after the other feeds are made
  const entries = new Map<Article, FeedEntry>();
  const entryFor = (article: Article) => {
    let entry = entries.get(article);
    if (!entry) {
      entry = entryOf(site, home, article, edition.pdfBytes, memo);
      entries.set(article, entry);
    }
    return entry;
  };
  const planOf = (channel: FeedChannel, articles: readonly Article[]): FeedPlan => {
    let made: readonly FeedEntry[] | null = null;
    return {
      ...channel,
      articles,
      get entries() {
        made ??= articles.map(entryFor);
        return made;
      },
    };
  };
  // the subscription document and its archives
  const feedOf = (channel: Omit<FeedChannel, 'paths' | 'history'>, archivePaths: (part: number) => Record<FeedFormat, string>, all: readonly Article[]): FeedPlan[] => {
    const { head, parts } = feedArchives(all, site.feedLimit);
    const last = parts.length;
    return [
      planOf({ ...channel, paths: channel.feedPaths, history: last ? { archive: false, older: archivePaths(last), newer: null } : null }, head),
      ...parts.map((articles, index) => {
        const part = index + 1;
        return planOf({ ...channel, paths: archivePaths(part), history: { archive: true, older: part > 1 ? archivePaths(part - 1) : null, newer: part < last ? archivePaths(part + 1) : null } }, articles);
      }),
    ];
  };

  const plans: FeedPlan[] = feedOf(home, (part) => pathsOf((kind) => kind.editionArchive.path('', part)), edition.articles);
  for (const { slug, label: name, articles } of topicsOf(edition.articles)) {
    const channel = {
      title: `${site.title}: ${name}`,
      description: `${site.description} ${labelsFor(site.language).text('topicFeedDescription', { topic: name })}`,
      homeUrl: absoluteUrl(site, OUTPUT_PATHS.tagPage(slug)),
      feedPaths: pathsOf((kind) => kind.topic.path(slug)),
    };
    plans.push(...feedOf(channel, (part) => pathsOf((kind) => kind.topicArchive.path(slug, part)), articles));
  }
  return plans;
}

/** The edition's own feed: the channel every item fragment is serialised in (see entryOf). */
function homeChannel(site: PageSettings): FeedChannel {
  const paths = pathsOf((kind) => kind.edition.path(''));
  return { title: site.title, description: site.description, homeUrl: absoluteUrl(site, OUTPUT_PATHS.index), paths, feedPaths: paths, history: null };
}

/** An article's item in each feed syntax, into `memo` (ListOutput.articlePieces). */
function articleItems(article: Article, site: PageSettings, memo: RenderMemo, pdfBytes: ReadonlyMap<string, number> = new Map()): void {
  const entry = entryOf(site, homeChannel(site), article, pdfBytes, memo);
  for (const { key } of FEED_KINDS) entry.item(key);
}

/** A feed's path in each syntax. */
function pathsOf(pathOf: (kind: FeedKind) => string): Record<FeedFormat, string> {
  return Object.fromEntries(FEED_KINDS.map((kind) => [kind.key, pathOf(kind)])) as Record<FeedFormat, string>;
}

/**
 * `home` is the channel a fragment is serialised in: always the edition's feed, so a fragment is
 * the same whichever feed asks first (an item's text does not depend on its channel anyway).
 */
/** What a feed says of an article besides its text: its page's URL, and its PDF's when the build has one. */
function entryFacts(site: PageSettings, article: Article, pdfBytes: ReadonlyMap<string, number>): Pick<FeedEntry, 'url' | 'pdf'> {
  const url = absoluteUrl(site, OUTPUT_PATHS.articlePage(article.slug));
  const bytes = pdfBytes.get(article.slug);
  // No size, no enclosure: a feed must never announce a length the file does not have.
  const pdf = bytes === undefined ? null : { url: absoluteUrl(site, OUTPUT_PATHS.articlePdf(article.slug)), bytes };
  return { url, pdf };
}

/**
 * The digest of what a feed's key says of one entry: its source, URL and PDF (an entry's inputs,
 * see entryOf). Made once per article and PDF size: an article stands in several feeds (the
 * edition's or one of its archives, each of its topics'), and a build keys every feed.
 */
function entryDigest(site: PageSettings, article: Article, pdfBytes: ReadonlyMap<string, number>): string {
  const bytes = pdfBytes.get(article.slug);
  const known = entryDigests.get(article);
  if (known?.site === site && known.bytes === bytes) return known.digest;
  const { url, pdf } = entryFacts(site, article, pdfBytes);
  const made = digest([sourceKey(article), url, pdf]);
  entryDigests.set(article, { site, bytes, digest: made });
  return made;
}

const entryDigests = new WeakMap<Article, { readonly site: PageSettings; readonly bytes: number | undefined; readonly digest: string }>();

function entryOf(site: PageSettings, home: FeedChannel, article: Article, pdfBytes: ReadonlyMap<string, number>, memo: RenderMemo): ArticleEntry {
  return new ArticleEntry(site, home, article, entryFacts(site, article, pdfBytes), memo);
}

/**
 * An article's entry, its items made from the memo when asked for. A class, not an object of
 * closures: a build holds an entry for every article while it makes the feeds that list them.
 */
class ArticleEntry implements FeedEntry {
  readonly url: string;
  readonly pdf: FeedEntry['pdf'];
  readonly #site: PageSettings;
  readonly #home: FeedChannel;
  readonly #memo: RenderMemo;
  /**
   * What an item is made of: the article (its source, read with the site settings), its URL
   * and its PDF. The same inputs as a whole feed has for this entry.
   */
  readonly #inputs: readonly unknown[];
  // The body has no memo of its own any more (it had `feed-body`): only a fragment being
  // rendered reads it, and the fragments' inputs include the body's (hash and URL). A body memo
  // could only help when all three fragments missed with the body unchanged (new site settings,
  // a new PDF size), and the cache keeps only what the last build read, so after one build served
  // by fragments its bodies would be gone: megabytes in the cache's pack for nothing. Within a
  // render it is made once for the three formats.
  #html: string | null = null;
  /**
   * Its items, held weakly: an entry lives as long as the build's feeds, and its items' bytes in
   * every format for every article would not fit in a large archive's memory; the memo has them again.
   */
  readonly #fragments: Partial<Record<FeedFormat, WeakRef<Uint8Array>>> = {};
  /** Formats whose item was made, and (an entry stands in several feeds) kept: once each (FORMAT_BITS). */
  #made = 0;
  #kept = 0;

  constructor(
    site: PageSettings,
    home: FeedChannel,
    readonly article: Article,
    { url, pdf }: { readonly url: string; readonly pdf: FeedEntry['pdf'] },
    memo: RenderMemo,
  ) {
    this.url = url;
    this.pdf = pdf;
    this.#site = site;
    this.#home = home;
    this.#memo = memo;
    this.#inputs = [pageSettingsDigest(site), sourceKey(article), url, pdf];
  }

  /** Made only for items that are rendered, and then once. */
  get html(): string {
    // the body as the page has it (its lede opened by the dateline; a drop cap is the page's
    // typography, not the text's), then the agency credit the page shows under it
    const { article } = this;
    this.#html ??= bodyHtml(article, this.url, (tree) => openLede(tree, { dateline: article.dateline ?? null, lang: article.lang, dropCap: false })) + feedCreditHtml(article.credit);
    return this.#html;
  }

  /** Once per render for all the feeds holding this entry, and from the memo across builds. */
  fragment(format: FeedFormat): Uint8Array {
    const held = this.#fragments[format]?.deref();
    if (held) return held;
    const bytes = this.item(format);
    this.#fragments[format] = new WeakRef(bytes);
    return bytes;
  }

  /**
   * The item in `format`, from the memo or rendered into it, and not held: for an entry made only
   * to put its items into the memo (articleItems, as each article is read). Not through a WeakRef:
   * V8's scavenger treats a WeakRef's target as live, so items held that way would outlive the
   * young-generation collections that free all else a read leaves, until a full collection.
   */
  item(format: FeedFormat): Uint8Array {
    const bytes = this.#memo.bytes(FRAGMENT_KINDS[format], this.#inputs, () => renderFragment(this.#site, this.#home, this, format));
    this.#made |= FORMAT_BITS[format];
    // the body's HTML is needed no more once the item is made in every format
    if (this.#made === ALL_FORMATS) this.#html = null;
    return bytes;
  }

  keep(format: FeedFormat): void {
    const bit = FORMAT_BITS[format];
    if ((this.#kept | this.#made) & bit) return;
    this.#kept |= bit;
    this.#memo.keep?.(FRAGMENT_KINDS[format], this.#inputs);
  }
}

/** A bit for each feed format, and all of them. */
const FORMAT_BITS: Readonly<Record<FeedFormat, number>> = Object.fromEntries(FEED_KINDS.map((kind, index) => [kind.key, 1 << index])) as Record<FeedFormat, number>;
const ALL_FORMATS = (1 << FEED_KINDS.length) - 1;

/** The memo's kind for an item fragment in each format. */
const FRAGMENT_KINDS: Readonly<Record<FeedFormat, string>> = { rss: 'rss-item', atom: 'atom-entry', json: 'json-feed-item' };

/** One entry's item, cut out of the library's serialisation of a feed holding that entry alone. */
function renderFragment(site: PageSettings, home: FeedChannel, entry: Entry, format: FeedFormat): string {
  const updated = lastChange([entry]);
  switch (format) {
    case 'rss':
      return cutItem(rssXml(site, home, updated, [entry]), 'item').item;
    case 'atom':
      return cutItem(atomXml(site, home, updated, [entry]), 'entry').item;
    case 'json':
      return jsonFeedItemText(jsonFeed(site, home, [entry]));
  }
}

/**
 * Stands in for the items when a feed's head is serialised: `feed` declares `xmlns:dc` and
 * `xmlns:content` on `<rss>` only when an item has content, so a head serialised without items
 * would not be the head of the feed with them. Every real entry has content, and nothing else of
 * an item shows in the head; the placeholder's own text is never part of a feed: `cutItem`
 * takes it out.
 */
function placeholderEntry(channel: FeedChannel): Entry {
  const epoch = new Date(0);
  return {
    article: {
      slug: 'placeholder', title: 'placeholder', date: epoch, updated: epoch, summary: 'placeholder', author: 'placeholder', tags: [], lang: 'en',
      related: [], credit: null, draft: false, source: null, sourcePath: 'placeholder.md', words: 0, readingMinutes: 0, body: { type: 'root', children: [] }, hash: '',
    },
    url: channel.homeUrl,
    html: 'placeholder',
    pdf: null,
  };
}

/**
 * An RSS or Atom feed file from fragments: the head `feed` serialises for this feed (its channel
 * and its `updated`, the newest change among all its entries) around one placeholder item, the
 * placeholder replaced by the entries' fragments. Each fragment carries the newline and indent
 * `feed` writes before an item, so their concatenation is what `feed` writes for the items.
 * Everything that edits serialised XML (`XmlText.resolve`, `fixAtomEnclosureType`) has already
 * run on the head and on each fragment as it was serialised, so the file is only copied together.
 */
function assembledXml(site: SiteSettings, plan: FeedPlan, format: 'rss' | 'atom'): FileContent {
  const updated = lastChange(plan.entries);
  const serialise = format === 'rss' ? rssXml : atomXml;
  // no item to splice in: the empty feed as `feed` writes it (without content namespaces)
  if (!plan.entries.length) return serialise(site, plan, updated, []);
  const head = cutItem(serialise(site, plan, updated, [placeholderEntry(plan)]), format === 'rss' ? 'item' : 'entry');
  // the head and tail encoded, the kept fragments as they are: written in pieces, never joined
  return [Buffer.from(head.before, 'utf8'), ...plan.entries.map((entry) => entry.fragment(format)), Buffer.from(head.after, 'utf8')];
}

/** A JSON Feed file from fragments: the feed serialised without items, the items spliced in. */
function assembledJson(site: SiteSettings, plan: FeedPlan): FileContent {
  return jsonFeedPieces(jsonFeed(site, plan, []), plan.entries.map((entry) => entry.fragment('json')));
}

/**
 * Splits a serialised XML feed holding exactly one item (`<item>` in RSS, `<entry>` in Atom)
 * into the text before it, the item and the text after it. The item starts at the newline before
 * its start tag, so it brings the indent `feed` gives every item; after `XmlText.resolve` every
 * value is escaped, so these tags occur only as markup. Anything else than one item, indented on
 * its own line and last among its siblings, throws: a feed assembled from a wrong cut would be
 * wrong without a sign, and every item of every feed goes through here.
 */
export function cutItem(xml: string, name: 'item' | 'entry'): { readonly before: string; readonly item: string; readonly after: string } {
  // `<entry>`, or `<entry xml:lang="…">` for an entry in another language than its feed
  const open = new RegExp(`<${name}[ >]`, 'g');
  const close = `</${name}>`;
  const starts = [...xml.matchAll(open)].map((match) => match.index);
  const start = starts[0] ?? -1;
  const end = xml.indexOf(close);
  if (starts.length !== 1 || end < start || xml.indexOf(close, end + 1) >= 0) {
    throw new Error(`feeds: expected exactly one <${name}>…${close} in the serialised feed`);
  }
  const lineStart = xml.lastIndexOf('\n', start);
  const after = xml.slice(end + close.length);
  if (lineStart < 0 || !/^ *$/.test(xml.slice(lineStart + 1, start))) throw new Error(`feeds: <${name}> is not on a line of its own in the serialised feed`);
  if (!/^\n *<\//.test(after)) throw new Error(`feeds: ${close} is not followed by its parent's end tag on the next line`);
  return { before: xml.slice(0, lineStart), item: xml.slice(lineStart, end + close.length), after };
}

/** The newest change among the entries (the epoch for an empty feed): never the build time. */
function lastChange(entries: readonly Entry[]): Date {
  let newest = 0;
  for (const { article } of entries) newest = Math.max(newest, article.date.getTime(), article.updated.getTime());
  return new Date(newest);
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

/**
 * Options both XML formats share. `updated` is given, never derived from the items serialised
 * with it: a head is serialised around a placeholder but dated by the feed's entries, and `feed`
 * falls back to `new Date()` without it.
 */
function feedOptions(site: PageSettings, plan: FeedChannel, updated: Date, format: 'rss' | 'atom', text: XmlText): FeedOptions {
  // RSS says nothing of markup in a channel's title, description and copyright, so readers guess
  // (feedparser takes any text with a closing tag or an entity for HTML, as it does an item's
  // description): escaped once more, as HTML they read as the text written. Atom's are text by type.
  const words = (value: string) => (format === 'rss' ? text.html(escapeMarkup(value)) : text.text(value));
  return {
    // one feed, one id, in every document of its archive chain
    id: text.text(absoluteUrl(site, plan.feedPaths.atom)),
    title: words(plan.title),
    description: words(plan.description),
    link: plan.homeUrl,
    language: text.text(site.language),
    copyright: words(copyrightOf(site)),
    updated,
    generator: text.text(GENERATOR),
    // `feed` takes the Atom self link from `feedLinks.atom`, the RSS one from `feedLinks.rss`.
    feedLinks: { [format]: absoluteUrl(site, plan.paths[format]) },
  };
}

function rssXml(site: PageSettings, plan: FeedChannel, updated: Date, entries: readonly Entry[]): string {
  const text = new XmlText();
  const feed = new Feed({ ...feedOptions(site, plan, updated, 'rss', text), docs: 'https://www.rssboard.org/rss-specification' });
  for (const { article, url, html, pdf } of entries) {
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
      // `dc:creator`, not `<author>`: RSS 2.0 wants an e-mail address there. `dc:language` when the
      // item's language is not the channel's (every channel is in the site's language).
      extensions: [
        { name: 'dc:creator', objects: { _text: text.text(article.author) } },
        ...(article.lang === site.language ? [] : [{ name: 'dc:language', objects: { _text: text.text(article.lang) } }]),
      ],
    };
    if (pdf) item.enclosure = { url: pdf.url, type: OUTPUTS.articlePdf.mediaType, length: pdf.bytes };
    feed.addItem(item);
  }
  return `${withHistory(site, text.resolve(feed.rss2()), plan, 'rss')}\n`;
}

function atomXml(site: PageSettings, plan: FeedChannel, updated: Date, entries: readonly Entry[]): string {
  const text = new XmlText();
  const feed = new Feed({ ...feedOptions(site, plan, updated, 'atom', text), author: { name: text.text(site.publisher.name) } });
  for (const { article, url, html, pdf } of entries) {
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
  const langs = entries.map(({ article }) => (article.lang === site.language ? null : article.lang));
  return `${withHistory(site, markEntryLanguages(fixAtomEnclosureType(text.resolve(feed.atom1())), langs), plan, 'atom')}\n`;
}

/**
 * The feed's RFC 5005 links (and, in an archive, `fh:archive`) put in the head after its self
 * link, with its indent: `feed` has no way to add them. The elements are an xast tree serialised
 * by xast-util-to-xml; after `XmlText`, every value in the document is escaped, so `rel="self"`
 * only occurs as markup. In RSS the links are `atom:link` (`feed` declares `xmlns:atom` for the
 * self link); `fh:archive` declares its own namespace.
 */
function withHistory(site: PageSettings, xml: string, plan: FeedChannel, format: 'rss' | 'atom'): string {
  const { history } = plan;
  if (!history) return xml;
  const type = format === 'rss' ? OUTPUTS.rss.mediaType : OUTPUTS.atom.mediaType;
  const link = (rel: string, path: string) => x(format === 'rss' ? 'atom:link' : 'link', { href: absoluteUrl(site, path), rel, type });
  const elements = [
    ...(history.archive ? [x('fh:archive', { 'xmlns:fh': HISTORY_NAMESPACE }), link('current', plan.feedPaths[format])] : []),
    ...(history.older ? [link('prev-archive', history.older[format])] : []),
    ...(history.newer ? [link('next-archive', history.newer[format])] : []),
  ];
  const self = /\n( *)<(?:atom:)?link [^>]*rel="self"[^>]*\/>/.exec(xml);
  if (!self) throw new Error(`feeds: no self link in the serialised ${format} head`);
  const at = self.index + self[0].length;
  const indent = `\n${self[1]}`;
  return xml.slice(0, at) + elements.map((element) => indent + toXml(element, { closeEmptyElements: true })).join('') + xml.slice(at);
}

/**
 * `xml:lang` on each entry whose language is not the feed's (`feed` 6 cannot set it): `langs`
 * holds, in the entries' order, the tag to set or null. Safe as a string edit, as
 * `fixAtomEnclosureType` is: after `XmlText`, every value is escaped, so `<entry>` only occurs as
 * markup, once per entry, in order. A language tag is letters, digits and hyphens (canonical BCP 47).
 */
function markEntryLanguages(xml: string, langs: readonly (string | null)[]): string {
  let index = 0;
  const marked = xml.replace(/<entry>/g, (tag) => {
    const lang = langs[index++];
    if (lang === undefined) throw new Error('feeds: more Atom entries than articles');
    if (lang === null) return tag;
    if (!/^[A-Za-z0-9-]+$/.test(lang)) throw new Error(`feeds: ${JSON.stringify(lang)} is not a language tag`);
    return `<entry xml:lang="${lang}">`;
  });
  if (index !== langs.length) throw new Error('feeds: fewer Atom entries than articles');
  return marked;
}

/**
 * `feed` 6 types every Atom enclosure `image/` + extension; ours are all PDFs. Safe as a string
 * edit: after `XmlText`, every value in the document is escaped, so `<link` only occurs as markup.
 */
function fixAtomEnclosureType(xml: string): string {
  return xml.replace(/(<link rel="enclosure" href="[^"]*") type="image\/pdf"/g, `$1 type="${OUTPUTS.articlePdf.mediaType}"`);
}

function jsonFeed(site: PageSettings, plan: FeedChannel, entries: readonly Entry[]): string {
  return serializeJsonFeed({
    title: feedText(plan.title),
    home_page_url: plan.homeUrl,
    feed_url: absoluteUrl(site, plan.feedPaths.json),
    description: feedText(plan.description),
    // the chain of older documents, as JSON Feed has it
    ...(plan.history?.older ? { next_url: absoluteUrl(site, plan.history.older.json) } : {}),
    authors: [{ name: feedText(site.publisher.name) }],
    language: site.language,
    items: entries.map(({ article, url, html, pdf }): JsonFeedItem => ({
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
      ...(pdf ? { attachments: [{ url: pdf.url, mime_type: OUTPUTS.articlePdf.mediaType, title: `${feedText(article.title)} (PDF)`, size_in_bytes: pdf.bytes }] } : {}),
    })),
  });
}
