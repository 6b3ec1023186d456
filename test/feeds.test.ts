/**
 * Feeds: golden files for a small edition (test/fixtures/feeds/<edition>/expected/, UPDATE=1
 * rewrites them), then each promise checked by meaning through real parsers:
 * @rowanmanning/feed-parser reads RSS and Atom as a feed reader does, and jsdom's strict XML
 * parser (which rejects any document that is not well-formed) gives the exact element text,
 * since feed-parser decodes HTML entities inside content and so cannot show it byte for byte.
 * Last, the feeds as a build assembles them from per-item fragments, compared byte for byte with
 * the same feeds serialised whole by the library.
 */
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { JSDOM } from 'jsdom';
import { parseFeed } from '@rowanmanning/feed-parser';
import { tempContent, options, golden, prepare } from './helpers.ts';
import type { Article } from '../pipeline/model/article.ts';
import { bodyHtml } from '../pipeline/outputs/web/body-html.ts';
import { joined, outputData, type Edition, type OutputFile, type RenderMemo } from '../pipeline/outputs/edition.ts';
import { cutItem, renderFeeds, renderWholeFeeds } from '../pipeline/outputs/feeds/feeds.ts';
import { tagSlug, topicsOf } from '../pipeline/model/topics.ts';
import { JSON_FEED_VERSION, jsonFeedItemText, serializeJsonFeed, withJsonFeedItems } from '../pipeline/outputs/feeds/json-feed.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'feeds');
const THREE_ARTICLES = path.join(FIXTURES, 'three-articles');

const ATOM = 'http://www.w3.org/2005/Atom';
const DC = 'http://purl.org/dc/elements/1.1/';
const CONTENT = 'http://purl.org/rss/1.0/modules/content/';

/** Every file under `dir`, as `relative/path` → text. */
function readTree(dir: string, prefix = ''): Record<string, string | Buffer> {
  const files: Record<string, string | Buffer> = {};
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = path.posix.join(prefix, entry.name);
    if (entry.isDirectory()) Object.assign(files, readTree(dir, relative));
    // a picture as its bytes, everything else as text
    else files[relative] = /\.(jpe?g|png)$/i.test(entry.name) ? fs.readFileSync(path.join(dir, relative)) : fs.readFileSync(path.join(dir, relative), 'utf8');
  }
  return files;
}

/** A PDF size that depends on the slug alone, so adding an article changes no other size. */
function pdfSize(slug: string): number {
  let size = 20_000;
  for (const char of slug) size += char.charCodeAt(0) * 7;
  return size;
}

/** The edition a build of `files` (a content folder) would render; `pdfSize` for every PDF. */
function editionOf(files: Record<string, string | Uint8Array>, overrides: { baseUrl?: string } = {}): Edition {
  const dir = tempContent(files);
  const { context, report } = prepare(options(dir, { baseUrl: overrides.baseUrl ?? null }));
  assert.ok(report.ok && context, report.diagnostics.format());
  return { site: context!.site, articles: report.published, pdfBytes: new Map(report.published.map((article) => [article.slug, pdfSize(article.slug)])) };
}

const fixtureContent = () => readTree(path.join(THREE_ARTICLES, 'content'));

/**
 * Strict UTF-8, keeping a BOM: bytes that are not UTF-8 throw, so two files decode to the same
 * text exactly when their bytes are the same.
 */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The file's text; assembled feeds are bytes, decoded exactly (see UTF8). */
function fileOf(files: readonly OutputFile[], name: string): string {
  const file = files.find((candidate) => candidate.path === name);
  if (!file) throw new Error(`no ${name} among ${files.map((candidate) => candidate.path).join(', ')}`);
  const data = outputData(file);
  return typeof data === 'string' ? data : UTF8.decode(data);
}

/** Parses as XML, strictly: throws on anything that is not well-formed (including namespaces). */
function xmlDocument(xml: string): Document {
  return new JSDOM(xml, { contentType: 'application/xml' }).window.document;
}

function pageUrl(edition: Edition, article: Article): string {
  return new URL(`articles/${article.slug}/`, edition.site.baseUrl).href;
}

function pdfUrl(edition: Edition, article: Article): string {
  return new URL(`articles/${article.slug}/${article.slug}.pdf`, edition.site.baseUrl).href;
}

/** Each `<item>`/`<entry>` child element named `name` in `namespace`, as its text. */
function childTexts(parent: Element, namespace: string | null, name: string): string[] {
  return [...parent.children].filter((child) => child.namespaceURI === namespace && child.localName === name).map((child) => child.textContent ?? '');
}

function jsonOf(files: readonly OutputFile[], name = 'feed.json') {
  // JSON.parse returns `any`; the tests below read fields by the JSON Feed spec's names.
  return JSON.parse(fileOf(files, name));
}

/** Runs `fn` with the clock stopped at `iso`: a renderer that read the clock would show it. */
function atClock<T>(iso: string, fn: () => T): T {
  const RealDate = globalThis.Date;
  const stopped = RealDate.parse(iso);
  class StoppedDate extends RealDate {
    constructor(...args: unknown[]) {
      // `new Date(x)` keeps its meaning; only the no-argument form (now) is stopped.
      super(...((args.length ? args : [stopped]) as [number]));
    }
    static override now(): number {
      return stopped;
    }
  }
  globalThis.Date = StoppedDate as DateConstructor;
  try {
    return fn();
  } finally {
    globalThis.Date = RealDate;
  }
}

