/**
 * An article's body as a build holds it (engine/prepare.ts): parsed from its source when asked
 * for, and let go once the article's own outputs are made. A build can make thousands of pages in
 * one task of the event loop (an edition without PDFs whose pages are not cached): a body held
 * until that task ends would be every body of the edition at once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OutputCache } from '../pipeline/engine/cache.ts';
import { pinBody, releaseBody } from '../pipeline/engine/prepare.ts';
import { options, prepare, tempContent } from './helpers.ts';

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

/** Bytes of the heap in use once the garbage is collected. */
function heapInUse(): number {
  collectGarbage();
  return v8.getHeapStatistics().used_heap_size;
}

/** A long story: ~100 kB of paragraphs with links and emphasis, each one different. */
function story(number: number): string {
  const paragraphs = Array.from({ length: 300 }, (_, n) => `Paragraph ${n} of report ${number}: the *council* met on [day ${n}](https://example.org/${number}/${n}) and said that the harbour works would go on until the spring.`);
  return `---\ntitle: Harbour report ${number}\ndate: 2024-03-01T${String(number % 24).padStart(2, '0')}:00:00Z\n---\n\n${paragraphs.join('\n\n')}\n`;
}

test('bodies read for their articles’ own outputs are let go when released, within the task that read them', () => {
  const count = 40;
  const dir = tempContent(Object.fromEntries(Array.from({ length: count }, (_, n) => [`articles/report-${n}.md`, story(n)])));
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-bodies-cache-'));
  const first = new OutputCache(cacheDir, 'bodies-test', dir);
  prepare(options(dir), { cache: first });
  first.save();
  // a rebuild: every article from the cache, its body parsed only when asked for
  const cache = new OutputCache(cacheDir, 'bodies-test', dir);
  const { report } = prepare(options(dir), { cache });
  assert.is(report.published.length, count);

  // as a build makes each article's page and feed items: the body pinned, read (more than once), released
  const before = heapInUse();
  let blocks = 0;
  for (const article of report.published) {
    pinBody(article);
    blocks += article.body.children.length;
    assert.is(article.body.children.length, 300, 'a pinned body is read once and held while pinned');
    releaseBody(article);
  }
  const afterPages = heapInUse() - before;
  assert.is(blocks, count * 300);

  // the same bodies, all held: what the pages would have kept
  const held = report.published.map((article) => {
    pinBody(article);
    return article.body;
  });
  const allBodies = heapInUse() - before;
  assert.is(held.length, count);
  for (const article of report.published) releaseBody(article);
  assert.ok(allBodies > 10 * 1024 * 1024, `the bodies take ${(allBodies / 1024 / 1024).toFixed(1)} MB`);
  assert.ok(afterPages < allBodies / 10, `${(afterPages / 1024 / 1024).toFixed(1)} MB still held after the pages, of ${(allBodies / 1024 / 1024).toFixed(1)} MB for every body`);
});

test.run();
