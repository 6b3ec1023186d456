/**
 * The only writer of the output folder. A new edition is written into a staging folder beside
 * the output folder and swapped in only when complete; on any failure or interruption the
 * staging folder is removed and the previous edition stays exactly as it was.
 *
 * Published files are copies, never links to the cache: nothing done to the output folder (a
 * minifier, `sed -i`, an appended snippet) can reach what a later build publishes.
 *
 * The edition a swap retires is not deleted but kept in the cache as the output folder's
 * *spare*, and the next build makes it over into its staging folder: most of an edition is the
 * same files as the last one, so keeping them is cheaper than copying ~3,000 files into a new
 * folder and deleting ~3,000 old ones. Nothing in a spare is trusted: a file stays only when
 * publishing copied it from the very cached file the new edition places there and it has not
 * been changed since (its inode, size and change time are as recorded then; any write changes
 * the change time); everything else is replaced or removed, so the staged edition is the same
 * file for file as one staged into an empty folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { GalleyError } from '../model/diagnostics.ts';
import { errnoCode, fsFailure, fsReason } from '../model/errors.ts';
import { manifestPath, type FolderStamp, type Listing, type ListingEntry } from './manifest.ts';
import type { FileContent, OutputFile } from '../outputs/edition.ts';
import { writePieces, writeTextFile } from './write-pieces.ts';
import { isRunning } from './processes.ts';
import { exchange } from './exchange.ts';

const STAGING_MARK = '.staging-';
const RETIRED_MARK = '.retired-';
/** The cache's folder of spares, one per output folder (named by the hash of its path). */
const SPARES_FOLDER = 'spare';
const LOCK_MARK = '.lock';

/**
 * The file that marks a folder as an edition Galley published: a build replaces only a folder
 * that is empty, missing or marked (or one the cache knows it published), unless told --force.
 * Plain text, harmless to serve.
 */
export const EDITION_MARK = '.galley-edition';
export const EDITION_MARK_TEXT = 'This folder is an edition published by Galley; the next build replaces it as a whole.\n';

/** Removes staging folders left by builds that were killed outright (SIGKILL, power loss). */
function sweepDebris(parent: string, base: string): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(parent);
  } catch {
    return;
  }
  for (const name of entries) {
    for (const mark of [STAGING_MARK, RETIRED_MARK]) {
      const prefix = `.${base}${mark}`;
      if (!name.startsWith(prefix)) continue;
      const pid = Number(name.slice(prefix.length).split('-')[0]);
      if (Number.isInteger(pid) && pid !== process.pid && !isRunning(pid)) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
    }
  }
}

/**
 * Puts back an edition that a build killed between the two renames of its swap had set aside,
 * then sweeps what killed builds left. Called, under the output's lock, before a build does
 * anything else (even the no-change check), whether it then succeeds or fails: so at most one
 * build after a crash sees no output folder, and none ever sweeps the retired edition away.
 * Returns the edition put back, if any.
 *
 * The swap's two renames are `OUT → .OUT.retired-PID-X`, then `.OUT.staging-PID-X → OUT`. A
 * retired folder of a build no longer running is the previous edition, whole: while OUT is
 * missing it is the only edition there is, and goes back; once OUT is there it is debris.
 */
export function recoverOutput(outDir: string): string | null {
  const parent = path.dirname(outDir);
  const base = path.basename(outDir);
  let restored: string | null = null;
  if (!fs.lstatSync(outDir, { throwIfNoEntry: false })) {
    const prefix = `.${base}${RETIRED_MARK}`;
    let names: string[] = [];
    try {
      names = fs.readdirSync(parent).filter((name) => name.startsWith(prefix) && !isRunning(Number(name.slice(prefix.length).split('-')[0])));
    } catch {
      // no parent yet: nothing to put back
    }
    // one swap at a time (the lock): there is at most one; should there be more, the newest
    const newest = names.map((name) => path.join(parent, name)).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
    if (newest) {
      try {
        fs.renameSync(newest, outDir);
      } catch (error) {
        throw fsFailure('put back the edition a killed build had set aside', newest, error);
      }
      restored = newest;
    }
  }
  sweepDebris(parent, base);
  return restored;
}

/** A build is publishing into the same output folder: this one does not start. */
export class OutputBusy extends Error {}

/** Is `name` (a lock file's content) a process that is running now? */
function holder(file: string): number | null {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * The output folder's lock: one build at a time publishes into it. A file beside the output
 * folder, made with O_EXCL, holding the builder's process id; removed when the build ends (on
 * Ctrl-C too: an exit handler). A lock whose process is gone (kill -9, power loss) is taken
 * over: broken under a second O_EXCL file, so two builds that find it stale cannot both take it.
 */
export class OutputLock {
  readonly #file: string;
  readonly #onExit = () => this.release();

