/**
 * The cache does not grow for good: a sweep (once a day, or --sweep-cache) removes the cached
 * files no output folder's edition uses, forgets output folders that are gone, and keeps every
 * file an edition still uses, so a later build reuses them all. Run with the real command.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { galley, site, tree } from './command.ts';

/** Every cached file (KIND/XX/KEY, as cache.ts names them; not the launcher's bin/) → its sha256, inode and mtime. */
function cachedFiles(cache: string): Map<string, { sha256: string; ino: number; mtimeMs: number }> {
  const files = new Map<string, { sha256: string; ino: number; mtimeMs: number }>();
  for (const entry of fs.readdirSync(cache, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name);
    const relative = path.relative(cache, file).split(path.sep).join('/');
    if (!entry.isFile() || relative.startsWith('bin/') || !/^[a-z-]+\/[0-9a-f]{2}\/[0-9a-f]{64}$/.test(relative)) continue;
    const stat = fs.statSync(file);
    files.set(relative, { sha256: createHash('sha256').update(fs.readFileSync(file)).digest('hex'), ino: stat.ino, mtimeMs: stat.mtimeMs });
  }
  return files;
}

const hashes = (files: Record<string, string>) => new Set(Object.values(files));

test('a sweep removes the cached files no edition uses, forgets output folders that are gone, and keeps the rest', () => {
  const { content, root, out, cache, build } = site();
  // A and B are published from the same sources (B at another address); C is made, then deleted
  const other = (dir: string, baseUrl: string, extra: string[] = []) => galley(['--content', content, '--out', path.join(root, dir), '--base-url', baseUrl, ...extra], { GALLEY_CACHE_DIR: cache });
  let run = build();
  assert.is(run.status, 0, run.stderr);
  // the first build sweeps an empty cache, and says nothing of it
  assert.not.match(run.stdout, /cache swept/);
  run = other('b', 'https://example.org/b/');
  assert.is(run.status, 0, run.stderr);
  run = other('c', 'https://example.org/c/');
  assert.is(run.status, 0, run.stderr);
  const onlyC = new Set([...hashes(tree(path.join(root, 'c')))].filter((hash) => !hashes(tree(out)).has(hash) && !hashes(tree(path.join(root, 'b'))).has(hash)));
  assert.ok(onlyC.size > 5, 'C has pages, feeds and PDFs of its own');
  fs.rmSync(path.join(root, 'c'), { recursive: true });
  const spareNames = () => fs.readdirSync(path.join(cache, 'spare'));
  // a spare and its records are named by their output folder's path
  const ofC = createHash('sha256').update(path.join(root, 'c')).digest('hex').slice(0, 32);
  const spares = spareNames();
  assert.ok(spares.filter((name) => name.startsWith(ofC)).length >= 2, 'C has a spare, and records of it');
  // a file of another Galley (another fingerprint), and files of other shapes, which are not the sweep's
  const otherEngine = path.join(cache, 'article-page', 'ab', `ab${'0'.repeat(62)}`);
  fs.mkdirSync(path.dirname(otherEngine), { recursive: true });
  fs.writeFileSync(otherEngine, '<p>made by another Galley</p>');
  const notCached = [path.join(cache, 'article-page', 'ab', 'notes.txt'), path.join(cache, 'bin', 'ab', `ab${'1'.repeat(62)}`)];
  for (const file of notCached) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'not a cached file');
  }

  // an edit: the article's old page and PDF, and the old lists, are no longer A's
  const source = fs.readdirSync(path.join(content, 'articles')).find((name) => name.startsWith('markets'))!;
  fs.appendFileSync(path.join(content, 'articles', source), '\nTraders said the rally could go on.\n');
  run = build();
  assert.is(run.status, 0, run.stderr);
  // swept a moment ago (by the first build): not again
  assert.not.match(run.stdout, /cache swept/);
  assert.ok(fs.existsSync(otherEngine));
  const b = tree(path.join(root, 'b'));
  const beforeSweep = cachedFiles(cache);
  const bInCache = [...hashes(b)].filter((hash) => [...beforeSweep.values()].some((file) => file.sha256 === hash)).length;
  const published = tree(out);

  run = build(['--sweep-cache']);
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stdout, /nothing changed/);
  const said = /galley: cache swept: (\d+) files? no edition uses removed \([\d.]+ MB\), and the records of 1 output folder that no longer exist\n/.exec(run.stdout);
  assert.ok(said, run.stdout);
  const afterSweep = cachedFiles(cache);
  assert.is(Number(said![1]), beforeSweep.size - afterSweep.size);
  // what is left is what A and B publish, every file of theirs that was in the cache still is, C's are gone
  const kept = new Set([...hashes(tree(out)), ...hashes(b)]);
  for (const [file, { sha256 }] of afterSweep) assert.ok(kept.has(sha256), `${file} is used by no edition`);
  assert.is([...hashes(b)].filter((hash) => [...afterSweep.values()].some((file) => file.sha256 === hash)).length, bInCache);
  for (const hash of onlyC) assert.not.ok([...afterSweep.values()].some((file) => file.sha256 === hash));
  assert.not.ok(fs.existsSync(otherEngine));
  for (const file of notCached) assert.ok(fs.existsSync(file), file);
  // C's spare edition and its record are gone
  assert.equal(spareNames(), spares.filter((name) => !name.startsWith(ofC)));
  assert.equal(tree(out), published);

  // everything A uses was kept: an empty output folder is filled from the cache, nothing made again
  fs.rmSync(out, { recursive: true });
  run = build();
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stdout, /0 PDFs rendered, 2 unchanged/);
  assert.equal(tree(out), published);
  const afterRebuild = cachedFiles(cache);
  for (const [file, seen] of afterSweep) assert.equal(afterRebuild.get(file), seen, `${file} was made again`);
});

test('a build sweeps by itself once a day, and never while another build uses the cache', () => {
  const { cache, build } = site();
  let run = build(['--formats', 'html,feeds']);
  assert.is(run.status, 0, run.stderr);
  const otherEngine = path.join(cache, 'article-page', 'cd', `cd${'0'.repeat(62)}`);
  fs.mkdirSync(path.dirname(otherEngine), { recursive: true });
  fs.writeFileSync(otherEngine, '<p>made by another Galley</p>');

  // another build is running (this test's own process holds a temporary folder in the cache)
  fs.mkdirSync(path.join(cache, 'tmp', String(process.pid)), { recursive: true });
  run = build(['--formats', 'html,feeds', '--sweep-cache']);
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stdout, /cache swept: 0 files .*\(stopped: another build is using the cache/);
  assert.ok(fs.existsSync(otherEngine));
  fs.rmSync(path.join(cache, 'tmp', String(process.pid)), { recursive: true });

  // the last sweep was more than a day ago: the next build sweeps, unasked
  const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000);
  fs.utimesSync(path.join(cache, 'swept'), dayAgo, dayAgo);
  run = build(['--formats', 'html,feeds']);
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stdout, /galley: cache swept: 1 file no edition uses removed/);
  assert.not.ok(fs.existsSync(otherEngine));
});

test.run();
