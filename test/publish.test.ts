/**
 * The staging folder on its own: a spare (the retired edition kept in the cache) made over into
 * the next edition must give exactly what an empty staging folder gives, whatever was done to
 * the output folder by hand, and a failure must leave the published edition as it was.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Staging } from '../pipeline/engine/publish.ts';
import { exchange } from '../pipeline/engine/exchange.ts';
import { listing } from './helpers.ts';

/** An output folder, a cache folder and a store of "cached" files to place from. */
function workspace(root = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-publish-'))) {
  const out = path.join(root, 'public', 'dist');
  const cache = path.join(root, 'cache');
  const store = path.join(root, 'store');
  fs.mkdirSync(store, { recursive: true });
  const stored = (name: string, data: string) => {
    const file = path.join(store, name);
    fs.writeFileSync(file, data);
    return file;
  };
  return { root, out, cache, store, stored };
}

/** An edition to stage: bytes to write, or a file to place. */
type Edition = Record<string, { data: string } | { file: string }>;

function stage(staging: Staging, edition: Edition): void {
  for (const [outputPath, output] of Object.entries(edition)) staging.add({ path: outputPath, ...output });
}

async function publish(out: string, cache: string | null, edition: Edition) {
  const staging = Staging.open(out, cache);
  stage(staging, edition);
  const { retired, listing: staged } = await staging.commit();
  await retired;
  return staged;
}

/** Every entry under dir, folders included: path → 'folder', 'link → target' or the sha256 of the file. */
function tree(dir: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name);
    const relative = path.relative(dir, file);
    if (entry.isDirectory()) entries[relative] = 'folder';
    else if (entry.isSymbolicLink()) entries[relative] = `link → ${fs.readlinkSync(file)}`;
    else entries[relative] = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  }
  return entries;
}

/** The spares in a cache folder (each a folder, beside the record of its copies). */
function spares(cache: string): string[] {
  const folder = path.join(cache, 'spare');
  return fs.existsSync(folder) ? fs.readdirSync(folder, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name) : [];
}

function firstEditions(stored: (name: string, data: string) => string): Edition {
  return {
    'index.html': { data: '<h1>Front page</h1>' },
    'style.css': { data: 'body { color: black }' },
    'feed.xml': { file: stored('feed-1.xml', '<rss>1</rss>') },
    'articles/one/index.html': { file: stored('one.html', '<p>One</p>') },
    'articles/one/one.pdf': { file: stored('one.pdf', '%PDF one') },
    'articles/two/index.html': { file: stored('two.html', '<p>Two</p>') },
    'articles/two/two.pdf': { file: stored('two.pdf', '%PDF two') },
    'tags/x/index.html': { data: '<p>Tag x</p>' },
  };
}

