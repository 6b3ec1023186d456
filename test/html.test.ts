/**
 * The web edition: golden pages for the sample (UPDATE=1 rewrites them), then each promise the
 * pages make checked on its own: valid HTML, accessible (axe in jsdom, and in Chromium for
 * contrast when it is installed), hostile text kept as text, links that work under a sub-path,
 * every word of the story on its page, byte-identical rebuilds, related links, RTL, drafts,
 * list pages made from remembered teasers byte for byte as made afresh, and what an article
 * page depends on of the rest of the edition.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chromium, dumpDom } from './chromium.ts';
import { JSDOM } from 'jsdom';
import { HtmlValidate } from 'html-validate';
import axe from 'axe-core';
import { toString as mdastToString } from 'mdast-util-to-string';
import { tempContent, options as buildOptions, golden, prepare } from './helpers.ts';
import { splitFrontMatter } from '../pipeline/model/article.ts';
import { noMemo, outputData, type Edition, type OutputFile, type RenderMemo } from '../pipeline/outputs/edition.ts';
import { renderHtml, renderArticlePage, renderIndexPage, renderSitePages, articlePageDependencies, jsonLdText } from '../pipeline/outputs/web/html.ts';
import { absoluteUrl } from '../pipeline/model/urls.ts';
import { bodyHtml } from '../pipeline/outputs/web/body-html.ts';
import { OUTPUT_PATHS } from '../pipeline/outputs/registry.ts';

const ROOT = path.join(import.meta.dirname, '..');
const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'html');
/** The sample article and site settings as the golden pages were made from them: edits to content/ never move the goldens. */
const SAMPLE_EDITION = path.join(FIXTURES, 'sample-edition');
const SAMPLE_SLUG = 'north-korean-leader-kim-jong-un-will-visit-russia';
const SUB_PATH = 'https://example.org/news/';
/** 48 KB exactly, so the page must say "PDF, 48 KB". */
const SAMPLE_PDF_BYTES = 48 * 1024;

// ---- scaffolding ------------------------------------------------------------------------

/**
 * A content folder of `files`, prepared as `npm run build` would (ingest, validation, drafts
 * and future held back), as the Edition the renderers get. Every PDF is `pdfBytes` long.
 */
function editionOf(files: Record<string, string>, options: { baseUrl?: string; drafts?: boolean; future?: boolean; pdfBytes?: number | null } = {}): Edition {
  const dir = tempContent(files);
  const { context, report } = prepare(buildOptions(dir, { baseUrl: options.baseUrl ?? SUB_PATH, drafts: options.drafts ?? false, future: options.future ?? false }));
  if (!context || !report.ok) throw new Error(`content did not build:\n${report.diagnostics.format(dir)}`);
  const bytes = options.pdfBytes === undefined ? SAMPLE_PDF_BYTES : options.pdfBytes;
  const pdfBytes = new Map(bytes === null ? [] : report.published.map((article) => [article.slug, bytes] as const));
  return { site: context.site, articles: report.published, pdfBytes };
}

/** Markdown sources and site.yaml of a content folder, by path relative to it (raw copy left out). */
function contentFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(path.join(dir, 'articles')).filter((file) => file.endsWith('.md'))) {
    files[`articles/${name}`] = fs.readFileSync(path.join(dir, 'articles', name), 'utf8');
  }
  if (fs.existsSync(path.join(dir, 'site.yaml'))) files['site.yaml'] = fs.readFileSync(path.join(dir, 'site.yaml'), 'utf8');
  return files;
}

/** The sample article with its site settings, pinned in the fixture. */
function sampleEdition(options: Parameters<typeof editionOf>[1] = {}) {
  return editionOf(contentFiles(path.join(SAMPLE_EDITION, 'content')), options);
}

/** Whatever content/ holds today: the checks that must hold for any content run on it too. */
function liveEdition(options: Parameters<typeof editionOf>[1] = {}) {
  return editionOf(contentFiles(path.join(ROOT, 'content')), options);
}

/** The source file of the live sample article. */
const LIVE_SAMPLE_SOURCE = path.join(ROOT, 'content', 'articles', `${SAMPLE_SLUG}.md`);

/** A Markdown source with front-matter; `fields` are YAML lines. */
function source(fields: string, body: string): string {
  return `---\n${fields.trim()}\n---\n\n${body.trim()}\n`;
}

/**
 * Strict UTF-8, keeping a BOM: bytes that are not UTF-8 throw, so two files decode to the same
 * text exactly when their bytes are the same.
 */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** An output's text: pages spliced from remembered teasers are bytes, decoded exactly (see UTF8). */
function textOf(file: OutputFile): string {
  const data = outputData(file);
  return typeof data === 'string' ? data : UTF8.decode(data);
}

function fileAt(files: readonly OutputFile[], filePath: string): string {
  const file = files.find((item) => item.path === filePath);
  if (!file) throw new Error(`no output ${filePath}; have ${files.map((item) => item.path).join(', ')}`);
  return textOf(file);
}

function htmlPages(files: readonly OutputFile[]): OutputFile[] {
  return files.filter((file) => file.path.endsWith('.html'));
}

function dom(html: string, url = 'https://example.org/news/'): Document {
  return new JSDOM(html, { url }).window.document;
}

