/**
 * A pack: one file of small cache entries (parsed articles, records of cached files, teasers,
 * feed items), a log of records. A build appends what it made and rewrites the file, keeping
 * only what it used, once most of it is stale; so a one-article rebuild writes a few kilobytes,
 * not the whole archive's worth.
 *
 * A record is: key length, value length (both uint32), 1 if the value is text, the CRC-32 of key
 * and value, the key, the value. A later record of a key replaces an earlier one; whatever
 * follows the last whole record (a torn append) is not read, and the next save replaces the file.
 *
 * A pack is read in one of two ways. `whole`: the file is read into memory at once, for a pack of
 * which a build uses nearly every record (the parsed articles), and let go of once those are read
 * (releaseBytes: the few records asked for later are read from the file). Else `by record`:
 * opening it reads only each record's head and key, in chunks, and a value is read from the file
 * when asked for;
 * memory holds the keys, not the values, so a pack of gigabytes (the feed items of 100,000
 * articles) costs a build tens of megabytes. Its index (the keys and where their records are) is
 * kept beside it, so that opening it reads the keys and not the whole file (see writeIndexFile).
 */
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { crc32 } from './digest.ts';
import { fsFailure } from '../model/errors.ts';

/** What a build keeps of a pack beyond what it used, named only when the pack is to be rewritten (a build keeps them with `keep`). */
export interface PackKeeps {
  /**
   * Entries the build needs again (kept later, see OutputCache.keepLater): naming them is work,
   * so with these the file is rewritten only once it has grown to twice the length it is measured
   * against (see REWRITTEN), and only then are they named.
   */
  readonly beforeRewrite?: () => void;
  /** Entries that stay whatever this build needs, named whenever the file is about to be rewritten. */
  readonly onRewrite?: () => void;
}

/** An entry as the pack holds it: UTF-8 for text (most of it: half the size of V8's UTF-16), else V8's serialisation. */
export interface Stored {
  readonly text: boolean;
  readonly bytes: Uint8Array;
}

export function encode(value: unknown): Stored {
  return typeof value === 'string' ? { text: true, bytes: Buffer.from(value, 'utf8') } : { text: false, bytes: v8.serialize(value) };
}

/** Where a record is in the pack file: where it starts, and its length (head, key and value). */
interface RecordPlace {
  readonly at: number;
  readonly length: number;
}

/** An entry of a pack as this build used or made it (`fresh`): what the pack holds after save(). */
export interface UsedEntry {
  readonly value?: unknown;
  readonly stored?: Stored;
  readonly fresh?: true;
}

/**
 * Bytes read at a time when a pack is opened by record: few requests to libuv's threads, where
 * each one queues behind whatever else they have to do (a build queues thousands of copies).
 */
const OPENING_CHUNK = 8 * 1024 * 1024;

/** Bytes of records written to the spill file at a time, and copied from it into the pack. */
const SPILL_CHUNK = 1024 * 1024;

/** Stale bytes a pack may carry before it is rewritten, beyond as many as are live. */
const COMPACT_SLACK = 4 * 1024 * 1024;

/**
 * The key of the record a pack with `beforeRewrite` keeps is measured against (it is named again
 * once twice this long): its length when it was rewritten, or, when its entries were named and most
 * were live, halfway between its length and what was live. A cache key never holds a NUL.
 */
const REWRITTEN = '\u0000rewritten';

/** The pack file as this build found it: its records' places by key, and how to read them. */
interface Opened {
  readonly records: RecordIndex;
  /** Bytes of the file that hold whole records (what a torn append left is past it). */
  readonly length: number;
  /** The bytes of a record of the file. */
  readonly read: (place: RecordPlace) => Buffer;
  readonly close: () => void;
  /** A file read whole lets go of its bytes: `read` reads from the file from then on. */
  readonly letGo?: () => void;
  /** Whether its index file was found current (else the file was scanned, and save() writes one). */
  readonly indexed: boolean;
}

/** A pack with no file, or whose file is not one of this Galley's. */
function nothingOpened(): Opened {
  return { records: new RecordIndex(), length: 0, read: () => Buffer.alloc(0), close: () => {}, indexed: false };
}

export class Pack {
  readonly #file: string | null;
  readonly #header: Buffer;
  readonly #whole: boolean;
  #opened: Opened | null = null;
  #ahead: Promise<void> | null = null;
  /** Saves so far: an opening begun before a save describes a file that may since have been rewritten. */
  #saves = 0;
  readonly used = new Map<string, UsedEntry>();
  /**
   * Records of the file this build keeps for the next one as they are, without holding their
   * values (kept unread, or taken from a pack read whole): by where their entry is in the file's
   * index, a number each, not a key and an object in `used` (a rebuild keeps one for nearly
   * every file of the edition, and of a pack read whole one for every article). A key is here
   * or in `used`, never both.
   */
  #kept = new Set<number>();
  /** Told (once) when a record of the file turns out damaged. */
  readonly #onDamaged: (file: string) => void;
  #reported = false;
  readonly #temporaryFolder: string;
  /**
   * Fresh records as they are made, in a file of the temporary folder: a cold build of a large
   * archive makes gigabytes of fragments, which must not wait in memory for save().
   */
  #spill: { readonly fd: number; readonly file: string; written: number } | null = null;
  /**
   * Spilled records not yet written to the spill file, copied into one buffer and written when it
   * is full (a build of a few articles writes none). Copied: a small Buffer is a slice of a shared
   * pool, and holding it would hold the pool's other allocations too.
   */
  #pending: Buffer | null = null;
  #pendingLength = 0;
  /** Bytes of all spilled records, written or pending: where the next one goes. */
  #spillLength = 0;
  /**
   * Where each fresh entry's record is in the spill file, by key: not in `used`, where a cold
   * build's hundreds of thousands of fresh entries would each be a string and two objects.
   */
  #spilledRecords = new RecordIndex();

