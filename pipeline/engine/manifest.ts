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
import { jsonObjectPieces, writeTextFile } from './write-pieces.ts';

export interface EditionManifest {
  readonly key: string;
  /**
   * What the folder held when this build published it (as the staging folder saw its files go
   * in: the same as a walk of the folder would find, without reading it again).
   */
  readonly files: Readonly<Listing>;
  /**
   * Each folder of the edition as it was once published, by path (`''`: the output folder):
   * adding, removing or renaming anything in a folder changes its modification and change
   * times, so the check stats the folders instead of listing them.
   */
  readonly folders: Readonly<Record<string, FolderStamp>>;
  /** The earliest date of an article held back as future: after it, the edition changes. */
  readonly heldUntil: number | null;
  /** What the build printed (warnings, notices), replayed when it is reused. */
  readonly messages: string;
  readonly counts: { readonly published: number; readonly drafts: number; readonly future: number; readonly warnings: number };
}

export function manifestPath(cacheDir: string, outDir: string): string {
  return path.join(cacheDir, 'editions', `${createHash('sha256').update(outDir).digest('hex').slice(0, 32)}.json`);
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

/**
 * A file of an edition as it was published: [size, mtime, change time (both in ms), inode]. Any
 * change to a file, even one that keeps its size and sets its mtime back, changes its change time.
 */
export type ListingEntry = readonly [size: number, mtimeMs: number, ctimeMs: number, ino: number];

/** Output path (POSIX separators) → its entry, for every file of an edition. */
export type Listing = Record<string, ListingEntry>;

/** A folder of an edition as it was published: [mtime, change time (both in ms), inode]. */
export type FolderStamp = readonly [mtimeMs: number, ctimeMs: number, ino: number];

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
 * Whether `outDir` holds exactly what `manifest` recorded: each folder with its stamp (nothing
 * added, removed or renamed in it), each file with its size, times and inode (not written to).
 * A stat per folder and per file; no folder is listed.
 */
function unchangedSince(manifest: EditionManifest, outDir: string): boolean {
  // output paths are POSIX: joined as they are where that is the system's separator (a stat per file of a large archive)
  const within = (relative: string) => (relative === '' ? outDir : path.sep === '/' ? `${outDir}/${relative}` : path.join(outDir, relative));
  if (!manifest.folders || !('' in manifest.folders)) return false;
  for (const folder in manifest.folders) {
    const [mtimeMs, ctimeMs, ino] = manifest.folders[folder]!;
    const stat = fs.lstatSync(within(folder), { throwIfNoEntry: false });
    if (!stat?.isDirectory() || stat.mtimeMs !== mtimeMs || stat.ctimeMs !== ctimeMs || stat.ino !== ino) return false;
  }
  for (const file in manifest.files) {
    const [size, mtimeMs, ctimeMs, ino] = manifest.files[file]!;
    const stat = fs.lstatSync(within(file), { throwIfNoEntry: false });
    if (!stat?.isFile() || stat.size !== size || stat.mtimeMs !== mtimeMs || stat.ctimeMs !== ctimeMs || stat.ino !== ino) return false;
  }
  return true;
}

/** The manifest of the edition in `outDir`, when it is still current for `key` at `now`. */
export function currentEdition(cacheDir: string, outDir: string, key: string, now: Date): EditionManifest | null {
  let manifest: EditionManifest;
  try {
    const text = fs.readFileSync(manifestPath(cacheDir, outDir), 'utf8');
    // the key is written first (recordEdition): another key is seen without parsing a listing of every file
    if (!text.startsWith(keyPrefix(key))) return null;
    manifest = JSON.parse(text) as EditionManifest;
  } catch {
    return null;
  }
  if (manifest.key !== key) return null;
  if (manifest.heldUntil !== null && now.getTime() >= manifest.heldUntil) return null;
  try {
    return unchangedSince(manifest, outDir) ? manifest : null;
  } catch {
    // a record not of the shape this Galley writes: as good as none
    return null;
  }
}

/** How a manifest's text begins when it is of `key`. */
function keyPrefix(key: string): string {
  return `{"key":${JSON.stringify(key)},`;
}

/** Records the edition just published in `outDir` (its folders are stamped now, as they stand published). */
export function recordEdition(cacheDir: string, outDir: string, manifest: Omit<EditionManifest, 'folders'>, knownFolder: (folder: string) => FolderStamp | undefined = () => undefined): void {
  const file = manifestPath(cacheDir, outDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  const { key, files, ...rest } = manifest;
  const folders = folderStamps(outDir, files, knownFolder);
  // the JSON of { key, files, ...rest, folders }, the key first (see currentEdition), the two
  // records of every file and folder an entry at a time
  writeTextFile(temporary, (write) => {
    write(keyPrefix(key));
    writeRecord(write, 'files', files);
    for (const [name, value] of Object.entries(rest)) if (value !== undefined) write(`,${JSON.stringify(name)}:${JSON.stringify(value)}`);
    write(',');
    writeRecord(write, 'folders', folders);
    write('}');
  });
  fs.renameSync(temporary, file);
}

/** `"name":{…}`, the JSON of `record` written an entry at a time. */
function writeRecord(write: (text: string) => void, name: string, record: Readonly<Record<string, unknown>>): void {
  write(`${JSON.stringify(name)}:`);
  for (const piece of jsonObjectPieces(membersOf(record))) write(piece);
}

/** A record's members in its own order, one at a time (not all at once, as Object.entries makes them). */
function* membersOf(record: Readonly<Record<string, unknown>>): Generator<readonly [string, unknown]> {
  for (const key in record) yield [key, record[key]];
}

/** Forgets the edition of `outDir` (before a build replaces it, so a crash cannot leave a stale record). */
export function forgetEdition(cacheDir: string, outDir: string): void {
  fs.rmSync(manifestPath(cacheDir, outDir), { force: true });
}
