/**
 * An archive that grows: list pages, feeds and sitemaps read back the way a reader, a feed reader
 * and a crawler reach them (the real command; links followed, never file names guessed), and
 * what one arrival and one correction rewrite (the output trees compared before and after).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { JSDOM } from 'jsdom';
import { parseFeed } from '@rowanmanning/feed-parser';
import { tempContent } from './helpers.ts';
import { galley } from './command.ts';

const BASE = 'https://example.org/news/';
const TOPICS = ['Energy', 'Elections', 'Weather'];
/** 23 articles, one a day from 1 March 2024 at 08:00; pages of 5, feeds of at most 4, sitemaps of 10 URLs. */
const COUNT = 23;
const SITE = 'title: The Daily\npageSize: 5\nfeedLimit: 4\nsitemapLimit: 10\n';

function articleSource(index: number, extra = ''): string {
  const day = new Date(Date.UTC(2024, 2, 1 + index, 8));
  const tags = index % 5 === 0 ? `[${TOPICS[index % 3]}, ${TOPICS[(index + 1) % 3]}]` : `[${TOPICS[index % 3]}]`;
  return `---\ntitle: Story ${String(index).padStart(3, '0')}\ndate: ${day.toISOString()}\nauthor: Desk\ntags: ${tags}\n---\n\nThe text of story ${index}.${extra}\n`;
}

function archiveSite(count = COUNT) {
  const files: Record<string, string> = { 'site.yaml': SITE };
  for (let i = 0; i < count; i++) files[`articles/story-${i}.md`] = articleSource(i);
  const content = tempContent(files);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-archive-'));
  const out = path.join(root, 'dist');
  const build = () => {
    const run = galley(['--content', content, '--out', out, '--base-url', BASE, '--formats', 'html,feeds'], { GALLEY_CACHE_DIR: path.join(root, 'cache') });
    assert.is(run.status, 0, run.stderr);
  };
  build();
  return { content, out, build };
}

/** The file a URL under BASE is served from. */
function fileOf(out: string, url: string): string {
  assert.ok(url.startsWith(BASE), `${url} is under the base URL`);
  const rel = url.slice(BASE.length);
  return path.join(out, rel === '' || rel.endsWith('/') ? `${rel}index.html` : rel);
}

function html(out: string, url: string): Document {
  return new JSDOM(fs.readFileSync(fileOf(out, url), 'utf8'), { url }).window.document;
}

function xml(out: string, url: string): Document {
  return new JSDOM(fs.readFileSync(fileOf(out, url)), { contentType: 'application/xml' }).window.document;
}

/** Titles of the articles a list page links, in its order. */
function storiesOn(document: Document): string[] {
  return [...document.querySelectorAll('main article h2 a')].map((link) => link.textContent!);
}

/** Pages from `start` following rel="next", each with the URL its rel="prev" names. */
function followNext(out: string, start: string) {
  const pages: { url: string; document: Document; prev: string | null }[] = [];
  for (let url: string | null = start; url; ) {
    assert.ok(!pages.some((page) => page.url === url), `${url} is not visited twice`);
    const document = html(out, url);
    const head = document.querySelector('head link[rel="next"]');
    const link = document.querySelector('main a[rel="next"]');
    assert.is(head?.getAttribute('href') ?? null, link?.getAttribute('href') ?? null, `${url}: <link rel=next> and <a rel=next> agree`);
    pages.push({ url, document, prev: (document.querySelector('head link[rel="prev"]') as HTMLLinkElement | null)?.href ?? null });
    url = (head as HTMLLinkElement | null)?.href ?? null;
  }
  return pages;
}

const titles = (count: number) => Array.from({ length: count }, (_, i) => `Story ${String(count - 1 - i).padStart(3, '0')}`);

test('the front page shows the newest pageSize articles; rel="next" pages reach every article once, each page with its own title and canonical URL', () => {
  const { out } = archiveSite();
  const pages = followNext(out, BASE);
  assert.equal(pages.map((page) => storiesOn(page.document)).flat(), titles(COUNT), 'every article once, newest first');
  assert.equal(pages.map((page) => storiesOn(page.document).length), [5, 3, 5, 5, 5], 'the front page full, the newest older page holds what is left');
  // numbered from the oldest: the page after the front page is the newest older page
  assert.equal(pages.map((page) => page.url), [BASE, `${BASE}page/4/`, `${BASE}page/3/`, `${BASE}page/2/`, `${BASE}page/1/`]);
  assert.equal(pages.map((page) => page.prev), [null, ...pages.slice(0, -1).map((page) => page.url)], 'rel="prev" leads back');
  assert.equal(pages.map((page) => (page.document.querySelector('link[rel="canonical"]') as HTMLLinkElement).href), pages.map((page) => page.url));
  const pageTitles = pages.map((page) => page.document.title);
  assert.is(new Set(pageTitles).size, pages.length, `titles differ: ${pageTitles.join(' | ')}`);
  assert.is(pageTitles[1], 'Older articles, page 4 — The Daily');
});

