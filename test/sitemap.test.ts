/**
 * robots.txt and the sitemap, as a crawler finds them: robots.txt names the sitemap by its
 * absolute URL, and the sitemap lists the front page, every article page and every topic page
 * by absolute URL, with the date each last changed, from the sources, never the clock.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempContent } from './helpers.ts';
import { galley } from './command.ts';
import type { Article } from '../pipeline/model/article.ts';
import { Diagnostics } from '../pipeline/model/diagnostics.ts';
import { loadSiteSettings, withBaseUrl } from '../pipeline/model/site.ts';
import { DeclaredPdfSizes } from '../pipeline/engine/pdf-sizes.ts';
import { joined, noMemo, outputData, type RenderMemo } from '../pipeline/outputs/edition.ts';
import { SITEMAP_BLOCK, sitemapOutput } from '../pipeline/outputs/web/sitemap.ts';

const BASE = 'https://example.org/news/';
const article = (title: string, date: string, extra = '') => `---\ntitle: ${title}\ndate: ${date}\nauthor: Desk\n${extra}---\n\nText of ${title}.\n`;

function build(files: Record<string, string>, extra: string[] = []) {
  const content = tempContent({ 'site.yaml': 'title: The Daily\n', ...files });
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'galley-sitemap-')), 'dist');
  const run = galley(['--content', content, '--out', out, '--base-url', BASE, ...extra], { GALLEY_CACHE_DIR: path.join(path.dirname(out), 'cache') });
  assert.is(run.status, 0, run.stderr);
  return out;
}

/** The sitemap robots.txt names, read back as a crawler would: [loc, lastmod] of each url. */
function crawl(out: string): { sitemapUrl: string; urls: [string, string | null][] } {
  const robots = fs.readFileSync(path.join(out, 'robots.txt'), 'utf8');
  const sitemapUrl = /^Sitemap: (\S+)$/m.exec(robots)?.[1];
  assert.ok(sitemapUrl, `robots.txt names a sitemap:\n${robots}`);
  assert.ok(sitemapUrl.startsWith(BASE), 'by an absolute URL under the base URL');
  const document = new JSDOM(fs.readFileSync(path.join(out, sitemapUrl.slice(BASE.length))), { contentType: 'application/xml' }).window.document;
  assert.is(document.documentElement.namespaceURI, 'http://www.sitemaps.org/schemas/sitemap/0.9');
  assert.is(document.documentElement.localName, 'urlset');
  const urls = [...document.getElementsByTagName('url')].map((url): [string, string | null] => [url.getElementsByTagName('loc')[0]!.textContent!, url.getElementsByTagName('lastmod')[0]?.textContent ?? null]);
  return { sitemapUrl, urls };
}

test('robots.txt names the sitemap; the sitemap lists every page by absolute URL with its last change', () => {
  const out = build({
    'articles/harbour.md': article('Harbour reopens', '2024-03-01T08:00:00Z', 'updated: 2024-03-04T10:30:00Z\ntags: [Ports, Weather]\n'),
    'articles/budget.md': article('Budget passes & <b>markets</b> rise', '2024-03-02T09:00:00Z', 'tags: [Politics]\n'),
    'articles/draft.md': article('Not yet', '2024-03-03T09:00:00Z', 'draft: true\n'),
  });
  const { urls } = crawl(out);
  assert.equal(urls, [
    [BASE, '2024-03-04T10:30:00Z'],
    [`${BASE}articles/budget/`, '2024-03-02T09:00:00Z'],
    [`${BASE}articles/harbour/`, '2024-03-04T10:30:00Z'],
    [`${BASE}tags/politics/`, '2024-03-02T09:00:00Z'],
    [`${BASE}tags/ports/`, '2024-03-04T10:30:00Z'],
    [`${BASE}tags/weather/`, '2024-03-04T10:30:00Z'],
  ]);
  for (const [url] of urls) {
    const file = path.join(out, url.slice(BASE.length), url.endsWith('/') ? 'index.html' : '');
    assert.ok(fs.existsSync(file), `${url} is a published page`);
  }
});