function jsonLdOf(document: Document): Record<string, unknown> {
  const script = document.querySelector('script[type="application/ld+json"]');
  assert.ok(script, 'page has JSON-LD');
  return JSON.parse(script.textContent ?? '') as Record<string, unknown>;
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
const words = (text: string) => text.match(/[\p{L}\p{N}]+/gu) ?? [];

/** True when `needle` occurs in `haystack` as a contiguous run of words. */
function containsRun(haystack: readonly string[], needle: readonly string[]): boolean {
  const joined = ` ${haystack.join(' ')} `;
  return joined.includes(` ${needle.join(' ')} `);
}

// ---- golden pages -----------------------------------------------------------------------

test('the sample article page matches its golden file (UPDATE=1 rewrites it)', () => {
  const edition = sampleEdition();
  const article = edition.articles[0]!;
  const html = renderArticlePage(article, edition);
  assert.fixture(html, golden(path.join(SAMPLE_EDITION, 'article.html'), html));
});

test('the front page of the sample edition matches its golden file', () => {
  const edition = sampleEdition();
  const html = renderIndexPage(edition);
  assert.fixture(html, golden(path.join(SAMPLE_EDITION, 'index.html'), html));
});

test('the front page made with a memo (teasers spliced in) matches the same golden file', () => {
  const edition = sampleEdition();
  const memo = mapMemo();
  for (let run = 0; run < 2; run++) {
    const html = fileAt(renderSitePages(edition, memo), 'index.html');
    assert.fixture(html, fs.readFileSync(path.join(SAMPLE_EDITION, 'index.html'), 'utf8'));
  }
  assert.ok(memo.hits > 0, 'the second run took its teaser from the memo');
});

// ---- what the edition contains ------------------------------------------------------------

const TWO_STORIES = {
  'articles/older.md': source(
    'title: Harbour reopens after storm\ndate: 2023-09-10T09:00:00Z\nsummary: Ships are moving again.\ntags: [Weather, Ports]',
    'The harbour reopened on Sunday after the storm passed.',
  ),
  'articles/newer.md': source(
    'title: Council approves new budget\ndate: 2023-09-12T09:00:00Z\nupdated: 2023-09-13T18:30:00Z\nauthor: Ana Ruiz\nsummary: The vote was close.\ntags: [Politics, weather]\nrelated:\n  - Harbour reopens after storm\n  - title: Budget explained\n    url: https://example.com/budget\n  - title: Not in this edition\n  - title: A trap\n    url: "java\\tscript:alert(1)"',
    'The council approved the budget by one vote.\n\n## Content\n\nA heading whose slug the page chrome would like to use.\n\n## Related\n\nAnother.',
  ),
};

test('renderHtml writes the front page, every article page, every topic page, the feeds page and the stylesheet', () => {
  const files = renderHtml(editionOf(TWO_STORIES));
  assert.equal(files.map((file) => file.path).sort(), [
    'articles/newer/index.html',
    'articles/older/index.html',
    'feeds/index.html',
    'index.html',
    'style.css',
    'tags/index.html',
    'tags/politics/index.html',
    'tags/ports/index.html',
    'tags/weather/index.html',
  ]);
  assert.is(fileAt(files, 'style.css'), fs.readFileSync(path.join(ROOT, 'templates', 'style.css'), 'utf8'));
});

test('the front page lists every article newest first with headline link, date, summary and PDF link', () => {
  const edition = editionOf(TWO_STORIES);
  const document = dom(renderIndexPage(edition));
  const teasers = [...document.querySelectorAll('main article')];
  assert.equal(
    teasers.map((teaser) => teaser.querySelector('h2 a')?.textContent),
    ['Council approves new budget', 'Harbour reopens after storm'],
  );
  const [first, second] = teasers;
  assert.is(first!.querySelector('h2 a')!.getAttribute('href'), 'articles/newer/');
  assert.is(first!.querySelector('time')!.getAttribute('datetime'), '2023-09-12T09:00:00Z');
  assert.is(first!.querySelector('time')!.textContent, 'September 12, 2023');
  assert.ok(first!.textContent!.includes('The vote was close.'));
  assert.is(second!.querySelector('a[type="application/pdf"]')!.getAttribute('href'), 'articles/older/older.pdf');
  assert.ok(squash(second!.querySelector('a[type="application/pdf"]')!.textContent!).startsWith('PDF, 48 KB'));
  // people are sent to the feeds page, which gives the three feeds' addresses
  const subscribe = [...document.querySelectorAll('.subscribe a')].map((link) => [link.textContent, link.getAttribute('href')]);
  assert.equal(subscribe, [['How to subscribe', 'feeds/']]);
  const feeds = dom(fileAt(renderSitePages(edition), 'feeds/index.html'));
  assert.equal(
    [...feeds.querySelector('#feeds-all')!.parentElement!.querySelectorAll('li')].map((item) => [item.querySelector('a')!.textContent, item.querySelector('a')!.getAttribute('href'), item.querySelector('code')!.textContent]),
    [['RSS', '../feed.xml', 'https://example.org/news/feed.xml'], ['Atom', '../atom.xml', 'https://example.org/news/atom.xml'], ['JSON Feed', '../feed.json', 'https://example.org/news/feed.json']],
  );
});

test('an empty edition still has a valid front page that says so', async () => {
  const html = renderIndexPage(editionOf({}));
  assert.ok(dom(html).querySelector('main')!.textContent!.includes('Nothing has been published yet.'));
  await assertValid(html, 'empty front page');
});

test('topic pages gather the articles of tags that share a slug, with the topic feeds', () => {
  const files = renderHtml(editionOf(TWO_STORIES));
  const document = dom(fileAt(files, 'tags/weather/index.html'), 'https://example.org/news/tags/weather/');
  // "Weather" and "weather" are one topic, named as the newest article writes it.
  assert.is(document.querySelector('h1')!.textContent, 'weather');
  assert.equal([...document.querySelectorAll('main article h2 a')].map((link) => link.getAttribute('href')), ['../../articles/newer/', '../../articles/older/']);
  const alternates = [...document.querySelectorAll('link[rel="alternate"]')].map((link) => link.getAttribute('href'));
  assert.equal(alternates, ['../../feed.xml', '../../atom.xml', '../../feed.json', 'feed.xml', 'atom.xml', 'feed.json']);
  const article = dom(fileAt(files, 'articles/newer/index.html'));
  assert.equal([...article.querySelectorAll('.tags a')].map((link) => [link.textContent, link.getAttribute('href')]), [['Politics', '../../tags/politics/'], ['weather', '../../tags/weather/']]);
});

test('drafts and future articles get no page without their flags, and do with them', () => {
  const files = {
    'articles/live.md': source('title: Live story\ndate: 2023-09-10T09:00:00Z', 'Published.'),
    'articles/draft.md': source('title: Draft story\ndate: 2023-09-10T10:00:00Z\ndraft: true', 'Not yet.'),
    'articles/future.md': source('title: Future story\ndate: 2099-01-01T00:00:00Z', 'Later.'),
  };
  const held = renderHtml(editionOf(files));
  assert.equal(htmlPages(held).map((file) => file.path).sort(), ['articles/live/index.html', 'feeds/index.html', 'index.html', 'tags/index.html']);
  const front = fileAt(held, 'index.html');
  assert.not.ok(front.includes('Draft story') || front.includes('Future story'), 'front page names neither');
  const all = renderHtml(editionOf(files, { drafts: true, future: true }));
  assert.equal(htmlPages(all).map((file) => file.path).sort(), ['articles/draft/index.html', 'articles/future/index.html', 'articles/live/index.html', 'feeds/index.html', 'index.html', 'tags/index.html']);
});

// ---- the article page -----------------------------------------------------------------------

test('the article page carries the metadata readers and machines look for', () => {
  const edition = sampleEdition();
  const article = edition.articles[0]!;
  const document = dom(renderArticlePage(article, edition));
  const canonical = `${SUB_PATH}articles/${SAMPLE_SLUG}/`;
  const meta = (selector: string) => document.querySelector(`meta[${selector}]`)?.getAttribute('content');
  assert.is(document.documentElement.lang, 'en');
  assert.is(document.title, `${article.title} — ${edition.site.title}`);
  assert.is(meta('name="description"'), article.summary);
  assert.is(document.querySelector('link[rel="canonical"]')!.getAttribute('href'), canonical);
  assert.is(meta('property="og:title"'), article.title);
  assert.is(meta('property="og:type"'), 'article');
  assert.is(meta('property="og:url"'), canonical);
  assert.is(meta('property="og:description"'), article.summary);
  assert.is(meta('property="article:published_time"'), '2023-09-11T12:00:00Z');
  assert.is(meta('property="article:author"'), article.author);
  assert.equal([...document.querySelectorAll('meta[property="article:tag"]')].map((tag) => tag.getAttribute('content')), article.tags);
  assert.is(meta('name="twitter:card"'), 'summary');
  assert.equal(
    [...document.querySelectorAll('link[rel="alternate"]')].map((link) => [link.getAttribute('type'), link.getAttribute('href')]),
    [
      ['application/rss+xml', '../../feed.xml'],
      ['application/atom+xml', '../../atom.xml'],
      ['application/feed+json', '../../feed.json'],
      ['application/pdf', `${SAMPLE_SLUG}.pdf`],
    ],
  );
  const jsonLd = jsonLdOf(document);
  assert.equal(
    { type: jsonLd['@type'], headline: jsonLd.headline, datePublished: jsonLd.datePublished, dateModified: jsonLd.dateModified, inLanguage: jsonLd.inLanguage },
    { type: 'NewsArticle', headline: article.title, datePublished: '2023-09-11T12:00:00Z', dateModified: '2023-09-11T12:00:00Z', inLanguage: 'en' },
  );
  assert.equal(jsonLd.mainEntityOfPage, { '@type': 'WebPage', '@id': canonical });
  assert.equal(jsonLd.author, { '@type': 'Person', name: article.author });
  assert.equal(jsonLd.publisher, { '@type': 'Organization', name: edition.site.publisher.name });

  const story = document.querySelector('main article')!;
  assert.is(story.querySelector('h1')!.textContent, article.title);
  assert.is(story.querySelector('time')!.getAttribute('datetime'), '2023-09-11T12:00:00Z');
  assert.ok(story.querySelector('.dateline')!.textContent!.includes('2 min read'));
  assert.is(story.querySelector('.credit')!.textContent, 'AFP contributed reporting.');
  const pdf = story.querySelector('a[type="application/pdf"]')!;
  assert.is(pdf.getAttribute('href'), `${SAMPLE_SLUG}.pdf`);
  assert.is(squash(pdf.textContent!), 'Download PDF (PDF, 48 KB)');
});

test('the PDF link states the size the PDF stage reported, and no size when it reported none', () => {
  const big = sampleEdition({ pdfBytes: 3_500_000 });
  assert.ok(dom(renderArticlePage(big.articles[0]!, big)).querySelector('.pdf-link')!.textContent!.includes('(PDF, 3.3 MB)'));
  const unknown = sampleEdition({ pdfBytes: null });
  assert.is(squash(dom(renderArticlePage(unknown.articles[0]!, unknown)).querySelector('.pdf-link')!.textContent!), 'Download PDF (PDF)');
});

test('an article updated after publication says when, on the page and in its metadata', () => {
  const edition = editionOf(TWO_STORIES);
  const newer = edition.articles.find((article) => article.slug === 'newer')!;
  const document = dom(renderArticlePage(newer, edition));
  assert.equal([...document.querySelectorAll('.dateline time')].map((time) => time.getAttribute('datetime')), ['2023-09-12T09:00:00Z', '2023-09-13T18:30:00Z']);
  assert.ok(squash(document.querySelector('.dateline')!.textContent!).startsWith('September 12, 2023 · Updated September 13, 2023'));
  assert.is(document.querySelector('meta[property="article:modified_time"]')!.getAttribute('content'), '2023-09-13T18:30:00Z');
  assert.is(jsonLdOf(document).dateModified, '2023-09-13T18:30:00Z');
  const older = edition.articles.find((article) => article.slug === 'older')!;
  assert.is(dom(renderArticlePage(older, edition)).querySelectorAll('.dateline time').length, 1, 'never updated: one date');
});

test('a summary that repeats the lede is not printed twice; a real standfirst is', () => {
  const sample = sampleEdition();
  assert.is(dom(renderArticlePage(sample.articles[0]!, sample)).querySelector('.standfirst'), null);
  const edition = editionOf(TWO_STORIES);
  const newer = edition.articles.find((article) => article.slug === 'newer')!;
  assert.is(dom(renderArticlePage(newer, edition)).querySelector('.standfirst')!.textContent, 'The vote was close.');
});

test('related articles link to a published article with that title, to a given web URL, else stay text', () => {
  const edition = editionOf(TWO_STORIES);
  const newer = edition.articles.find((article) => article.slug === 'newer')!;
  const items = [...dom(renderArticlePage(newer, edition)).querySelectorAll('.related li')].map((item) => [item.textContent, item.querySelector('a')?.getAttribute('href') ?? null]);
  assert.equal(items, [
    ['Harbour reopens after storm', '../older/'],
    ['Budget explained', 'https://example.com/budget'],
    ['Not in this edition', null],
    // A `javascript:` URL, even spelled with a tab, is never a link.
    ['A trap', null],
  ]);
});

test('body headings never take the ids the page chrome uses', () => {
  const edition = editionOf(TWO_STORIES);
  const newer = edition.articles.find((article) => article.slug === 'newer')!;
  const document = dom(renderArticlePage(newer, edition));
  const ids = [...document.querySelectorAll('[id]')].map((element) => element.id);
  assert.equal(ids.filter((id, index) => ids.indexOf(id) !== index), [], 'no duplicate ids');
  assert.is(document.querySelector('a.skip-link')!.getAttribute('href'), `#${document.querySelector('main')!.id}`);
  assert.is(document.querySelector('main')!.id, 'content-2');
});

test('two articles sharing one parsed body each get a body of their own (ids prefixed by their own slug)', () => {
  const edition = editionOf({ 'articles/noted.md': source('title: "A noted report"\ndate: 2023-09-11T08:00:00Z\nauthor: "A. Writer"', 'A claim.[^1]\n\n[^1]: Its source.') });
  const article = edition.articles[0]!;
  // a copy of the article under another slug, with the very same body object (as a build's picture lookup makes one)
  const twin = { ...article, slug: 'a-noted-report-again', body: article.body };
  const ids = (html: string) => [...html.matchAll(/ id="([^"]+)"/g)].map((match) => match[1]!);
  const first = bodyHtml(article);
  assert.ok(ids(first).length > 0 && ids(first).every((id) => id.startsWith(`${article.slug}-`)), first);
  assert.ok(ids(bodyHtml(twin)).length > 0 && ids(bodyHtml(twin)).every((id) => id.startsWith('a-noted-report-again-')), bodyHtml(twin));
  assert.is(bodyHtml(article), first);
});

test('body headings step down from the headline without gaps, whatever levels the source used', () => {
  const edition = editionOf({
    'articles/outline.md': source('title: Outline\ndate: 2023-09-10T09:00:00Z', '### Deep first\n\nText.\n\n##### Much deeper\n\nText.\n\n## Back to the top\n\nText.'),
  });
  const document = dom(renderArticlePage(edition.articles[0]!, edition));
  const headings = [...document.querySelectorAll('.story-body :is(h1, h2, h3, h4, h5, h6)')].map((heading) => [heading.tagName, heading.textContent, heading.id]);
  assert.equal(headings, [
    ['H2', 'Deep first', 'deep-first'],
    ['H3', 'Much deeper', 'much-deeper'],
    ['H2', 'Back to the top', 'back-to-the-top'],
  ]);
});

test('every word of every paragraph of the sample source appears, in order, in the page text', () => {
  const edition = liveEdition();
  const article = edition.articles.find((item) => item.slug === SAMPLE_SLUG)!;
  const document = dom(renderArticlePage(article, edition));
  const pageWords = words(document.querySelector('main')!.textContent!);
  // The Markdown source, read independently of the pipeline: blank-line paragraphs, Markdown
  // escapes and quote styles aside, words are words.
  const paragraphs = splitFrontMatter(fs.readFileSync(LIVE_SAMPLE_SOURCE, 'utf8')).body.split(/\n\s*\n/).map((text) => text.trim()).filter(Boolean);
  assert.is(paragraphs.length, article.body.children.filter((node) => node.type === 'paragraph').length, 'the pipeline sees as many paragraphs as the source has');
  for (const paragraph of paragraphs) assert.ok(containsRun(pageWords, words(paragraph)), `page text lacks: ${paragraph}`);
});

test('an Arabic article reads right to left, its labels Arabic; the English site chrome around it stays left to right', () => {
  const edition = editionOf({
    'articles/arabic.md': source('title: زيارة مرتقبة\ndate: 2023-09-11T12:00:00Z\nlang: ar\nsummary: ملخص الخبر.', 'أعلن الكرملين يوم الاثنين أن الزعيم سيزور روسيا.\n\nقال مسؤول: "We are ready" في بيان.'),
  });
  const document = dom(renderArticlePage(edition.articles[0]!, edition));
  assert.is(document.documentElement.getAttribute('lang'), 'ar');
  assert.is(document.documentElement.getAttribute('dir'), 'rtl');
  for (const paragraph of document.querySelectorAll('.story-body p')) assert.is(paragraph.getAttribute('dir'), 'auto');
  // The masthead and footer are the English site's (its name, its description); every label on
  // the page, its meta line and the masthead's feed labels included, is the article's Arabic.
  for (const chrome of document.querySelectorAll('body > header, body > footer')) {
    assert.equal([chrome.getAttribute('lang'), chrome.getAttribute('dir')], ['en', 'ltr']);
  }
  assert.equal([document.querySelector('.feed-nav')!.getAttribute('lang'), document.querySelector('.feed-nav')!.getAttribute('dir')], ['ar', 'rtl']);
  assert.is(document.querySelector('.story-meta')!.getAttribute('lang'), null, 'the meta line is in the page’s language');
  assert.is(document.querySelector('.story-meta time')!.textContent, new Intl.DateTimeFormat('ar', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date('2023-09-11T12:00:00Z')));
  assert.ok(document.querySelector('.byline')!.textContent!.startsWith('بقلم'));
  const front = dom(renderIndexPage(edition));
  const teaser = front.querySelector('main article')!;
  assert.equal([teaser.getAttribute('lang'), teaser.getAttribute('dir')], ['ar', 'rtl']);
  assert.equal([teaser.querySelector('.teaser-meta')!.getAttribute('lang'), teaser.querySelector('.teaser-meta')!.getAttribute('dir')], ['en', 'ltr']);
});

// ---- hostile text ---------------------------------------------------------------------------

const HOSTILE_TITLE = '<script>alert(1)</script> & "quotes" <b>';

/** Through ingest, as wire copy arrives, and as a hand-written Markdown source with raw HTML. */
const HOSTILE = {
  'raw/hostile.txt': [
    `Title: ${HOSTILE_TITLE}`,
    'Date: 2023-09-12T08:00:00Z',
    'Tags: <script>, safe & sound',
    '',
    '<script>alert(1)</script> opens the story.',
    '',
    'An image <img src=x onerror=alert(1)> a CDATA end ]]> and an entity &amp; stay text.',
    '',
    'RELATED: </script><script>alert(2)</script>',
  ].join('\n'),
  'articles/handwritten.md': source(
    `title: '${HOSTILE_TITLE} two'\ndate: 2023-09-11T08:00:00Z\nauthor: "<i>Mallory</i>"\ncredit: "<b>credit</b> ]]> <!-- x"`,
    '<script>alert(1)</script>\n\nInline <img src=x onerror=alert(1)> and <b>bold</b>.',
  ),
};

test('hostile titles, summaries and bodies appear as literal text in title, meta, JSON-LD and page', () => {
  const edition = editionOf(HOSTILE);
  assert.is(edition.articles.length, 2);
  const files = renderHtml(edition);
  for (const article of edition.articles) {
    const html = fileAt(files, OUTPUT_PATHS.articlePage(article.slug));
    const document = dom(html);
    assert.ok(article.title.includes('<script>alert(1)</script>'), 'the model keeps the title as text');
    assert.is(document.title, `${article.title} — Galley`);
    assert.is(document.querySelector('h1')!.textContent, article.title);
    assert.is(document.querySelector('meta[property="og:title"]')!.getAttribute('content'), article.title);
    assert.is(document.querySelector('meta[name="description"]')!.getAttribute('content'), article.summary);
    const jsonLd = jsonLdOf(document);
    assert.is(jsonLd.headline, article.title);
    assert.is(jsonLd.description, article.summary);
    // Only our JSON-LD is a script; nothing from the content became an element.
    assert.equal([...document.querySelectorAll('script')].map((script) => script.getAttribute('type')), ['application/ld+json']);
    assert.is(document.querySelectorAll('img, b, i, [onerror]').length, 0);
    const scriptText = document.querySelector('script')!.textContent!;
    assert.not.match(scriptText, /<\/script|<!--|\]\]>/i);
    // Outside attribute values (where `<` is inert and the serialiser rightly leaves it), no
    // markup from the content: the text nodes carry it as `&lt;`.
    assert.not.match(html.replace(/="[^"]*"/g, '=""'), /<script>alert|<img src|<b>|<i>/i);
  }
  const ingested = edition.articles.find((article) => article.source === 'raw/hostile.txt')!;
  const text = squash(dom(fileAt(files, OUTPUT_PATHS.articlePage(ingested.slug))).querySelector('.story-body')!.textContent!);
  assert.ok(text.includes('<script>alert(1)</script> opens the story.'), text);
  assert.ok(text.includes('An image <img src=x onerror=alert(1)> a CDATA end ]]> and an entity &amp; stay text.'), text);
  const handwritten = edition.articles.find((article) => article.slug === 'handwritten')!;
  const page = dom(fileAt(files, OUTPUT_PATHS.articlePage(handwritten.slug)));
  assert.ok(squash(page.querySelector('.story-body')!.textContent!).includes('Inline <img src=x onerror=alert(1)> and <b>bold</b>.'));
  assert.is(page.querySelector('.author')!.textContent, '<i>Mallory</i>');
  assert.is(page.querySelector('.credit')!.textContent, handwritten.credit);
  assert.ok(handwritten.credit!.startsWith('<b>credit</b> ]]> <!'));
  for (const other of ['index.html', 'tags/script/index.html']) {
    const document = dom(fileAt(files, other));
    assert.is(document.querySelectorAll('script').length, 1, `${other}: only the JSON-LD script`);
    assert.is(document.querySelectorAll('img, b, i').length, 0, `${other}: no elements from content`);
    assert.ok(document.body.textContent!.includes(ingested.title), `${other} shows the title as text`);
  }
});

