/**
 * The Markdown sources of a content folder: `articles/*.md`, whether ingest wrote them or a
 * person did. Read once per build; ingest learns from them which raw files are already claimed.
 *
 * A build needs every source's hash (the no-change check and the cache key by it) but the bytes
 * of only the few it parses again. So what a source's bytes gave (hash, claim, slug) is kept in
 * a source index in the cache, under the file's identity as `stat` gives it (size, inode,
 * modification and change times), and a source whose identity is unchanged is not read at all:
 * on a 1,000-article site that is most of a one-article rebuild's check. Change time cannot be
 * set by anything but the kernel, on any write, so an edited file never matches an old entry;
 * and an entry is only kept once the file has been still for a while (see STILL_MS), so two
 * writes within one tick of the file system's clock cannot share a change time either.
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { ARTICLES_FOLDER, folderEntries } from '../model/content-folders.ts';
import { crc32, sha256Hex, sha256Of } from './digest.ts';
import type { SourceFile } from './source-file.ts';
import { HeldSource } from './held-source.ts';
import { jsonObjectPieces, writeTextFile } from './write-pieces.ts';
import { collectNowIfLarge } from './heap.ts';

export type { SourceFile } from './source-file.ts';


export function listSourceFiles(contentDir: string): string[] {
  const dir = path.join(contentDir, ARTICLES_FOLDER);
  return folderEntries(dir)
    .filter((entry) => entry.isFile() && /\.(md|markdown)$/i.test(entry.name))
    .map((entry) => path.join(dir, entry.name))
    .sort();
}

/** What the index keeps of a source: its identity, then what its bytes gave. */
type IndexEntry = readonly [size: number, inode: number, modified: number, changed: number, hash: string, claims: string | null, slug: string];

/**
 * The index file: the entries as a build wrote it whole, then the entries later builds appended.
 * The whole part is two lines, the SHA-256 of its JSON and the JSON (an object of entries by
 * path): one hash and one parse as every build opens it. Each appended entry is a line of its
 * own: the CRC-32 of its JSON (8 hex digits), a space, the JSON of `[path, ...entry]`,
 * superseding what came before for that path. A build appends the entries it made (writing the
 * whole index cost ~0.1 s of each rebuild at 10,000 sources) and writes the file whole when an
 * entry is dropped or the appended lines grow many.
 *
 * What does not check (one hex digit of a source's hash changed is enough to make every later
 * build fail that source as "changed while the build was running") is dropped and reported: the
 * whole part all at once, an appended line alone. A last line without its newline is an append
 * cut short, dropped quietly.
 */
function appendedLine(filePath: string, entry: IndexEntry): string {
  const json = JSON.stringify([filePath, ...entry]);
  return `${lineCheck(json)} ${json}\n`;
}

/** An appended line's check: the CRC-32 of its JSON, 8 hex digits. */
function lineCheck(json: string): string {
  return crc32(Buffer.from(json, 'utf8')).toString(16).padStart(8, '0');
}

/**
 * Writes the whole part of an index file: the JSON of the entries by path (paths are never
 * integer-like), an entry at a time, hashed in a first pass. As one string, with the object it
 * was made from, the index of 100,000 sources took ~100 MB at the end of a cold build, when its
 * memory is highest.
 */
function writeWhole(file: string, entries: ReadonlyMap<string, IndexEntry>): void {
  const hash = createHash('sha256');
  for (const piece of jsonObjectPieces(entries)) hash.update(piece);
  writeTextFile(file, (write) => {
    write(`${hash.digest('hex')}\n`);
    for (const piece of jsonObjectPieces(entries)) write(piece);
    write('\n');
  });
}