// ---------------------------------------------------------------------------------------------
// golden files

test('golden: the three-article edition renders the expected feeds, byte for byte', () => {
  const files = renderFeeds(editionOf(fixtureContent()));
  const expectedDir = path.join(THREE_ARTICLES, 'expected');
  for (const file of files) {
    const actual = fileOf(files, file.path);
    assert.fixture(actual, golden(path.join(expectedDir, file.path), actual), file.path);
  }
  // A file the renderer stopped writing would leave a stale golden file behind: catch it.
  const written = files.map((file) => file.path).sort();
  assert.equal(Object.keys(readTree(expectedDir)).sort(), written);
});

test('the edition gets RSS, Atom and JSON Feed, the same three per tag, and no XSLT stylesheet: browsers are dropping XSLT', () => {
  const files = renderFeeds(editionOf(fixtureContent()));
  assert.equal(files.map((file) => file.path).sort(), [
    'atom.xml', 'feed.json', 'feed.xml',
    'tags/asia/atom.xml', 'tags/asia/feed.json', 'tags/asia/feed.xml',
    'tags/markets/atom.xml', 'tags/markets/feed.json', 'tags/markets/feed.xml',
    'tags/shipping/atom.xml', 'tags/shipping/feed.json', 'tags/shipping/feed.xml',
  ]);
  // people are sent to the feeds page (feeds/) instead: no feed asks a browser to run XSLT
  for (const file of files.filter((file) => file.path.endsWith('.xml'))) {
    const doc = xmlDocument(fileOf(files, file.path));
    const instructions = [...doc.childNodes].filter((node) => node.nodeType === node.PROCESSING_INSTRUCTION_NODE).map((node) => (node as ProcessingInstruction).target);
    assert.equal(instructions, [], file.path);
    assert.not.match(fileOf(files, file.path), 'xml-stylesheet', file.path);
  }
});

// ---------------------------------------------------------------------------------------------
// what a feed reader sees

for (const format of ['rss', 'atom'] as const) {
  const file = format === 'rss' ? 'feed.xml' : 'atom.xml';

  test(`${format}: a feed parser reads one item per article, newest first, with title, link, id, dates, author and tags`, () => {
    const edition = editionOf(fixtureContent());
    const feed = parseFeed(fileOf(renderFeeds(edition), file));
    assert.is(feed.meta.type, format);
    assert.is(feed.items.length, 3);
    assert.equal(feed.items.map((item) => item.title), [
      'Harbour reopens after three-day storm closure',
      'Stocks & bonds rally as rates hold <for now>',
      'North Korean leader Kim Jong Un will visit Russia “in the coming days”',
    ]);
    edition.articles.forEach((article, index) => {
      const item = feed.items[index]!;
      assert.is(item.url, pageUrl(edition, article));
      assert.is(item.id, pageUrl(edition, article), 'the id is the canonical URL');
      assert.is(item.published?.toISOString(), article.date.toISOString());
      assert.equal(item.authors.map((author) => author.name), [article.author]);
      assert.equal(item.categories.map((category) => category.term), [...article.tags]);
      assert.is(item.description, article.summary);
    });
    // RSS has no per-item "updated"; Atom carries the article's own.
    if (format === 'atom') assert.is(feed.items[0]!.updated?.toISOString(), '2023-09-13T09:15:00.000Z');
  });

  test(`${format}: the channel names the site, its language, its own URL and the newest change as its date`, () => {
    const edition = editionOf(fixtureContent());
    const feed = parseFeed(fileOf(renderFeeds(edition), file));
    assert.is(feed.title, 'The Galley Wire');
    assert.is(feed.description, 'News from the wire, published with Galley.');
    assert.is(feed.url, 'https://example.org/news/');
    assert.is(feed.self, `https://example.org/news/${file}`);
    assert.is(feed.copyright, '© 2023 Galley Press');
    // The harbour story's update (13 Sep 09:15) is the newest change; never the build time.
    assert.is(feed.updated?.toISOString(), '2023-09-13T09:15:00.000Z');
    assert.is(feed.generator?.label, 'Galley');
    if (format === 'rss') assert.is(feed.language, 'en');
  });
}

test('rss: authors are dc:creator (an <author> must be an e-mail address), guids are permalinks, pubDates RFC 822', () => {
  const edition = editionOf(fixtureContent());
  const doc = xmlDocument(fileOf(renderFeeds(edition), 'feed.xml'));
  assert.is(doc.documentElement.getAttribute('version'), '2.0');
  const items = [...doc.getElementsByTagName('item')];
  items.forEach((item, index) => {
    const article = edition.articles[index]!;
    assert.equal(childTexts(item, DC, 'creator'), [article.author]);
    assert.equal(childTexts(item, null, 'author'), []);
    const guid = item.getElementsByTagName('guid')[0]!;
    assert.is(guid.textContent, pageUrl(edition, article));
    assert.is(guid.getAttribute('isPermaLink'), 'true');
    assert.equal(childTexts(item, null, 'pubDate'), [article.date.toUTCString()]);
  });
  const self = [...doc.getElementsByTagNameNS(ATOM, 'link')].map((link) => [link.getAttribute('rel'), link.getAttribute('href'), link.getAttribute('type')]);
  assert.equal(self, [['self', 'https://example.org/news/feed.xml', 'application/rss+xml']]);
  assert.equal(childTexts(doc.querySelector('channel')!, null, 'lastBuildDate'), ['Wed, 13 Sep 2023 09:15:00 GMT']);
});