test('JSON-LD text can never close its script element or open a comment', () => {
  const text = jsonLdText({ a: '</script><!-- & ]]> \u2028' });
  assert.is(text, '{\n  "a": "\\u003c/script\\u003e\\u003c!-- \\u0026 ]]\\u003e \\u2028"\n}');
  assert.equal(JSON.parse(text), { a: '</script><!-- & ]]> \u2028' });
});

// ---- cheap rebuilds: teasers remembered, article pages that depend on little ----------------

/**
 * A memo in a Map, as the build's cache is between builds, counting what it served. It keeps
 * UTF-8, as the cache does (a text is decoded when asked for as text), and hands out views into
 * a larger buffer, as the cache's are views into its pack file: here each between bytes that are
 * not UTF-8, so a splice that read past its view, or took the view's whole buffer, would show.
 */
function mapMemo(): RenderMemo & { hits: number; misses: number } {
  const kept = new Map<string, Uint8Array>();
  const keep = (kind: string, inputs: readonly unknown[], render: () => string | Uint8Array): Uint8Array => {
    const key = JSON.stringify([kind, ...inputs]);
    const hit = kept.get(key);
    if (hit !== undefined) {
      memo.hits++;
      return hit;
    }
    memo.misses++;
    const rendered = render();
    const encoded = typeof rendered === 'string' ? Buffer.from(rendered, 'utf8') : rendered;
    const pack = Buffer.alloc(encoded.length + 16, 0xff);
    pack.set(encoded, 8);
    const bytes = pack.subarray(8, 8 + encoded.length);
    kept.set(key, bytes);
    return bytes;
  };
  const memo = {
    hits: 0,
    misses: 0,
    bytes(kind: string, inputs: readonly unknown[], render: () => string): Uint8Array {
      return keep(kind, inputs, render);
    },
    output(filePath: string, kind: string, inputs: readonly unknown[], render: () => string | Uint8Array): OutputFile {
      return { path: filePath, data: keep(kind, inputs, render) };
    },
  };
  return memo;
}

