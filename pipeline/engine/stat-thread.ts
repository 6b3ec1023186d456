/**
 * Stats of many files taken on a thread of its own while this thread takes others': a check of
 * a large archive stats every source (~100,000 at 100,000 articles) and, when nothing changed,
 * every file of the edition (~144,000), ~0.7 s and ~1.5 s on one thread. Each caller gives the
 * second thread half of its files, from FILES_ON_TWO_THREADS on.
 */
import { Worker } from 'node:worker_threads';

/** Files from which half of their stats are taken on a second thread (its start costs ~30 ms). */
const FILES_ON_TWO_THREADS = 20_000;

/**
 * What statsOnAThread gives per file, one after another: whether it is a regular file (1, else
 * 0), its size, mtimeMs, ctimeMs and inode; all five NaN for a file that could not be stat'ed
 * (none there, or no access): never equal to any number it is compared with.
 */
export const STAT_FIELDS = 5;

/** What the second thread does (plain JavaScript, run by `new Worker(…, { eval: true })`): lstat of each of `workerData.files`, posted back as STAT_FIELDS numbers each. */
const STAT_THREAD = `
const { parentPort, workerData: { files } } = require('node:worker_threads');
const fs = require('node:fs');
const stamps = new Float64Array(files.length * ${STAT_FIELDS});
for (let index = 0; index < files.length; index++) {
  const at = index * ${STAT_FIELDS};
  let stat;
  try {
    stat = fs.lstatSync(files[index], { throwIfNoEntry: false });
  } catch {
    stat = undefined;
  }
  if (stat === undefined) stamps.fill(NaN, at, at + ${STAT_FIELDS});
  else stamps.set([stat.isFile() ? 1 : 0, stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino], at);
}
parentPort.postMessage(stamps, [stamps.buffer]);
`;

/** Stats being taken on a second thread: `stats` settles with them (null if the thread failed); `stop` ends the thread, done or not. */
export interface StatsOnAThread {
  readonly stats: Promise<Float64Array | null>;
  stop(): void;
}

/**
 * Where the caller's own stats of `files` end (`half`), and the stats of the rest being taken on a
 * second thread (`other`, of the files from `half` on, each at `pathOf` it): from
 * FILES_ON_TWO_THREADS on, half of them; below, none (`half` is all of them, `other` null).
 */
export function secondHalfOnAThread(files: readonly string[], pathOf: (file: string) => string = (file) => file): { readonly half: number; readonly other: StatsOnAThread | null } {
  if (files.length < FILES_ON_TWO_THREADS) return { half: files.length, other: null };
  const half = files.length >> 1;
  return { half, other: statsOnAThread(files.slice(half).map(pathOf)) };
}

/** lstat of each of `files` (absolute paths) on a thread of its own, as STAT_FIELDS numbers a file. */
function statsOnAThread(files: readonly string[]): StatsOnAThread {
  const thread = new Worker(STAT_THREAD, { eval: true, workerData: { files } });
  const stats = new Promise<Float64Array | null>((resolve) => {
    thread.once('message', (answer: unknown) => resolve(answer instanceof Float64Array && answer.length === files.length * STAT_FIELDS ? answer : null));
    thread.once('error', () => resolve(null));
    thread.once('exit', () => resolve(null));
  });
  return { stats, stop: () => void thread.terminate() };
}
