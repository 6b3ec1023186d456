/**
 * The no-change check. After each successful build Galley records, per output folder, a key of
 * every input (Galley's fingerprint, the flags, site.yaml, every Markdown source, the pictures
 * they may show, which raw files are claimed) and a listing of the files it published. When the next build finds the
 * same key and the output folder exactly as it left it, there is nothing to do: the edition
 * would come out byte-identical, so it is kept, and the messages of that build are replayed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { BuildOptions } from './context.ts';
import type { SourceFile } from './sources.ts';
import { ARTICLES_FOLDER, folderEntries, listRawFiles, MEDIA_FOLDER, RAW_FOLDER, readRegularFile, SITE_FILE, skippedEntries } from '../model/content-folders.ts';
import { EditionRecord, readEditionRecord, writeEditionRecord, type FolderStamp, type Listing } from './edition-record.ts';
import { secondHalfOnAThread, STAT_FIELDS } from './stat-thread.ts';

/**
 * What the record of an edition says besides its listing (its header, edition-record.ts). The
 * listing holds what the folder held when the build published it (as the staging folder saw its
 * files go in: the same as a walk of the folder would find, without reading it again), and each
 * folder's stamp (`''`: the output folder): adding, removing or renaming anything in a folder
 * changes its modification and change times, so the check stats the folders instead of listing them.
 */
export interface EditionHeader {
  readonly key: string;
  /** The earliest date of an article held back as future: after it, the edition changes. */
  readonly heldUntil: number | null;
  /** What the build printed (warnings, notices), replayed when it is reused. */
  readonly messages: string;
  readonly counts: { readonly published: number; readonly drafts: number; readonly future: number; readonly warnings: number };
}

/** The record of the edition published in `outDir` (edition-record.ts). */
export function manifestPath(cacheDir: string, outDir: string): string {
  return path.join(cacheDir, 'editions', `${editionName(outDir)}.edition`);
}

function editionName(outDir: string): string {
  return createHash('sha256').update(outDir).digest('hex').slice(0, 32);
}

/**
 * The key of a build's inputs, or null when the build must run anyway (a raw file no source
 * claims yet means ingest has work to do).
 */
