/**
 * A build's PDF queue (engine/pdf-queue.ts): which articles are read (and their PDFs asked for)
 * first, how far the reading of sources may run ahead of the PDFs it starts; and the pool of PDF
 * workers it renders on (outputs/pdf/pool.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempContent, options, prepare } from './helpers.ts';
import { OutputCache } from '../pipeline/engine/cache.ts';
import { PdfQueue, RENDERS_AHEAD } from '../pipeline/engine/pdf-queue.ts';
import { workerPool } from '../pipeline/outputs/pdf/pool.ts';

/** A source of a few paragraphs, its slug from its number. */
function story(n: number): string {
  const paragraph = `Paragraph of story ${n}, long enough to be set on a few lines of the page, with a word or two more.`;
  return `---\ntitle: "Story number ${n}"\ndate: 2023-09-${String(1 + (n % 28)).padStart(2, '0')}T08:00:00Z\nauthor: "A. Writer"\n---\n\n${[paragraph, paragraph, paragraph].join('\n\n')}\n`;
}

/** The slugs of a content folder's articles in the order a build reads them (and asks for their PDFs), with `cacheDir` as its cache. */
function readingOrder(dir: string, cacheDir: string): string[] {
  const cache = new OutputCache(cacheDir, 'reading-order-test', dir);
  const order: string[] = [];
  prepare(options(dir), { cache, onArticle: (article) => order.push(article.slug) });
  cache.save();
  return order;
}

test('an arrival (raw copy) and an edited source are read, and their PDFs asked for, before the sources the cache holds', () => {
  const dir = tempContent(Object.fromEntries(Array.from({ length: 6 }, (_, n) => [`articles/story-${n}.md`, story(n)])));
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-order-cache-'));
  assert.is(readingOrder(dir, cacheDir).length, 6, 'the first build reads every source');
  const wire = fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'ingest', 'sample-article', 'input.txt'));
  fs.mkdirSync(path.join(dir, 'raw'));
  fs.writeFileSync(path.join(dir, 'raw', 'wire.txt'), wire);
  fs.appendFileSync(path.join(dir, 'articles', 'story-3.md'), '\nA sentence the desk added.\n');
  const order = readingOrder(dir, cacheDir);
  assert.is(order.length, 7, `the edition's seven articles: ${order.join(', ')}`);
  const known = new Set(Array.from({ length: 6 }, (_, n) => `story-${n}`));
  known.delete('story-3');
  const firstKnown = order.findIndex((slug) => known.has(slug));
  assert.is(order.indexOf('story-3'), 0, `the edited source first: ${order.join(', ')}`);
  const arrived = order.findIndex((slug) => !slug.startsWith('story-'));
  assert.ok(arrived > 0 && arrived < firstKnown, `the arrival before every source the cache holds: ${order.join(', ')}`);
});

test('the reading is held once as many renders as RENDERS_AHEAD are under way, and goes on once fewer are', async () => {
  const count = RENDERS_AHEAD + 8;
  const dir = tempContent(Object.fromEntries(Array.from({ length: count }, (_, n) => [`articles/story-${n}.md`, story(n)])));
  const { context, report } = prepare(options(dir));
  assert.ok(context && report.ok, report.diagnostics.format(dir));
  assert.is(report.published.length, count);
  const cache = new OutputCache(fs.mkdtempSync(path.join(os.tmpdir(), 'galley-queue-cache-')), 'pdf-queue-test', dir);
  // told to expect one PDF, the queue renders in this thread (a pool's workers run the compiled
  // bundle, which tests do not load): the renders under way are counted the same
  const queue = new PdfQueue(cache, 1, 'en', null);
  try {
    assert.is(queue.ahead(), null, 'nothing under way: the reading goes on');
    let finished = 0;
    const pdfs = report.published.map((article) =>
      queue.request(article, { site: context.site, articles: [] }).then((pdf) => {
        finished++;
        return pdf;
      }),
    );
    const behind = queue.ahead();
    assert.ok(behind instanceof Promise, `${count} renders under way: the reading waits`);
    await behind;
    assert.is(queue.ahead(), null, `fewer than ${RENDERS_AHEAD} under way once it goes on`);
    // (the PDF whose end let it go on may not have told the test yet)
    assert.ok(finished >= count - RENDERS_AHEAD, `held until the renders under way were fewer (${finished} of ${count} done)`);
    const made = await Promise.all(pdfs);
    assert.ok(made.every((pdf) => pdf.stat.size > 1000 && fs.readFileSync(pdf.file).subarray(0, 5).toString() === '%PDF-'));
    assert.is(queue.ahead(), null, 'all done: the reading goes on');
  } finally {
    await queue.close();
  }
});

test('an idle pool told its language warms its worker up before any job is handed out, below the main thread\'s priority', async () => {
  // one worker, as a rebuild's pool starts (minThreads); it runs outputs/pdf/worker.ts through
  // the test's own loader. Its warm-up waits on the shared stage for the language: it must not
  // wait for a job too (piscina parks an idle worker in a blocking Atomics.wait unless told not to).
  // A thread's nice value is field 19 of its stat in /proc.
  const nice = (task: string) => Number(fs.readFileSync(`/proc/self/task/${task}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
  const mainBefore = process.platform === 'linux' ? nice(String(process.pid)) : 0;
  const pool = workerPool(2);
  try {
    assert.is(pool.warmedUp(), 0, 'no worker warmed up before the language is told');
    pool.warmUpIn('en');
    // not a timing: a worker that cannot warm up before a job never does, and the test fails here
    const deadline = Date.now() + 120_000;
    while (pool.warmedUp() < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.is(pool.warmedUp(), 1, 'the one worker started warmed up with no job handed out');
    if (process.platform === 'linux') {
      // the worker renders below the main thread, which keeps its priority
      assert.is(nice(String(process.pid)), mainBefore, 'the main thread keeps its priority');
      const others = fs.readdirSync('/proc/self/task').filter((task) => task !== String(process.pid)).map(nice);
      assert.ok(others.includes(Math.min(19, mainBefore + 10)), `a thread (the PDF worker) runs 10 below the main thread (nice ${mainBefore}): ${others.join(', ')}`);
    }
  } finally {
    await pool.close();
  }
});

test.run();
