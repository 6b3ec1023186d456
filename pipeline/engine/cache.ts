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
 * that list articles are made, so read from disk on another thread meanwhile. A pack is a log: a
 * build appends what it made and rewrites the file, keeping only what it used, once most of it
 * is stale; so a one-article rebuild writes a few kilobytes, not the whole archive's worth.
 */
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { createHash } from 'node:crypto';
import type { FileContent, OutputFile, RenderMemo } from '../outputs/edition.ts';
import { crc32, sha256Hex, sha256Of } from './digest.ts';
import { writePieces } from './write-pieces.ts';
import { fsFailure } from '../model/errors.ts';
import { isRunning } from './processes.ts';

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
  for (const name of readNames(temporaries)) if (/^\d+$/.test(name) && Number(name) !== process.pid && !isRunning(Number(name))) remove(path.join(temporaries, name));
  for (const folder of FLAT_FOLDERS) {
    for (const name of readNames(path.join(cacheDir, folder))) {
      const pid = /\.(\d+)\.tmp$/.exec(name)?.[1];
      if (pid && Number(pid) !== process.pid && !isRunning(Number(pid))) remove(path.join(cacheDir, folder, name));
    }
  }
}

function readNames(folder: string): string[] {
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
    const header = Buffer.from(`galley pack 4 ${fingerprint} ${process.version}\n`);
    const damaged = (file: string) => this.onDamaged(file);
    this.#values = new Pack(packBase && `${packBase}.values.pack`, header, damaged, this.#temporaryFolder);
    this.#fragments = new Pack(packBase && `${packBase}.fragments.pack`, header, damaged, this.#temporaryFolder);
    // the single pack of earlier Galleys, which nothing reads any more
    if (packBase) fs.rm(`${packBase}.pack`, { force: true }, () => {});
    // what killed or failed builds left half written
    if (packBase) sweepTemporaries(this.#dir);
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

  /** A small value stored under `key` by this or an earlier build. */
  value<T>(key: string): T | undefined {
    const used = this.#values.used.get(key);
    if (used && 'value' in used) return used.value as T;
    const stored = used?.stored ?? this.#values.stored(key);
    if (!stored) return undefined;
    let value: unknown;
    try {
      value = stored.text ? Buffer.from(stored.bytes.buffer, stored.bytes.byteOffset, stored.bytes.byteLength).toString('utf8') : v8.deserialize(stored.bytes);
    } catch {
      // its checksum held, yet it does not read back: discarded like a damaged record
      this.#values.discard(key);
      return undefined;
    }
    this.#values.used.set(key, { ...used, value, stored });
    return value as T;
  }

  /** Whether a small value is stored under `key`, by this build or an earlier one. */
  has(key: string): boolean {
    const used = this.#values.used.get(key);
    return used !== undefined ? 'value' in used || used.stored !== undefined : this.#values.stored(key) !== undefined;
  }

  store(key: string, value: unknown): void {
    this.#values.used.set(key, { value, fresh: true });
  }

  /** Starts reading the fragments from disk on another thread; `fragmentsRead` says when it is done. */
  readFragmentsAhead(): void {
    this.#fragments.readAhead();
  }

  fragmentsRead(): Promise<void> {
    return this.#fragments.readAheadDone();
  }

  bytes(kind: string, inputs: readonly unknown[], render: () => string): Uint8Array {
    const key = this.key(kind, inputs);
    const found = this.#fragments.take(key);
    if (found?.text) return found.bytes;
    const stored = encode(render());
    this.#fragments.spill(key, stored);
    return stored.bytes;
  }

  keep(kind: string, inputs: readonly unknown[]): void {
    const key = this.key(kind, inputs);
    if (this.#fragments.used.has(key)) return;
    const stored = this.#fragments.stored(key);
    if (stored) this.#fragments.used.set(key, { stored });
  }

  output(outputPath: string, kind: string, inputs: readonly unknown[], render: () => FileContent): OutputFile {
    const key = this.key(kind, inputs);
    const found = this.found(kind, key);
    if (found) return { path: outputPath, file: found.file, stat: found.stat };
    const content = render();
    if (typeof content === 'string' || content instanceof Uint8Array) {
      const cached = this.put(kind, key, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
      return { path: outputPath, file: cached.file, stat: cached.stat };
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
      this.#values.save();
      this.#fragments.save();
      return null;
    } catch (error) {
      return error;
    } finally {
      fs.rm(this.#temporaryFolder, { recursive: true, force: true }, () => {});
    }
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

/** An entry of a pack as this build used or made it (`fresh`): what the pack holds after save(). */
interface UsedEntry {
  readonly value?: unknown;
  readonly stored?: Stored;
  readonly fresh?: true;
  /** A fresh entry's record, written out to the spill file: where it starts there, and its length. */
  readonly spilled?: { readonly at: number; readonly length: number };
}

/** Bytes copied at a time from the spill file into the pack. */
const SPILL_CHUNK = 1024 * 1024;

/**
 * One pack file: records read from it when first asked for (or ahead, on another thread), the
 * entries this build used or made kept for `save`.
 */
class Pack {
  readonly #file: string | null;
  readonly #header: Buffer;
  /** The file as the last builds left it, and where each key's latest record starts in it. */
  #content: Buffer | null = null;
  #records: RecordIndex | null = null;
  /** Bytes of the file that hold whole records (what a torn append left is past it). */
  #length = 0;
  #ahead: Promise<void> | null = null;
  readonly used = new Map<string, UsedEntry>();
  /** Told (once) when a record of the file turns out damaged. */
  readonly #onDamaged: (file: string) => void;
  #reported = false;
  readonly #temporaryFolder: string;
  /**
   * Fresh records as they are made, in a file of the temporary folder: a cold build of a large
   * archive makes gigabytes of fragments, which must not wait in memory for save().
   */
  #spill: { readonly fd: number; readonly file: string; length: number } | null = null;

  constructor(file: string | null, header: Buffer, onDamaged: (file: string) => void, temporaryFolder: string) {
    this.#file = file;
    this.#header = header;
    this.#onDamaged = onDamaged;
    this.#temporaryFolder = temporaryFolder;
  }

  /**
   * Reads the file on libuv's threads; should it be asked for before, it is read here and then.
   * In one read, not fs.readFile's chunks of 512 kB: each chunk would queue behind whatever else
   * the threads have to do (a build queues thousands of links into its staging folder).
   */
  readAhead(): void {
    const file = this.#file;
    if (!file || this.#records || this.#ahead) return;
    this.#ahead = readWhole(file).then(
      (content) => {
        if (!this.#records) this.#index(content);
      },
      () => {
        // no pack yet, or unreadable: read (and given up on) when first asked for
      },
    );
  }

  async readAheadDone(): Promise<void> {
    await this.#ahead;
  }

  #load(): RecordIndex {
    if (this.#records) return this.#records;
    let content: Buffer | null = null;
    try {
      if (this.#file && fs.existsSync(this.#file)) content = fs.readFileSync(this.#file);
    } catch {
      // unreadable: start afresh
    }
    return this.#index(content);
  }

  #index(content: Buffer | null): RecordIndex {
    const read = content ? readPack(content, this.#header) : null;
    this.#records = read?.[0] ?? new RecordIndex(Buffer.alloc(0));
    this.#length = read?.[1] ?? 0;
    this.#content = read ? content : null;
    return this.#records;
  }

  /**
   * The entry under `key` in the file, if there is one and its checksum holds: one checked only
   * when asked for (a build reads a fraction of the records; the CRC-32 is native, ~GB/s), so
   * opening a pack stays a walk over its lengths. A damaged record is as good as none: what it
   * held is made again, and stored anew.
   */
  stored(key: string): Stored | undefined {
    const at = this.#load().get(key);
    if (at === undefined) return undefined;
    const content = this.#content!;
    if (checksum(content, at) !== content.readUInt32LE(at + 9)) {
      this.discard(key);
      return undefined;
    }
    return storedAt(content, at);
  }

  /** What this build has under `key`: used or made by it, else what the file holds (used from then on). */
  take(key: string): Stored | undefined {
    const used = this.used.get(key);
    if (used) return used.stored ?? (used.spilled ? this.#spilled(used.spilled) : undefined);
    const stored = this.stored(key);
    if (stored) this.used.set(key, { stored });
    return stored;
  }

  /** Notes a fresh entry, its record written out to the spill file at once (see #spill). */
  spill(key: string, stored: Stored): void {
    if (!this.#file) {
      this.used.set(key, { stored, fresh: true });
      return;
    }
    if (!this.#spill) {
      fs.mkdirSync(this.#temporaryFolder, { recursive: true });
      const file = path.join(this.#temporaryFolder, `${path.basename(this.#file)}.spill`);
      this.#spill = { fd: fs.openSync(file, 'w+'), file, length: 0 };
    }
    const bytes = record(key, stored);
    fs.writeSync(this.#spill.fd, bytes, 0, bytes.length, this.#spill.length);
    this.used.set(key, { fresh: true, spilled: { at: this.#spill.length, length: bytes.length } });
    this.#spill.length += bytes.length;
  }

  /** A spilled entry, read back (its record checked like any other). */
  #spilled(place: { readonly at: number; readonly length: number }): Stored | undefined {
    const bytes = Buffer.allocUnsafe(place.length);
    fs.readSync(this.#spill!.fd, bytes, 0, place.length, place.at);
    return checksum(bytes, 0) === bytes.readUInt32LE(9) ? storedAt(bytes, 0) : undefined;
  }

  /** Copies the spill file to `fd` (a pack file being written); save() closes and removes it. */
  #writeSpill(fd: number): void {
    const spill = this.#spill;
    if (!spill) return;
    const chunk = Buffer.allocUnsafe(Math.min(SPILL_CHUNK, spill.length));
    for (let at = 0; at < spill.length; ) {
      const read = fs.readSync(spill.fd, chunk, 0, Math.min(chunk.length, spill.length - at), at);
      if (read === 0) throw new Error(`${spill.file} ended before its ${spill.length} bytes`);
      writeAll(fd, chunk.subarray(0, read));
      at += read;
    }
  }

  /** Forgets the record of `key` (damaged): reported once per file, then made again by the build. */
  discard(key: string): void {
    this.#records?.forget(key);
    this.used.delete(key);
    if (!this.#reported && this.#file) this.#onDamaged(this.#file);
    this.#reported = true;
  }

  /**
   * Appends the entries this build made; or, when most of the file would then be entries no
   * build uses any more, writes a new file of the used ones.
   */
  save(): void {
    if (!this.#file) return;
    try {
      this.#save(this.#file);
    } finally {
      if (this.#spill) {
        fs.closeSync(this.#spill.fd);
        fs.rmSync(this.#spill.file, { force: true });
        this.#spill = null;
        // the spilled entries are in the file now: read from there should they be asked for again
        for (const [key, entry] of this.used) if (entry.spilled) this.used.delete(key);
        this.#records = null;
        this.#content = null;
        this.#length = 0;
      }
    }
  }

  #save(file: string): void {
    this.#load();
    // nothing used, nothing on disk: no file for nothing
    if (this.used.size === 0 && this.#length === 0) return;
    // each value encoded once, whether it is appended or the file is written anew
    const entries = [...this.used].filter(([, entry]) => !entry.spilled).map(([key, entry]) => ({ key, fresh: entry.fresh === true, stored: entry.stored ?? encode(entry.value) }));
    const made = entries.filter((entry) => entry.fresh).map((entry) => record(entry.key, entry.stored));
    const spilled = this.#spill?.length ?? 0;
    const live = entries.reduce((sum, entry) => sum + entry.stored.bytes.length, 0) + spilled;
    const appended = made.reduce((sum, bytes) => sum + bytes.length, 0) + spilled;
    if (appended === 0 && this.#length > 0) return;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const current = fs.existsSync(file) ? fs.statSync(file).size : 0;
    // a file that is not wholly ours (another Galley, a torn append) is replaced, never extended
    if (this.#length > 0 && current === this.#length && this.#length + appended <= 2 * live + COMPACT_SLACK) {
      const fd = fs.openSync(file, 'a');
      try {
        for (const bytes of made) writeAll(fd, bytes);
        this.#writeSpill(fd);
      } finally {
        fs.closeSync(fd);
      }
      return;
    }
    fs.mkdirSync(this.#temporaryFolder, { recursive: true });
    const temporary = path.join(this.#temporaryFolder, `${path.basename(file)}.tmp`);
    const fd = fs.openSync(temporary, 'w');
    try {
      writeAll(fd, this.#header);
      for (const entry of entries) if (!entry.fresh) writeAll(fd, record(entry.key, entry.stored));
      for (const bytes of made) writeAll(fd, bytes);
      this.#writeSpill(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, file);
  }
}

/** Writes all of `bytes` at `fd`'s position (writeSync may write less than asked). */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, bytes.length - done);
}

/** A file's bytes, read with as few requests to libuv's threads as it takes (one, unless the file grows meanwhile). */
async function readWhole(file: string): Promise<Buffer> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const content = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const { bytesRead } = await handle.read(content, read, size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return content.subarray(0, read);
  } finally {
    await handle.close();
  }
}

/** An entry as the pack holds it: UTF-8 for text (most of it: half the size of V8's UTF-16), else V8's serialisation. */
interface Stored {
  readonly text: boolean;
  readonly bytes: Uint8Array;
}

/** Stale bytes a pack may carry before it is rewritten, beyond as many as are live. */
const COMPACT_SLACK = 4 * 1024 * 1024;

function encode(value: unknown): Stored {
  return typeof value === 'string' ? { text: true, bytes: Buffer.from(value, 'utf8') } : { text: false, bytes: v8.serialize(value) };
}

/** Bytes of a record before its key: key length, value length (both uint32), 1 if text, CRC-32 of the key and value. */
const RECORD_HEAD = 13;

/** A record: key length, value length (both uint32), 1 if text, CRC-32 of what follows, the key, the value. */
function record(key: string, stored: Stored): Buffer {
  const keyBytes = Buffer.from(key, 'utf8');
  const head = Buffer.alloc(RECORD_HEAD);
  head.writeUInt32LE(keyBytes.length, 0);
  head.writeUInt32LE(stored.bytes.length, 4);
  head.writeUInt8(stored.text ? 1 : 0, 8);
  head.writeUInt32LE(crc32(stored.bytes, crc32(keyBytes)), 9);
  return Buffer.concat([head, keyBytes, stored.bytes]);
}

/** The CRC-32 of the key and value of the record at `offset` (what its head says they hash to, if whole). */
function checksum(file: Buffer, offset: number): number {
  const end = offset + RECORD_HEAD + file.readUInt32LE(offset) + file.readUInt32LE(offset + 4);
  return crc32(file.subarray(offset + RECORD_HEAD, end));
}

/** The entry in the record that starts at `offset` of a pack file (see `record`). */
function storedAt(file: Buffer, offset: number): Stored {
  const keyLength = file.readUInt32LE(offset);
  const valueLength = file.readUInt32LE(offset + 4);
  const start = offset + RECORD_HEAD + keyLength;
  return { text: file[offset + 8] === 1, bytes: file.subarray(start, start + valueLength) };
}

/**
 * Where each key's record starts in a pack file (a later record of a key replaces an earlier
 * one), and the length of its whole records; null when the file is another Galley's.
 */
function readPack(file: Buffer, header: Buffer): [RecordIndex, number] | null {
  if (file.length < header.length || !file.subarray(0, header.length).equals(header)) return null;
  const records = new RecordIndex(file);
  // a DataView reads the lengths without Buffer's per-call checks (thousands of records)
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  let offset = header.length;
  while (offset + RECORD_HEAD <= file.length) {
    const keyLength = view.getUint32(offset, true);
    const valueLength = view.getUint32(offset + 4, true);
    const end = offset + RECORD_HEAD + keyLength + valueLength;
    if (end > file.length) break;
    records.add(offset, keyLength);
    offset = end;
  }
  return [records, offset];
}

/**
 * The records of a pack file by key, without a string made for any of them: a number folded from
 * all of a key's bytes finds its record, and the whole key, compared byte for byte, confirms it.
 * Making thousands of key strings (and hashing them into a map) was most of what opening a
 * pack cost.
 */
class RecordIndex {
  readonly #file: Buffer;
  /** Folded key → where its record starts, or where the records of keys that fold alike start. */
  readonly #starts = new Map<number, number | number[]>();

  constructor(file: Buffer) {
    this.#file = file;
  }

  /** Notes the record at `offset`, whose key is `keyLength` bytes; it replaces one of the same key. */
  add(offset: number, keyLength: number): void {
    const file = this.#file;
    let fold = FOLD_SEED;
    for (let index = offset + RECORD_HEAD, end = index + keyLength; index < end; index++) fold = Math.imul(fold ^ file[index]!, FOLD_PRIME);
    fold &= FOLD_MASK;
    const there = this.#starts.get(fold);
    if (there === undefined) {
      this.#starts.set(fold, offset);
      return;
    }
    const others = (typeof there === 'number' ? [there] : there).filter((other) => !this.#sameKey(other, offset));
    this.#starts.set(fold, others.length ? [...others, offset] : offset);
  }

  /** Forgets the record of `key` (found damaged): the file is as if it had none. */
  forget(key: string): void {
    const at = this.get(key);
    if (at === undefined) return;
    for (const [fold, there] of this.#starts) {
      if (there === at) this.#starts.delete(fold);
      else if (typeof there !== 'number' && there.includes(at)) this.#starts.set(fold, there.filter((start) => start !== at));
    }
  }

  /** Where the record of `key` starts, if the file has one. */
  get(key: string): number | undefined {
    const bytes = /^[\x00-\x7f]*$/.test(key) ? null : Buffer.from(key, 'utf8');
    const length = bytes ? bytes.length : key.length;
    const byte = bytes ? (index: number) => bytes[index]! : (index: number) => key.charCodeAt(index);
    let fold = FOLD_SEED;
    for (let index = 0; index < length; index++) fold = Math.imul(fold ^ byte(index), FOLD_PRIME);
    const there = this.#starts.get(fold & FOLD_MASK);
    if (there === undefined) return undefined;
    for (const start of typeof there === 'number' ? [there] : there) {
      if (this.#file.readUInt32LE(start) !== length) continue;
      let same = true;
      for (let index = 0; same && index < length; index++) same = this.#file[start + RECORD_HEAD + index] === byte(index);
      if (same) return start;
    }
    return undefined;
  }

  #sameKey(a: number, b: number): boolean {
    const length = this.#file.readUInt32LE(a);
    return length === this.#file.readUInt32LE(b) && this.#file.compare(this.#file, a + RECORD_HEAD, a + RECORD_HEAD + length, b + RECORD_HEAD, b + RECORD_HEAD + length) === 0;
  }
}

/**
 * FNV-1a over a key's bytes, kept to a small integer. All of them: keys share long prefixes
 * (`file article-page …`), and keys that fold alike are told apart one comparison at a time.
 */
const FOLD_SEED = 0x811c9dc5;
const FOLD_PRIME = 0x01000193;
const FOLD_MASK = 0x3fffffff;