export function inputKey(options: BuildOptions, fingerprint: string, sources: readonly SourceFile[]): string | null {
  // a file of several items (a news message) is claimed as `raw/NAME#N` by each item's source
  const claimed = new Set(sources.map((source) => source.claims?.replace(/#\d+$/, '')));
  if (listRawFiles(options.contentDir).some((name) => !claimed.has(`${RAW_FOLDER}/${name}`))) return null;
  const hash = createHash('sha256');
  const siteFile = path.join(options.contentDir, SITE_FILE);
  hash.update(JSON.stringify([fingerprint, options.contentDir, options.baseUrl, options.drafts, options.future, options.formats]));
  hash.update(siteBytes(siteFile));
  // what is skipped is said in the build's messages: a new FIFO or link named like a source is a change
  for (const skipped of skippedEntries(options.contentDir)) hash.update(`\0skipped\0${skipped.path}\0${skipped.kind}`);
  for (const source of sources) hash.update(`\0${path.basename(source.path)}\0${source.hash}`);
  // the pictures an article may show (engine/media.ts), by identity: an edited, added or removed one is a change
  for (const [file, stat] of pictureFiles(options.contentDir)) hash.update(`\0picture\0${file}\0${stat.size}\0${stat.mtimeMs}\0${stat.ctimeMs}\0${stat.ino}`);
  return hash.digest('hex');
}

/**
 * Every file a source could show as a picture: all of media/, and what is not a source in
 * articles/ (pictures beside the sources, and in folders there), with its stat, in path order.
 * A readdir per folder and a stat per file, no file read.
 */
function pictureFiles(contentDir: string): [string, fs.Stats][] {
  const articles = path.join(contentDir, ARTICLES_FOLDER);
  // articles/ as the sources were listed from it (not read again), and everything in its folders
  const besideSources = folderEntries(articles).flatMap((entry) => (entry.isDirectory() ? everythingIn(path.join(articles, entry.name)) : /\.(md|markdown)$/i.test(entry.name) ? [] : [entry]));
  const files: [string, fs.Stats][] = [];
  for (const entry of [...everythingIn(path.join(contentDir, MEDIA_FOLDER)), ...besideSources]) {
    if (entry.isDirectory()) continue;
    const file = path.join(entry.parentPath, entry.name);
    // a symbolic link by what it leads to (media.ts reads it only when that is inside the content folder)
    try {
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      if (stat) files.push([path.relative(contentDir, file), stat]);
    } catch {
      // a link that loops: not a picture any source can show
    }
  }
  return files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Every entry under `dir`, at any depth (none when it cannot be read). */
function everythingIn(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
}

/** site.yaml's bytes for the key; anything that is not a readable file (a folder, a FIFO) is keyed by what it is, and reported by the build. */
function siteBytes(siteFile: string): string | Buffer {
  if (!fs.existsSync(siteFile)) return 'no site file';
  try {
    return readRegularFile(siteFile);
  } catch (error) {
    return `site file unreadable: ${error instanceof Error ? error.message : String(error)}`;
  }
}

export type { FolderStamp, Listing, ListingEntry } from './edition-record.ts';

/**
 * Every folder that holds a file of `files` (and the output folder, `''`), stamped as it is now
 * in `outDir`: as `known` gives it (publishing knows the folders it left as they were), else by a stat.
 */
function folderStamps(outDir: string, files: Readonly<Listing>, known: (folder: string) => FolderStamp | undefined): Record<string, FolderStamp> {
  const folders = new Set<string>(['']);
  for (const file of Object.keys(files)) {
    for (let slash = file.lastIndexOf('/'); slash > 0 && !folders.has(file.slice(0, slash)); slash = file.lastIndexOf('/', slash - 1)) folders.add(file.slice(0, slash));
  }
  const stamps: Record<string, FolderStamp> = {};
  for (const folder of folders) {
    const stamp = known(folder);
    if (stamp) stamps[folder] = stamp;
    else {
      const stat = fs.lstatSync(folder ? `${outDir}${path.sep}${folder}` : outDir);
      stamps[folder] = [stat.mtimeMs, stat.ctimeMs, stat.ino];
    }
  }
  return stamps;
}

/**
 * Whether `outDir` holds exactly what `record` recorded: each folder with its stamp (nothing
 * added, removed or renamed in it), each file with its size, times and inode (not written to).
 * A stat per folder and per file; no folder is listed. A large edition's second half of files is
 * stat'ed on a thread of its own meanwhile (stat-thread.ts).
 */
async function unchangedSince(record: EditionRecord, outDir: string): Promise<boolean> {
  // output paths are POSIX: joined as they are where that is the system's separator (a stat per file of a large archive)
  const within = (relative: string) => (relative === '' ? outDir : path.sep === '/' ? `${outDir}/${relative}` : path.join(outDir, relative));
  if (!record.folders.includes('')) return false;
  const { files } = record;
  const { half, other } = secondHalfOnAThread(files, within);
  try {
    for (let index = 0; index < record.folders.length; index++) {
      const stat = fs.lstatSync(within(record.folders[index]!), { throwIfNoEntry: false });
      if (!stat || !record.sameFolder(index, stat)) return false;
    }
    for (let index = 0; index < half; index++) {
      const stat = fs.lstatSync(within(files[index]!), { throwIfNoEntry: false });
      if (!stat || !record.sameFile(index, stat.isFile(), stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino)) return false;
    }
    // the second half's stats, as the other thread took them (none when this thread took all)
    const stats = other ? await other.stats : new Float64Array(0);
    if (stats === null) return false;
    for (let index = half, at = 0; index < files.length; index++, at += STAT_FIELDS) {
      if (!record.sameFile(index, stats[at] === 1, stats[at + 1]!, stats[at + 2]!, stats[at + 3]!, stats[at + 4]!)) return false;
    }
    return true;
  } finally {
    other?.stop();
  }
}

/** An edition kept as it is: its record's header, and how many files it holds. */
export interface KeptEdition extends EditionHeader {
  /** How many files it holds. */
  readonly fileCount: number;
}

/** The edition in `outDir`, when its record is still current for `key` at `now`. */
export async function currentEdition(cacheDir: string, outDir: string, key: string, now: Date): Promise<KeptEdition | null> {
  try {
    // another key is told from the record's first bytes, without reading the listing of every file
    const record = readEditionRecord(manifestPath(cacheDir, outDir), key);
    if (!record) return null;
    // the header as recordEdition wrote it (the record's magic names this Galley's format)
    const { heldUntil, messages, counts } = record.header as unknown as EditionHeader;
    if (heldUntil !== null && now.getTime() >= heldUntil) return null;
    return (await unchangedSince(record, outDir)) ? { key, heldUntil, messages, counts, fileCount: record.files.length } : null;
  } catch {
    // a record cut short, or not of the shape this Galley writes: as good as none
    return null;
  }
}

/** The listing recorded for the edition in `outDir`, whatever its key (for tests and tools). */
export function recordedListing(cacheDir: string, outDir: string): Listing | null {
  return readEditionRecord(manifestPath(cacheDir, outDir))?.listing() ?? null;
}

/** Records the edition just published in `outDir` (its folders are stamped now, as they stand published). */
export function recordEdition(cacheDir: string, outDir: string, { files, ...header }: EditionHeader & { readonly files: Readonly<Listing> }, knownFolder: (folder: string) => FolderStamp | undefined = () => undefined): void {
  const file = manifestPath(cacheDir, outDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeEditionRecord(temporary, header, files, folderStamps(outDir, files, knownFolder));
  fs.renameSync(temporary, file);
}

/** Forgets the edition of `outDir` (before a build replaces it, so a crash cannot leave a stale record). */
export function forgetEdition(cacheDir: string, outDir: string): void {
  fs.rmSync(manifestPath(cacheDir, outDir), { force: true });
  // and the record an earlier Galley kept as JSON
  fs.rmSync(path.join(cacheDir, 'editions', `${editionName(outDir)}.json`), { force: true });
}