  /** `file` null: a pack in memory only, for this build. `whole`: read into memory at once (see above). */
  constructor(file: string | null, header: Buffer, options: { readonly whole: boolean; readonly temporaryFolder: string; readonly onDamaged: (file: string) => void }) {
    this.#file = file;
    this.#header = header;
    this.#whole = options.whole;
    this.#onDamaged = options.onDamaged;
    this.#temporaryFolder = options.temporaryFolder;
  }

  /**
   * Opens the file on libuv's threads; should it be asked for before, it is opened here and then.
   * Read whole in one request, not fs.readFile's chunks of 512 kB: each chunk would queue behind
   * whatever else the threads have to do (a build queues thousands of copies into its staging folder).
   */
  readAhead(): void {
    const file = this.#file;
    if (!file || this.#opened || this.#ahead) return;
    // opened here meanwhile (asked for before this ended), or saved and closed since: this opening stops at its next chunk
    const saves = this.#saves;
    const superseded = () => this.#opened !== null || this.#saves !== saves;
    const opening = this.#whole ? readWhole(file, indexFileOf(file)).then(({ fd, content, stat, index }) => this.#openWhole(fd, content, stat, index)) : openByRecord(file, this.#header, superseded, indexFileOf(file));
    this.#ahead = opening.then(
      (opened) => {
        if (superseded()) opened.close();
        else this.#opened = opened;
      },
      () => {
        // no pack yet, or unreadable: opened (and given up on) when first asked for
      },
    );
  }

  async readAheadDone(): Promise<void> {
    await this.#ahead;
  }

  #open(): Opened {
    if (this.#opened) return this.#opened;
    let opened: Opened | null = null;
    try {
      if (this.#file && fs.existsSync(this.#file)) opened = this.#whole ? openWholeSync(this.#file, (fd, content, stat, index) => this.#openWhole(fd, content, stat, index)) : openByRecordSync(this.#file, this.#header, indexFileOf(this.#file));
    } catch {
      // unreadable: start afresh
    }
    this.#opened = opened ?? nothingOpened();
    return this.#opened;
  }

  /**
   * The pack in `content`, read from `fd`, which `stat` describes: its records as its index file
   * gives them when that is current, else as a scan finds them. Records are read from `content`
   * until the pack lets go of it (releaseBytes), then from the file, kept open for that (a file
   * replaced meanwhile by another build's rewrite stays readable through the descriptor as it was).
   */
  #openWhole(fd: number, content: Buffer, stat: fs.Stats, index: IndexBytes | null): Opened {
    if (!content.subarray(0, this.#header.length).equals(this.#header)) {
      fs.closeSync(fd);
      return nothingOpened();
    }
    let held: Buffer | null = content;
    const read = (place: RecordPlace) => (held ? held.subarray(place.at, place.at + place.length) : readChunkSync(fd, place.at, place.length));
    const opened = { read, close: () => fs.closeSync(fd), letGo: () => (held = null) };
    const indexed = stat.size === content.length ? readIndexFile(index, stat) : null;
    if (indexed) return { ...indexed, ...opened, indexed: true };
    const scan = new PackScan(content.length, this.#header.length);
    scan.take(content.subarray(this.#header.length));
    return { records: scan.records, length: scan.position, ...opened, indexed: false };
  }

  /**
   * A pack read whole lets go of the bytes it read: a record asked for from now on is read from
   * the file. A build reads nearly every parsed article while it reads its sources, and few
   * records after, while the file's bytes would stay in memory until it ends.
   */
  releaseBytes(): void {
    this.#opened?.letGo?.();
  }

  /** Where the record of `key` is in the file, if there is one (not read, so not checked). */
  place(key: string): RecordPlace | undefined {
    return this.#open().records.get(key);
  }

  /**
   * The entry of `key` in the record at `place`, if that is a whole record of that key and its
   * checksum holds: a record is checked when it is read (a build reads a fraction of them; the
   * CRC-32 is native, ~GB/s). A damaged record is as good as none (take discards it): what it
   * held is made again, and stored anew.
   */
  #read(place: RecordPlace, key: string): Stored | undefined {
    let bytes: Buffer;
    try {
      bytes = this.#open().read(place);
    } catch {
      return undefined;
    }
    return wholeRecord(bytes) && recordKey(bytes) === key ? storedAt(bytes, 0) : undefined;
  }

  /** What this build has under `key`: used or made by it, else what the file holds (used from then on). */
  take(key: string): Stored | undefined {
    const used = this.used.get(key);
    if (used?.stored) return used.stored;
    const spilled = this.#spilledPlace(key);
    if (spilled) return this.#spilled(spilled);
    const { records } = this.#open();
    const entry = records.entryOf(key);
    if (entry === undefined) return undefined;
    const stored = this.#read(records.placeAt(entry), key);
    if (!stored) {
      this.discard(key);
      return undefined;
    }
    // Of a pack read whole, the record is kept as it is, its bytes not held: they are a slice of
    // the whole file's, which would keep it all in memory (see releaseBytes).
    if (this.#whole) this.#kept.add(entry);
    else {
      this.#kept.delete(entry);
      this.used.set(key, { stored });
    }
    return stored;
  }

  /** Keeps the file's entry under `key` for the next build without reading it (a build keeps far more than it reads). */
  keep(key: string): void {
    if (this.used.has(key) || this.made(key)) return;
    const entry = this.#open().records.entryOf(key);
    if (entry !== undefined) this.#kept.add(entry);
  }

  /** Holds `value`, read from the record of `key`, for the rest of the build: the next save writes it from the value. */
  hold(key: string, value: unknown): void {
    this.#use(key, { ...this.used.get(key), value });
  }

  /** Notes what the build uses under `key`, in place of the file's record kept as it is. */
  #use(key: string, entry: UsedEntry): void {
    this.#unkeep(key);
    this.used.set(key, entry);
  }

  /** Where the file's record of `key` is in its index, when this build keeps it as it is (see #kept). */
  #keptEntry(key: string): number | undefined {
    const entry = this.#kept.size > 0 ? this.#opened?.records.entryOf(key) : undefined;
    return entry !== undefined && this.#kept.has(entry) ? entry : undefined;
  }

  /** No longer keeps the file's record of `key`: this build uses or makes another, or it is damaged. */
  #unkeep(key: string): void {
    const entry = this.#keptEntry(key);
    if (entry !== undefined) this.#kept.delete(entry);
  }

  /** Whether this build used, kept or made an entry under `key`. */
  has(key: string): boolean {
    return this.used.has(key) || this.made(key) || this.#keptEntry(key) !== undefined;
  }

  /** Whether this build made (spilled) an entry under `key`. */
  made(key: string): boolean {
    return this.#spilledPlace(key) !== undefined;
  }

  /** Where the record this build made under `key` is in the spill file (none looked for in a build that made none: most rebuilds). */
  #spilledPlace(key: string): RecordPlace | undefined {
    return this.#spillLength === 0 ? undefined : this.#spilledRecords.get(key);
  }