test('atom: ids are full URLs, dates RFC 3339, titles and summaries plain text', () => {
  const edition = editionOf(fixtureContent());
  const xml = fileOf(renderFeeds(edition), 'atom.xml');
  const doc = xmlDocument(xml);
  assert.is(doc.documentElement.namespaceURI, ATOM);
  assert.equal(childTexts(doc.documentElement, ATOM, 'id'), ['https://example.org/news/atom.xml']);
  const entries = [...doc.getElementsByTagNameNS(ATOM, 'entry')];
  entries.forEach((entry, index) => {
    const article = edition.articles[index]!;
    assert.equal(childTexts(entry, ATOM, 'id'), [pageUrl(edition, article)]);
    assert.equal(childTexts(entry, ATOM, 'published'), [article.date.toISOString()]);
    assert.equal(childTexts(entry, ATOM, 'updated'), [article.updated.toISOString()]);
    // feed 6 writes every entry title as type="html"; ours are text, so "<for now>" is words.
    for (const name of ['title', 'summary']) assert.is(entry.getElementsByTagNameNS(ATOM, name)[0]!.getAttribute('type'), 'text', name);
    assert.equal(childTexts(entry, ATOM, 'title'), [article.title]);
  });
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<feed'), xml.slice(0, 120));
});

test('enclosures: the article PDF, application/pdf, its true byte size, in all three formats', () => {
  const edition = editionOf(fixtureContent());
  const files = renderFeeds(edition);
  for (const file of ['feed.xml', 'atom.xml']) {
    const feed = parseFeed(fileOf(files, file));
    edition.articles.forEach((article, index) => {
      assert.equal(
        feed.items[index]!.media.map((media) => [media.url, media.mimeType, media.length]),
        [[pdfUrl(edition, article), 'application/pdf', edition.pdfBytes.get(article.slug)!]],
        `${file} ${article.slug}`,
      );
    });
  }
  // feed 6 writes the Atom enclosure as image/pdf: no trace of it may be left.
  assert.not.match(fileOf(files, 'atom.xml'), 'image/pdf');
  const json = jsonOf(files);
  edition.articles.forEach((article, index) => {
    assert.equal(json.items[index].attachments, [
      { url: pdfUrl(edition, article), mime_type: 'application/pdf', title: `${article.title} (PDF)`, size_in_bytes: edition.pdfBytes.get(article.slug)! },
    ]);
  });
});

test('an article whose PDF size is unknown gets no enclosure rather than a wrong one', () => {
  const edition = editionOf(fixtureContent());
  const [first, ...rest] = edition.articles;
  const files = renderFeeds({ ...edition, pdfBytes: new Map(rest.map((article) => [article.slug, pdfSize(article.slug)])) });
  for (const file of ['feed.xml', 'atom.xml']) {
    const feed = parseFeed(fileOf(files, file));
    assert.equal(feed.items[0]!.media, [], file);
    assert.is(feed.items[1]!.media.length, 1, file);
  }
  assert.is(jsonOf(files).items[0].attachments, undefined);
  assert.is(first!.slug, 'harbour-reopens-after-storm');
});

test('content: exactly the page body, then the agency credit, with every link and image URL absolute, in all three formats', () => {
  const edition = editionOf(fixtureContent());
  const files = renderFeeds(edition);
  const rss = [...xmlDocument(fileOf(files, 'feed.xml')).getElementsByTagName('item')].map((item) => childTexts(item, CONTENT, 'encoded')[0]);
  const atom = [...xmlDocument(fileOf(files, 'atom.xml')).getElementsByTagNameNS(ATOM, 'entry')].map((entry) => childTexts(entry, ATOM, 'content')[0]);
  const json = jsonOf(files).items.map((item: { content_html: string }) => item.content_html);
  // the credit as the page shows it under the story (the fixture's credit has nothing to escape)
  assert.is(edition.articles[2]!.credit, 'AFP contributed reporting.');
  const pages = edition.articles.map((article) => bodyHtml(article, pageUrl(edition, article)) + (article.credit ? `\n<p><em>${article.credit}</em></p>` : ''));
  assert.equal(rss, pages);
  assert.equal(atom, pages);
  assert.equal(json, pages);
  // What a reader sees too. feed-parser decodes entities inside the HTML, so only the body
  // without any (the Kim Jong Un story, last) can be compared with it byte for byte.
  for (const file of ['feed.xml', 'atom.xml']) assert.is(parseFeed(fileOf(files, file)).items[2]!.content, pages[2], file);
  assert.not.match(pages[2]!, '&', 'the body compared through feed-parser has no entity');
  assert.match(pages[0]!, '<a href="https://example.org/news/articles/port-authority-statement/">the port authority</a>');
  assert.match(pages[0]!, /<img src="https:\/\/example\.org\/news\/media\/cranes\.[0-9a-f]{16}\.jpg" alt="Cranes at the container terminal" width="96" height="60"/);
  assert.match(pages[0]!, 'href="https://example.com/timetable?from=2023-09-12&#x26;to=2023-09-19"');
});

