/**
 * Links between outputs: the fast relative path agrees with Node's path.posix.relative on every
 * pair of output paths the site can have, and relative hrefs resolve to the right URL.
 */
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { absoluteUrl, publicPath, relativeHref, relativePath } from '../pipeline/model/urls.ts';
import { OUTPUT_PATHS } from '../pipeline/outputs/registry.ts';

const PATHS = [
  '', 'index.html', 'feed.xml', 'style.css', 'articles', 'articles/a', 'articles/a/', 'articles/ab', 'articles/b/index.html',
  'articles/a/a.pdf', 'tags', 'tags/x', 'tags/x/', 'tags/x/feed.xml', 'a/b/c', 'a/b/', 'articles/a/b/c',
  // not normal: handed to path.posix.relative
  './articles/a', 'articles/../tags/x', 'articles//a', '/abs/olute',
];

test('relativePath is path.posix.relative for every pair of paths', () => {
  for (const from of PATHS.filter((p) => !p.endsWith('/'))) {
    for (const to of PATHS) assert.is(relativePath(from, to), path.posix.relative(from || '.', to || '.'), `${from} → ${to}`);
  }
});

test('relative hrefs between pages resolve to the public URL of their target', () => {
  const base = 'https://example.org/sub/';
  const pages = [OUTPUT_PATHS.index, OUTPUT_PATHS.articlePage('a'), OUTPUT_PATHS.tagPage('economy')];
  const targets = [OUTPUT_PATHS.index, OUTPUT_PATHS.articlePage('a'), OUTPUT_PATHS.articlePage('b'), OUTPUT_PATHS.articlePdf('a'), OUTPUT_PATHS.tagPage('economy'), OUTPUT_PATHS.tagFeed('economy', 'atom'), OUTPUT_PATHS.rss, OUTPUT_PATHS.stylesheet];
  for (const page of pages) {
    const pageUrl = new URL(publicPath(page), base);
    for (const target of targets) assert.is(new URL(relativeHref(page, target), pageUrl).href, new URL(publicPath(target), base).href, `${page} → ${target}`);
  }
});

test('absoluteUrl is what the URL parser resolves, for every output path and base', () => {
  const bases = ['https://example.org/', 'https://example.org/sub/', 'http://localhost:8080/', 'https://xn--bcher-kva.example/a%20b/', 'https://example.org/news/2024/'];
  const paths = [
    ...PATHS,
    OUTPUT_PATHS.articlePage('kim-jong-un-russia'), OUTPUT_PATHS.articlePdf('kim-jong-un-russia'), OUTPUT_PATHS.tagFeed('north-korea', 'json'),
    // not plain: the parser's own answer
    'a b/index.html', 'caf\u00e9/index.html', '..', '.', 'a/./b', 'a/../b', '...', 'a/.../b', '%41/index.html', 'a?b', 'a#b', 'x:y', '~user/', 'a//b',
  ];
  for (const base of bases) {
    for (const outputPath of paths) assert.is(absoluteUrl({ baseUrl: base }, outputPath), new URL(publicPath(outputPath), base).href, `${base} + ${outputPath}`);
  }
});

test.run();