/** The entries of an index file's text, whether any did not check, whether it ends in an append cut short, and how many lines were appended. */
function entriesOf(text: string): { readonly entries: Map<string, IndexEntry>; readonly damaged: boolean; readonly torn: boolean; readonly appended: number } {
  const entries = new Map<string, IndexEntry>();
  let damaged = false;
  const wholeEnd = text.indexOf('\n', 65);
  if (text.indexOf('\n') !== 64 || wholeEnd === -1) return { entries, damaged: true, torn: false, appended: 0 };
  const json = text.slice(65, wholeEnd);
  let whole: unknown = null;
  try {
    if (sha256Hex(json) === text.slice(0, 64)) whole = JSON.parse(json);
  } catch {
    // not JSON: damaged
  }
  if (whole !== null && typeof whole === 'object' && !Array.isArray(whole)) {
    for (const [filePath, stored] of Object.entries(whole)) if (isIndexEntry(stored)) entries.set(filePath, stored);
  } else damaged = true;
  let appended = 0;
  let start = wholeEnd + 1;
  for (let end = text.indexOf('\n', start); end !== -1; start = end + 1, end = text.indexOf('\n', start)) {
    appended++;
    const line = text.slice(start + 9, end);
    let stored: unknown = null;
    try {
      if (text[start + 8] === ' ' && lineCheck(line) === text.slice(start, start + 8)) stored = JSON.parse(line);
    } catch {
      // not JSON: damaged
    }
    if (Array.isArray(stored) && typeof stored[0] === 'string' && isIndexEntry(stored.slice(1))) entries.set(stored[0], stored.slice(1) as unknown as IndexEntry);
    else damaged = true;
  }
  return { entries, damaged, torn: start < text.length, appended };
}

function isIndexEntry(stored: unknown): stored is IndexEntry {
  return Array.isArray(stored) && stored.length === 7;
}

/**
 * A file must have been still for this long before its entry is kept: longer than any file
 * system's clock tick (FAT's is two seconds), so a later write always gives another change time.
 */
const STILL_MS = 3_000;

/** Version of the index file: a new one whenever its format, or how a source's bytes are read into an entry, changes. */
const INDEX_FORMAT = 4;

/** The sources of a content folder, each read only when the index cannot vouch for it. */
export class SourceIndex {
  readonly #file: string;
  readonly #known: Map<string, IndexEntry>;
  /** Entries of the sources listed this build, to be saved. */
  readonly #seen = new Map<string, IndexEntry>();
  /** What the file holds now, and how many lines were appended to it; `#whole`: it is to be written whole (damaged, cut short, or none). */
  #inFile: Map<string, IndexEntry>;
  #appended: number;
  #whole: boolean;

  private constructor(file: string, known: Map<string, IndexEntry>, appended: number, whole: boolean) {
    this.#file = file;
    this.#known = known;
    this.#inFile = new Map(known);
    this.#appended = appended;
    this.#whole = whole;
  }