/** Every file's path and bytes (as text decoded exactly: see UTF8). */
function bytesOf(files: readonly OutputFile[]): [string, string][] {
  return files.map((file) => [file.path, textOf(file)]);
}

const RTL_SITE = `title: صحيفة <b>الأخبار</b>\ndescription: أخبار & "تقارير"\nlanguage: ar\nbaseUrl: https://example.org/ar/\npublisher:\n  name: Galley\n`;

/** Everything a teaser shows, at its most awkward: hostile text, RTL, foreign-language and tagless articles, an update. */
const MANY_STORIES = {
  ...TWO_STORIES,
  ...HOSTILE,
  'articles/arabic.md': source('title: زيارة مرتقبة\ndate: 2023-09-11T12:00:00Z\nlang: ar\nsummary: ملخص الخبر.\ntags: [سياسة, Politics]', 'أعلن الكرملين يوم الاثنين أن الزعيم سيزور روسيا.'),
  'articles/untagged.md': source('title: No topic at all\ndate: 2023-09-09T09:00:00Z\nauthor: "A & B <c>"', 'Plain.'),
  'articles/punctuation.md': source("title: 'Tags without letters'\ndate: 2023-09-08T09:00:00Z\ntags: ['!!!', Weather]", 'Odd tags.'),
};