test('a spare is made over into exactly what an empty staging folder gives, whatever was done to the output folder', async () => {
  const { root, out, cache, store, stored } = workspace();
  const first = firstEditions(stored);
  await publish(out, cache, first);
  assert.is(spares(cache).length, 1, 'a first edition retires nothing, and leaves a spare: a copy of its own files');
  await publish(out, cache, { ...first, 'index.html': { data: '<h1>Front page, again</h1>' } });
  assert.is(spares(cache).length, 1, 'the retired edition is kept as the spare');

  // by hand, in the published edition (the spare of the build after next)
  const outside = path.join(root, 'outside');
  fs.mkdirSync(outside);
  fs.rmSync(path.join(out, 'articles', 'one', 'one.pdf'));
  fs.writeFileSync(path.join(out, 'articles', 'one', 'one.pdf'), '%PDF replaced by hand');
  fs.appendFileSync(path.join(out, 'style.css'), '/* edited by hand */');
  fs.writeFileSync(path.join(out, 'stray.txt'), 'not from any source');
  fs.mkdirSync(path.join(out, 'extra', 'deep'), { recursive: true });
  fs.writeFileSync(path.join(out, 'extra', 'deep', 'file.txt'), 'nor this');
  fs.writeFileSync(path.join(out, 'articles', 'two', 'notes.txt'), 'notes');
  fs.mkdirSync(path.join(out, 'feed.json'));
  fs.writeFileSync(path.join(out, 'feed.json', 'inside.txt'), 'a folder where a file goes');
  fs.writeFileSync(path.join(out, 'articles', 'three'), 'a file where a folder goes');
  fs.symlinkSync(outside, path.join(out, 'tags', 'y'));
  fs.symlinkSync(path.join(store, 'two.pdf'), path.join(out, 'articles', 'one', 'link.pdf'));

  const storeBefore = tree(store);
  // article two withdrawn, three added, one's page now written rather than placed, new feeds
  const next: Edition = {
    'index.html': { data: '<h1>Front page, third</h1>' },
    'style.css': { data: 'body { color: black }' },
    'feed.xml': { file: stored('feed-2.xml', '<rss>2</rss>') },
    'feed.json': { data: '{"items":[]}' },
    'articles/one/index.html': { data: '<p>One, written</p>' },
    'articles/one/one.pdf': { file: path.join(store, 'one.pdf') },
    'articles/three/index.html': { file: stored('three.html', '<p>Three</p>') },
    'articles/three/three.pdf': { file: stored('three.pdf', '%PDF three') },
    'tags/y/index.html': { data: '<p>Tag y</p>' },
  };
  // the third build makes over the first edition, the fourth the one edited by hand
  const kept = fs.statSync(path.join(out, 'articles', 'one')).ino;
  await publish(out, cache, next);
  const staged = await publish(out, cache, { ...next, 'index.html': { data: '<h1>Front page, fourth</h1>' } });
  assert.is(fs.statSync(path.join(out, 'articles', 'one')).ino, kept, 'the fourth edition is the one edited by hand, made over');

  const reference = workspace();
  await publish(reference.out, null, { ...next, 'index.html': { data: '<h1>Front page, fourth</h1>' } });
  assert.equal(tree(out), tree(reference.out));
  assert.equal(staged, listing(out), 'the listing the staging folder gives is the folder’s');
  assert.equal(tree(outside), {}, 'nothing written through a symbolic link');
  const storeAfter = tree(store);
  for (const [name, hash] of Object.entries(storeBefore)) assert.is(storeAfter[name], hash, `${name}: no cached file written through a link`);
  assert.is.not(fs.statSync(path.join(out, 'articles', 'one', 'one.pdf')).ino, fs.statSync(path.join(store, 'one.pdf')).ino, 'a replaced file is copied again, never linked');
  assert.equal(fs.readdirSync(path.dirname(out)), ['dist'], 'no staging folder left beside the output');
  assert.is(spares(cache).length, 1, 'one spare per output folder');
});

test('a kept file keeps its listing entry, and a file changed since is listed as it is now', async () => {
  const { out, cache, stored } = workspace();
  const first = firstEditions(stored);
  await publish(out, cache, first);
  await publish(out, cache, first);
  const staged = await publish(out, cache, { ...first, 'articles/two/two.pdf': { file: stored('two-b.pdf', '%PDF two, longer') } });
  assert.equal(staged, listing(out));
  assert.equal(Object.keys(staged).sort(), Object.keys(first).sort());
});