test('JSON Feed 1.1: version, authors, language, and per item the spec fields from the article', () => {
  const edition = editionOf(fixtureContent());
  const json = jsonOf(renderFeeds(edition));
  assert.equal(Object.keys(json), ['version', 'title', 'home_page_url', 'feed_url', 'description', 'authors', 'language', 'items']);
  assert.is(json.version, 'https://jsonfeed.org/version/1.1');
  assert.is(json.feed_url, 'https://example.org/news/feed.json');
  assert.equal(json.authors, [{ name: 'Galley Press' }]);
  assert.is(json.language, 'en');
  const [harbour, stocks] = json.items;
  assert.equal(
    { id: harbour.id, url: harbour.url, title: harbour.title, summary: harbour.summary, date_published: harbour.date_published, date_modified: harbour.date_modified, authors: harbour.authors, tags: harbour.tags, language: harbour.language },
    {
      id: 'https://example.org/news/articles/harbour-reopens-after-storm/',
      url: 'https://example.org/news/articles/harbour-reopens-after-storm/',
      title: 'Harbour reopens after three-day storm closure',
      summary: 'Container traffic resumed on Tuesday morning after the port authority lifted a storm closure that had idled more than forty ships.',
      date_published: '2023-09-12T06:30:00.000Z',
      date_modified: '2023-09-13T09:15:00.000Z',
      authors: [{ name: 'Mei Lin' }],
      tags: ['Shipping', 'Asia'],
      language: 'en',
    },
  );
  assert.is(stocks.language, 'en-GB', 'each item carries its own language');
  assert.is(json.items[2].tags, undefined, 'no empty tag list');
});

test('json-feed: version first, the spec order of keys, optional fields left out', () => {
  const text = serializeJsonFeed({
    items: [{ content_text: 'Body', id: 'https://example.org/a/', attachments: [{ size_in_bytes: 3, mime_type: 'application/pdf', url: 'https://example.org/a.pdf' }], title: 'A' }],
    title: 'T',
    language: 'fr',
  });
  assert.is(
    text,
    `{\n  "version": "${JSON_FEED_VERSION}",\n  "title": "T",\n  "language": "fr",\n  "items": [\n    {\n      "id": "https://example.org/a/",\n      "title": "A",\n      "content_text": "Body",\n` +
      `      "attachments": [\n        {\n          "url": "https://example.org/a.pdf",\n          "mime_type": "application/pdf",\n          "size_in_bytes": 3\n        }\n      ]\n    }\n  ]\n}\n`,
  );
});

// ---------------------------------------------------------------------------------------------
// hostile text

const XSS_TITLE = '<script>alert(1)</script> & "quotes" <b>';
const XSS_BODY = 'Probe paragraph with markup: <script>alert(1)</script> and <img src=x onerror=alert(1)> and a CDATA terminator ]]> and an entity &amp; that must all stay literal text.';
const wire = (fields: Record<string, string>, body: string) => `${Object.entries(fields).map(([key, value]) => `${key}: ${value}`).join('\n')}\n\n${body}\n`;

const hostileFiles = (): Record<string, string> => ({
  'raw/title-xss.txt': wire({ Title: XSS_TITLE, Date: '2023-09-11T10:00:00Z', Author: 'Acceptance Probe' }, 'This article has an injection probe as its title.'),
  'raw/body-xss.txt': wire({ Title: 'Body injection probe', Date: '2023-09-11T10:30:00Z' }, `${XSS_BODY}\n\nA second ]]> and a third ]]> terminator.`),
  // BEL in the title, vertical tab in the body: neither can be written in XML 1.0.
  'articles/odd-text.md': '---\ntitle: "Tom &amp; Jerry ]]> \\a bell"\ndate: 2023-09-12T00:00:00Z\nauthor: "Smith & <Co>"\ntags: ["R&D <lab>", "]]>"]\nsummary: "Summary ]]> with <i>tags</i> & more"\n---\n\nVertical\u000btab and ]]> again.\n',
});

function hostileEdition(): Edition {
  return editionOf(hostileFiles());
}

test('hostile titles, bodies, authors and tags keep every feed well-formed XML', () => {
  const files = renderFeeds(hostileEdition());
  const xmlFiles = files.filter((file) => file.path.endsWith('.xml'));
  // "R&D <lab>" gets a folder by its words, the tag "]]>" one named by its code points.
  assert.equal(xmlFiles.map((file) => file.path), ['feed.xml', 'atom.xml', 'tags/r-and-d-lab/feed.xml', 'tags/r-and-d-lab/atom.xml', 'tags/tag-5d-5d-3e/feed.xml', 'tags/tag-5d-5d-3e/atom.xml']);
  for (const file of xmlFiles) {
    try {
      xmlDocument(fileOf(files, file.path));
    } catch (error) {
      assert.unreachable(`${file.path} is not well-formed: ${(error as Error).message}`);
    }
  }
  for (const file of files.filter((candidate) => candidate.path.endsWith('.json'))) JSON.parse(fileOf(files, file.path));
});

