/** The real build command in a child process, as the tests of the build engine run it. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as assert from 'uvu/assert';
import { tempContent } from './helpers.ts';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const SAMPLE = fs.readFileSync(path.join(ROOT, 'content', 'raw', 'kim-jong-un-russia-visit.txt'));
export const SECOND = 'Title: Markets rally as inflation cools\nDate: 2024-03-05T14:30:00Z\nAuthor: Jane Doe\nTags: Economy\n\nStocks rose on Tuesday after data showed\ninflation cooling for a third month.\n\nReuters contributed to this report.\n';
export const LAUNCHER = path.join(ROOT, 'pipeline', 'cli', 'launch.mjs');

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Faults the environment injects into a build (see fault-injection.mjs): writes to paths matching `path` fail with `code`. */
export type Faults = readonly { readonly path: string; readonly code: string }[];

/** `npm run build` as the README gives it, minus npm: the launcher with the build's flags. */
export function galley(args: string[], env: Record<string, string> = {}, faults: Faults = []): Run {
  const preload = faults.length ? ['--import', path.join(ROOT, 'test', 'fault-injection.mjs')] : [];
  const result = spawnSync(process.execPath, [...preload, LAUNCHER, 'cli', ...args], {
    cwd: ROOT,
    env: { ...process.env, CI: '1', SOURCE_DATE_EPOCH: '1735689600', ...(faults.length ? { GALLEY_TEST_FAULTS: JSON.stringify(faults) } : {}), ...env },
    encoding: 'utf8',
    // a build that never exits (a worker left running, a FIFO read) fails its test instead of hanging the run
    timeout: 120_000,
  });
  // a build the timeout stopped says so (Node's own SIGTERM handler exits 143 without a word)
  const stopped = result.error ? `\n[test harness: ${result.error.message}${result.signal ? `, ${result.signal}` : ''}]` : '';
  return { status: result.status, stdout: result.stdout, stderr: `${result.stderr}${stopped}` };
}

/** A content folder with the sample and a second article, its own output folder and cache. */
export function site(files: Record<string, string | Uint8Array> = { 'raw/kim.txt': SAMPLE, 'raw/markets.txt': SECOND }) {
  const content = tempContent(files);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-build-'));
  const out = path.join(root, 'public', 'dist');
  const cache = path.join(root, 'cache');
  const build = (extra: string[] = [], env: Record<string, string> = {}, faults: Faults = []) =>
    galley(['--content', content, '--out', out, '--base-url', 'https://example.org/news/', ...extra], { GALLEY_CACHE_DIR: cache, ...env }, faults);
  return { content, root, out, cache, build };
}

/** Relative path → sha256 of every file under dir. */
export function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, file)] = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  }
  return files;
}

/** Every folder under dir. */
export function folders(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((entry) => entry.isDirectory()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name))).sort();
}

/** Asserts that `out` holds the same files, and the same folders, as a clean build of `content` (a cold cache of its own). */
export function assertAsClean(out: string, content: string, root: string): void {
  const clean = fs.mkdtempSync(path.join(root, 'clean-'));
  const run = galley(['--content', content, '--out', path.join(clean, 'dist'), '--base-url', 'https://example.org/news/'], { GALLEY_CACHE_DIR: path.join(clean, 'cache') });
  assert.is(run.status, 0, run.stderr);
  assert.equal(tree(out), tree(path.join(clean, 'dist')));
  assert.equal(folders(out), folders(path.join(clean, 'dist')));
}
