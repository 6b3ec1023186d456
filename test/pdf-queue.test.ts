/**
 * A build's PDF queue (engine/pdf-queue.ts): how far the reading of sources may run ahead of
 * the PDFs it starts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempContent, options, prepare } from './helpers.ts';
import { OutputCache } from '../pipeline/engine/cache.ts';
import { PdfQueue, RENDERS_AHEAD } from '../pipeline/engine/pdf-queue.ts';

/** A source of a few paragraphs, its slug from its number. */
function story(n: number): string {
  const paragraph = `Paragraph of story ${n}, long enough to be set on a few lines of the page, with a word or two more.`;
  return `---\ntitle: "Story number ${n}"\ndate: 2023-09-${String(1 + (n % 28)).padStart(2, '0')}T08:00:00Z\nauthor: "A. Writer"\n---\n\n${[paragraph, paragraph, paragraph].join('\n\n')}\n`;
}

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

test.run();