test('topic pages page the same way, and /tags/ lists every topic', () => {
  const { out } = archiveSite();
  const index = html(out, `${BASE}tags/`);
  const topics = [...index.querySelectorAll('main li a')].map((link) => [link.textContent, (link as HTMLAnchorElement).href]);
  assert.equal(topics, TOPICS.map((topic) => [topic, `${BASE}tags/${topic.toLowerCase()}/`]).sort((a, b) => (a[1]! < b[1]! ? -1 : 1)));
  assert.ok(html(out, BASE).querySelector(`main a[href="tags/"]`), 'the front page links the topics');
  for (const topic of TOPICS) {
    const expected = Array.from({ length: COUNT }, (_, i) => COUNT - 1 - i)
      .filter((i) => TOPICS[i % 3] === topic || (i % 5 === 0 && TOPICS[(i + 1) % 3] === topic))
      .map((i) => `Story ${String(i).padStart(3, '0')}`);
    const pages = followNext(out, `${BASE}tags/${topic.toLowerCase()}/`);
    assert.equal(pages.map((page) => storiesOn(page.document)).flat(), expected, topic);
    assert.ok(pages.every((page) => storiesOn(page.document).length <= 5), `${topic}: at most pageSize a page`);
    assert.ok(pages.length > 1, `${topic} has older pages`);
    assert.is(new Set(pages.map((page) => page.document.title)).size, pages.length);
  }
});

/** A feed's documents, from its subscription document along prev-archive (next_url in JSON Feed). */
function feedChain(out: string, url: string) {
  const documents: { url: string; items: string[]; text: string; archive: boolean }[] = [];
  for (let next: string | null = url; next; ) {
    assert.ok(!documents.some((document) => document.url === next), `${next}: the chain does not loop`);
    const text = fs.readFileSync(fileOf(out, next), 'utf8');
    if (next.endsWith('.json')) {
      const feed = JSON.parse(text) as { items: { url: string }[]; next_url?: string };
      documents.push({ url: next, items: feed.items.map((item) => item.url), text, archive: documents.length > 0 });
      next = feed.next_url ?? null;
    } else {
      const items = parseFeed(text).items.map((item) => item.url!);
      const document = xml(out, next);
      const links = [...document.documentElement.getElementsByTagNameNS('http://www.w3.org/2005/Atom', 'link')].filter((link) => link.parentElement === document.documentElement || link.parentElement?.localName === 'channel');
      const rel = (name: string) => links.find((link) => link.getAttribute('rel') === name)?.getAttribute('href') ?? null;
      const archive = document.getElementsByTagNameNS('http://purl.org/syndication/history/1.0', 'archive').length === 1;
      if (documents.length) assert.is(rel('current'), url, `${next}: links the subscription document as current`);
      const previous = documents.at(-1);
      if (previous && previous.archive) assert.is(rel('next-archive'), previous.url, `${next}: next-archive is the newer archive`);
      documents.push({ url: next, items, text, archive });
      next = rel('prev-archive');
    }
  }
  return documents;
}

const FEEDS = ['feed.xml', 'atom.xml', 'feed.json', 'tags/energy/feed.xml', 'tags/energy/atom.json'.replace('.json', '.xml'), 'tags/energy/feed.json'];

