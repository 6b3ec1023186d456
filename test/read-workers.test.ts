/**
 * A web edition's sources read on worker threads (engine/source-readers.ts), with the real
 * command: a build of many sources without PDFs reads them on two threads, and publishes the
 * same bytes, with the same messages, as a build that reads them in one; a source with an error
 * is reported at its line and column and nothing is published.
 */
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SECOND, site, tree } from './command.ts';

const TOPICS = ['Economy', 'Politics', 'Weather', 'Sport', 'Culture'];

/** 140 Markdown sources (tables, notes, links, related items, one unknown field) and three wire stories to ingest. */
function corpus(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let number = 1; number <= 140; number++) {
    const day = String(1 + (number % 28)).padStart(2, '0');
    const hour = String(number % 24).padStart(2, '0');
    const related = number % 10 === 0 ? `related:\n  - Story ${number - 1}\n  - title: The background\n    url: https://example.com/background\n` : '';
    const unknown = number === 77 ? 'mood: upbeat\n' : '';
    const body = [
      `City ${number} — The council met on Monday to discuss item ${number}, officials said.`,
      number % 7 === 0 ? '| Quarter | Change |\n|---|---:|\n| Q1 | +5 % |\n| Q2 | ~12 % |' : `"It's a start," the mayor said -- and the vote passed.`,
      number % 9 === 0 ? 'Tips go to desk@example.org or www.example.org.[^1]\n\n[^1]: The desk reads every message.' : 'A second paragraph closes the story.',
    ].join('\n\n');
    files[`articles/story-${number}.md`] = `---\ntitle: Story ${number}\ndate: 2024-0${1 + (number % 5)}-${day}T${hour}:00:00Z\nauthor: Desk\ntags: [${TOPICS[number % TOPICS.length]}]\n${related}${unknown}---\n\n${body}\n`;
  }
  for (let number = 1; number <= 3; number++) files[`raw/wire-${number}.txt`] = SECOND.replace('Markets rally', `Markets rally ${number}`);
  return files;
}

/** The build's messages, its own timing lines left out, the content folder named alike. */
function messages(stderr: string, content: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line && !line.startsWith('galley timings:'))
    .map((line) => line.replaceAll(content, 'CONTENT'))
    .sort();
}

test('sources read on two threads publish what one thread publishes, with the same messages', () => {
  const files = corpus();
  const two = site(files);
  const one = site(files);
  const onTwo = two.build(['--formats', 'html,feeds', '--timings'], { GALLEY_THREADS: '2' });
  const onOne = one.build(['--formats', 'html,feeds', '--timings'], { GALLEY_THREADS: '1' });
  assert.is(onTwo.status, 0, onTwo.stderr);
  assert.is(onOne.status, 0, onOne.stderr);
  assert.match(onTwo.stderr, /sources read on 2 threads/);
  assert.not.match(onOne.stderr, /sources read on/);
  assert.match(onTwo.stderr, /story-77\.md:\d+:\d+: warning: unknown field "mood" is ignored/);
  assert.equal(messages(onTwo.stderr, two.content), messages(onOne.stderr, one.content));
  const published = tree(two.out);
  assert.ok(Object.keys(published).filter((file) => /^articles\/[^/]+\/index\.html$/.test(file)).length === 143, 'every article has its page');
  assert.equal(published, tree(one.out));
  // the related links resolved in the edition, not in the worker's edition of one article
  const page = fs.readFileSync(path.join(two.out, 'articles', 'story-10', 'index.html'), 'utf8');
  assert.match(page, /href="[^"]*story-9\/"[^>]*>Story 9</);
  assert.match(fs.readFileSync(path.join(two.out, 'articles', 'story-9', 'index.html'), 'utf8'), /href="mailto:desk@example\.org"/);
});

test('a source with an error, read on a worker, is reported at its line and column; nothing is published', () => {
  const files = corpus();
  const build = site(files);
  assert.is(build.build(['--formats', 'html,feeds'], { GALLEY_THREADS: '2' }).status, 0);
  const before = tree(build.out);
  fs.writeFileSync(path.join(build.content, 'articles', 'story-50.md'), '---\ntitle: Story 50\ndate: 2024-02-03T00:00:00Z\ntags: [Economy\n---\n\nBody.\n');
  for (const other of ['story-51.md', 'story-52.md']) fs.appendFileSync(path.join(build.content, 'articles', other), '\nAn added sentence.\n');
  // a cold cache, so that every source is read again on the workers
  fs.rmSync(build.cache, { recursive: true, force: true });
  const failed = build.build(['--formats', 'html,feeds', '--timings'], { GALLEY_THREADS: '2' });
  assert.is(failed.status, 1, failed.stderr);
  assert.match(failed.stderr, /story-50\.md:\d+:\d+: error: /);
  assert.match(failed.stderr, /nothing published/);
  assert.equal(tree(build.out), before);
});


test('an arrival in a large archive of ingested copy is read in the build thread: only raw files not yet claimed count as sources to read', () => {
  const files: Record<string, string> = {};
  for (let number = 1; number <= 110; number++) files[`raw/wire-${number}.txt`] = SECOND.replace('Markets rally', `Markets rally ${number}`);
  const archive = site(files);
  const cold = archive.build(['--formats', 'html,feeds', '--timings'], { GALLEY_THREADS: '2' });
  assert.is(cold.status, 0, cold.stderr);
  assert.match(cold.stderr, /sources read on 2 threads/);
  fs.writeFileSync(path.join(archive.content, 'raw', 'wire-111.txt'), SECOND.replace('Markets rally', 'Markets rally 111'));
  const arrival = archive.build(['--formats', 'html,feeds', '--timings'], { GALLEY_THREADS: '2' });
  assert.is(arrival.status, 0, arrival.stderr);
  assert.not.match(arrival.stderr, /sources read on/);
  assert.ok(fs.existsSync(path.join(archive.out, 'articles')) && Object.keys(tree(archive.out)).filter((file) => /^articles\/[^/]+\/index\.html$/.test(file)).length === 111, 'every article has its page');
});

test.run();