test('a failed or interrupted build leaves the published edition as it was, and its staging folder back as the spare: the next build keeps its untouched files, and makes over what the failed one wrote', async () => {
  const { out, cache, stored } = workspace();
  const first = firstEditions(stored);
  await publish(out, cache, first);
  await publish(out, cache, { ...first, 'index.html': { data: '<h1>Second</h1>' } });
  const before = tree(out);
  assert.is(spares(cache).length, 1);
  const spare = path.join(cache, 'spare', spares(cache)[0]!);
  const untouched = fs.statSync(path.join(spare, 'articles/two/index.html')).ino;

  const failing = Staging.open(out, cache);
  assert.is(spares(cache).length, 0, 'the spare is now the staging folder');
  // writes over a kept copy (its own bytes, in its place) before failing
  stage(failing, { 'articles/one/index.html': { data: '<p>Failed</p>' }, 'index.html': { data: '<h1>Third</h1>' }, 'articles/one/one.pdf': { file: path.join(path.dirname(out), 'no-such-file.pdf') } });
  try {
    await failing.commit();
    assert.unreachable('a file that cannot be placed fails the commit');
  } catch (error) {
    assert.instance(error, Error);
  }
  await failing.abort();
  assert.equal(tree(out), before);
  assert.equal(fs.readdirSync(path.dirname(out)), ['dist']);
  assert.equal(spares(cache).length, 1, 'the staging folder is the spare again');
  assert.is(fs.readFileSync(path.join(spare, 'articles/one/index.html'), 'utf8'), '<p>Failed</p>', 'as the failed build left it');

  // the next build: what it would give from nothing, the spare's untouched copy kept, not copied again
  await publish(out, cache, first);
  const reference = workspace();
  await publish(reference.out, null, first);
  assert.equal(tree(out), tree(reference.out));
  assert.is(fs.statSync(path.join(out, 'articles/two/index.html')).ino, untouched, 'the untouched copy was kept');

  // interrupted: the same at once
  const interrupted = Staging.open(out, cache);
  stage(interrupted, { 'index.html': { data: '<h1>Never</h1>' }, 'articles/two/index.html': { data: '<p>Never</p>' } });
  const published = tree(out);
  interrupted.abortNow();
  assert.equal(tree(out), published);
  assert.equal(fs.readdirSync(path.dirname(out)).filter((name) => !name.startsWith('.dist.staging-')), ['dist'], 'nothing beside the output folder but what writes still under way may leave (swept by the next build)');
  assert.equal(spares(cache).length, 1, 'the staging folder is the spare again');
  await new Promise((resolve) => setTimeout(resolve, 100));
  await publish(out, cache, first);
  assert.equal(tree(out), tree(reference.out));
});

test('without a place for a spare the retired edition is deleted', async () => {
  const { out, stored } = workspace();
  const first = firstEditions(stored);
  await publish(out, null, first);
  const staged = await publish(out, null, { ...first, 'index.html': { data: '<h1>Second</h1>' } });
  assert.equal(staged, listing(out));
  assert.equal(fs.readdirSync(path.dirname(out)), ['dist']);
});

