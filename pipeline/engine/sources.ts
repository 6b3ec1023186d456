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
import { sha256Of } from './digest.ts';
import { appendedLine, entriesOf, writeWhole, type IndexEntry } from './source-index-file.ts';
import type { SourceFile } from './source-file.ts';
import { HeldSource } from './held-source.ts';
import { collectNowIfLarge } from './heap.ts';
import { secondHalfOnAThread, STAT_FIELDS } from './stat-thread.ts';

/** What the index knows a source's file by: what a stat gives of its identity. */
type Identity = Pick<fs.Stats, 'size' | 'ino' | 'mtimeMs' | 'ctimeMs'>;

export type { SourceFile } from './source-file.ts';


export function listSourceFiles(contentDir: string): string[] {
  const dir = path.join(contentDir, ARTICLES_FOLDER);
  return folderEntries(dir)
    .filter((entry) => entry.isFile() && /\.(md|markdown)$/i.test(entry.name))
    .map((entry) => path.join(dir, entry.name))
    .sort();
}

/**
 * A file must have been still for this long before its entry is kept: longer than any file
 * system's clock tick (FAT's is two seconds), so a later write always gives another change time.
 */
const STILL_MS = 3_000;

/** Version of the index file: a new one whenever its format, or how a source's bytes are read into an entry, changes. */
const INDEX_FORMAT = 5;

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
    const name = path.join(cacheDir, 'sources', createHash('sha256').update(contentDir).digest('hex').slice(0, 32));
    const file = `${name}.v${INDEX_FORMAT}.index`;
    let bytes: Buffer | null = null;
    try {
      bytes = fs.readFileSync(file);
    } catch {
      // none yet, or unreadable: every source is read; the index of an earlier format (JSON up to the fourth) is of no use any more
      for (let older = 1; older < INDEX_FORMAT; older++) fs.rmSync(`${name}.v${older}.${older < 5 ? 'json' : 'index'}`, { force: true });
    }
    if (bytes === null) return new SourceIndex(file, new Map(), 0, true);
    const { entries, damaged, torn, appended } = entriesOf(bytes);
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
    const files = listSourceFiles(contentDir);
    // a large archive's second half of sources is stat'ed on a thread of its own meanwhile
    const { half, other } = secondHalfOnAThread(files);
    const stats: Identity[] = [];
    try {
      for (let index = 0; index < half; index++) stats.push(fs.statSync(files[index]!));
      const taken = await other?.stats;
      for (let index = half, at = 0; index < files.length; index++, at += STAT_FIELDS) {
        // one the thread could not stat as a file is stat'ed here, which throws as it would have
        if (!taken || taken[at] !== 1) stats.push(fs.statSync(files[index]!));
        else stats.push({ size: taken[at + 1]!, mtimeMs: taken[at + 2]!, ctimeMs: taken[at + 3]!, ino: taken[at + 4]! });
      }
    } finally {
      other?.stop();
    }
    const listed = files.map((filePath, index) => {
      const stat = stats[index]!;
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