test('front and topic pages made with a memo, first and second time, are byte-identical to pages made without one', () => {
  const editions = [
    editionOf(MANY_STORIES),
    // a newer article: the lead of the first edition is now a teaser like the others
    editionOf({ ...MANY_STORIES, 'articles/newest.md': source('title: Newest\ndate: 2023-09-30T09:00:00Z\ntags: [Ports]', 'New.') }),
    editionOf(MANY_STORIES, { pdfBytes: null, baseUrl: 'https://example.org/' }),
    // the same teasers on pages in another language and direction
    editionOf({ ...MANY_STORIES, 'site.yaml': RTL_SITE }),
    editionOf({ ...MANY_STORIES, 'site.yaml': RTL_SITE }, { pdfBytes: 3_500_000 }),
    sampleEdition(),
    editionOf({}),
  ];
  // one memo for all: what one edition left in it must never be served to another wrongly
  const memo = mapMemo();
  for (const edition of editions) {
    const expected = bytesOf(renderSitePages(edition, noMemo));
    assert.ok(expected.length >= 2);
    const first = bytesOf(renderSitePages(edition, memo));
    const { hits, misses } = memo;
    const second = bytesOf(renderSitePages(edition, memo));
    assert.equal(first, expected);
    assert.equal(second, expected);
    assert.is(memo.misses, misses, 'the second run rendered no teaser again');
    if (edition.articles.length > 0) assert.ok(memo.hits > hits, 'the second run was served from the memo');
  }
  const many = editions[0]!;
  const files = bytesOf(renderSitePages(many, memo));
  // the hostile titles are in there, as text
  assert.ok(files.some(([, html]) => html.includes('&#x3C;script>alert(1)&#x3C;/script>')));
  assert.ok(fileAt(renderSitePages(editions[3]!, memo), 'index.html').startsWith('<!DOCTYPE html>\n<html lang="ar" dir="rtl">'));
});