test('each feed: a subscription document of at most feedLimit items, and archives that give every article exactly once', () => {
  const { out } = archiveSite();
  for (const feed of FEEDS) {
    const documents = feedChain(out, `${BASE}${feed}`);
    const items = documents.flatMap((document) => document.items);
    const expected = feed.startsWith('tags/') ? titles(COUNT).filter((_, i) => [COUNT - 1 - i].some((n) => TOPICS[n % 3] === 'Energy' || (n % 5 === 0 && TOPICS[(n + 1) % 3] === 'Energy'))) : titles(COUNT);
    assert.is(items.length, expected.length, `${feed}: every article`);
    assert.is(new Set(items).size, items.length, `${feed}: each once`);
    assert.ok(documents[0]!.items.length <= 4 && documents[0]!.items.length > 2, `${feed}: the subscription document holds ${documents[0]!.items.length}`);
    assert.ok(documents.slice(1).every((document) => document.items.length === 2), `${feed}: archives are full (feedLimit / 2)`);
    assert.ok(documents.length > 2, `${feed}: has archives`);
    if (!feed.endsWith('.json')) {
      assert.not.ok(documents[0]!.archive, `${feed}: the subscription document is not an archive`);
      assert.ok(documents.slice(1).every((document) => document.archive), `${feed}: every archive carries fh:archive`);
    }
  }
});

/** Relative path → sha256 of every file under dir. */
function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, file).split(path.sep).join('/'), createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
  }
  return files;
}

function touched(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter((file) => before.get(file) !== after.get(file)).sort();
}

test('an arrival rewrites the newest documents only: no archive changes, byte for byte; a correction rewrites its own', () => {
  const { content, out, build } = archiveSite();
  const before = tree(out);
  const archivesBefore = FEEDS.map((feed) => feedChain(out, `${BASE}${feed}`).slice(1));
  // the newest story, on Energy (23 % 3 = 2 → Weather: given its tag by hand)
  fs.writeFileSync(path.join(content, 'articles', 'story-23.md'), articleSource(23).replace('tags: [Weather]', 'tags: [Energy]'));
  build();
  const afterArrival = tree(out);
  // the edition's feeds had room (no archive made); Energy's subscription documents were full, so
  // its oldest two items went into a new archive 4, and its page 1 of older articles was full, so
  // a page 2 began: the archive and the page before each gain a link to it, nothing else
  assert.equal(touched(before, afterArrival), [
    'articles/story-23/index.html',
    'feed.json', 'feed.xml', 'atom.xml',
    'index.html',
    'page/4/index.html',
    'sitemap-news.xml',
    'sitemap.xml',
    'sitemaps/3.xml',
    'sitemaps/pages.xml',
    'tags/energy/archive/3/atom.xml', 'tags/energy/archive/3/feed.xml',
    'tags/energy/archive/4/atom.xml', 'tags/energy/archive/4/feed.json', 'tags/energy/archive/4/feed.xml',
    'tags/energy/atom.xml', 'tags/energy/feed.json', 'tags/energy/feed.xml',
    'tags/energy/index.html',
    'tags/energy/page/1/index.html', 'tags/energy/page/2/index.html',
    'tags/index.html',
  ].sort());
  FEEDS.forEach((feed, i) => {
    const after = feedChain(out, `${BASE}${feed}`).slice(1).map((document) => document.text);
    const was = archivesBefore[i]!.map((document) => document.text);
    if (!feed.startsWith('tags/')) {
      assert.equal(after, was, `${feed}: every archive unchanged, byte for byte`);
      return;
    }
    assert.is(after.length, was.length + 1, `${feed}: one new archive`);
    assert.equal(after.slice(2), was.slice(1), `${feed}: the older archives unchanged, byte for byte`);
    const withoutNewLink = after[1]!.replace(/\n *<(?:atom:)?link [^>]*rel="next-archive"[^>]*\/>/, '');
    assert.is(withoutNewLink, was[0]!, `${feed}: the archive before the new one only gains its next-archive link`);
  });

  // an editor corrects the oldest story (Energy, and in the oldest archives)
  const oldest = path.join(content, 'articles', 'story-0.md');
  fs.writeFileSync(oldest, articleSource(0, ' An editor corrected this.'));
  build();
  assert.equal(touched(afterArrival, tree(out)), [
    'archive/1/atom.xml', 'archive/1/feed.json', 'archive/1/feed.xml',
    'articles/story-0/index.html',
    'page/1/index.html',
    'tags/elections/archive/1/atom.xml', 'tags/elections/archive/1/feed.json', 'tags/elections/archive/1/feed.xml',
    'tags/elections/page/1/index.html',
    'tags/energy/archive/1/atom.xml', 'tags/energy/archive/1/feed.json', 'tags/energy/archive/1/feed.xml',
    'tags/energy/page/1/index.html',
  ].sort());
  const corrected = feedChain(out, `${BASE}feed.json`).at(-1)!;
  assert.match(corrected.text, 'An editor corrected this.');
});

