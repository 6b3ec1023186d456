/**
 * The content-hash cache: an output is stored under the hash of everything it depends on (the
 * source bytes, the site settings, its URL, Galley's fingerprint), so a rebuild reuses it
 * exactly when a fresh render would give the same bytes, and never otherwise.
 *
 * PDFs, pages and feeds are files, copied into each edition (never linked: nothing done to a
 * published file may reach the cache). Each such entry has a record (its size, its SHA-256, and
 * the inode and change time it had when that was last checked): an entry whose inode or change
 * time is not as recorded has been touched since, and is used only if its bytes still hash as
 * recorded; one that does not, or that has no record, is removed and made again, never
 * published. Everything small lives in
 * two packs per content folder (thousands of small files cost more in open/mkdir than the
 * renders they save): one of values (parsed articles), read as the build reads its sources, and
 * one of fragments (teasers, feed items; nine tenths of the bytes), only needed once the pages
 * that list articles are made, so opened on another thread meanwhile, and read record by record
 * (see pack.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { createHash } from 'node:crypto';
import type { FileContent, OutputFile, RenderMemo } from '../outputs/edition.ts';
import { sha256Hex, sha256Of } from './digest.ts';
import { encode, Pack } from './pack.ts';
import { writePieces } from './write-pieces.ts';
import { fsFailure } from '../model/errors.ts';
import { isRunning } from './processes.ts';
import { editionUses } from './edition-uses.ts';

/**
 * Where a build writes what it is about to move into the cache: `tmp/PID/`, one folder per
 * process, so what a killed build leaves is one folder that the next build removes (its process
 * is gone) without searching the cache for it.
 */
const TEMPORARY_FOLDER = 'tmp';
/** Folders of the cache written by write-then-rename beside the file (`NAME.PID.tmp`), swept likewise. */
const FLAT_FOLDERS = ['packs', 'sources', 'editions', 'spare'];

/**
 * Removes the temporary files of builds no longer running (killed, or failed before they could
 * clean up): six readdirs, none of the cache's thousands of entries; the removals run on
 * libuv's threads. Nothing here may fail a build.
 */
export function sweepTemporaries(cacheDir: string): void {
  const remove = (file: string) => fs.rm(file, { recursive: true, force: true }, () => {});
  const temporaries = path.join(cacheDir, TEMPORARY_FOLDER);
  for (const [name, running] of otherProcessFolders(cacheDir)) if (!running) remove(path.join(temporaries, name));
  for (const folder of FLAT_FOLDERS) {
    for (const name of readNames(path.join(cacheDir, folder))) {
      const pid = /\.(\d+)\.tmp$/.exec(name)?.[1];
      if (pid && Number(pid) !== process.pid && !isRunning(Number(pid))) remove(path.join(cacheDir, folder, name));
    }
  }
}

/** Whether a Galley process other than this one is using the cache (it has a temporary folder, see TEMPORARY_FOLDER). */
export function otherBuildsRunning(cacheDir: string): boolean {
  return otherProcessFolders(cacheDir).some(([, running]) => running);
}

/** The temporary folders of other processes (named by their pids), each with whether its process still runs. */
function otherProcessFolders(cacheDir: string): [name: string, running: boolean][] {
  return readNames(path.join(cacheDir, TEMPORARY_FOLDER))
    .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
    .map((name) => [name, isRunning(Number(name))]);
}

/** The names in `folder`; none when it cannot be read. */
export function readNames(folder: string): string[] {
  try {
    return fs.readdirSync(folder);
  } catch {
    return [];
  }
}

/**
 * What the cache knows of one of its files: how big it is and what it hashes to, and the inode
 * and change time at which that was last seen to be true (any write to a file changes its change
 * time, so a file that still has both is unchanged since and need not be read to be trusted).
 */
interface EntryRecord {
  readonly size: number;
  readonly sha256: string;
  readonly ino: number;
  readonly ctimeMs: number;
  /** What the renderer warned of when it made the file (a PDF's missing glyphs), told again when it is reused. */
  readonly warnings: readonly string[];
}