test('hostile titles stay literal and identical in RSS, Atom and JSON Feed', () => {
  const edition = hostileEdition();
  const files = renderFeeds(edition);
  const expected = ['Tom &amp; Jerry ]]>  bell', 'Body injection probe', '<script>alert(1)</script> & “quotes” <b>'];
  assert.equal(edition.articles.map((article) => article.title.replace('\u0007', '')), expected);
  assert.match(edition.articles[0]!.title, '\u0007', 'the article keeps the BEL: only the feeds drop it');
  const titles = (file: string, namespace: string | null, item: string) => [...xmlDocument(fileOf(files, file)).getElementsByTagNameNS(namespace, item)].map((element) => childTexts(element, namespace, 'title')[0]);
  assert.equal(titles('feed.xml', null, 'item'), expected);
  assert.equal(titles('atom.xml', ATOM, 'entry'), expected);
  assert.equal(jsonOf(files).items.map((item: { title: string }) => item.title), expected);
  // A feed reader's view; feed-parser decodes entity-like text, so not for "&amp;" literally.
  for (const file of ['feed.xml', 'atom.xml']) assert.equal(parseFeed(fileOf(files, file)).items.slice(1).map((item) => item.title), expected.slice(1), file);
});

test('hostile bodies: content is the page body, inert (no script, no on* handler), and the probe text survives', () => {
  const edition = hostileEdition();
  const files = renderFeeds(edition);
  const probe = edition.articles.find((article) => article.title === 'Body injection probe')!;
  const index = edition.articles.indexOf(probe);
  const page = bodyHtml(probe, pageUrl(edition, probe));
  const contents = {
    rss: childTexts(xmlDocument(fileOf(files, 'feed.xml')).getElementsByTagName('item')[index]!, CONTENT, 'encoded')[0]!,
    atom: childTexts(xmlDocument(fileOf(files, 'atom.xml')).getElementsByTagNameNS(ATOM, 'entry')[index]!, ATOM, 'content')[0]!,
    json: jsonOf(files).items[index].content_html as string,
  };
  for (const [format, html] of Object.entries(contents)) {
    assert.is(html, page, format);
    const body = new JSDOM(`<!doctype html><body>${html}`).window.document.body;
    assert.is(body.querySelectorAll('script, img, iframe, object').length, 0, `${format}: no live element from the text`);
    const handlers = [...body.querySelectorAll('*')].flatMap((element) => [...element.attributes].filter((attribute) => /^on/i.test(attribute.name)));
    assert.equal(handlers, [], `${format}: no event handler`);
    assert.match(body.textContent!, '<script>alert(1)</script>', format);
    assert.match(body.textContent!, '<img src=x onerror=alert(1)>', format);
    assert.match(body.textContent!, 'a CDATA terminator ]]> and an entity &amp; that', format);
    assert.match(body.textContent!, 'A second ]]> and a third ]]> terminator.', format);
  }
});

test('characters XML cannot hold are dropped, the same way in all three formats; authors, tags and summaries stay literal', () => {
  const edition = hostileEdition();
  const files = renderFeeds(edition);
  const odd = parseFeed(fileOf(files, 'atom.xml')).items[0]!;
  const rssDoc = xmlDocument(fileOf(files, 'feed.xml'));
  const rssItem = rssDoc.getElementsByTagName('item')[0]!;
  assert.equal(childTexts(rssItem, DC, 'creator'), ['Smith & <Co>']);
  assert.equal(childTexts(rssItem, null, 'category'), ['R&D <lab>', ']]>']);
  assert.equal([...xmlDocument(fileOf(files, 'atom.xml')).getElementsByTagNameNS(ATOM, 'category')].slice(0, 2).map((category) => category.getAttribute('term')), ['R&D <lab>', ']]>']);
  // RSS readers render a description as HTML: the summary is escaped once more for them.
  assert.equal(childTexts(rssItem, null, 'description'), ['Summary ]]&gt; with &lt;i&gt;tags&lt;/i&gt; &amp; more']);
  assert.is(odd.title, 'Tom & Jerry ]]>  bell', 'feed-parser: entities decoded, BEL gone');
  const json = jsonOf(files).items[0];
  assert.is(json.content_html, '<p>Verticaltab and ]]> again.</p>');
  assert.is(json.summary, 'Summary ]]> with <i>tags</i> & more');
  assert.not.match(fileOf(files, 'feed.xml'), /[\u0007\u000b\uffff]/);
});

// ---------------------------------------------------------------------------------------------
// URLs, ids, stability