/** The URLs a crawler finds from robots.txt: each sitemap named, each sitemap an index names. */
function crawl(out: string) {
  const robots = fs.readFileSync(path.join(out, 'robots.txt'), 'utf8');
  const roots = [...robots.matchAll(/^Sitemap: (\S+)$/gm)].map((match) => match[1]!);
  const urls: string[] = [];
  const files: string[] = [];
  for (const queue = [roots[0]!]; queue.length; ) {
    const url = queue.shift()!;
    files.push(url);
    const document = xml(out, url);
    assert.is(document.documentElement.namespaceURI, 'http://www.sitemaps.org/schemas/sitemap/0.9');
    const locs = [...document.getElementsByTagName('loc')].map((loc) => loc.textContent!);
    if (document.documentElement.localName === 'sitemapindex') queue.push(...locs);
    else urls.push(...locs);
  }
  return { roots, urls, files };
}

test('above sitemapLimit URLs the sitemap is an index of parts of that many, the old parts unchanged by an arrival', () => {
  const { content, out, build } = archiveSite();
  const { roots, urls, files } = crawl(out);
  assert.equal(roots, [`${BASE}sitemap.xml`, `${BASE}sitemap-news.xml`]);
  assert.equal(files, [`${BASE}sitemap.xml`, `${BASE}sitemaps/pages.xml`, `${BASE}sitemaps/1.xml`, `${BASE}sitemaps/2.xml`, `${BASE}sitemaps/3.xml`]);
  const articles = urls.filter((url) => url.includes('/articles/'));
  assert.is(articles.length, COUNT);
  assert.is(new Set(articles).size, COUNT, 'each article once');
  assert.ok(urls.includes(BASE) && urls.includes(`${BASE}tags/energy/`));
  for (const file of files.slice(1)) assert.ok(xml(out, file).getElementsByTagName('url').length <= 10, `${file}: at most sitemapLimit URLs`);
  const oldParts = ['sitemaps/1.xml', 'sitemaps/2.xml'].map((file) => fs.readFileSync(path.join(out, file)));
  fs.writeFileSync(path.join(content, 'articles', 'story-23.md'), articleSource(23));
  build();
  assert.equal(['sitemaps/1.xml', 'sitemaps/2.xml'].map((file) => fs.readFileSync(path.join(out, file))), oldParts);
  assert.is(crawl(out).urls.filter((url) => url.includes('/articles/')).length, COUNT + 1);
});

test('the news sitemap lists the articles of the two days up to the newest one, whatever the clock', () => {
  const { out } = archiveSite();
  const document = xml(out, `${BASE}sitemap-news.xml`);
  const NEWS = 'http://www.google.com/schemas/sitemap-news/0.9';
  const entries = [...document.getElementsByTagName('url')].map((url) => [
    url.getElementsByTagName('loc')[0]!.textContent,
    url.getElementsByTagNameNS(NEWS, 'title')[0]!.textContent,
    url.getElementsByTagNameNS(NEWS, 'publication_date')[0]!.textContent,
    url.getElementsByTagNameNS(NEWS, 'name')[0]!.textContent,
    url.getElementsByTagNameNS(NEWS, 'language')[0]!.textContent,
  ]);
  // newest: story 22 on 23 March 08:00; two days back is 21 March 08:00, story 20, included
  assert.equal(entries, [22, 21, 20].map((i) => [`${BASE}articles/story-${i}/`, `Story ${String(i).padStart(3, '0')}`, `2024-03-${String(i + 1).padStart(2, '0')}T08:00:00Z`, 'The Daily', 'en']));
});

test('pageSize and feedLimit are checked: a whole number from 1 to 100', () => {
  for (const [setting, message] of [['pageSize: 0', /pageSize must be at least 1/], ['feedLimit: 101', /feedLimit must be at most 100/], ['pageSize: 2.5', /pageSize must be a whole number/], ['sitemapLimit: 50001', /sitemapLimit must be at most 50000/]] as const) {
    const content = tempContent({ 'site.yaml': `${setting}\n`, 'articles/a.md': articleSource(0) });
    const run = galley(['--content', content, '--out', path.join(content, '..', `${path.basename(content)}-out`), '--formats', 'html']);
    assert.is.not(run.status, 0, setting);
    assert.match(run.stderr, message, setting);
    assert.match(run.stderr, 'site.yaml', setting);
  }
});

test.run();