test('a second render of the same edition takes every teaser from the memo', () => {
  const edition = editionOf(MANY_STORIES);
  const memo = mapMemo();
  renderSitePages(edition, memo);
  const { hits, misses } = memo;
  // a teaser per article on the front page, and one per topic it is listed under
  assert.ok(misses >= edition.articles.length);
  renderSitePages(edition, memo);
  assert.is(memo.misses, misses, 'nothing rendered again');
  assert.is(memo.hits, hits + misses, 'every teaser served from the memo');
});

test('an edited article changes its own teasers only: the memo serves the others, and the pages are as made afresh', () => {
  const memo = mapMemo();
  renderSitePages(editionOf(MANY_STORIES), memo);
  const edited = editionOf({ ...MANY_STORIES, 'articles/older.md': MANY_STORIES['articles/older.md'].replace('Ships are moving again.', 'Ships <em>are</em> moving & again.') });
  const { misses } = memo;
  const files = bytesOf(renderSitePages(edited, memo));
  assert.equal(files, bytesOf(renderSitePages(edited, noMemo)));
  // older is on the front page and on two topic pages (Weather, Ports)
  assert.is(memo.misses - misses, 3);
});

test('adding an unrelated article leaves an article page’s dependencies (and page) unchanged; adding a related one changes them', () => {
  const before = editionOf(TWO_STORIES);
  const unrelated = editionOf({
    ...TWO_STORIES,
    // the newest article: the edition's date moves, which an article page must not show
    'articles/unrelated.md': source('title: Something else entirely\ndate: 2023-09-20T09:00:00Z\ntags: [Weather]', 'Elsewhere.'),
  });
  const related = editionOf({
    ...TWO_STORIES,
    'articles/found.md': source('title: Not  in this EDITION\ndate: 2023-09-01T09:00:00Z', 'Now it is.'),
  });
  assert.not.equal(unrelated.articles[0]!.date, before.articles[0]!.date);
  const dependencies = (edition: Edition, slug: string) => JSON.stringify(articlePageDependencies(edition.articles.find((article) => article.slug === slug)!, edition));
  const page = (edition: Edition, slug: string) => renderArticlePage(edition.articles.find((article) => article.slug === slug)!, edition);
  for (const slug of ['newer', 'older']) {
    assert.is(dependencies(unrelated, slug), dependencies(before, slug), `${slug}: unrelated article`);
    // what the dependencies promise: the same dependencies, the same page
    assert.is(page(unrelated, slug), page(before, slug), `${slug}: same page`);
  }
  assert.is(dependencies(related, 'older'), dependencies(before, 'older'), 'older relates to nothing');
  assert.is.not(dependencies(related, 'newer'), dependencies(before, 'newer'), 'newer now links to the article it names');
  assert.is.not(page(related, 'newer'), page(before, 'newer'));
  assert.equal(articlePageDependencies(related.articles.find((article) => article.slug === 'newer')!, related), {
    related: [
      { title: 'Harbour reopens after storm', href: '../older/' },
      { title: 'Budget explained', href: 'https://example.com/budget' },
      { title: 'Not in this edition', href: '../found/' },
      { title: 'A trap', href: null },
    ],
  });
  // JSON-serialisable as it is
  const value = articlePageDependencies(before.articles[0]!, before);
  assert.equal(JSON.parse(JSON.stringify(value)), value);
});