  private constructor(file: string) {
    this.#file = file;
    process.once('exit', this.#onExit);
  }

  /** Takes the lock of `outDir`, or throws OutputBusy naming the build that holds it. */
  static acquire(outDir: string): OutputLock {
    const parent = path.dirname(outDir);
    const file = path.join(parent, `.${path.basename(outDir)}${LOCK_MARK}`);
    try {
      fs.mkdirSync(parent, { recursive: true });
    } catch (error) {
      throw fsFailure('make the folder the output folder goes in', parent, error);
    }
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
        return new OutputLock(file);
      } catch (error) {
        if (errnoCode(error) !== 'EEXIST') throw fsFailure('lock the output folder', file, error);
      }
      const pid = holder(file);
      if (pid !== null && pid !== process.pid && isRunning(pid)) throw new OutputBusy(`another build is publishing ${outDir} (process ${pid}); try again when it has finished`);
      // stale (its build is gone) or being written this instant (no pid yet): broken only when stale
      if (pid !== null || attempt > 2) breakStale(file, pid);
    }
    throw new OutputBusy(`another build is publishing ${outDir}; try again when it has finished`);
  }

  release(): void {
    process.removeListener('exit', this.#onExit);
    if (holder(this.#file) === process.pid) fs.rmSync(this.#file, { force: true });
  }
}

/** Removes a lock whose process is gone, unless another build is removing it (or took it meanwhile). */
function breakStale(file: string, pid: number | null): void {
  const breaker = `${file}.break`;
  try {
    fs.writeFileSync(breaker, `${process.pid}\n`, { flag: 'wx' });
  } catch {
    // another build is breaking it; a breaker left by a build killed in these few instructions goes
    const other = holder(breaker);
    if (other === null || !isRunning(other)) fs.rmSync(breaker, { force: true });
    return;
  }
  try {
    if (holder(file) === pid) fs.rmSync(file, { force: true });
  } finally {
    fs.rmSync(breaker, { force: true });
  }
}

/** What is wrong with `outDir` as an output folder, before anything is built; null when nothing is. */
export interface OutputCheck {
  /** The folder to publish into: `outDir`, or what it links to. */
  readonly outDir: string;
  /** Why it cannot be used, as one line; null when it can. */
  readonly problem: string | null;
}

/**
 * Checks the output path before a build: a symbolic link is followed (the edition is published
 * into the folder it names, the link stays); a dangling link, something not a folder, a mount
 * point (it cannot be renamed: EBUSY) and a folder that holds files but is not an edition (see
 * EDITION_MARK) are refused, the last unless `force`.
 */
export function checkOutputPath(outDir: string, cacheDir: string, force: boolean, shown = outDir): OutputCheck {
  let target = outDir;
  const link = fs.lstatSync(outDir, { throwIfNoEntry: false });
  if (link?.isSymbolicLink()) {
    try {
      target = fs.realpathSync(outDir);
    } catch (error) {
      return { outDir, problem: `the output folder ${shown} is a symbolic link to ${fs.readlinkSync(outDir)}, which ${errnoCode(error) === 'ENOENT' ? 'does not exist' : `cannot be followed: ${fsReason(error)}`}` };
    }
  }
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return { outDir: target, problem: null };
  if (!stat.isDirectory()) return { outDir: target, problem: `the output folder ${shown}${target === outDir ? '' : ` (${target})`} is not a folder` };
  const parent = fs.statSync(path.dirname(target));
  if (parent.dev !== stat.dev || parent.ino === stat.ino) {
    return { outDir: target, problem: `the output folder ${shown} is a mount point: Galley replaces the output folder by renaming it, which a mount point cannot be; publish into a folder inside it (--out ${path.join(shown, 'site')})` };
  }
  if (force || isEdition(target, cacheDir)) return { outDir: target, problem: null };
  let names: string[];
  try {
    names = fs.readdirSync(target);
  } catch (error) {
    return { outDir: target, problem: `the output folder ${shown} cannot be read: ${fsReason(error)}` };
  }
  if (names.length === 0) return { outDir: target, problem: null };
  return { outDir: target, problem: `refusing to replace ${shown}: it holds files and is not an edition Galley published (no ${EDITION_MARK}); choose another --out, or add --force to replace it` };
}

/** Is `dir` an edition Galley published: marked, or (an edition of an older Galley, unmarked) known to the cache as this output's? */
function isEdition(dir: string, cacheDir: string): boolean {
  if (fs.lstatSync(path.join(dir, EDITION_MARK), { throwIfNoEntry: false })?.isFile()) return true;
  const records = recordsOf(path.join(cacheDir, SPARES_FOLDER, spareName(dir)));
  return fs.existsSync(manifestPath(cacheDir, dir)) || fs.existsSync(records.spare) || fs.existsSync(records.published);
}

function spareName(outDir: string): string {
  return createHash('sha256').update(path.resolve(outDir)).digest('hex').slice(0, 32);
}

/**
 * Where the spare of `outDir` is kept, or null when it cannot be: the spare moves in and out by
 * rename, so the cache must be on the output folder's file system (else the retired edition is
 * deleted, as without a spare).
 */
function spareFolder(cacheDir: string, outDir: string): string | null {
  const spares = path.join(cacheDir, SPARES_FOLDER);
  try {
    fs.mkdirSync(spares, { recursive: true });
    if (fs.statSync(spares).dev !== fs.statSync(path.dirname(outDir)).dev) return null;
  } catch {
    return null;
  }
  return path.join(spares, spareName(outDir));
}

/** Removes the spare edition kept for `outDir` and its record (the folder is gone: see cache-sweep.ts). */
export function removeSpare(cacheDir: string, outDir: string): void {
  const spare = path.join(cacheDir, SPARES_FOLDER, spareName(outDir));
  const records = recordsOf(spare);
  for (const file of [spare, records.spare, records.published]) fs.rmSync(file, { recursive: true, force: true });
}

/**
 * Moves the spare to `dir`, a staging name beside the output folder: from then on it is this
 * build's staging folder, removed with it on a failure and swept as debris after a crash, never
 * left half made over where a later build would take it for a spare. False when there is none.
 */
function takeSpare(spare: string, dir: string): boolean {
  try {
    const found = fs.lstatSync(spare, { throwIfNoEntry: false });
    if (!found) return false;
    if (!found.isDirectory()) {
      fs.rmSync(spare, { force: true });
      return false;
    }
    fs.renameSync(spare, dir);
    return true;
  } catch {
    // taken by a build running at the same time, or unusable: this build starts from nothing
    return false;
  }
}

/** A survey of a spare where it is kept (Staging.surveySpare). */
export interface SpareSurvey {
  readonly spare: string;
  readonly found: Promise<Map<string, Found>>;
  readonly done: Promise<void>;
}

/** What a spare held at a path: only a regular file can be kept, and only when it is the file placed there. */
type Found =
  | { readonly kind: 'folder'; readonly stamp: FolderStamp }
  | { readonly kind: 'other' }
  | { readonly kind: 'file'; readonly ino: number; readonly size: number; readonly mtimeMs: number; readonly ctimeMs: number };

const OTHER: Found = { kind: 'other' };

/**
 * What the survey's thread does (plain JavaScript, run by `new Worker(…, { eval: true })`): walks
 * `workerData` (a folder) and posts every entry under it as [path, 0, mtimeMs, ctimeMs, ino] for
 * a folder, [path, 1] for anything but a regular file, [path, 2, ino, size, mtimeMs, ctimeMs]
 * for a file.
 */
const SURVEY_THREAD = `
const { parentPort, workerData: root } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const found = [];
const walk = (folder) => {
  for (const entry of fs.readdirSync(folder ? path.join(root, folder) : root, { withFileTypes: true })) {
    const relative = folder ? folder + '/' + entry.name : entry.name;
    if (entry.isDirectory()) {
      const stat = fs.lstatSync(path.join(root, relative));
      found.push([relative, 0, stat.mtimeMs, stat.ctimeMs, stat.ino]);
      walk(relative);
    } else if (!entry.isFile()) found.push([relative, 1]);
    else {
      const stat = fs.lstatSync(path.join(root, relative));
      found.push(stat.isFile() ? [relative, 2, stat.ino, stat.size, stat.mtimeMs, stat.ctimeMs] : [relative, 1]);
    }
  }
};
walk('');
parentPort.postMessage(found);
`;

type SurveyEntry =
  | readonly [path: string, kind: 0, mtimeMs: number, ctimeMs: number, ino: number]
  | readonly [path: string, kind: 1]
  | readonly [path: string, kind: 2, ino: number, size: number, mtimeMs: number, ctimeMs: number];

/**
 * Every entry under `dir` by its path (POSIX separators), with what a kept file needs: its
 * identity, and its size and time for the edition's listing. Symbolic links are entries, never
 * followed. On a thread of its own, while this one renders: a spare holds thousands of files,
 * and a stat of each through callbacks would cost this thread, the one a rebuild waits on.
 */
function survey(dir: string): Promise<Map<string, Found>> {
  return new Promise((resolve, reject) => {
    const thread = new Worker(SURVEY_THREAD, { eval: true, workerData: dir });
    thread.once('message', (entries: readonly SurveyEntry[]) => {
      const found = new Map<string, Found>();
      for (const entry of entries) {
        if (entry[1] === 2) found.set(entry[0], { kind: 'file', ino: entry[2], size: entry[3], mtimeMs: entry[4], ctimeMs: entry[5] });
        else found.set(entry[0], entry[1] === 0 ? { kind: 'folder', stamp: [entry[2], entry[3], entry[4]] } : OTHER);
      }
      resolve(found);
    });
    thread.once('error', reject);
    thread.once('exit', (code) => reject(new Error(`the survey of ${dir} stopped (exit code ${code})`)));
  });
}

/** fs.stat through its callback (see survey: thousands of these a build). */
function statOf(file: string): Promise<fs.Stats> {
  return new Promise((resolve, reject) => fs.stat(file, (error, stat) => (error ? reject(error) : resolve(stat))));
}

/**
 * A file as publishing copied it, from the cached file `from`, to `at` in the edition: while a
 * file has the inode, size and change time it had just after the copy, it holds the copy's bytes.
 */
type Copied = readonly [ino: number, size: number, ctimeMs: number, from: string, at: string];

/**
 * The files that record the copies of the spare, and of the edition now published, which are
 * the spare's once that edition is retired: each build reads the one and writes the other.
 */
function recordsOf(spare: string): { readonly spare: string; readonly published: string } {
  return { spare: `${spare}.json`, published: `${spare}.published.json` };
}

/** What puts one file into the staging folder, given its path there and what the spare held at it; gives its listing entry. */
type Put = (target: string, found: Found | undefined) => Promise<ListingEntry>;

/** Files going into the staging folder at a time: enough to keep libuv's threads busy. */
const FILES_AT_ONCE = 64;

/** Runs `work` on each item, `atOnce` at a time; after a failure starts no more, and rejects with it once those under way have ended. */
async function inTurn<T>(items: readonly T[], atOnce: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { readonly reason: unknown } | null = null;
  const worker = async () => {
    while (next < items.length && !failure) {
      try {
        await work(items[next++]!);
      } catch (reason) {
        failure ??= { reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(atOnce, items.length) }, worker));
  if (failure) throw (failure as { readonly reason: unknown }).reason;
}

function copiedId(ino: number, size: number, ctimeMs: number): string {
  return `${ino}:${size}:${ctimeMs}`;
}

function readRecords(file: string | null): readonly Copied[] {
  try {
    if (file) {
      const read: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (Array.isArray(read)) return read as Copied[];
    }
  } catch {
    // none yet, or unreadable: nothing in a spare is kept
  }
  return [];
}

/** Writes records of copies (see Copied); a failure leaves none, which only costs copying. */
function writeRecords(file: string, copies: readonly Copied[]): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    // a record at a time: an edition of 100,000 articles has ~28 MB of them, which as one string
    // (and its bytes) would be held at once while the edition is published, a rebuild's busiest moment
    writeTextFile(temporary, (write) => {
      write('[');
      copies.forEach((copy, index) => write(`${index === 0 ? '' : ','}${JSON.stringify(copy)}`));
      write(']');
    });
    fs.renameSync(temporary, file);
  } catch {
    // without records, nothing in the spare is kept: slower, never wrong
    fs.rmSync(temporary, { force: true });
  }
}

/**
 * Removes what the spare held at `target` (a file may be a link to a cached file: never written
 * through). A file goes with one unlink: `rm` looks at it twice first, which is most of what
 * clearing costs this thread when many files are made again.
 */
async function clear(target: string, found: Found): Promise<void> {
  if (found.kind !== 'folder') {
    try {
      return await fs.promises.unlink(target);
    } catch {
      // gone already, or no longer a file: as rm handles it
    }
  }
  return fs.promises.rm(target, { recursive: found.kind === 'folder', force: true });
}

/** Writes `data` at `target`, in place of what the spare held there. */
async function written(data: FileContent, target: string, found: Found | undefined): Promise<ListingEntry> {
  if (found) await clear(target, found);
  if (typeof data === 'string' || data instanceof Uint8Array) await fs.promises.writeFile(target, data, { flag: 'wx' });
  else await writePieces(target, data, 'wx');
  return stamp(await fs.promises.stat(target));
}

/**
 * Copies `file` to `target` in place of what the spare held there (a clone where the file system
 * can share the blocks copy-on-write, else a copy: never a link).
 */
async function copied(file: string, target: string, found: Found | undefined): Promise<fs.Stats> {
  if (found) await clear(target, found);
  await fs.promises.copyFile(file, target, fs.constants.COPYFILE_EXCL | fs.constants.COPYFILE_FICLONE);
  return statOf(target);
}

/** [size, mtime, change time (ms), inode]: an edition file as its listing records it. */
function stamp(stat: { readonly size: number; readonly mtimeMs: number; readonly ctimeMs: number; readonly ino: number }): ListingEntry {
  return [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino];
}

/**
 * An output path that is normal and inside the edition as it stands: segments of letters,
 * digits, `.`, `_` and `-` that start with a letter or digit (so none is `.` or `..`), joined by
 * single slashes. Anything else goes the long way (normalised, then checked).
 */
const PLAIN_OUTPUT_PATH = /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** `path.join(dir, relative)` for a normal relative POSIX path, without normalising again. */
function inside(dir: string, relative: string): string {
  return path.sep === '/' ? `${dir}/${relative}` : path.join(dir, relative);
}

export class Staging {
  readonly #outDir: string;
  readonly #dir: string;
  /** Where the retired edition is kept for the next build; null: it is deleted. */
  readonly #spare: string | null;
  /** Whether the staging folder is the spare, taken (and surveyed) for this build. */
  readonly #takenFromSpare: boolean;
  /** The spare's files as they were copied (see Copied), by inode: an untouched one has the same size and change time still. */
  readonly #copies = new Map<number, Copied>();
  /** The cached file each path of the spare was copied from, as its records say (the survey confirms it, see holdsCopy). */
  readonly #spareCopyOf = new Map<string, string>();
  /** The copies of the new edition, as they go in. */
  readonly #copied: Copied[] = [];
  /** Settles when the survey of the spare is done (at once for a new folder). */
  readonly #surveyed: Promise<void>;
  /** What the staging folder held when this build took it (a spare), by path: known once #surveyed settles; a path is forgotten once the new edition's file is in it (#forgetSpareAt). */
  #found = new Map<string, Found>();
  /** Folders (by path) made or being made: one mkdir per folder, not per file. */
  readonly #folders = new Map<string, Promise<void>>();
  /** Folders this build added an entry to, removed one from, or made: their times are not the survey's. */
  readonly #touched = new Set<string>();
  /** Paths of the new edition's files. */
  readonly #outputs = new Set<string>();
  /** The new edition's listing, filled in as its files go in. */
  readonly #listing: Listing = {};
  /**
   * Files to go in, in order: at most FILES_AT_ONCE at a time (see #queue); `#next` is the first
   * not yet started. Held as a path and a function, not as a chain of promises per file: an
   * edition of 100,000 files queued at once would hold 100,000 chains.
   */
  readonly #waiting: ({ readonly relative: string; readonly put: Put } | undefined)[] = [];
  #next = 0;
  #running = 0;
  /** The first file that failed to go in: no more are started, and commit() throws it. */
  #failure: unknown = null;
  /** Told when no file is going in and none is waiting (or a failure or an abort stopped the rest). */
  #onIdle: (() => void)[] = [];
  /** Removals under way. */
  readonly #pending: Promise<void>[] = [];
  #done = false;

  private constructor(outDir: string, dir: string, spare: string | null, found: Promise<Map<string, Found>> | null) {
    this.#outDir = outDir;
    this.#dir = dir;
    this.#spare = spare;
    this.#takenFromSpare = found !== null;
    const spareCopies = readRecords(spare && recordsOf(spare).spare);
    if (found) {
      for (const copy of spareCopies) {
        this.#copies.set(copy[0], copy);
        // records of an earlier Galley name no path: nothing is known in advance then
        if (typeof copy[4] === 'string') this.#spareCopyOf.set(copy[4], copy[3]);
      }
    }
    this.#surveyed = found
      ? found.then(
          (entries) => {
            this.#found = entries;
          },
          (error: unknown) => {
            throw new GalleyError(`could not read the previous edition kept for reuse (${dir})`, 'publish', dir, undefined, { cause: error });
          },
        )
      : Promise.resolve();
    // a failure is reported through the writes that wait for it; until then it must not go unhandled
    this.#surveyed.catch(() => {});
  }

  /**
   * Opens a staging folder next to `outDir` (same file system, so the swap is a rename): the
   * spare kept in `cacheDir` when there is one, else a new folder. Without `cacheDir` no spare
   * is taken or kept.
   */
  static open(outDir: string, cacheDir: string | null = null, surveyed: SpareSurvey | null = null): Staging {
    const parent = path.dirname(outDir);
    const base = path.basename(outDir);
    try {
      fs.mkdirSync(parent, { recursive: true });
    } catch (error) {
      throw fsFailure('make the folder the output folder goes in', parent, error);
    }
    sweepDebris(parent, base);
    const prefix = path.join(parent, `.${base}${STAGING_MARK}${process.pid}-`);
    const spare = cacheDir ? spareFolder(cacheDir, outDir) : null;
    const dir = `${prefix}${randomBytes(6).toString('hex')}`;
    if (spare && takeSpare(spare, dir)) return new Staging(outDir, dir, spare, surveyed?.spare === spare ? surveyed.found : survey(dir));
    try {
      return new Staging(outDir, fs.mkdtempSync(prefix), spare, null);
    } catch (error) {
      throw fsFailure('make a staging folder beside the output folder', parent, error);
    }
  }

  /**
   * Starts the survey of the spare where it is kept, for `open` to take with it: a rebuild keys
   * every file of the edition, and none goes into the staging folder before the survey says what
   * the spare holds there, so what is keyed meanwhile waits (at 30,000 articles, ~30,000 files
   * for a second and more, long enough for V8 to move them all to its old space). Started before
   * the sources are read, it is done by the time the files are keyed. `done` settles once the
   * walk is over: the spare must not be moved while its survey walks it.
   */
  static surveySpare(outDir: string, cacheDir: string): SpareSurvey | null {
    const spare = spareFolder(cacheDir, outDir);
    if (!spare || !fs.lstatSync(spare, { throwIfNoEntry: false })?.isDirectory()) return null;
    const found = survey(spare);
    return { spare, found, done: found.then(() => {}, () => {}) };
  }

  get dir(): string {
    return this.#dir;
  }

  /** An output path as a path inside the edition (POSIX); refuses anything that would land outside it. */
  #relative(outputPath: string): string {
    // what renderers make (thousands of times a build): plain names, already normal and inside
    if (PLAIN_OUTPUT_PATH.test(outputPath)) return outputPath;
    const normal = path.posix.normalize(outputPath);
    if (!outputPath || path.posix.isAbsolute(outputPath) || normal.startsWith('../') || normal === '..' || outputPath.includes('\0') || outputPath.includes('\\')) {
      throw new GalleyError(`refusing to write ${JSON.stringify(outputPath)}: outside the output folder`, 'publish');
    }
    if (!path.join(this.#dir, normal).startsWith(this.#dir + path.sep)) throw new GalleyError(`refusing to write ${JSON.stringify(outputPath)}: outside the output folder`, 'publish');
    return normal;
  }

  /** Absolute path for an output path; refuses anything that would land outside the edition. */
  resolve(outputPath: string): string {
    return path.join(this.#dir, this.#relative(outputPath));
  }

  /**
   * A folder of the edition, made once the spare's survey says what is there: kept when the
   * spare has that folder, else made (in place of whatever else the spare held there, such as a
   * symbolic link, which is never written through).
   */
  #folder(folder: string): Promise<void> {
    if (folder === '.') return this.#surveyed;
    let made = this.#folders.get(folder);
    if (!made) {
      made = this.#folder(path.posix.dirname(folder)).then(async () => {
        const there = this.#found.get(folder);
        if (there?.kind === 'folder') return;
        const target = path.join(this.#dir, folder);
        this.#touched.add(folder).add(path.posix.dirname(folder));
        if (there) await clear(target, there);
        await fs.promises.mkdir(target);
      });
      this.#folders.set(folder, made);
    }
    return made;
  }

  /**
   * Files go in on libuv's threads, while the build goes on rendering: an edition is thousands
   * of files and folders, too many to make one by one in this thread. `put` gets what the spare
   * held at the path and gives the file's listing entry. `commit` waits for them all; the first
   * failure fails the commit.
   */
  #queue(relative: string, put: Put): void {
    // two outputs at one path is a bug in a renderer, never a choice between them
    if (this.#outputs.has(relative)) throw new Error(`${relative} is staged twice`);
    this.#outputs.add(relative);
    this.#waiting.push({ relative, put });
    this.#start();
  }

  /** Starts waiting files while fewer than FILES_AT_ONCE are going in. */
  #start(): void {
    while (this.#running < FILES_AT_ONCE && this.#next < this.#waiting.length && this.#failure === null && !this.#done) {
      const { relative, put } = this.#waiting[this.#next]!;
      // let go of it: a cold build queues every page at once, and what each holds (its file's
      // facts, its rendering's closure) is garbage once it has started
      this.#waiting[this.#next++] = undefined;
      this.#running++;
      const target = inside(this.#dir, relative);
      // every folder waits for the survey: what the spare holds is known by then
      let found: Found | undefined;
      void this.#folder(path.posix.dirname(relative))
        .then(() => put(target, (found = this.#found.get(relative))))
        .then(
          (entry) => {
            this.#listing[relative] = entry;
            this.#forgetSpareAt(relative, found);
          },
          (error: unknown) => {
            this.#failure ??= fsFailure('write this file of the new edition', target, error);
          },
        )
        .finally(() => {
          this.#running--;
          this.#start();
        });
    }
    if (this.#next === this.#waiting.length) {
      // all started: the list starts afresh
      this.#waiting.length = 0;
      this.#next = 0;
    }
    if (this.#running === 0 && (this.#waiting.length === 0 || this.#failure !== null || this.#done)) for (const idle of this.#onIdle.splice(0)) idle();
  }

  /**
   * Forgets what the spare held at `relative`, once the new edition's file is in its place:
   * nothing asks for it again (an edition has one file a path; the leftovers commit removes are
   * the paths it has no file at), and a large edition's survey and records (a path, a file's
   * facts and a copy's record for each of its files) were otherwise held to the end of the build.
   */
  #forgetSpareAt(relative: string, found: Found | undefined): void {
    this.#spareCopyOf.delete(relative);
    if (found === undefined) return;
    this.#found.delete(relative);
    if (found.kind === 'file') this.#copies.delete(found.ino);
  }

  /** Settles once every queued file is in (or the rest were stopped by a failure or an abort). */
  #idle(): Promise<void> {
    return new Promise((resolve) => {
      this.#onIdle.push(resolve);
      this.#start();
    });
  }

  /** Writes bytes into the edition (whatever the spare held there is removed first). */
  write(outputPath: string, data: FileContent): void {
    this.add({ path: outputPath, data });
  }

  /**
   * Puts a copy of an existing file (a cached PDF) into the edition: kept when the spare already
   * has an untouched copy of that very file there, else copied.
   */
  place(outputPath: string, file: string, stat?: { readonly size: number }, written?: Promise<void>): void {
    this.add({ path: outputPath, file, stat, written });
  }

  /**
   * Adds an output: its bytes written, or its cached file copied (kept when the spare has an
   * untouched copy of it). An output the cache did not look up, because the spare holds a copy
   * of it (holdsCopy), is that copy once the survey confirms it untouched, else what its
   * `otherwise` gives then (the cached file, or the output made anew).
   */
  add(output: OutputFile): void {
    const relative = this.#relative(output.path);
    this.#queue(relative, (target, found) => {
      if (!('otherwise' in output)) return this.#putIn(output, relative, target, found);
      if (this.#isCopyOf(found, output.file)) return Promise.resolve(this.#kept(found, output.file, relative));
      const made = output.otherwise();
      if ('otherwise' in made) throw new Error(`${relative}: a copy the spare was to hold, twice`);
      return this.#putIn(made, relative, target, found);
    });
  }

  async #putIn(output: Exclude<OutputFile, { readonly otherwise: unknown }>, relative: string, target: string, found: Found | undefined): Promise<ListingEntry> {
    if ('data' in output) {
      this.#touched.add(path.posix.dirname(relative));
      return written(output.data, target, found);
    }
    // the file is there once it is written, when that is still under way; a missing one fails the commit
    if (output.written) await output.written;
    if (this.#isCopyOf(found, output.file)) return this.#kept(found, output.file, relative);
    if (!output.stat && !output.written) await statOf(output.file);
    this.#touched.add(path.posix.dirname(relative));
    return this.#kept(await copied(output.file, target, found), output.file, relative);
  }

  /** Whether what the spare held at a path is an untouched copy of the cached `file`. */
  #isCopyOf(found: Found | undefined, file: string): found is Found & { readonly kind: 'file' } {
    if (found?.kind !== 'file') return false;
    const copy = this.#copies.get(found.ino);
    return copy !== undefined && copy[1] === found.size && copy[2] === found.ctimeMs && copy[3] === file;
  }

  #kept(copy: { readonly ino: number; readonly size: number; readonly mtimeMs: number; readonly ctimeMs: number }, file: string, relative: string): ListingEntry {
    this.#copied.push([copy.ino, copy.size, copy.ctimeMs, file, relative]);
    return stamp(copy);
  }

  /**
   * Whether the spare, by its records, holds a copy of the cached `file` at `outputPath`: then
   * the cache need not be asked for the file at all (a stat and a record read per file,
   * thousands a build; see OutputCache.hasCopy). Only a hint: the survey decides (add).
   */
  holdsCopy(outputPath: string, file: string): boolean {
    return this.#spareCopyOf.get(this.#relative(outputPath)) === file;
  }

  /**
   * A folder's stamp as the survey found it in the spare, when this build made no change in it
   * (it is the same now that it is published: a folder's times move only when an entry is
   * added, removed or renamed in it); undefined for the others, and for the edition's own folder,
   * which publishing renames. For the record of the edition: a stat per folder saved.
   */
  unchangedFolder(folder: string): FolderStamp | undefined {
    if (folder === '' || this.#touched.has(folder)) return undefined;
    const there = this.#found.get(folder);
    return there?.kind === 'folder' ? there.stamp : undefined;
  }

  /** The files the edition's copies were made from (cached files): known once it is committed. */
  copiedFrom(): string[] {
    return this.#copied.map(([, , , file]) => file);
  }

  /**
   * Removes what the spare held that the new edition does not: each such entry in a folder the
   * edition keeps goes with everything under it. After the writes, so the folders are known.
   */
  async #removeLeftovers(): Promise<void> {
    await this.#surveyed;
    const leftovers: (readonly [string, Found])[] = [];
    for (const [relative, there] of this.#found) {
      if (this.#outputs.has(relative) || this.#folders.has(relative)) continue;
      const folder = path.posix.dirname(relative);
      if (folder !== '.' && !this.#folders.has(folder)) continue;
      leftovers.push([relative, there]);
      this.#touched.add(folder);
    }
    const removals = inTurn(leftovers, FILES_AT_ONCE, ([relative, there]) => clear(path.join(this.#dir, relative), there));
    // an abort waits for them too; a failure is reported by commit()
    removals.catch(() => {});
    this.#pending.push(removals);
    await removals;
  }

  /**
   * Swaps the staged edition in, once every file is in place: the old one is renamed aside,
   * then kept as the next build's spare (a rename), or, without a place for a spare, removed.
   * The swap is done when the returned promise settles; a removal runs on libuv's threads while
   * the build finishes its bookkeeping, and `retired` settles when the old edition is put away: await it before the
   * process ends, so no debris stays. `listing` is the new edition's, as a walk of the
   * output folder would find it.
   */
  async commit(): Promise<{ readonly retired: Promise<void>; readonly listing: Listing }> {
    if (this.#done) return { retired: Promise.resolve(), listing: this.#listing };
    await this.#idle();
    if (this.#failure !== null) throw this.#failure;
    try {
      await this.#removeLeftovers();
      // readable by a web server running as another user, whatever made the folder (mkdtemp: 0700)
      fs.chmodSync(this.#dir, 0o755);
    } catch (error) {
      throw fsFailure('clear the previous edition kept for reuse', this.#dir, error);
    }
    const parent = path.dirname(this.#outDir);
    const retired = `${path.join(parent, `.${path.basename(this.#outDir)}${RETIRED_MARK}`)}${path.basename(this.#dir).split(STAGING_MARK)[1]}`;
    // The swap: one exchange of the two folders where the system can (exchange.ts), so the
    // output path always holds a whole edition; else two renames, with the path missing between
    // them for a fraction of a millisecond. A build killed between the two renames leaves the
    // previous edition whole under the retired name, and the next build puts it back before
    // anything else (recoverOutput); one killed after an exchange leaves the new edition
    // published and the previous one under the staging name, swept as debris.
    let hadPrevious = false;
    if (fs.lstatSync(this.#outDir, { throwIfNoEntry: false })) {
      hadPrevious = true;
      if (exchange(this.#dir, this.#outDir)) {
        this.#done = true;
        try {
          fs.renameSync(this.#dir, retired);
        } catch {
          // the previous edition stays under the staging name, swept by the next build
          return { retired: fs.promises.rm(this.#dir, { recursive: true, force: true }), listing: this.#listing };
        }
        return { retired: this.#retire(retired), listing: this.#listing };
      }
      try {
        fs.renameSync(this.#outDir, retired);
      } catch (error) {
        throw fsFailure('set the previous edition aside to publish the new one', this.#outDir, error);
      }
    }
    try {
      fs.renameSync(this.#dir, this.#outDir);
    } catch (error) {
      try {
        if (hadPrevious) fs.renameSync(retired, this.#outDir);
      } catch {
        // the next build puts it back (recoverOutput)
      }
      throw fsFailure('publish the new edition', this.#outDir, error);
    }
    this.#done = true;
    return { retired: hadPrevious ? this.#retire(retired) : this.#seedSpare(), listing: this.#listing };
  }

  /** Notes the copies of the edition now published. */
  #notePublished(): void {
    if (this.#spare) writeRecords(recordsOf(this.#spare).published, this.#copied);
  }

  /**
   * A first edition (no previous one to retire) leaves a spare too: a copy of its files, so the
   * next build makes over that copy instead of copying ~3,000 files anew, as every later build
   * does. Made beside the output folder under a staging name (a build killed meanwhile leaves
   * debris that the next one sweeps), then moved to the spare's place. It only saves work: any
   * failure just leaves no spare.
   */
  async #seedSpare(): Promise<void> {
    const spare = this.#spare;
    if (!spare) return;
    fs.rmSync(recordsOf(spare).spare, { force: true });
    this.#notePublished();
    const seed = `${this.#dir}-seed`;
    try {
      const folders = new Set<string>();
      for (const file of Object.keys(this.#listing)) {
        for (let folder = path.posix.dirname(file); folder !== '.' && !folders.has(folder); folder = path.posix.dirname(folder)) folders.add(folder);
      }
      fs.mkdirSync(seed);
      // parents before children: sorted, a folder comes before anything inside it
      for (const folder of [...folders].sort()) fs.mkdirSync(inside(seed, folder));
      const published = new Map(this.#copied.map(([ino, size, ctimeMs, from]) => [copiedId(ino, size, ctimeMs), from]));
      const seedCopies: Copied[] = [];
      await inTurn(Object.entries(this.#listing), FILES_AT_ONCE, async ([file, [size, , ctimeMs, ino]]) => {
        const from = published.get(copiedId(ino, size, ctimeMs));
        if (from === undefined) return;
        const copy = await copied(from, inside(seed, file), undefined);
        seedCopies.push([copy.ino, copy.size, copy.ctimeMs, from, file]);
      });
      fs.renameSync(seed, spare);
      writeRecords(recordsOf(spare).spare, seedCopies);
    } catch {
      await fs.promises.rm(seed, { recursive: true, force: true });
    }
  }

  /** Keeps the retired edition as the spare; when that cannot be (a build at the same time kept one first), removes it. */
  #retire(retired: string): Promise<void> {
    if (this.#spare) {
      try {
        fs.renameSync(retired, this.#spare);
      } catch {
        return fs.promises.rm(retired, { recursive: true, force: true });
      }
      // the retired edition's records are the spare's now
      const records = recordsOf(this.#spare);
      try {
        fs.renameSync(records.published, records.spare);
      } catch {
        fs.rmSync(records.spare, { force: true });
      }
      this.#notePublished();
      return Promise.resolve();
    }
    return fs.promises.rm(retired, { recursive: true, force: true });
  }

  /**
   * Throws the staged edition away, once the writes under way have ended; the previous one is
   * untouched. A staging folder that was the spare goes back to being it (#putBack).
   */
  async abort(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    await Promise.allSettled([this.#surveyed, this.#idle(), ...this.#pending]);
    if (!this.#putBack()) fs.rmSync(this.#dir, { recursive: true, force: true });
  }

  /**
   * The same, at once, for a process about to exit (Ctrl-C): a write still under way may keep
   * the folder from going, and then the next build sweeps it (its owner is no longer running).
   */
  abortNow(): void {
    if (this.#done) return;
    this.#done = true;
    if (this.#putBack()) return;
    try {
      fs.rmSync(this.#dir, { recursive: true, force: true });
    } catch {
      // left for sweepDebris
    }
  }

  /**
   * Puts a staging folder taken from the spare back in the spare's place, whatever this build did
   * to it: the next build surveys it as it does any spare, and keeps a file only where the spare's
   * records vouch for it (an untouched copy: the same inode, size and change time), so nothing this
   * build wrote there, whole or in part, is taken for a copy. Removing it instead took ~40 s at
   * 100,000 articles, and the next build then copied every file of the edition anew.
   */
  #putBack(): boolean {
    if (!this.#takenFromSpare || !this.#spare) return false;
    try {
      fs.renameSync(this.#dir, this.#spare);
      return true;
    } catch {
      return false;
    }
  }
}