  /** Notes a fresh entry, its record on its way to the spill file (see #spill). */
  spill(key: string, stored: Stored): void {
    if (!this.#file) {
      this.used.set(key, { stored, fresh: true });
      return;
    }
    const bytes = record(key, stored);
    // what the build had under the key before is superseded
    this.used.delete(key);
    this.#unkeep(key);
    this.#spilledRecords.add({ at: this.#spillLength, length: bytes.length }, bytes.subarray(RECORD_HEAD, RECORD_HEAD + bytes.readUInt32LE(0)));
    this.#spillLength += bytes.length;
    if (this.#pendingLength + bytes.length > SPILL_CHUNK) this.#writePending();
    if (bytes.length > SPILL_CHUNK) {
      this.#writeToSpill(bytes);
      return;
    }
    this.#pending ??= Buffer.allocUnsafeSlow(SPILL_CHUNK);
    bytes.copy(this.#pending, this.#pendingLength);
    this.#pendingLength += bytes.length;
  }

  /** Writes the pending records to the spill file. */
  #writePending(): void {
    if (this.#pendingLength === 0) return;
    this.#writeToSpill(this.#pending!.subarray(0, this.#pendingLength));
    this.#pendingLength = 0;
  }

  /** Appends `bytes` to the spill file, made when first needed. */
  #writeToSpill(bytes: Uint8Array): void {
    const file = this.#spill?.file ?? path.join(this.#temporaryFolder, `${path.basename(this.#file!)}.spill`);
    try {
      if (!this.#spill) {
        fs.mkdirSync(this.#temporaryFolder, { recursive: true });
        this.#spill = { fd: fs.openSync(file, 'w+'), file, written: 0 };
      }
      for (let done = 0; done < bytes.length; ) done += fs.writeSync(this.#spill.fd, bytes, done, bytes.length - done, this.#spill.written + done);
      this.#spill.written += bytes.length;
    } catch (error) {
      throw fsFailure('write into the cache', file, error, 'cache');
    }
  }

  /** A spilled entry, read back (its record checked like any other). */
  #spilled(place: RecordPlace): Stored | undefined {
    this.#writePending();
    const bytes = readChunkSync(this.#spill!.fd, place.at, place.length);
    return wholeRecord(bytes) ? storedAt(bytes, 0) : undefined;
  }

  /** Copies the spilled records to the pack file being written, noted in the writer's index; save() closes and removes the spill file. */
  #copySpillInto(writer: RecordWriter): void {
    const base = writer.at;
    const spill = this.#spill;
    for (let at = 0; spill && at < spill.written; ) {
      const chunk = readChunkSync(spill.fd, at, Math.min(SPILL_CHUNK, spill.written - at));
      if (chunk.length === 0) throw new Error(`${spill.file} ended before its ${spill.written} bytes`);
      writer.copy(chunk);
      at += chunk.length;
    }
    if (this.#pending) writer.copy(this.#pending.subarray(0, this.#pendingLength));
    this.#spilledRecords.forEach((place, key) => writer.records.add({ at: base + place.at, length: place.length }, key));
  }

  /** Forgets the record of `key` (damaged): reported once per file, then made again by the build. */
  discard(key: string): void {
    this.#unkeep(key);
    this.#opened?.records.forget(key);
    this.used.delete(key);
    this.#reportDamage();
  }

  #reportDamage(): void {
    if (!this.#reported && this.#file) this.#onDamaged(this.#file);
    this.#reported = true;
  }

  /**
   * Appends the entries this build made; or, when most of the file would then be entries no
   * build uses any more, writes a new file of the used ones. The file is opened anew by the next
   * build that asks for an entry.
   */
  save(keeps: PackKeeps = {}): void {
    if (!this.#file) return;
    try {
      this.#save(this.#file, keeps);
    } finally {
      if (this.#spill) {
        fs.closeSync(this.#spill.fd);
        fs.rmSync(this.#spill.file, { force: true });
        this.#spill = null;
      }
      // what the file holds is read from there should it be asked for again
      for (const key of this.used.keys()) if (this.made(key)) this.used.delete(key);
      this.#kept = new Set();
      this.#spilledRecords = new RecordIndex();
      this.#pending = null;
      this.#pendingLength = 0;
      this.#spillLength = 0;
      this.#opened?.close();
      this.#opened = null;
      this.#saves++;
    }
  }

  /** See PackKeeps: each keeps more entries, then the choice between appending and rewriting is made again. */
  #save(file: string, { beforeRewrite, onRewrite }: PackKeeps): void {
    const opened = this.#open();
    // nothing used, nothing on disk: no file for nothing
    if (this.used.size === 0 && this.#spillLength === 0 && opened.length === 0) return;
    const spilled = this.#spillLength;
    const appends = spilled > 0 || [...this.used.values()].some((entry) => entry.fresh);
    if (!appends && opened.length > 0) {
      // a file scanned (its index missing or not current) gets one for the next build
      if (!opened.indexed) writeIndexFile(file, this.#temporaryFolder, opened.records, opened.length);
      return;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const current = fs.existsSync(file) ? fs.statSync(file).size : 0;
    // each value encoded once, whether it is appended or the file is written anew
    const plan = () => {
      // a value held for a spilled entry (OutputCache.value) is in the spill file already
      const entries = [...this.used].filter(([key]) => !this.made(key)).map(([key, entry]) => ({ key, entry, stored: entry.stored ?? encode(entry.value) }));
      const made = entries.filter(({ entry }) => entry.fresh).map(({ key, stored }) => record(key, stored));
      let live = entries.reduce((sum, { stored }) => sum + stored.bytes.length, 0) + spilled;
      for (const entry of this.#kept) live += opened.records.placeAt(entry).length;
      const added = made.reduce((sum, bytes) => sum + bytes.length, 0) + spilled;
      // a file that is not wholly ours (another Galley, a torn append) is replaced, never extended
      const append = opened.length > 0 && current === opened.length && opened.length + added <= 2 * live + COMPACT_SLACK;
      return { entries, made, added, append, live };
    };
    let { entries, made, added, append } = plan();
    if (!append && beforeRewrite) {
      // Which entries the build keeps is known only once beforeRewrite has named them, and
      // naming them is work a build should not do each time (most of the pack is kept unread):
      // without it nearly all looks stale. So a file is rewritten only once it has grown to twice
      // the length it is measured against (REWRITTEN), and only then are they named.
      const place = this.place(REWRITTEN);
      const stated = place && this.#read(place, REWRITTEN);
      const rewritten = stated ? Number(Buffer.from(stated.bytes).toString('latin1')) : 0;
      append = opened.length > 0 && current === opened.length && opened.length + added <= 2 * rewritten + COMPACT_SLACK;
      if (!append) {
        beforeRewrite();
        let live: number;
        ({ entries, made, added, append, live } = plan());
        // Most of it still live, so it is appended to: it is measured from now on against what
        // is live now, named again only once it has grown by that much more. Without this mark
        // every later build would name its entries again (seconds at 100,000 articles) and append.
        if (append) made.push(record(REWRITTEN, encode(String(Math.ceil((opened.length + added + live) / 2)))));
      }
    }
    if (!append && onRewrite) {
      onRewrite();
      ({ entries, made, append } = plan());
    }
    if (append) {
      const fd = fs.openSync(file, 'a');
      const writer = new RecordWriter(fd, opened.length, opened.records);
      try {
        for (const bytes of made) writer.write(bytes);
        this.#copySpillInto(writer);
      } finally {
        fs.closeSync(fd);
      }
      writeIndexFile(file, this.#temporaryFolder, writer.records, writer.at);
      return;
    }
    fs.mkdirSync(this.#temporaryFolder, { recursive: true });
    const temporary = path.join(this.#temporaryFolder, `${path.basename(file)}.tmp`);
    const fd = fs.openSync(temporary, 'w');
    const writer = new RecordWriter(fd, 0, new RecordIndex());
    try {
      writer.copy(this.#header);
      for (const { key, entry, stored } of entries) if (!entry.fresh) writer.write(record(key, stored));
      for (const entry of this.#kept) {
        // a record kept is copied as it is, once it reads back whole (a damaged one is left behind)
        const bytes = opened.read(opened.records.placeAt(entry));
        if (wholeRecord(bytes)) writer.write(bytes);
        else this.#reportDamage();
      }
      for (const bytes of made) writer.write(bytes);
      this.#copySpillInto(writer);
      // last, the file's length so far: what it is measured against to be rewritten again (above)
      writer.write(record(REWRITTEN, encode(String(writer.at))));
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, file);
    writeIndexFile(file, this.#temporaryFolder, writer.records, writer.at);
  }
}

/** Writes records to a pack file from `at` on, each noted in `records`. */
class RecordWriter {
  constructor(
    readonly fd: number,
    public at: number,
    readonly records: RecordIndex,
  ) {}

  /** One whole record. */
  write(bytes: Buffer): void {
    this.records.add({ at: this.at, length: bytes.length }, bytes.subarray(RECORD_HEAD, RECORD_HEAD + bytes.readUInt32LE(0)));
    this.copy(bytes);
  }

  /** Bytes whose records the caller notes itself (the spill file's). */
  copy(bytes: Uint8Array): void {
    writeAll(this.fd, bytes);
    this.at += bytes.length;
  }
}

/**
 * A pack's index file (`<pack>.index`): what opening the pack by record would find (see
 * RecordIndex), so that opening it reads tens of bytes a record and not the whole file. It says
 * which file it is the index of: the pack's length in whole records, and its size, inode and
 * modification time (to the millisecond) as `stat` gives them; then the CRC-32 of its entries, then the entries. It is
 * taken only for that very file (an append changes the size and the time, a rewrite the inode),
 * else the pack is scanned, and the index written anew when the pack is saved. Whatever it
 * says, a record read through it is checked like any other, its key included.
 */
const INDEX_MAGIC = Buffer.from('galley pack index 1\n');
const INDEX_HEAD = INDEX_MAGIC.length + 4 * 8 + 4;

function indexFileOf(pack: string): string {
  return `${pack}.index`;
}

/** Writes the index of `pack` (write then rename). It only saves reading: a failure to write it is no failure of the build. */
function writeIndexFile(pack: string, temporaryFolder: string, records: RecordIndex, length: number): void {
  const temporary = path.join(temporaryFolder, `${path.basename(pack)}.index.tmp`);
  try {
    const { size, ino, mtimeMs } = fs.statSync(pack);
    const entries = records.entries();
    const head = Buffer.alloc(INDEX_HEAD);
    let at = INDEX_MAGIC.copy(head, 0);
    for (const number of [length, size, ino, Math.floor(mtimeMs)]) at = head.writeDoubleLE(number, at);
    head.writeUInt32LE(crc32(entries), at);
    fs.mkdirSync(temporaryFolder, { recursive: true });
    const fd = fs.openSync(temporary, 'w');
    try {
      // two buffers written as they are: joined, an index of megabytes would be copied once more
      if (fs.writevSync(fd, [head, entries]) !== head.length + entries.length) throw new Error(`${temporary}: written in part`);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, indexFileOf(pack));
  } catch {
    fs.rmSync(temporary, { force: true });
  }
}

/** The records and length an index file gives for the pack file `stat` describes, or null when it is not that file's, or not whole. */
function readIndexFile(index: IndexBytes | null, stat: fs.Stats): { readonly records: RecordIndex; readonly length: number } | null {
  if (!index || index.size < INDEX_HEAD || !index.bytes.subarray(0, INDEX_MAGIC.length).equals(INDEX_MAGIC)) return null;
  const { bytes } = index;
  const [length, size, ino, mtimeMs] = [0, 1, 2, 3].map((at) => bytes.readDoubleLE(INDEX_MAGIC.length + 8 * at)) as [number, number, number, number];
  if (size !== stat.size || ino !== stat.ino || mtimeMs !== Math.floor(stat.mtimeMs) || !(length <= size)) return null;
  if (crc32(bytes.subarray(INDEX_HEAD, index.size)) !== bytes.readUInt32LE(INDEX_HEAD - 4)) return null;
  const records = RecordIndex.fromEntries(bytes.subarray(INDEX_HEAD), index.size - INDEX_HEAD, length);
  return records && { records, length };
}

/**
 * An index file as read: its `size` bytes at the start of `bytes`, room after them. The index
 * opened from it notes the records this build appends in that room (RecordIndex.add): grown
 * instead, the index of a large pack (tens of megabytes) would be held twice, while the pack is
 * saved, at the busiest moment of a rebuild.
 */
interface IndexBytes {
  readonly bytes: Buffer;
  readonly size: number;
}

/** Room read after an index file of `size` bytes: for a sixteenth more entries (a rebuild appends a few). */
function roomAfter(size: number): number {
  return Math.max(64 * 1024, size >> 4);
}

/** An index file opened, and a buffer for its bytes with room after them (see IndexBytes); null when there is none or it cannot be opened. */
function openIndexFile(indexFile: string): { readonly fd: number; readonly size: number; readonly bytes: Buffer } | null {
  let fd: number;
  try {
    fd = fs.openSync(indexFile, 'r');
  } catch {
    return null;
  }
  try {
    const { size } = fs.fstatSync(fd);
    return { fd, size, bytes: Buffer.allocUnsafe(size + roomAfter(size)) };
  } catch {
    fs.closeSync(fd);
    return null;
  }
}

/**
 * An index file's bytes, read on libuv's threads, or null when there is none. Read before the
 * pack is opened: should the pack be replaced meanwhile, the index is not of the file opened, and is not taken.
 */
async function readIndexBytes(indexFile: string): Promise<IndexBytes | null> {
  const opened = openIndexFile(indexFile);
  if (!opened) return null;
  try {
    return { bytes: opened.bytes, size: (await readChunkAsync(opened.fd, 0, opened.size, opened.bytes)).length };
  } catch {
    return null;
  } finally {
    fs.closeSync(opened.fd);
  }
}

/** readIndexBytes, here and now. */
function readIndexBytesSync(indexFile: string): IndexBytes | null {
  const opened = openIndexFile(indexFile);
  if (!opened) return null;
  try {
    return { bytes: opened.bytes, size: readChunkSync(opened.fd, 0, opened.size, opened.bytes).length };
  } catch {
    return null;
  } finally {
    fs.closeSync(opened.fd);
  }
}

/** Writes all of `bytes` at `fd`'s position (writeSync may write less than asked). */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, bytes.length - done);
}

/** Up to `length` bytes of `fd` from `at` (fewer only where the file ends), into the start of `bytes` when given. */
function readChunkSync(fd: number, at: number, length: number, bytes: Buffer = Buffer.allocUnsafe(length)): Buffer {
  let read = 0;
  while (read < length) {
    const got = fs.readSync(fd, bytes, read, length - read, at + read);
    if (got === 0) break;
    read += got;
  }
  return bytes.subarray(0, read);
}

/**
 * A pack's bytes, with its stat and its index file (read first, see readIndexBytes), read with as
 * few requests to libuv's threads as it takes (one, unless the file grows meanwhile).
 */
async function readWhole(file: string, indexFile: string): Promise<{ readonly fd: number; readonly content: Buffer; readonly stat: fs.Stats; readonly index: IndexBytes | null }> {
  const index = await readIndexBytes(indexFile);
  const fd = fs.openSync(file, 'r');
  try {
    const stat = fs.fstatSync(fd);
    return { fd, content: await readChunkAsync(fd, 0, stat.size), stat, index };
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
}

/** readWhole, here and now, handed to `open` (which takes the descriptor). */
function openWholeSync(file: string, open: (fd: number, content: Buffer, stat: fs.Stats, index: IndexBytes | null) => Opened): Opened {
  const index = readIndexBytesSync(indexFileOf(file));
  const fd = fs.openSync(file, 'r');
  try {
    const stat = fs.fstatSync(fd);
    return open(fd, readChunkSync(fd, 0, stat.size), stat, index);
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
}

/** readChunkSync on libuv's threads. */
async function readChunkAsync(fd: number, at: number, length: number, bytes: Buffer = Buffer.allocUnsafe(length)): Promise<Buffer> {
  let read = 0;
  while (read < length) {
    const got = await new Promise<number>((resolve, reject) => fs.read(fd, bytes, read, length - read, at + read, (error, count) => (error ? reject(error) : resolve(count))));
    if (got === 0) break;
    read += got;
  }
  return bytes.subarray(0, read);
}

/** A read a pack's opening asks for: `length` bytes from `at` (see openingSteps). */
interface ChunkRequest {
  readonly at: number;
  readonly length: number;
}

/**
 * Opening a pack by record, as steps: each yields the chunk of the file it wants next (its
 * header, then its heads and keys, see PackScan), and is handed it; done, the file's records.
 */
function* openingSteps(fd: number, header: Buffer, index: IndexBytes | null, superseded: () => boolean = () => false): Generator<ChunkRequest, Opened, Buffer> {
  const stat = fs.fstatSync(fd);
  const scan = new PackScan(stat.size, header.length);
  const ours = (yield { at: 0, length: header.length }).equals(header);
  const read = (place: RecordPlace) => readChunkSync(fd, place.at, place.length);
  const close = () => fs.closeSync(fd);
  const indexed = ours ? readIndexFile(index, stat) : null;
  if (indexed) return { ...indexed, read, close, indexed: true };
  if (ours) {
    for (let wanted = scan.wanted(); wanted > 0 && !superseded(); ) {
      const chunk = yield { at: scan.position, length: wanted };
      const next = scan.take(chunk);
      // the file ended early (truncated meanwhile): what was read whole is all there is
      if (chunk.length < wanted && next >= wanted) break;
      wanted = next;
    }
  }
  return { records: scan.records, length: ours ? scan.position : 0, read, close, indexed: false };
}

/**
 * A pack opened by record, its chunks read on libuv's threads: the file stays open to read a
 * record from when asked for (a file replaced meanwhile by another build's rewrite stays
 * readable through the descriptor as it was).
 */
async function openByRecord(file: string, header: Buffer, superseded: () => boolean, indexFile: string): Promise<Opened> {
  const index = await readIndexBytes(indexFile);
  const fd = fs.openSync(file, 'r');
  try {
    const steps = openingSteps(fd, header, index, superseded);
    let step = steps.next();
    while (!step.done) step = steps.next(await readChunkAsync(fd, step.value.at, step.value.length));
    return step.value;
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
}

/** openByRecord, every chunk read here and now. */
function openByRecordSync(file: string, header: Buffer, indexFile: string): Opened {
  const index = readIndexBytesSync(indexFile);
  const fd = fs.openSync(file, 'r');
  try {
    const steps = openingSteps(fd, header, index);
    let step = steps.next();
    while (!step.done) step = steps.next(readChunkSync(fd, step.value.at, step.value.length));
    return step.value;
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
}

/**
 * Walks a pack file's records from just after its header, given the file in chunks: notes each
 * whole record's place and key (RecordIndex), and skips its value without needing it.
 */
class PackScan {
  readonly records = new RecordIndex();
  /** Where the next record starts. */
  position: number;
  readonly #size: number;

  constructor(size: number, headerLength: number) {
    this.#size = size;
    this.position = headerLength;
  }

  /** How many bytes from `position` the next take wants; 0 when the file's whole records are all read. */
  wanted(head?: { readonly keyLength: number }): number {
    if (this.position + RECORD_HEAD > this.#size) return 0;
    return Math.min(Math.max(OPENING_CHUNK, RECORD_HEAD + (head?.keyLength ?? 0)), this.#size - this.position);
  }

  /** Takes the file's bytes from `position` on; returns how many bytes from the new `position` it wants next (see wanted). */
  take(chunk: Buffer): number {
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let offset = 0;
    while (offset + RECORD_HEAD <= chunk.length) {
      const keyLength = view.getUint32(offset, true);
      const length = RECORD_HEAD + keyLength + view.getUint32(offset + 4, true);
      // a record that runs past the file's end is torn: the file's whole records end here
      if (this.position + length > this.#size) return 0;
      if (offset + RECORD_HEAD + keyLength > chunk.length) return this.wanted({ keyLength });
      this.records.add({ at: this.position, length }, chunk.subarray(offset + RECORD_HEAD, offset + RECORD_HEAD + keyLength));
      this.position += length;
      offset += length;
    }
    return this.wanted();
  }
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

/** Whether `bytes` are one whole record whose key and value hash as its head says. */
function wholeRecord(bytes: Buffer): boolean {
  if (bytes.length < RECORD_HEAD) return false;
  const end = RECORD_HEAD + bytes.readUInt32LE(0) + bytes.readUInt32LE(4);
  return end === bytes.length && crc32(bytes.subarray(RECORD_HEAD, end)) === bytes.readUInt32LE(9);
}

/** The key of the record `bytes`. */
function recordKey(bytes: Buffer): string {
  return bytes.toString('utf8', RECORD_HEAD, RECORD_HEAD + bytes.readUInt32LE(0));
}

/** The entry in the record that starts at `offset` of `bytes` (see `record`). */
function storedAt(bytes: Buffer, offset: number): Stored {
  const keyLength = bytes.readUInt32LE(offset);
  const valueLength = bytes.readUInt32LE(offset + 4);
  const start = offset + RECORD_HEAD + keyLength;
  return { text: bytes[offset + 8] === 1, bytes: bytes.subarray(start, start + valueLength) };
}

/**
 * The records of a pack file by key, without a string made for any of them: a number folded from
 * a key's bytes finds its record, and the whole key, compared byte for byte, confirms it. Making
 * a string of every key (and hashing it into a map) was most of what opening a pack cost. The
 * keys are copied into one growing buffer, each after its record's place; a table of slots
 * (open addressing, linear probing) finds an entry by its folded key: four bytes a slot, where a
 * map of numbers cost ~40 bytes an entry (a rebuild of 100,000 articles opens ~1,000,000).
 */
class RecordIndex {
  /** Each record: where it is in the file (float64), its length, its key's length, its key folded (uint32 each), its key. */
  #keys: Buffer = Buffer.allocUnsafe(64 * 1024);
  #used = 0;
  /** Entries in #keys no longer live (their key's record replaced, or forgotten): while none, #keys holds each key once. */
  #stale = 0;
  /** Each slot EMPTY, FORGOTTEN (passed over when looking, taken when adding), or 1 + where a live entry starts in #keys. */
  #slots = new Uint32Array(MIN_SLOTS);
  /** Slots not EMPTY. */
  #filled = 0;
  /** Live entries. */
  #live = 0;

  /**
   * The index whose entries() gave the first `used` bytes of `entries`, or null when they are not
   * whole entries of records within `length` bytes; the bytes after them are room for the
   * entries add() notes. One slot per key, no key read: loading it costs next to nothing.
   */
  static fromEntries(entries: Buffer, used: number, length: number): RecordIndex | null {
    const starts: number[] = [];
    for (let entry = 0; entry < used; ) {
      if (entry + ENTRY_HEAD > used) return null;
      const at = entries.readDoubleLE(entry);
      const end = entry + ENTRY_HEAD + entries.readUInt32LE(entry + 12);
      if (end > used || !(at >= 0 && at + entries.readUInt32LE(entry + 8) <= length)) return null;
      starts.push(entry);
      entry = end;
    }
    const index = new RecordIndex();
    index.#keys = entries;
    index.#used = used;
    index.#slots = new Uint32Array(slotsFor(starts.length));
    // entries() holds each key once: each goes in without looking for another of its key
    for (const entry of starts) index.#put(entry);
    return index;
  }

  /** The entries of the records it knows, each key once (what fromEntries takes). */
  entries(): Buffer {
    if (this.#stale === 0) return this.#keys.subarray(0, this.#used);
    const live: Buffer[] = [];
    for (const held of this.#slots) {
      if (held === EMPTY || held === FORGOTTEN) continue;
      const entry = held - 1;
      live.push(this.#keys.subarray(entry, entry + ENTRY_HEAD + this.#keys.readUInt32LE(entry + 12)));
    }
    return Buffer.concat(live);
  }

  /** Notes the record at `place` with key `key`; it replaces one of the same key. */
  add(place: RecordPlace, key: Uint8Array): void {
    const entry = this.#used;
    const end = entry + ENTRY_HEAD + key.length;
    if (end > this.#keys.length) {
      const grown = Buffer.allocUnsafe(Math.max(end, this.#keys.length * 2));
      this.#keys.copy(grown, 0, 0, this.#used);
      this.#keys = grown;
    }
    const keys = this.#keys;
    const fold = foldOf(key);
    keys.writeDoubleLE(place.at, entry);
    keys.writeUInt32LE(place.length, entry + 8);
    keys.writeUInt32LE(key.length, entry + 12);
    keys.writeUInt32LE(fold, entry + 16);
    keys.set(key, entry + ENTRY_HEAD);
    this.#used = end;
    const slot = this.#slotOfBytes(key, fold);
    if (slot === undefined) {
      this.#put(entry);
      return;
    }
    this.#slots[slot] = entry + 1;
    this.#stale++;
  }

  /** Puts the entry at `entry` in a free slot (its key has none), the table grown first when it would be over three quarters full. */
  #put(entry: number): void {
    if ((this.#filled + 1) * 4 > this.#slots.length * 3) this.#grow();
    const slots = this.#slots;
    const mask = slots.length - 1;
    let slot = this.#keys.readUInt32LE(entry + 16) & mask;
    while (slots[slot] !== EMPTY && slots[slot] !== FORGOTTEN) slot = (slot + 1) & mask;
    if (slots[slot] === EMPTY) this.#filled++;
    slots[slot] = entry + 1;
    this.#live++;
  }

  /** A table for the live entries, at most half full (forgotten slots dropped). */
  #grow(): void {
    const old = this.#slots;
    this.#slots = new Uint32Array(slotsFor(this.#live + 1));
    this.#filled = 0;
    this.#live = 0;
    for (const held of old) if (held !== EMPTY && held !== FORGOTTEN) this.#put(held - 1);
  }

  /** Calls `each` with every live record's place and key. */
  forEach(each: (place: RecordPlace, key: Buffer) => void): void {
    const entries = this.entries();
    for (let entry = 0; entry < entries.length; ) {
      const keyLength = entries.readUInt32LE(entry + 12);
      each({ at: entries.readDoubleLE(entry), length: entries.readUInt32LE(entry + 8) }, entries.subarray(entry + ENTRY_HEAD, entry + ENTRY_HEAD + keyLength));
      entry += ENTRY_HEAD + keyLength;
    }
  }

  /** Forgets the record of `key` (found damaged): the file is as if it had none. */
  forget(key: string): void {
    const slot = this.#slotOf(key);
    if (slot === undefined) return;
    this.#slots[slot] = FORGOTTEN;
    this.#live--;
    this.#stale++;
  }

  /** Where the record of `key` is, if the file has one. */
  get(key: string): RecordPlace | undefined {
    const entry = this.entryOf(key);
    return entry === undefined ? undefined : this.placeAt(entry);
  }

  /** Where the entry of `key` is in this index, if the file has a record of it: a number that names the record while the index is open. */
  entryOf(key: string): number | undefined {
    const slot = this.#slotOf(key);
    return slot === undefined ? undefined : this.#slots[slot]! - 1;
  }

  /** Where the record of the entry at `entry` (see entryOf) is in the file. */
  placeAt(entry: number): RecordPlace {
    return { at: this.#keys.readDoubleLE(entry), length: this.#keys.readUInt32LE(entry + 8) };
  }

  /** The slot of the live entry of `key`, if there is one. */
  #slotOf(key: string): number | undefined {
    // keys are nearly always ASCII (kinds and hex digests): folded and compared from the string as
    // it is; a key with any other character, from its UTF-8 bytes
    let fold = FOLD_SEED;
    for (let index = Math.max(0, key.length - FOLDED); index < key.length; index++) {
      const code = key.charCodeAt(index);
      if (code > 0x7f) return this.#slotOfBytes(Buffer.from(key, 'utf8'));
      fold = Math.imul(fold ^ code, FOLD_PRIME);
    }
    fold &= FOLD_MASK;
    const keys = this.#keys;
    for (let slot = this.#candidate(fold, fold); slot !== undefined; slot = this.#candidate(fold, slot + 1)) {
      const entry = this.#slots[slot]! - 1;
      if (keys.readUInt32LE(entry + 12) !== key.length) continue;
      // from the end, where keys differ (their digests)
      let same = true;
      for (let index = key.length - 1, at = entry + ENTRY_HEAD; same && index >= 0; index--) {
        const code = key.charCodeAt(index);
        if (code > 0x7f) return this.#slotOfBytes(Buffer.from(key, 'utf8'));
        same = keys[at + index] === code;
      }
      if (same) return slot;
    }
    return undefined;
  }

  /** The slot of the live entry whose key is `bytes`, if there is one. */
  #slotOfBytes(bytes: Uint8Array, fold = foldOf(bytes)): number | undefined {
    const keys = this.#keys;
    for (let slot = this.#candidate(fold, fold); slot !== undefined; slot = this.#candidate(fold, slot + 1)) {
      const entry = this.#slots[slot]! - 1;
      if (keys.readUInt32LE(entry + 12) === bytes.length && keys.compare(bytes, 0, bytes.length, entry + ENTRY_HEAD, entry + ENTRY_HEAD + bytes.length) === 0) return slot;
    }
    return undefined;
  }

  /**
   * Probing for a key folded to `fold`, from slot `from` (wrapped round the table) on: the next
   * slot that holds a live entry of that fold, or none once an empty slot ends the probe.
   */
  #candidate(fold: number, from: number): number | undefined {
    const slots = this.#slots;
    const mask = slots.length - 1;
    for (let slot = from & mask; slots[slot] !== EMPTY; slot = (slot + 1) & mask) {
      const held = slots[slot]!;
      if (held !== FORGOTTEN && this.#keys.readUInt32LE(held - 1 + 16) === fold) return slot;
    }
    return undefined;
  }
}

/** A RecordIndex slot that holds no entry and never did (a look for a key ends there), and one whose entry was forgotten. */
const EMPTY = 0;
const FORGOTTEN = 0xffffffff;
const MIN_SLOTS = 1024;

/** Slots (a power of two) for `live` entries: at most half full. */
function slotsFor(live: number): number {
  let slots = MIN_SLOTS;
  while (slots < live * 2) slots *= 2;
  return slots;
}

/** Bytes of a RecordIndex entry before its key. */
const ENTRY_HEAD = 20;

/**
 * FNV-1a over a key's last FOLDED bytes, kept to a small integer. The last ones: keys share long
 * prefixes (`file article-page …`) and end in a hex digest, whose last 24 digits (96 bits) tell
 * any two apart; keys that fold alike are told apart one comparison at a time.
 */
function foldOf(key: Uint8Array): number {
  let fold = FOLD_SEED;
  for (let index = Math.max(0, key.length - FOLDED); index < key.length; index++) fold = Math.imul(fold ^ key[index]!, FOLD_PRIME);
  return fold & FOLD_MASK;
}

/** Bytes of a key that foldOf reads, from its end. */
const FOLDED = 24;

const FOLD_SEED = 0x811c9dc5;
const FOLD_PRIME = 0x01000193;
const FOLD_MASK = 0x3fffffff;