test('the sitemap is the same bytes whenever it is built from the same sources', () => {
  const files = { 'articles/one.md': article('One', '2024-01-01T00:00:00Z'), 'articles/two.md': article('Two', '2024-01-02T00:00:00Z') };
  const first = fs.readFileSync(path.join(build(files), 'sitemap.xml'));
  const second = fs.readFileSync(path.join(build(files, ['--formats', 'html']), 'sitemap.xml'));
  assert.equal(first, second);
});

test('no web edition, no sitemap: --formats feeds publishes neither robots.txt nor sitemap.xml', () => {
  const out = build({ 'articles/one.md': article('One', '2024-01-01T00:00:00Z') }, ['--formats', 'feeds']);
  assert.not.ok(fs.existsSync(path.join(out, 'robots.txt')));
  assert.not.ok(fs.existsSync(path.join(out, 'sitemap.xml')));
});


/** Articles as the sitemap reads them (slug, dates, language, tags), numbered from the oldest, newest first. */
function archive(count: number, first = 1): Article[] {
  const articles: Article[] = [];
  for (let n = first; n < first + count; n++) {
    const date = new Date(Date.UTC(2020, 0, 1) + n * 3_600_000);
    // the fields the sitemap reads; the rest of an article is not its concern
    articles.push({ slug: `story-${n}`, title: `Story ${n}`, date, updated: date, lang: 'en', tags: [n % 2 ? 'Odd' : 'Even'] } as Partial<Article> as Article);
  }
  return articles.reverse();
}

/** A memo that keeps each block it is given, as the build's cache does, and counts what it had to render. */
function countingMemo() {
  const kept = new Map<string, Uint8Array>();
  let renders = 0;
  const memo: RenderMemo = {
    bytes(kind, inputs, render) {
      const key = JSON.stringify([kind, ...inputs]);
      if (!kept.has(key)) {
        renders++;
        kept.set(key, Buffer.from(render(), 'utf8'));
      }
      return kept.get(key)!;
    },
    output: (path, _kind, _inputs, render) => ({ path, data: joined(render()) }),
  };
  return { memo, renders: () => [renders, (renders = 0)][0]! };
}

test('the sitemap is made in blocks counted from the oldest article: an arrival or a correction renders one block again, and the bytes are those of a sitemap made whole', () => {
  const site = withBaseUrl(loadSiteSettings(tempContent({ 'site.yaml': 'title: The Daily\n' }), new Diagnostics())!, BASE)!;
  const sitemapOf = (articles: readonly Article[], memo: RenderMemo) => {
    const [file] = sitemapOutput.plan({ site, articles, pdfBytes: new DeclaredPdfSizes() }, memo).map((planned) => planned.render());
    assert.is(file!.path, 'sitemap.xml');
    return Buffer.from(outputData(file!)).toString('utf8');
  };
  const { memo, renders } = countingMemo();
  const articles = archive(2 * SITEMAP_BLOCK + 100);
  const whole = sitemapOf(articles, noMemo);
  assert.is(sitemapOf(articles, memo), whole);
  assert.is(renders(), 3, 'three blocks of article URLs');
  const urls = new JSDOM(whole, { contentType: 'application/xml' }).window.document.getElementsByTagName('loc');
  assert.equal(
    [...urls].map((loc) => loc.textContent),
    [BASE, ...articles.map((article) => `${BASE}articles/${article.slug}/`), `${BASE}tags/even/`, `${BASE}tags/odd/`],
    'every page once, in order',
  );
  // one article arrives: only the newest block is made again
  const arrived = [...archive(1, articles.length + 1), ...articles];
  assert.is(sitemapOf(arrived, memo), sitemapOf(arrived, noMemo));
  assert.is(renders(), 1, 'one block made again for an arrival');
  // the oldest article corrected: only the oldest block
  const corrected = arrived.map((article) => (article.slug === 'story-1' ? { ...article, updated: new Date(Date.UTC(2024, 0, 1)) } : article));
  assert.is(sitemapOf(corrected, memo), sitemapOf(corrected, noMemo));
  assert.is(renders(), 1, 'one block made again for a correction');
});

test.run();