test('an article page shows no edition date; the front page does', () => {
  const edition = editionOf(TWO_STORIES);
  assert.is(dom(renderIndexPage(edition)).querySelector('.edition-date time')!.getAttribute('datetime'), '2023-09-12T09:00:00Z');
  for (const article of edition.articles) assert.is(dom(renderArticlePage(article, edition)).querySelector('.edition-date'), null);
});

// ---- links under a sub-path -------------------------------------------------------------

test('under a sub-path base URL every link inside the site resolves to a file of the edition', () => {
  const edition = editionOf(TWO_STORIES, { baseUrl: 'https://example.org/news/' });
  const files = renderHtml(edition);
  // What the other stages write beside the pages.
  const known = new Set([
    ...files.map((file) => file.path),
    OUTPUT_PATHS.rss, OUTPUT_PATHS.atom, OUTPUT_PATHS.json,
    ...edition.articles.map((article) => OUTPUT_PATHS.articlePdf(article.slug)),
    ...['politics', 'ports', 'weather'].flatMap((tag) => (['rss', 'atom', 'json'] as const).map((format) => OUTPUT_PATHS.tagFeed(tag, format))),
  ]);
  for (const page of htmlPages(files)) {
    const pageUrl = absoluteUrl(edition.site, page.path);
    const document = dom(textOf(page), pageUrl);
    assert.is(document.querySelector('link[rel="canonical"]')!.getAttribute('href'), pageUrl);
    assert.is(document.querySelector('meta[property="og:url"]')!.getAttribute('content'), pageUrl);
    assert.ok(pageUrl.startsWith('https://example.org/news/'));
    for (const element of document.querySelectorAll('[href], [src]')) {
      const raw = element.getAttribute('href') ?? element.getAttribute('src')!;
      if (element.matches('link[rel="canonical"]') || raw.startsWith('https://example.com/') || raw.startsWith('data:')) continue;
      assert.not.match(raw, /^(\/|[a-z]+:)/i, `${page.path}: ${raw} is relative`);
      const target = new URL(raw, pageUrl);
      if (raw.startsWith('#')) {
        assert.ok(document.getElementById(raw.slice(1)), `${page.path}: ${raw} names an element`);
        continue;
      }
      assert.ok(target.href.startsWith(edition.site.baseUrl), `${page.path}: ${raw} stays under the base URL`);
      const relative = target.pathname.slice(new URL(edition.site.baseUrl).pathname.length);
      const file = relative === '' || relative.endsWith('/') ? `${relative}index.html` : relative;
      assert.ok(known.has(file), `${page.path}: ${raw} → ${file} is a file of the edition`);
    }
  }
  const article = dom(fileAt(files, 'articles/older/index.html'));
  assert.is((jsonLdOf(article).mainEntityOfPage as { '@id': string })['@id'], 'https://example.org/news/articles/older/');
  assert.is((jsonLdOf(article).associatedMedia as { contentUrl: string }).contentUrl, 'https://example.org/news/articles/older/older.pdf');
});

// ---- reproducible ---------------------------------------------------------------------------