test('a site served under a sub-path: every URL in every feed is absolute and under it', () => {
  const edition = editionOf({ ...fixtureContent(), 'site.yaml': 'title: Sub-path\nbaseUrl: https://example.org/deep/news\n' });
  assert.is(edition.site.baseUrl, 'https://example.org/deep/news/');
  const base = edition.site.baseUrl;
  const files = renderFeeds(edition);
  for (const file of files.filter((candidate) => candidate.path.endsWith('.xml'))) {
    const doc = xmlDocument(fileOf(files, file.path));
    const urls = [
      ...[...doc.querySelectorAll('[href], [url]')].map((element) => element.getAttribute('href') ?? element.getAttribute('url')!),
      // <docs> is the one URL meant to leave the site: it names the RSS specification.
      ...[...doc.querySelectorAll('link, guid, id')].filter((element) => !element.hasAttribute('href')).map((element) => element.textContent!),
    ];
    const contents = [...doc.getElementsByTagNameNS(CONTENT, 'encoded'), ...doc.getElementsByTagNameNS(ATOM, 'content')].map((element) => element.textContent!);
    assert.ok(urls.length >= 3, file.path);
    for (const url of urls) assert.ok(url.startsWith(base), `${file.path}: ${url}`);
    for (const html of contents) {
      const body = new JSDOM(`<!doctype html><body>${html}`).window.document.body;
      for (const element of body.querySelectorAll('[href], [src]')) {
        const url = element.getAttribute('href') ?? element.getAttribute('src')!;
        assert.ok(/^https?:\/\//.test(url), `${file.path}: ${url} is absolute`);
        if (!url.startsWith('https://example.com/')) assert.ok(url.startsWith(base), `${file.path}: ${url}`);
      }
    }
  }
  const json = jsonOf(files);
  const jsonUrls = [json.home_page_url, json.feed_url, ...json.items.flatMap((item: { id: string; url: string; attachments: { url: string }[] }) => [item.id, item.url, ...item.attachments.map((attachment) => attachment.url)])];
  for (const url of jsonUrls) assert.ok(url.startsWith(base), url);
});

test('an article added between two renders comes first; the others keep their ids and entries', () => {
  const content = fixtureContent();
  const before = renderFeeds(editionOf(content));
  const after = renderFeeds(
    editionOf({
      ...content,
      'articles/late-edition.md': '---\ntitle: Late edition\ndate: 2023-09-14T08:00:00Z\nslug: late-edition\n---\n\nThe newest story.\n',
    }),
  );
  for (const file of ['feed.xml', 'atom.xml']) {
    const [old, fresh] = [parseFeed(fileOf(before, file)), parseFeed(fileOf(after, file))];
    assert.is(fresh.items.length, old.items.length + 1, file);
    assert.is(fresh.items[0]!.id, 'https://example.org/news/articles/late-edition/', file);
    assert.equal(fresh.items.slice(1).map((item) => item.id), old.items.map((item) => item.id), file);
    assert.is(fresh.updated?.toISOString(), '2023-09-14T08:00:00.000Z', file);
  }
  // The entries of the older articles are untouched, byte for byte: readers see nothing new in them.
  const entries = (xml: string) => [...xmlDocument(xml).getElementsByTagNameNS(ATOM, 'entry')].map((entry) => entry.outerHTML);
  assert.equal(entries(fileOf(after, 'atom.xml')).slice(1), entries(fileOf(before, 'atom.xml')));
  const jsonIds = (files: readonly OutputFile[]) => jsonOf(files).items.map((item: { id: string }) => item.id);
  assert.equal(jsonIds(after).slice(1), jsonIds(before));
});

test('two renders of the same sources are byte-identical, whatever the clock says', () => {
  const content = fixtureContent();
  const first = atClock('2030-01-01T00:00:00Z', () => renderFeeds(editionOf(content)));
  const second = atClock('2041-06-15T12:34:56Z', () => renderFeeds(editionOf(content)));
  assert.equal(second.map((file) => file.path), first.map((file) => file.path));
  second.forEach((file) => assert.ok(fileOf(second, file.path) === fileOf(first, file.path), `${file.path} differs between renders`));
  for (const file of first) assert.not.match(fileOf(first, file.path), /2030|2041/, file.path);
});

test('feedLimit keeps the newest articles in every format, the tag feeds too', () => {
  const edition = editionOf({ ...fixtureContent(), 'site.yaml': 'baseUrl: https://example.org/\nfeedLimit: 1\n' });
  const files = renderFeeds(edition);
  for (const file of ['feed.xml', 'atom.xml', 'tags/asia/feed.xml', 'tags/asia/atom.xml']) {
    assert.equal(parseFeed(fileOf(files, file)).items.map((item) => item.title), ['Harbour reopens after three-day storm closure'], file);
  }
  assert.is(jsonOf(files).items.length, 1);
  assert.is(jsonOf(files, 'tags/asia/feed.json').items.length, 1);
});

test('tag feeds: tags/SLUG/ holds the articles with that tag (any spelling), with their own self links', () => {
  const edition = editionOf(fixtureContent());
  const files = renderFeeds(edition);
  assert.is(tagSlug('Asia'), 'asia');
  for (const [file, self] of [['tags/asia/feed.xml', 'https://example.org/news/tags/asia/feed.xml'], ['tags/asia/atom.xml', 'https://example.org/news/tags/asia/atom.xml']] as const) {
    const feed = parseFeed(fileOf(files, file));
    assert.equal(feed.items.map((item) => item.title), ['Harbour reopens after three-day storm closure', 'Stocks & bonds rally as rates hold <for now>'], file);
    assert.is(feed.self, self);
    assert.is(feed.title, 'The Galley Wire: Asia', 'the tag as the newest article writes it');
    assert.is(feed.url, 'https://example.org/news/tags/asia/');
  }
  assert.ok(fileOf(files, 'tags/asia/feed.xml').startsWith('<?xml version="1.0" encoding="utf-8"?>\n<rss'));
  const json = jsonOf(files, 'tags/shipping/feed.json');
  assert.is(json.feed_url, 'https://example.org/news/tags/shipping/feed.json');
  assert.equal(json.items.map((item: { id: string }) => item.id), ['https://example.org/news/articles/harbour-reopens-after-storm/']);
});

test('an edition with no articles still gives valid, dated feeds (the epoch, never the clock)', () => {
  const edition = editionOf({ 'site.yaml': 'baseUrl: https://example.org/\n' });
  const files = atClock('2031-01-01T00:00:00Z', () => renderFeeds(edition));
  assert.equal(files.map((file) => file.path).sort(), ['atom.xml', 'feed.json', 'feed.xml']);
  for (const file of ['feed.xml', 'atom.xml']) {
    const feed = parseFeed(fileOf(files, file));
    assert.is(feed.items.length, 0);
    assert.is(feed.updated?.toISOString(), '1970-01-01T00:00:00.000Z', file);
  }
  assert.equal(jsonOf(files).items, []);
});

// ---------------------------------------------------------------------------------------------
// feeds assembled from per-item fragments

/**
 * A RenderMemo that keeps every text it is given, as the build's cache does between builds, and
 * counts the renders it could not serve. Whole files are rendered every time, so each feed is
 * assembled from what it keeps (the build's cache would serve an unchanged feed whole).
 *
 * As the cache does, it keeps UTF-8 (a text is decoded when asked for as text) and hands out
 * views into a larger buffer (the cache's are views into its pack file): here each between bytes
 * that are not UTF-8, so a splice that read past its view, or took the view's whole buffer, would
 * show in the feed.
 */
function keepingMemo() {
  const kept = new Map<string, Uint8Array>();
  let renders = 0;
  const keep = (kind: string, inputs: readonly unknown[], render: () => string): Uint8Array => {
    const key = JSON.stringify([kind, ...inputs]);
    let bytes = kept.get(key);
    if (bytes === undefined) {
      const encoded = Buffer.from(render(), 'utf8');
      renders += 1;
      const pack = Buffer.alloc(encoded.length + 16, 0xff);
      encoded.copy(pack, 8);
      bytes = pack.subarray(8, 8 + encoded.length);
      kept.set(key, bytes);
    }
    return bytes;
  };
  const memo: RenderMemo = {
    bytes: keep,
    output: (path, _kind, _inputs, render) => ({ path, data: joined(render()) }),
  };
  return {
    memo,
    /** Renders since the last call. */
    renders(): number {
      const count = renders;
      renders = 0;
      return count;
    },
  };
}

/** Right to left, with hostile text of its own (an entity, two CDATA terminators, markup, a C0 control, bidi controls, an astral character). */
const RTL_ARTICLE = '---\ntitle: "الميناء يعيد فتح أبوابه &amp; ]]> 🚢"\ndate: 2023-09-10T08:00:00Z\nlang: ar\nauthor: "مراسل <الوكالة>"\ntags: ["الشحن", "Asia", "R&D <lab>"]\nsummary: "ملخص \u202Bمع <b>وسم</b>\u202C و ]]> و ]]>"\n---\n\nنص المقال مع <b>وسم</b> و ]]> و ]]> مرة\u0001 أخرى، و &amp; كذلك.\n\n## عنوان فرعي\n\nفقرة ثانية مع [رابط](../harbour-reopens-after-storm/).\n';

/** The fixture's articles, the hostile ones and a right-to-left one: several per tag, tags shared. */
const mixedFiles = (): Record<string, string | Uint8Array> => ({ ...fixtureContent(), ...hostileFiles(), 'articles/rtl.md': RTL_ARTICLE });

/** Each file's bytes, by path (as text decoded exactly: see UTF8). */
function bytesOf(files: readonly OutputFile[]): Map<string, string> {
  return new Map(files.map((file) => [file.path, fileOf(files, file.path)]));
}

function assertSameFiles(actual: readonly OutputFile[], expected: readonly OutputFile[], label: string): void {
  const [got, want] = [bytesOf(actual), bytesOf(expected)];
  assert.equal([...got.keys()], [...want.keys()], `${label}: the same files in the same order`);
  for (const [name, text] of want) assert.ok(got.get(name) === text, `${label}: ${name} is not byte-identical to the library's whole serialisation`);
}

test('fragments: every feed file is byte-identical to the library serialising it whole, cold and served from the memo', () => {
  const mixed = editionOf(mixedFiles());
  const titles = mixed.articles.map((article) => article.title);
  assert.ok(titles.some((title) => title.includes('&amp;')) && titles.some((title) => title.includes('<b>')) && titles.some((title) => /[\u0590-\u08FF]/.test(title)));
  const sized = mixed.articles.slice(1);
  const editions: Record<string, Edition> = {
    mixed,
    'one PDF size unknown': { ...mixed, pdfBytes: new Map(sized.map((article) => [article.slug, pdfSize(article.slug)])) },
    'feedLimit and a sub-path': editionOf({ ...mixedFiles(), 'site.yaml': 'title: "Sub & <path>"\nbaseUrl: https://example.org/deep/news\nfeedLimit: 2\n' }),
    empty: editionOf({ 'site.yaml': 'baseUrl: https://example.org/\n' }),
  };
  for (const [label, edition] of Object.entries(editions)) {
    const whole = renderWholeFeeds(edition);
    assertSameFiles(renderFeeds(edition), whole, `${label}, no memo`);
    const { memo, renders } = keepingMemo();
    assertSameFiles(renderFeeds(edition, memo), whole, `${label}, cold memo`);
    // each item is serialised once per format, however many feeds (the edition's, its tags', their archives) hold it
    const shown = new Set([...edition.articles, ...topicsOf(edition.articles).flatMap((topic) => topic.articles)]);
    assert.is(renders(), 3 * shown.size, `${label}: each item serialised once per format`);
    assertSameFiles(renderFeeds(edition, memo), whole, `${label}, served from the memo`);
    assert.is(renders(), 0, `${label}: the second render is served from the memo`);
  }
  assert.match(fileOf(renderFeeds(mixed), 'feed.xml'), 'xmlns:content=', 'the head of a feed with items declares the content namespaces');
});

test('fragments: an edited article, a changed PDF or base URL re-serialises exactly the items concerned, and the feeds stay byte-identical', () => {
  const { memo, renders } = keepingMemo();
  const files = mixedFiles();
  const first = editionOf(files);
  renderFeeds(first, memo);
  assert.is(renders(), 3 * first.articles.length, 'cold: every item in each of the three formats');

  // Same sources in a fresh folder: every item from the memo.
  assertSameFiles(renderFeeds(editionOf(files), memo), renderWholeFeeds(editionOf(files)), 'same sources');
  assert.is(renders(), 0);

  const edited = editionOf({ ...files, 'articles/rtl.md': RTL_ARTICLE.replace('أخرى،', 'أخرى، وجملة جديدة،') });
  assertSameFiles(renderFeeds(edited, memo), renderWholeFeeds(edited), 'one article edited');
  assert.is(renders(), 3, 'only the edited article is serialised again');

  const harbour = first.articles.find((article) => article.slug === 'harbour-reopens-after-storm')!;
  const resized: Edition = { ...first, pdfBytes: new Map([...first.pdfBytes, [harbour.slug, 1234]]) };
  assertSameFiles(renderFeeds(resized, memo), renderWholeFeeds(resized), 'one PDF resized');
  assert.is(renders(), 3, 'only the article whose PDF changed');
  assert.match(fileOf(renderFeeds(resized, memo), 'feed.xml'), 'length="1234"');
  renders();

  const moved = editionOf({ ...files, 'site.yaml': 'title: The Galley Wire\nbaseUrl: https://example.net/elsewhere/\n' });
  assertSameFiles(renderFeeds(moved, memo), renderWholeFeeds(moved), 'another base URL');
  assert.is(renders(), 3 * moved.articles.length, 'every URL changed: every item');
  assert.not.match(fileOf(renderFeeds(moved, memo), 'atom.xml'), 'example.org');
});

test('fragments: cutting fails loudly on anything but one item where the library puts items', () => {
  const edition = editionOf(fixtureContent());
  const whole = renderWholeFeeds(edition);
  // one article, so the one-item feed has the same head as the empty one (feedLimit 1 would link an archive)
  const one = renderWholeFeeds({ ...edition, articles: edition.articles.slice(0, 1) });
  const none = renderWholeFeeds({ ...edition, articles: [] });
  for (const [file, name] of [['feed.xml', 'item'], ['atom.xml', 'entry']] as const) {
    const single = fileOf(one, file);
    const { before, item, after } = cutItem(single, name);
    assert.is(before + item + after, single, file);
    assert.ok(item.startsWith(`\n${' '.repeat(name === 'item' ? 8 : 4)}<${name}>`) && item.endsWith(`</${name}>`), file);
    assert.throws(() => cutItem(fileOf(whole, file), name), /exactly one/, `${file}: three items`);
    assert.throws(() => cutItem(fileOf(none, file), name), /exactly one/, `${file}: no item`);
    assert.throws(() => cutItem(single.replace(`\n${' '.repeat(name === 'item' ? 8 : 4)}<${name}>`, `<${name}>`), name), /line of its own/, `${file}: not on its own line`);
    assert.throws(() => cutItem(single.replace(`</${name}>`, `</${name}><extra/>`), name), /end tag/, `${file}: not last`);
  }
  const json = fileOf(one, 'feed.json');
  const item = jsonFeedItemText(json);
  assert.ok(item.startsWith('{\n      "id": ') && item.endsWith('\n    }'), item.slice(0, 40));
  assert.is(UTF8.decode(withJsonFeedItems(fileOf(none, 'feed.json'), [Buffer.from(item, 'utf8')])), json);
  assert.throws(() => jsonFeedItemText(fileOf(whole, 'feed.json')), /exactly one item/, 'three items');
  assert.throws(() => jsonFeedItemText(fileOf(none, 'feed.json')), /one items array/, 'no item');
  assert.throws(() => jsonFeedItemText(json.trimEnd()), /one items array/, 'not ending as serializeJsonFeed ends');
  assert.throws(() => withJsonFeedItems(json, [Buffer.from(item, 'utf8')]), /empty items array/, 'a head that already has items');
});

test.run();
