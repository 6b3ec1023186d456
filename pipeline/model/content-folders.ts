import fs from 'node:fs';
import path from 'node:path';

/** The folders of a content folder: raw copy in, Markdown sources (ingest's and people's) kept, pictures. */
export const RAW_FOLDER = 'raw';
export const ARTICLES_FOLDER = 'articles';
/** The site's settings, beside the two folders. */
export const SITE_FILE = 'site.yaml';
/** Extensions of raw files the build looks at (the content decides the format). */
export const RAW_EXTENSIONS = /\.(?:txt|text|json|ninjs|xml|nitf|newsml|g2)$/i;
/** Pictures any article may show (engine/media.ts); an article's own may also stand beside it in articles/. */
export const MEDIA_FOLDER = 'media';

/**
 * Raw files of a content folder (`.txt`, `.json`, `.xml`…), sorted, so slugs are claimed in a
 * stable order. A name that is not UTF-8 cannot be written in a source's `source:` claim, nor
 * even opened by the name Node decodes for it: it is left out, and told to `onNotUtf8` (as Node
 * shows it). Here, with the folders and no parsing, because the no-change check lists them too.
 */
export function listRawFiles(contentDir: string, onNotUtf8?: (shownAs: string) => void): string[] {
  const dir = path.join(contentDir, RAW_FOLDER);
  const { names, notUtf8 } = unlessChanged(rawListings, dir, () => readRawFolder(dir));
  if (onNotUtf8) notUtf8.forEach((shownAs) => onNotUtf8(shownAs));
  return [...names];
}

const rawListings = new Map<string, FolderRead<{ readonly names: readonly string[]; readonly notUtf8: readonly string[] }>>();

function readRawFolder(dir: string): { names: string[]; notUtf8: string[] } {
  const names: string[] = [];
  const notUtf8: string[] = [];
  if (!fs.existsSync(dir)) return { names, notUtf8 };
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, encoding: 'buffer' })) {
    const name = strictUtf8(entry.name);
    if (!entry.isFile() || !RAW_EXTENSIONS.test(name ?? entry.name.toString())) continue;
    if (name === null) notUtf8.push(entry.name.toString());
    else names.push(name);
  }
  return { names: names.sort(), notUtf8 };
}

/**
 * What was read of a folder, and the folder's identity then. Adding, removing or renaming an
 * entry changes a folder's modification time (and its change time).
 */
interface FolderRead<T> {
  readonly ino: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly value: T;
}

/**
 * `read()` of the folder `dir`, read again only when the folder changed since it was last read
 * in this build: a build lists raw/ five times (check, ingest, keys), 10,000 entries each in a
 * large archive, and a stat is all it takes to know the list is the same. What was read is
 * forgotten when the next build starts (forgetFolderReads): a change within one tick of the
 * folder's clock keeps its modification time, and must not go unseen beyond the build it
 * happened in.
 */
function unlessChanged<T>(known: Map<string, FolderRead<T>>, dir: string, read: () => T): T {
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  const seen = known.get(dir);
  if (stat && seen && seen.ino === stat.ino && seen.mtimeMs === stat.mtimeMs && seen.ctimeMs === stat.ctimeMs) return seen.value;
  const value = read();
  if (stat) known.set(dir, { ino: stat.ino, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, value });
  else known.delete(dir);
  return value;
}

/** Forgets every folder read so far: called as a build starts. */
export function forgetFolderReads(): void {
  rawListings.clear();
  entryListings.clear();
}

/**
 * The entries of `dir` (name and kind; none when it cannot be read), read once while it is
 * unchanged in this build: the check reads articles/ for the sources, for what it skips and for
 * the pictures beside them.
 */
export function folderEntries(dir: string): readonly fs.Dirent[] {
  return unlessChanged(entryListings, dir, () => {
    try {
      return fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return [];
    }
  });
}

const entryListings = new Map<string, FolderRead<readonly fs.Dirent[]>>();

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function strictUtf8(bytes: Buffer): string | null {
  try {
    return UTF8.decode(bytes);
  } catch {
    return null;
  }
}

/** What a directory entry is, when it is not a regular file: said in the warning that skips it. */
function kindOf(entry: fs.Dirent): string {
  if (entry.isDirectory()) return 'a folder';
  if (entry.isSymbolicLink()) return 'a symbolic link';
  if (entry.isFIFO()) return 'a FIFO';
  if (entry.isSocket()) return 'a socket';
  return 'a device';
}

/**
 * Entries of raw/ and articles/ named like sources (`*.txt`, `*.md`) that are not regular files
 * (folders, symbolic links, FIFOs): the build skips them (a FIFO would block it, a link could
 * lead anywhere) and says so, naming each. In path order.
 */
export function skippedEntries(contentDir: string): { readonly path: string; readonly kind: string }[] {
  const skipped: { readonly path: string; readonly kind: string }[] = [];
  for (const [folder, pattern] of [
    [RAW_FOLDER, RAW_EXTENSIONS],
    [ARTICLES_FOLDER, /\.(md|markdown)$/i],
  ] as const) {
    const dir = path.join(contentDir, folder);
    for (const entry of folderEntries(dir)) if (!entry.isFile() && pattern.test(entry.name)) skipped.push({ path: path.join(dir, entry.name), kind: kindOf(entry) });
  }
  return skipped.sort((a, b) => a.path.localeCompare(b.path));
}

/** A file that is not a regular file (a folder, a FIFO): it is not read, and never waited on. */
export class NotAFile extends Error {
  constructor(readonly kind: string) {
    super(`is ${kind}, not a file`);
  }
}

/**
 * The bytes of a regular file. Opened without blocking and checked before it is read: a FIFO
 * in its place would otherwise hang the build until something writes to it, and a folder throw
 * EISDIR with no word of which file.
 */
export function readRegularFile(file: string): Buffer {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new NotAFile(stat.isDirectory() ? 'a folder' : stat.isFIFO() ? 'a FIFO' : stat.isSocket() ? 'a socket' : 'a device');
    return fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