test('the same sources give byte-identical pages, whatever the time zone of the machine', () => {
  const render = () => renderHtml(sampleEdition()).map((file) => `${file.path}\n${textOf(file)}`).join('\n\0\n');
  const saved = process.env.TZ;
  try {
    // 12:00 UTC is already the next day in Kiritimati (UTC+14) and still the day in Honolulu.
    process.env.TZ = 'Pacific/Kiritimati';
    const east = render();
    process.env.TZ = 'Pacific/Honolulu';
    const west = render();
    assert.is(east, west);
    assert.ok(east.includes('September 11, 2023'));
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
});

// ---- validity and accessibility -----------------------------------------------------------

const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: {
    // Titles come from the newsroom, and a headline plus the site name is routinely over 70
    // characters; cutting a headline short would change what it says.
    'long-title': 'off',
  },
});

async function assertValid(html: string, label: string): Promise<void> {
  const report = await validator.validateString(html);
  const messages = report.results.flatMap((result) => result.messages.map((message) => `${label}:${message.line}:${message.column} ${message.ruleId}: ${message.message}`));
  assert.equal(messages, [], messages.join('\n'));
}

test('every page is valid HTML (html-validate, recommended rules)', async () => {
  for (const edition of [sampleEdition(), liveEdition(), editionOf(TWO_STORIES), editionOf(HOSTILE)]) {
    for (const page of htmlPages(renderHtml(edition))) await assertValid(textOf(page), page.path);
  }
});

type AxeWindow = Window & typeof globalThis & { axe: typeof axe };

async function axeInJsdom(html: string): Promise<axe.Result[]> {
  const window = new JSDOM(html, { runScripts: 'outside-only', pretendToBeVisual: true, url: 'https://example.org/news/' }).window as unknown as AxeWindow;
  window.eval(axe.source);
  // jsdom lays nothing out, so contrast cannot be measured here: the Chromium test does it.
  const results = await window.axe.run(window.document, { rules: { 'color-contrast': { enabled: false } } });
  // Copied into this realm: arrays made inside jsdom's window never deep-equal ours.
  return [...results.violations];
}

test('axe-core finds no violations on the front page, every article and the topic pages (jsdom)', async () => {
  const files = [...renderHtml(liveEdition()), ...renderHtml(editionOf(TWO_STORIES)).filter((file) => file.path.startsWith('tags/'))];
  for (const page of htmlPages(files)) {
    const violations = (await axeInJsdom(textOf(page))).map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
    assert.equal(violations, [], `${page.path}: ${violations.join('; ')}`);
  }
});

/**
 * Runs axe in headless Chromium on a page published with its stylesheet, returning the
 * violations and the page's innerText (what a reader actually sees).
 */
async function axeInChromium(files: readonly OutputFile[], pagePath: string, scheme: 'light' | 'dark', width: number): Promise<{ violations: string[]; text: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-axe-'));
  try {
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
      fs.writeFileSync(path.join(dir, file.path), outputData(file));
    }
    const page = new JSDOM(fileAt(files, pagePath));
    const document = page.window.document;
    const axeScript = document.createElement('script');
    axeScript.src = pathToFileURL(createRequire(import.meta.url).resolve('axe-core/axe.min.js')).href;
    const run = document.createElement('script');
    run.textContent = `axe.run(document).then((results) => {
      const out = document.createElement('pre');
      out.id = 'axe-result';
      out.textContent = JSON.stringify({
        violations: results.violations.map((v) => v.id + ' [' + v.impact + ']: ' + v.nodes.map((n) => n.target.join(' ')).join(', ')),
        text: document.body.innerText,
      });
      document.body.append(out);
    });`;
    document.body.append(axeScript, run);
    const tested = path.join(dir, pagePath.replace(/\.html$/, '.axe.html'));
    fs.writeFileSync(tested, page.serialize());
    const result = new JSDOM(await dumpDom(tested, { width, dark: scheme === 'dark' })).window.document.getElementById('axe-result');
    if (!result) throw new Error(`axe did not finish in Chromium on ${pagePath}`);
    return JSON.parse(result.textContent ?? '') as { violations: string[]; text: string };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (chromium) {
  test('in Chromium, light and dark, desktop and phone: no axe violations (contrast included) and every paragraph visible', async () => {
    const edition = liveEdition();
    const files = renderHtml(edition);
    const runs = ['index.html', OUTPUT_PATHS.articlePage(SAMPLE_SLUG), OUTPUT_PATHS.feedsPage].flatMap((page) =>
      (['light', 'dark'] as const).map((scheme, index) => ({ page, scheme, width: index === 0 ? 1280 : 390 })),
    );
    const results = await Promise.all(runs.map((run) => axeInChromium(files, run.page, run.scheme, run.width)));
    runs.forEach((run, index) => assert.equal(results[index]!.violations, [], `${run.page} (${run.scheme}, ${run.width}px)`));
    const seen = words(results[2]!.text);
    const sample = edition.articles.find((article) => article.slug === SAMPLE_SLUG)!;
    const paragraphs = sample.body.children.filter((node) => node.type === 'paragraph');
    assert.ok(paragraphs.length > 0);
    for (const paragraph of paragraphs) assert.ok(containsRun(seen, words(mdastToString(paragraph))), `visible text lacks: ${mdastToString(paragraph)}`);
  });
} else if (process.env.GALLEY_REQUIRE_CHROMIUM) {
  // CI installs Chromium (.ci/run): there, a missing browser is a failure, not a skip
  test('Chromium is installed for the contrast and visible-text checks', () => {
    assert.unreachable('chromium not found on PATH');
  });
} else {
  console.warn('html.test.ts: chromium not installed; the contrast and visible-text checks did not run');
}

test.run();