/** A cached file that is known good: its path, its stat, and what its renderer warned of. */
export interface CachedFile {
  readonly file: string;
  readonly stat: fs.Stats;
  readonly warnings: readonly string[];
}

export class OutputCache implements RenderMemo {
  readonly #dir: string;
  readonly #fingerprint: string;
  /** Folders known to exist: one mkdir per folder, not per write (slow file systems). */
  readonly #folders = new Set<string>();
  /** Temporary files handed out so far: each one's name is new. */
  #temporaries = 0;
  /** This process's folder of temporary files (see TEMPORARY_FOLDER), made when first needed. */
  readonly #temporaryFolder: string;
  /** Parsed articles (value, store) and the records of cached files. */
  readonly #values: Pack;
  /** Told of each cached file found damaged (then removed, to be made again). */
  onDamaged: (file: string) => void = () => {};
  /** Teasers and feed items (bytes). */
  readonly #fragments: Pack;

  /** `packName` names the packs (one pair per content folder); without it, small outputs are not kept. */
  constructor(dir: string, fingerprint: string, packName: string | null = null) {
    this.#dir = path.resolve(dir);
    this.#fingerprint = fingerprint;
    this.#temporaryFolder = path.join(this.#dir, TEMPORARY_FOLDER, String(process.pid));
    const packBase = packName ? path.join(dir, 'packs', createHash('sha256').update(packName).digest('hex').slice(0, 32)) : null;
    // which Galley (and which Node, whose serialiser wrote the values) made a pack: a pack of another one holds nothing this one can use
    const header = Buffer.from(`galley pack 5 ${fingerprint} ${process.version}\n`);
    const onDamaged = (file: string) => this.onDamaged(file);
    const temporaryFolder = this.#temporaryFolder;
    // a build reads nearly every parsed article, and few of the fragments (those of the lists it makes again)
    this.#values = new Pack(packBase && `${packBase}.values.pack`, header, { whole: true, temporaryFolder, onDamaged });
    this.#fragments = new Pack(packBase && `${packBase}.fragments.pack`, header, { whole: false, temporaryFolder, onDamaged });
    // the single pack of earlier Galleys, which nothing reads any more
    if (packBase) fs.rm(`${packBase}.pack`, { force: true }, () => {});
    // what killed or failed builds left half written
    if (packBase) sweepTemporaries(this.#dir);
  }

  /**
   * Makes this process's temporary folder now, before any cached file is looked up, and so
   * until save() removes it: a sweep of the cache does not run meanwhile (cache-sweep.ts).
   */
  holdWhileUsed(): void {
    try {
      this.#folderFor(path.join(this.#temporaryFolder, 'file'));
    } catch {
      // a cache that cannot be written to fails where the build first writes to it
    }
  }

  /** The key of an output of `kind` made from `inputs` (JSON-serialisable) by this Galley. */
  key(kind: string, inputs: readonly unknown[]): string {
    return sha256Hex(JSON.stringify([this.#fingerprint, kind, ...inputs]));
  }

  #file(kind: string, key: string): string {
    // kinds and keys are Galley's own names (hex keys): joined as they are, thousands of times a build
    return `${this.#dir}${path.sep}${kind}${path.sep}${key.slice(0, 2)}${path.sep}${key}`;
  }

  /**
   * The cached file of `kind` under `key` when there is one and it is as it was made (see
   * EntryRecord), with one stat when it was not touched since; else null, and a file that was
   * there (damaged, or of unknown origin) is removed, to be made again.
   */
  found(kind: string, key: string): CachedFile | null {
    const file = this.#file(kind, key);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat) return null;
    const recordKey = entryRecordKey(kind, key);
    const record = readEntryRecord(this.value<string>(recordKey));
    if (record && record.size === stat.size && record.ino === stat.ino && record.ctimeMs === stat.ctimeMs) return { file, stat, warnings: record.warnings };
    if (record && record.size === stat.size && sha256Of(readOrEmpty(file)) === record.sha256) {
      this.store(recordKey, entryRecordText({ ...record, ino: stat.ino, ctimeMs: stat.ctimeMs }));
      return { file, stat, warnings: record.warnings };
    }
    if (record) this.onDamaged(file);
    fs.rmSync(file, { force: true });
    return null;
  }

  /** Notes what a file just moved under `key` holds: its record (see EntryRecord). */
  #recorded(kind: string, key: string, file: string, sha256: string, warnings: readonly string[]): CachedFile {
    const stat = fs.statSync(file);
    this.store(entryRecordKey(kind, key), entryRecordText({ size: stat.size, sha256, ino: stat.ino, ctimeMs: stat.ctimeMs, warnings }));
    return { file, stat, warnings };
  }

  #folderFor(file: string): void {
    const folder = path.dirname(file);
    if (this.#folders.has(folder)) return;
    try {
      fs.mkdirSync(folder, { recursive: true });
    } catch (error) {
      throw fsFailure('make a folder of the cache', folder, error, 'cache');
    }
    this.#folders.add(folder);
  }

  /** Stores bytes under key (write then rename: a concurrent build never reads half a file). */
  put(kind: string, key: string, content: Uint8Array): CachedFile {
    const temporary = this.temporary(kind, key);
    try {
      fs.writeFileSync(temporary, content);
    } catch (error) {
      fs.rmSync(temporary, { force: true });
      throw fsFailure('write into the cache', temporary, error, 'cache');
    }
    return this.adopt(kind, key, temporary, sha256Of(content));
  }

  /**
   * A path to write an entry of `kind` to before `adopt` moves it under `key`: in this process's
   * temporary folder (see TEMPORARY_FOLDER), on the cache's file system, so the move is a rename
   * and a concurrent build never reads half a file.
   */
  temporary(_kind: string, _key: string): string {
    this.#folderFor(path.join(this.#temporaryFolder, 'file'));
    return path.join(this.#temporaryFolder, `${++this.#temporaries}.tmp`);
  }

  /**
   * Moves a file written to a `temporary` path under `key` of `kind`, and records it: its
   * SHA-256 as given (when the caller hashed the bytes it wrote), else read back.
   */
  adopt(kind: string, key: string, temporary: string, sha256: string = sha256Of(fs.readFileSync(temporary)), warnings: readonly string[] = []): CachedFile {
    const file = this.#file(kind, key);
    this.#folderFor(file);
    try {
      fs.renameSync(temporary, file);
    } catch (error) {
      fs.rmSync(temporary, { force: true });
      throw fsFailure('move a new file into the cache', file, error, 'cache');
    }
    return this.#recorded(kind, key, file, sha256, warnings);
  }

  /**
   * A small value stored under `key` by this or an earlier build. `held: false` when the caller
   * keeps it and asks once (a parsed article): the cache then holds its bytes, not the value, so
   * that what the caller copies it into leaves the value to die young, not to be promoted with it.
   */
  value<T>(key: string, { held = true }: { readonly held?: boolean } = {}): T | undefined {
    const used = this.#values.used.get(key);
    if (used && 'value' in used) return used.value as T;
    const stored = this.#values.take(key);
    if (!stored) return undefined;
    let value: unknown;
    try {
      value = stored.text ? Buffer.from(stored.bytes.buffer, stored.bytes.byteOffset, stored.bytes.byteLength).toString('utf8') : v8.deserialize(stored.bytes);
    } catch {
      // its checksum held, yet it does not read back: discarded like a damaged record
      this.#values.discard(key);
      return undefined;
    }
    if (held) this.#values.hold(key, value);
    return value as T;
  }

  /** Whether a small value is stored under `key`, by this build or an earlier one. */
  has(key: string): boolean {
    if (this.#values.made(key)) return true;
    const used = this.#values.used.get(key);
    return used !== undefined ? 'value' in used || used.stored !== undefined : this.#values.place(key) !== undefined;
  }

  /**
   * Stores a small value under `key`, encoded and written out at once (see Pack.spill): a cold
   * build stores every article it reads, which must not wait in memory, nor all be encoded at
   * once, for save().
   */
  store(key: string, value: unknown): void {
    this.#values.spill(key, encode(value));
  }

  /**
   * The sources are read: the parsed articles' pack lets go of the bytes it read whole, and reads
   * the few records asked for from now on (records of cached files) from its file.
   */
  sourcesRead(): void {
    this.#values.releaseBytes();
  }

  /** Starts reading the fragments from disk on another thread; `fragmentsRead` says when it is done. */
  readFragmentsAhead(): void {
    this.#fragments.readAhead();
  }

  fragmentsRead(): Promise<void> {
    return this.#fragments.readAheadDone();
  }

  /**
   * The pack key of a fragment: its kind and the digest of its inputs under this Galley, made
   * once per inputs array. An article's feed item is asked for in three formats (and kept or
   * taken in each) with one inputs array: one digest, not three.
   */
  #fragmentKey(kind: string, inputs: readonly unknown[]): string {
    let digest = this.#inputDigests.get(inputs);
    if (digest === undefined) {
      digest = this.key('fragment', inputs);
      this.#inputDigests.set(inputs, digest);
    }
    return `${kind} ${digest}`;
  }

  readonly #inputDigests = new WeakMap<readonly unknown[], string>();

  bytes(kind: string, inputs: readonly unknown[], render: () => string): Uint8Array {
    const key = this.#fragmentKey(kind, inputs);
    const found = this.#fragments.take(key);
    if (found?.text) return found.bytes;
    const stored = encode(render());
    this.#fragments.spill(key, stored);
    return stored.bytes;
  }

  /**
   * Stores bytes just made for `inputs` (by a reading worker), without looking for them first:
   * the look would open the fragment pack before its read-ahead is done, and what was just made
   * from the inputs is what their key names (a record of the key already in the pack is
   * superseded by this one).
   */
  putBytes(kind: string, inputs: readonly unknown[], text: string): void {
    const key = this.#fragmentKey(kind, inputs);
    if (!this.#fragments.has(key)) this.#fragments.spill(key, encode(text));
  }

  keep(kind: string, inputs: readonly unknown[]): void {
    this.#fragments.keep(this.#fragmentKey(kind, inputs));
  }

  /** What keepLater was handed: run when the fragment pack is to be rewritten (see Pack.save). */
  readonly #keepLater: (() => void)[] = [];

  keepLater(keeps: () => void): void {
    this.#keepLater.push(keeps);
  }

  /**
   * Whether the edition being made has a copy of the cached `file` at `outputPath` already (the
   * spare's, see Staging.holdsCopy): such a file is not looked up at all. None: every file is.
   */
  hasCopy: (outputPath: string, file: string) => boolean = () => false;

  /**
   * The output at `outputPath`: the cached file of `kind` for `inputs`, else `render`ed and
   * cached. A file the edition has a copy of already (hasCopy) is not looked at, neither its
   * stat nor its record (thousands a build); its `otherwise` looks it up, or renders it, should
   * that copy turn out touched.
   */
  output(outputPath: string, kind: string, inputs: readonly unknown[], render: () => FileContent): OutputFile {
    const key = this.key(kind, inputs);
    const file = this.#file(kind, key);
    if (this.hasCopy(outputPath, file)) {
      // kept for the next build, unread
      this.#values.keep(entryRecordKey(kind, key));
      return { path: outputPath, file, otherwise: () => this.#output(outputPath, kind, key, render) };
    }
    return this.#output(outputPath, kind, key, render);
  }

  #output(outputPath: string, kind: string, key: string, render: () => FileContent): OutputFile {
    const found = this.found(kind, key);
    if (found) return { path: outputPath, file: found.file, stat: { size: found.stat.size } };
    const content = render();
    if (typeof content === 'string' || content instanceof Uint8Array) {
      const cached = this.put(kind, key, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
      return { path: outputPath, file: cached.file, stat: { size: cached.stat.size } };
    }
    // A file in pieces (a feed: megabytes) is written on libuv's threads while this one goes on
    // rendering; `written` settles when it is in the cache, and publishing waits for it.
    const file = this.#file(kind, key);
    this.#folderFor(file);
    const temporary = this.temporary(kind, key);
    const sha256 = sha256Of(content);
    const written = writePieces(temporary, content).then(
      async () => {
        await fs.promises.rename(temporary, file);
        this.#recorded(kind, key, file, sha256, []);
      },
    ).catch(async (error: unknown) => {
      await fs.promises.rm(temporary, { force: true });
      throw fsFailure('write into the cache', temporary, error, 'cache');
    });
    // a failure is reported where `written` is awaited; until then it must not go unhandled
    written.catch(() => {});
    return { path: outputPath, file, written };
  }

  /**
   * Saves what this build used for the next one (see Pack.save), and removes this process's
   * temporary folder. Returns what failed (a full disk), never throws: a cache not saved costs
   * the next build time, never an edition.
   */
  save(): unknown {
    try {
      this.#values.save({ onRewrite: () => this.#keepRecordsOfEditions() });
      const keepLater = this.#keepLater.splice(0);
      this.#fragments.save({ beforeRewrite: keepLater.length ? () => keepLater.forEach((keeps) => keeps()) : undefined });
      return null;
    } catch (error) {
      return error;
    } finally {
      this.release();
    }
  }

  /**
   * Keeps the records of the cached files that any output folder's edition was copied from
   * (edition-uses.ts), used by this build or not: a pack is rewritten with what the build that
   * rewrites it used, and the build of another output folder (other formats: a web edition
   * beside the full one) would otherwise drop the records of the full edition's PDFs, which its
   * next build would then find of unknown origin, remove and render again, every one of them.
   */
  #keepRecordsOfEditions(): void {
    for (const { files } of editionUses(this.#dir)) {
      for (const file of files) {
        const [kind, , key] = file.split('/');
        if (kind && key) this.#values.keep(entryRecordKey(kind, key));
      }
    }
  }

  /**
   * Removes this process's temporary folder: what is left in it was not moved into the cache,
   * and the cache is free to be swept (see holdWhileUsed). At once, not on libuv's threads, so
   * that nothing this process does next finds it half removed.
   */
  release(): void {
    try {
      fs.rmSync(this.#temporaryFolder, { recursive: true, force: true });
    } catch {
      // removed by the next build (this process is gone by then)
    }
    this.#folders.clear();
  }
}

/** The key of a cached file's record in the values pack. */
function entryRecordKey(kind: string, key: string): string {
  return `file ${kind} ${key}`;
}

/**
 * An entry record as the pack keeps it: one line of text, `size ino ctimeMs sha256` and the
 * warnings as JSON. Every reused file's record is read on every build: text reads back several
 * times faster than a V8-serialised object.
 */
function entryRecordText(record: EntryRecord): string {
  return `${record.size} ${record.ino} ${record.ctimeMs} ${record.sha256} ${JSON.stringify(record.warnings)}`;
}

/** The record `entryRecordText` wrote, or none when `text` is not one (absent, or from no Galley). */
function readEntryRecord(text: string | undefined): EntryRecord | null {
  if (typeof text !== 'string') return null;
  const match = /^(\d+) (\d+) (\d+(?:\.\d+)?) ([0-9a-f]{64}) (\[.*\])$/s.exec(text);
  const warnings = match && warningsFrom(match[5]!);
  if (!match || !warnings) return null;
  return { size: Number(match[1]), ino: Number(match[2]), ctimeMs: Number(match[3]), sha256: match[4]!, warnings };
}

/** A renderer's warnings as stored beside what it made (a JSON array of strings), or null when `json` is not that. */
export function warningsFrom(json: string): string[] | null {
  let warnings: unknown;
  try {
    warnings = JSON.parse(json);
  } catch {
    return null;
  }
  return Array.isArray(warnings) && warnings.every((warning) => typeof warning === 'string') ? warnings : null;
}

/** A file's bytes, or none when it cannot be read (a file that cannot be read is not a good entry). */
function readOrEmpty(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch {
    return Buffer.alloc(0);
  }
}
