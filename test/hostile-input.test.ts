/**
 * Hostile input through the real command: odd raw file names, dates before the year 100, huge
 * paragraphs and titles, deep nesting, many and colliding tags. Each ends in an edition or in
 * located errors that name the file, never in a crash, a loop or a runaway process.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseFeed } from '@rowanmanning/feed-parser';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { JSDOM } from 'jsdom';
import { tempContent } from './helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

interface Run {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run build` minus npm: the launcher with the build's flags (as build.test.ts runs it). */
function galley(args: string[], env: Record<string, string> = {}, timeout = 120_000): Run {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'pipeline', 'cli', 'launch.mjs'), 'cli', ...args], {
    cwd: ROOT,
    env: { ...process.env, CI: '1', SOURCE_DATE_EPOCH: '1735689600', ...env },
    encoding: 'utf8',
    // a build that never ends fails its test instead of hanging the run
    timeout,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** A content folder of `files`, with its own output folder and cache. */
function site(files: Record<string, string | Uint8Array>) {
  const content = tempContent(files);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-hostile-'));
  const out = path.join(root, 'dist');
  const build = (extra: string[] = [], timeout?: number) =>
    galley(['--content', content, '--out', out, '--base-url', 'https://example.org/news/', ...extra], { GALLEY_CACHE_DIR: path.join(root, 'cache') }, timeout);
  const read = (file: string) => fs.readFileSync(path.join(out, file), 'utf8');
  return { content, out, build, read };
}

const wire = (fields: Record<string, string>, body: string) => `${Object.entries(fields).map(([key, value]) => `${key}: ${value}`).join('\n')}\n\n${body}\n`;

/** The text of every page of a PDF, as pdf.js extracts it. */
async function pdfText(file: string): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(fs.readFileSync(file)), useSystemFonts: false }).promise;
  const pages: string[] = [];
  for (let number = 1; number <= doc.numPages; number++) {
    const content = await (await doc.getPage(number)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  return pages.join('\n');
}

// ---------------------------------------------------------------------------------------------
// raw file names

test('a raw file is ingested once whatever its name: quotes, newlines, YAML indicators, controls', () => {
  const names = ["it's.txt", 'say "hi".txt', 'two\nlines.txt', 'gap\n\n  indented.txt', '#hash: colon.txt', 'tab\tand\u0001control.txt', 'back\\slash.txt', 'line\u2028separator.txt', '  leading spaces.txt', '- dash [x] {y} & *z.txt', 'café.txt'];
  const files: Record<string, string> = {};
  names.forEach((name, index) => {
    files[`raw/${name}`] = wire({ Title: `Odd file name story ${index + 1}`, Date: '2024-03-05T10:00:00Z' }, `Story ${index + 1} came in a file with an odd name.`);
  });
  const { build, content, out } = site(files);
  // a name that is not UTF-8 cannot be claimed: it is skipped, and said so
  fs.writeFileSync(Buffer.concat([Buffer.from(`${path.join(content, 'raw')}/caf`), Buffer.from([0xe9]), Buffer.from('.txt')]), wire({ Title: 'Latin-1 name' }, 'Body.'));
  const first = build();
  assert.is(first.status, 0, first.stderr);
  assert.match(first.stdout, new RegExp(`${names.length} articles published .* ${names.length} ingested`));
  assert.match(first.stderr, /raw\/caf\uFFFD\.txt: warning: the file name is not UTF-8, so no source can record where it came from: rename it to ingest it \(skipped\) \[raw-text\]/);
  const sources = fs.readdirSync(path.join(content, 'articles')).sort();
  assert.equal(sources, names.map((_, index) => `odd-file-name-story-${index + 1}.md`).sort());

  for (const run of [build(), build()]) {
    assert.is(run.status, 0, run.stderr);
    assert.match(run.stdout, /nothing changed, edition kept/);
    assert.match(run.stdout, new RegExp(`${names.length} articles published .* 0 ingested`));
  }
  assert.equal(fs.readdirSync(path.join(content, 'articles')).sort(), sources, 'no second copy of any article');
  assert.equal(fs.readdirSync(path.join(out, 'articles')).sort(), sources.map((source) => source.replace(/\.md$/, '')));
});

// ---------------------------------------------------------------------------------------------
// dates

test('a date before the year 100 is refused where it is written, in a raw header and in front-matter', () => {
  const { build, out } = site({
    'raw/ancient.txt': wire({ Title: 'An ancient wire story', Date: '0023-09-11' }, 'Text of the story.'),
    'articles/old.md': '---\ntitle: An old story\ndate: 0099-12-31T23:00:00Z\nupdated: 0005-01-01\n---\n\nBody.\n',
  });
  const run = build();
  assert.is(run.status, 1, run.stderr);
  assert.match(run.stderr, /raw\/ancient\.txt:2:7: error: Date "0023-09-11" is in the year 23: dates before the year 100 cannot be published exactly .*write the year in full, e\.g\. 2023 \[header\]/);
  assert.match(run.stderr, /articles\/old\.md:3:7: error: date "0099-12-31T23:00:00Z" is in the year 99/);
  assert.match(run.stderr, /articles\/old\.md:4:10: error: updated "0005-01-01" is in the year 5/);
  assert.not.ok(fs.existsSync(out), 'nothing published');
});

test('a date in the year 100 or later is exact everywhere: page, RSS, Atom, JSON Feed and PDF', async () => {
  const { build, read, out } = site({ 'articles/roman.md': '---\ntitle: A Roman story\ndate: 0100-03-15T12:00:00Z\nslug: roman\n---\n\nThe ides of March.\n' });
  const run = build();
  assert.is(run.status, 0, run.stderr);
  assert.match(read('articles/roman/index.html'), /<time datetime="0100-03-15T12:00:00Z"/);
  assert.match(read('articles/roman/index.html'), /March 15, 100\b/);
  for (const file of ['feed.xml', 'atom.xml']) {
    const item = parseFeed(read(file)).items[0]!;
    assert.is(item.published?.toISOString(), '0100-03-15T12:00:00.000Z', file);
  }
  assert.match(read('feed.xml'), /<pubDate>Mon, 15 Mar 0100 12:00:00 GMT<\/pubDate>/);
  assert.is(JSON.parse(read('feed.json')).items[0].date_published, '0100-03-15T12:00:00.000Z');
  assert.match(await pdfText(path.join(out, 'articles', 'roman', 'roman.pdf')), /March 15, 100\b/);
});

// ---------------------------------------------------------------------------------------------
// size

/** The build with its heap held to 512 MB (workers too): memory that grows faster than the input ends in an out-of-memory crash, which fails the test. */
const SMALL_HEAP = { NODE_OPTIONS: '--max-old-space-size=512' };

test('past the limits: a 50 MB raw file, a 200,000-word paragraph, a 1 MB title, a 70,000-character Markdown paragraph are located errors', () => {
  const words = ['the', 'government', 'said', 'on', 'Monday', 'that', 'talks', 'would', 'resume', 'in', 'Geneva', 'and'];
  const paragraph = Array.from({ length: 200_000 }, (_, index) => words[index % words.length]).join(' ');
  const line = 'The government said on Monday that talks would resume in Geneva after a pause.\n';
  const { out, content } = site({
    'raw/paragraph.txt': `Date: 2024-01-01\n\nA short lede.\n\n${paragraph}.\n`,
    'raw/title.txt': wire({ Title: 'W'.repeat(1024 * 1024), Date: '2024-01-01' }, 'Body.'),
    'articles/long.md': source('Long', `Lede.\n\n${'word '.repeat(14_000)}end.`),
  });
  fs.writeFileSync(path.join(content, 'raw', 'fifty.txt'), `Title: Fifty megabytes\n\n${line.repeat(Math.ceil((50 * 1024 * 1024) / line.length))}`);
  const run = galley(['--content', content, '--out', out], { GALLEY_CACHE_DIR: path.join(content, '..', 'cache-limits'), ...SMALL_HEAP }, 60_000);
  assert.is(run.status, 1, `${run.signal ?? ''} ${run.stderr.slice(0, 2000)}`);
  assert.match(run.stderr, /raw\/fifty\.txt: error: fifty\.txt is 50 MB: a raw article is at most 8\.0 MB \[limits\]/);
  assert.match(run.stderr, new RegExp(`raw/paragraph\\.txt:5:1: error: paragraph of ${(paragraph.length + 1).toLocaleString('en')} characters: a paragraph is at most 65,536 \\(separate paragraphs with a blank line\\) \\[limits\\]`));
  assert.match(run.stderr, /raw\/title\.txt:1:8: error: Title is 1,048,576 characters: a title is at most 300 \[limits\]/);
  assert.match(run.stderr, /articles\/long\.md:8:1: error: paragraph of 70,004 characters: a paragraph is at most 65,536/);
  assert.match(run.stderr, /galley: 4 errors; nothing published/);
});

test('within the limits, time and memory stay linear: a 60,000-character paragraph without a title, a 40 KB unbroken token, a 300-character one-word title', async () => {
  const words = ['the', 'government', 'said', 'on', 'Monday', 'that', 'talks', 'would', 'resume', 'in', 'Geneva', 'and'];
  const paragraph = Array.from({ length: 8_000 }, (_, index) => words[index % words.length]).join(' ');
  const token = 'Lorem0Ipsum1Dolor2Sit3Amet4'.repeat(1600).slice(0, 40_000);
  const title = 'W'.repeat(300);
  const { content, out } = site({
    'raw/paragraph.txt': `Date: 2024-01-01\n\n${paragraph}.\n`,
    'raw/token.txt': wire({ Title: 'Long token', Date: '2024-01-02', Slug: 'long-token' }, `${token}\n\nA normal paragraph.`),
    'raw/title.txt': wire({ Title: title, Date: '2024-01-03', Slug: 'long-title' }, 'Body.'),
  });
  const run = galley(['--content', content, '--out', out, '--base-url', 'https://example.org/'], { GALLEY_CACHE_DIR: path.join(content, '..', 'cache-linear'), ...SMALL_HEAP }, 180_000);
  assert.is(run.status, 0, `${run.signal ?? ''} ${run.stderr.slice(0, 2000)}`);
  assert.match(run.stdout, /3 articles published/);
  const squash = (text: string) => text.replace(/[\s\u00AD-]+/g, '');
  assert.match(fs.readFileSync(path.join(out, 'articles', 'long-token', 'index.html'), 'utf8'), token);
  assert.ok(squash(await pdfText(path.join(out, 'articles', 'long-token', 'long-token.pdf'))).includes(token), 'the token, whole, in the PDF');
  assert.is(new JSDOM(fs.readFileSync(path.join(out, 'articles', 'long-title', 'index.html'), 'utf8')).window.document.querySelector('h1.headline')?.textContent?.trim(), title);
  assert.ok(squash(await pdfText(path.join(out, 'articles', 'long-title', 'long-title.pdf'))).includes(title), 'the title, whole, in the PDF');
});

// ---------------------------------------------------------------------------------------------
// nesting

const source = (title: string, body: string) => `---\ntitle: ${title}\ndate: 2024-03-05T10:00:00Z\n---\n\n${body}\n`;

test('block quotes and lists nested thousands deep are refused where they start, without overflowing the stack', () => {
  const { build, out } = site({
    'articles/quotes.md': source('Quotes', `Intro.\n\n${'> '.repeat(2000)}deep`),
    'articles/markers.md': source('Markers', `${'- '.repeat(1000)}deep`),
    'articles/indented.md': source('Indented', Array.from({ length: 1000 }, (_, level) => `${'  '.repeat(level)}- level ${level + 1}`).join('\n')),
    'articles/seventeen.md': source('Seventeen', `Intro.\n\n${Array.from({ length: 17 }, (_, level) => `${'  '.repeat(level)}- level ${level + 1}`).join('\n')}`),
  });
  const run = build([], 60_000);
  assert.is(run.status, 1, `${run.signal ?? ''} ${run.stderr}`);
  assert.not.match(run.stderr, /Maximum call stack|RangeError|    at /);
  assert.match(run.stderr, /articles\/quotes\.md:8:1: error: block quotes and lists nest too deep: this line could open 3000 levels \(Galley reads at most 16\) \[nesting\]/);
  assert.match(run.stderr, /articles\/markers\.md:6:1: error: block quotes and lists nest too deep: this line could open 1500 levels/);
  assert.match(run.stderr, /articles\/indented\.md:\d+:1: error: block quotes and lists nest too deep/);
  assert.match(run.stderr, /articles\/seventeen\.md:24:33: error: block quotes and lists nest 17 levels deep here \(Galley reads at most 16\) \[nesting\]/);
  assert.match(run.stderr, /galley: 4 errors; nothing published/);
  assert.not.ok(fs.existsSync(out));
});

test('block quotes and lists sixteen deep are published: page, feed and PDF', async () => {
  const quotes = `${'> '.repeat(16)}Innermost quoted words.`;
  const list = Array.from({ length: 16 }, (_, level) => `${'  '.repeat(level)}- level ${level + 1}`).join('\n');
  const { build, read, out } = site({ 'articles/deep.md': `---\ntitle: Deep\ndate: 2024-03-05T10:00:00Z\nslug: deep\n---\n\n${quotes}\n\n${list}\n` });
  const run = build();
  assert.is(run.status, 0, run.stderr);
  const page = new JSDOM(read('articles/deep/index.html')).window.document;
  assert.is(page.querySelectorAll('blockquote').length, 16);
  assert.is(page.querySelector(`${'blockquote '.repeat(16)}p`)?.textContent, 'Innermost quoted words.');
  assert.is(page.querySelectorAll('ul').length >= 16, true);
  assert.match(read('feed.xml'), 'level 16');
  const text = await pdfText(path.join(out, 'articles', 'deep', 'deep.pdf'));
  assert.match(text, 'Innermost quoted words.');
  assert.match(text, 'level 16');
});

// ---------------------------------------------------------------------------------------------
// tags

const tagged = (title: string, tags: readonly string[], date = '2024-03-05T10:00:00Z') => `---\ntitle: ${title}\ndate: ${date}\ntags: ${JSON.stringify(tags)}\n---\n\nBody of ${title}.\n`;

test('tags: at most 50 an article, each a located error past it; 20,000 tags are refused at once', () => {
  const many = (count: number) => Array.from({ length: count }, (_, index) => `Topic ${index + 1}`);
  const { build, out } = site({
    'articles/fifty-one.md': tagged('Fifty-one', many(51)),
    'articles/twenty-thousand.md': tagged('Twenty thousand', many(20_000)),
    'raw/wire.txt': wire({ Title: 'Wire with tags', Tags: many(60).join(', ') }, 'Body.'),
  });
  const run = build([], 60_000);
  assert.is(run.status, 1, `${run.signal ?? ''} ${run.stderr}`);
  assert.match(run.stderr, /articles\/fifty-one\.md:4:7: error: tags lists 51 tags: an article carries at most 50 \[schema\]/);
  assert.match(run.stderr, /articles\/twenty-thousand\.md:4:7: error: tags lists 20000 tags: an article carries at most 50 \[schema\]/);
  assert.match(run.stderr, /raw\/wire\.txt:2:7: error: Tags lists 60 tags: an article carries at most 50 \[limits\]/);
  assert.not.ok(fs.existsSync(out));
});

test('tags: different tags that make one slug are a located error naming both; one tag in any case or accents is one topic', () => {
  const { build, content, out } = site({
    'articles/a-c.md': tagged('About C', ['C', 'Ünïcode']),
    'articles/b-cpp.md': tagged('About C++', ['C++']),
    'articles/c-csharp.md': tagged('About C#', ['Politics', 'C#']),
    'articles/d-unicode.md': tagged('About Unicode', ['unicode', 'UNICODE']),
  });
  const run = build();
  assert.is(run.status, 1, run.stderr);
  assert.match(run.stderr, /articles\/b-cpp\.md:4:8: error: tag "C\+\+" makes the same topic page, tags\/c\/, as the different tag "C" \(a-c\.md\): rename one of them \[tags\]/);
  assert.match(run.stderr, /articles\/c-csharp\.md:4:19: error: tag "C#" makes the same topic page, tags\/c\/, as the different tag "C" \(a-c\.md\)/);
  assert.match(run.stderr, /galley: 2 errors/, 'Ünïcode, unicode and UNICODE are one tag');
  // renamed, the edition builds: one page per tag, accents and case folded into one
  fs.writeFileSync(path.join(content, 'articles', 'b-cpp.md'), tagged('About C++', ['C plus plus']));
  fs.writeFileSync(path.join(content, 'articles', 'c-csharp.md'), tagged('About C#', ['Politics', 'C sharp']));
  const renamed = build();
  assert.is(renamed.status, 0, renamed.stderr);
  assert.equal(fs.readdirSync(path.join(out, 'tags'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort(), ['c', 'c-plus-plus', 'c-sharp', 'politics', 'unicode']);
  // an article tagged both "unicode" and "UNICODE" is listed once on the topic's page and in its feed
  const unicode = new JSDOM(fs.readFileSync(path.join(out, 'tags', 'unicode', 'index.html'))).window.document;
  assert.equal([...unicode.querySelectorAll('article h2, article h3')].map((heading) => heading.textContent?.trim()).sort(), ['About C', 'About Unicode']);
  assert.equal(parseFeed(fs.readFileSync(path.join(out, 'tags', 'unicode', 'feed.xml'), 'utf8')).items.map((item) => item.title).sort(), ['About C', 'About Unicode']);
});

test('tags: accents and case fold into one topic page; a tag of punctuation alone gets a page of its own', () => {
  const { build, read, out } = site({
    'articles/older.md': tagged('Older', ['Ünïcode', '..'], '2024-03-01T10:00:00Z'),
    'articles/newer.md': tagged('Newer', ['unicode', ']]>'], '2024-03-05T10:00:00Z'),
  });
  const run = build();
  assert.is(run.status, 0, run.stderr);
  assert.equal(fs.readdirSync(path.join(out, 'tags'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort(), ['tag-2e-2e', 'tag-5d-5d-3e', 'unicode']);
  const unicode = new JSDOM(read('tags/unicode/index.html')).window.document;
  assert.equal([...unicode.querySelectorAll('article h2, article h3')].map((heading) => heading.textContent?.trim()), ['Newer', 'Older']);
  assert.match(unicode.querySelector('h1')!.textContent!, 'unicode', 'labelled as the newest article writes it');
  const older = new JSDOM(read('articles/older/index.html')).window.document;
  assert.equal([...older.querySelectorAll('.tags a')].map((link) => [link.textContent, link.getAttribute('href')]), [['Ünïcode', '../../tags/unicode/'], ['..', '../../tags/tag-2e-2e/']]);
  assert.match(read('tags/tag-2e-2e/index.html'), 'Older');
  assert.is(parseFeed(read('tags/tag-5d-5d-3e/feed.xml')).items[0]!.title, 'Newer');
});

// ---------------------------------------------------------------------------------------------
// tags as feed text

/** Text as a reader that takes it for HTML (feedparser with RSS titles) shows it; and whether it held markup. */
function asHtml(text: string): { readonly text: string; readonly elements: number } {
  const body = new JSDOM(`<!doctype html><body>${text}`).window.document.body;
  return { text: body.textContent ?? '', elements: body.querySelectorAll('*').length };
}

test('a tag with markup and an entity is text in its RSS channel title and description, as feed readers read them', () => {
  const tag = '<b>bold</b> &amp; co';
  const { build, read, out } = site({
    'site.yaml': 'title: The <i>Galley</i> Wire\ncopyright: © Smith & <Co>\n',
    'articles/bold.md': `---\ntitle: A bold story\ndate: 2024-03-05T10:00:00Z\ntags: ${JSON.stringify([tag])}\n---\n\nBody.\n`,
  });
  const run = build();
  assert.is(run.status, 0, run.stderr);
  const [folder] = fs.readdirSync(path.join(out, 'tags'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  const rss = read(`tags/${folder}/feed.xml`);
  const channel = new JSDOM(rss, { contentType: 'application/xml' }).window.document.querySelector('channel')!;
  const child = (name: string) => [...channel.children].find((element) => element.localName === name)!.textContent!;
  // feedparser reads these as HTML when they look like it: they must read back as the words
  assert.equal(asHtml(child('title')), { text: `The <i>Galley</i> Wire: ${tag}`, elements: 0 });
  assert.equal(asHtml(child('description')), { text: `News from the wire, published with Galley. Articles tagged “${tag}”.`, elements: 0 });
  assert.equal(asHtml(child('copyright')), { text: '© Smith & <Co>', elements: 0 });
  // @rowanmanning/feed-parser decodes entities in titles: it reads the same words
  const parsed = parseFeed(rss);
  assert.is(parsed.title, `The <i>Galley</i> Wire: ${tag}`);
  assert.is(parsed.description, `News from the wire, published with Galley. Articles tagged “${tag}”.`);
  // Atom says its titles are text: there they stand as written, once escaped (feed-parser would
  // decode "&amp;" in them too, against type="text", so the XML is read instead)
  const atom = new JSDOM(read(`tags/${folder}/atom.xml`), { contentType: 'application/xml' }).window.document.querySelector('feed > title')!;
  assert.is(atom.getAttribute('type') ?? 'text', 'text', 'Atom text: the default type, or said');
  assert.is(atom.textContent, `The <i>Galley</i> Wire: ${tag}`);
  assert.is(JSON.parse(read(`tags/${folder}/feed.json`)).title, `The <i>Galley</i> Wire: ${tag}`);
  // the edition's own feed too
  assert.equal(asHtml(new JSDOM(read('feed.xml'), { contentType: 'application/xml' }).window.document.querySelector('channel > title')!.textContent!), { text: 'The <i>Galley</i> Wire', elements: 0 });
});

test.run();