// a cache on another file system (tmpfs) cannot take a spare by rename: the retired edition is deleted
const otherDevice = ['/dev/shm'].find((folder) => fs.existsSync(folder) && fs.statSync(folder).dev !== fs.statSync(os.tmpdir()).dev);
test('a cache on another file system keeps no spare', async () => {
  if (!otherDevice) {
    console.log('  (skipped: no second file system beside the temporary folder)');
    return;
  }
  const { out, stored } = workspace();
  const cache = fs.mkdtempSync(path.join(otherDevice, 'galley-cache-'));
  try {
    const first = firstEditions(stored);
    await publish(out, cache, first);
    await publish(out, cache, { ...first, 'index.html': { data: '<h1>Second</h1>' } });
    assert.equal(spares(cache), []);
    assert.equal(fs.readdirSync(path.dirname(out)), ['dist']);
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
});

test('an output staged twice is refused', () => {
  const { out, cache } = workspace();
  const staging = Staging.open(out, cache);
  staging.write('index.html', 'one');
  assert.throws(() => staging.write('./index.html', 'two'), /staged twice/);
  staging.abortNow();
});

test('a reader polling index.html during publishes only ever reads a whole edition, old or new', async () => {
  const { out, cache, stored } = workspace();
  const first = firstEditions(stored);
  // pages long enough that a torn or mixed read would show
  const page = (n: number) => `<h1>Edition ${n}</h1>${'<p>paragraph</p>'.repeat(4000)}<footer>${n}</footer>`;
  await publish(out, cache, { ...first, 'index.html': { data: page(0) } });
  const reader = new Worker(
    `const fs = require('node:fs'); const { parentPort, workerData } = require('node:worker_threads');
     const seen = { reads: 0, missing: 0, bad: [] }; let stop = false;
     parentPort.on('message', () => { stop = true; });
     (function poll() {
       // a bounded loop per turn, so the stop message gets in
       for (let i = 0; i < 200 && !stop; i++) {
         // many cheap looks for a missing page, and now and then a whole read
         for (let look = 0; look < 20; look++) if (!fs.existsSync(workerData)) seen.missing++;
         try { const text = fs.readFileSync(workerData, 'utf8'); seen.reads++;
           const n = /^<h1>Edition (\\d+)<\\/h1>/.exec(text)?.[1];
           if (!n || !text.endsWith('<footer>' + n + '</footer>')) seen.bad.push(text.length);
         } catch (error) { if (error.code === 'ENOENT') seen.missing++; else seen.bad.push(error.code); }
       }
       if (stop) parentPort.postMessage(seen); else setImmediate(poll);
     })();`,
    { eval: true, workerData: path.join(out, 'index.html') },
  );
  for (let n = 1; n <= 20; n++) await publish(out, cache, { ...first, 'index.html': { data: page(n) } });
  const seen = await new Promise<{ reads: number; missing: number; bad: unknown[] }>((resolve) => {
    reader.once('message', resolve);
    reader.postMessage('stop');
  });
  await reader.terminate();
  assert.ok(seen.reads > 20, `the reader read during the publishes (${seen.reads} reads)`);
  assert.equal(seen.bad, [], 'never a partial or mixed page');
  console.log(`  (reader: ${seen.reads} reads during 20 publishes, ${seen.missing} found no index.html)`);
  // where the system can exchange two folders in one step, the page is never missing; elsewhere
  // the swap is two renames with a gap of a fraction of a millisecond ("Limits and guarantees")
  if (exchangeSupported()) assert.is(seen.missing, 0, 'the output path always holds an edition');
  assert.is(fs.readFileSync(path.join(out, 'index.html'), 'utf8'), page(20));
});

test('the output path names a whole edition after every file-system step of a publish', async () => {
  if (!exchangeSupported()) return;
  const { out, cache, stored } = workspace();
  const first = firstEditions(stored);
  await publish(out, cache, { ...first, 'index.html': { data: '<h1>Edition 0</h1>' } });
  // each rename the swap makes is followed by a look at the output path, as a reader would
  const rename = fs.renameSync;
  const seen: string[] = [];
  fs.renameSync = (from: fs.PathLike, to: fs.PathLike) => {
    rename(from, to);
    seen.push(fs.existsSync(path.join(out, 'index.html')) ? fs.readFileSync(path.join(out, 'index.html'), 'utf8') : 'missing');
  };
  try {
    for (let n = 1; n <= 3; n++) await publish(out, cache, { ...first, 'index.html': { data: `<h1>Edition ${n}</h1>` } });
  } finally {
    fs.renameSync = rename;
  }
  assert.equal(seen.filter((page) => page === 'missing'), [], `after each rename: ${JSON.stringify(seen)}`);
  assert.is(fs.readFileSync(path.join(out, 'index.html'), 'utf8'), '<h1>Edition 3</h1>');
});

/** Whether this system swaps two folders in one step (exchange.ts), tried on two throwaway ones. */
function exchangeSupported(): boolean {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-exchange-'));
  fs.mkdirSync(path.join(dir, 'a'));
  fs.writeFileSync(path.join(dir, 'a', 'which'), 'a');
  fs.mkdirSync(path.join(dir, 'b'));
  fs.writeFileSync(path.join(dir, 'b', 'which'), 'b');
  const done = exchange(path.join(dir, 'a'), path.join(dir, 'b'));
  const swapped = fs.readFileSync(path.join(dir, 'a', 'which'), 'utf8') === 'b' && fs.readFileSync(path.join(dir, 'b', 'which'), 'utf8') === 'a';
  fs.rmSync(dir, { recursive: true, force: true });
  assert.is(swapped, done, 'exchange says whether it swapped');
  return done;
}

test('on Linux with Perl (Debian, Ubuntu, CI) two folders are exchanged in one step', () => {
  if (process.platform === 'linux' && ['x64', 'arm64'].includes(process.arch) && spawnSync('perl', ['-v']).status === 0) assert.ok(exchangeSupported());
});

test.run();