  /** The index of `contentDir`'s sources; `onDamaged` hears of an index file that was not as written (its damaged entries dropped). */
  static open(cacheDir: string, contentDir: string, onDamaged: (file: string) => void = () => {}): SourceIndex {
    // the format's version in the name: entries made by an older reading of the bytes (claims read by a regular expression, before format 2) are never taken
    const file = path.join(cacheDir, 'sources', `${createHash('sha256').update(contentDir).digest('hex').slice(0, 32)}.v${INDEX_FORMAT}.json`);
    let text: string | null = null;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      // none yet, or unreadable: every source is read; the index of an earlier format is of no use any more
      for (let older = 1; older < INDEX_FORMAT; older++) fs.rmSync(file.replace(/\.v\d+\.json$/, `.v${older}.json`), { force: true });
    }
    if (text === null) return new SourceIndex(file, new Map(), 0, true);
    const { entries, damaged, torn, appended } = entriesOf(text);
    if (damaged) onDamaged(file);
    return new SourceIndex(file, entries, appended, damaged || torn);
  }

  /** How many sources the index holds: the last build's. */
  get size(): number {
    return this.#known.size;
  }

  /** Every source of `contentDir`, in path order. */
  async sources(contentDir: string): Promise<SourceFile[]> {
    const now = Date.now();
    const listed = listSourceFiles(contentDir).map((filePath) => {
      const stat = fs.statSync(filePath);
      const entry = this.#known.get(filePath);
      const vouched = entry && entry[0] === stat.size && entry[1] === stat.ino && entry[2] === stat.mtimeMs && entry[3] === stat.ctimeMs;
      return { filePath, stat, entry: vouched ? entry : null };
    });
    // the code that parses a source loads only when one is to be read: a no-change build reads none
    const reader = listed.some(({ entry }) => entry === null) ? await import('./source-file.ts') : null;
    return listed.map(({ filePath, stat, entry }) => {
      if (entry) {
        this.#seen.set(filePath, entry);
        const [, , , , hash, claims, slug] = entry;
        return new HeldSource(filePath, hash, claims, slug, null, this.#forgetting);
      }
      const source = reader!.readSourceFile(filePath);
      // read from the file after its stat: should it change in between, its change time moves on too and the entry is never matched again
      if (now - Math.max(stat.mtimeMs, stat.ctimeMs) > STILL_MS) {
        this.#seen.set(filePath, [stat.size, stat.ino, stat.mtimeMs, stat.ctimeMs, source.hash, source.claims, source.slug]);
      }
      return source;
    });
  }

  /**
   * Indexes the sources of the edition just published that this build read but could not
   * index (not yet still when listed, or written by ingest meanwhile) and that have been still
   * since: each is stat'ed, and read again; when its bytes still hash as the build read them, its
   * entry is kept (a later write gives it another change time, so the entry cannot vouch for
   * other bytes). After a build of many fresh sources (an archive imported, a cold build from
   * raw copy) the next one reads none of them again. Then saves the index.
   */
  indexStill(sources: readonly SourceFile[]): void {
    const now = Date.now();
    const unindexed = sources.filter((source) => !this.#seen.has(source.path));
    // after a cold build from raw copy, every source of the archive is read again here, at the end
    // of the build, where what it made is garbage by now: that is collected first (heap.ts)
    collectNowIfLarge(unindexed.length);
    for (const source of unindexed) {
      try {
        const stat = fs.statSync(source.path);
        if (now - Math.max(stat.mtimeMs, stat.ctimeMs) <= STILL_MS || !stat.isFile()) continue;
        if (sha256Of(fs.readFileSync(source.path)) !== source.hash) continue;
        this.#seen.set(source.path, [stat.size, stat.ino, stat.mtimeMs, stat.ctimeMs, source.hash, source.claims, source.slug]);
      } catch {
        // gone or unreadable since: read by the next build
      }
    }
    this.save();
  }

  /**
   * Keeps the entries of the sources listed, and only those, for the next build: appends the
   * lines of entries the file does not hold, or writes it anew (see entriesOf). The index only
   * saves reading: a failure to write it (a full disk) is no failure of the build.
   */
  save(): void {
    const added = [...this.#seen].filter(([filePath, entry]) => this.#inFile.get(filePath) !== entry);
    const dropped = [...this.#inFile.keys()].some((filePath) => !this.#seen.has(filePath));
    if (added.length === 0 && !dropped && !this.#whole) return;
    const whole = this.#whole || dropped || this.#appended + added.length > this.#seen.size / 8 + APPENDED_SLACK;
    const temporary = `${this.#file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(this.#file), { recursive: true });
      if (whole) {
        writeWhole(temporary, this.#seen);
        fs.renameSync(temporary, this.#file);
      } else {
        fs.appendFileSync(this.#file, added.map(([filePath, entry]) => appendedLine(filePath, entry)).join(''));
      }
      this.#appended = whole ? 0 : this.#appended + added.length;
      this.#inFile = new Map(this.#seen);
      this.#whole = false;
    } catch {
      fs.rmSync(temporary, { force: true });
      // what the file holds is not known any more: written anew next time
      this.#whole = true;
    }
  }

  /** #forget, for each source the index vouches for to call (one function, not one per source). */
  readonly #forgetting = (filePath: string): void => this.#forget(filePath);

  /** Drops the entry of a source whose bytes were not what it said, at once: the next build reads the source again, whatever this one does. */
  #forget(filePath: string): void {
    this.#known.delete(filePath);
    this.#seen.delete(filePath);
    this.save();
  }
}

/** Appended lines an index file may carry, beyond an eighth of its entries, before it is written whole. */
const APPENDED_SLACK = 64;
