/**
 * The record of a published edition that the no-change check reads (manifest.ts): a header of
 * JSON, then every file's and folder's path and stamp, in binary. At 100,000 articles an edition
 * holds ~265,000 files and folders: recorded as JSON they made 29 MB, which took ~0.9 s to read
 * and parse into as many objects (and their garbage) in a check that is to take under 5 s; read
 * this way, ~0.15 s. The layout:
 *
 *     galley-edition 1\n
 *     {"key":…, …the header's other members…}\n
 *     the paths of the files, then of the folders, each ended by a NUL (UTF-8)
 *     per file 4 doubles: size, mtimeMs, ctimeMs, inode; then per folder 3: mtimeMs, ctimeMs, inode
 *     3 doubles: how many files, how many folders, the bytes of their paths
 *
 * The key is the header's first member, so that a record of other inputs is told by its first
 * bytes, without reading the rest. Doubles are little-endian: a number read back is the very
 * number written (as a stat gives it).
 */
import fs from 'node:fs';
import { PieceWriter, withNewFile } from './write-pieces.ts';

/**
 * A file of an edition as it was published: [size, mtime, change time (both in ms), inode]. Any
 * change to a file, even one that keeps its size and sets its mtime back, changes its change time.
 */
export type ListingEntry = readonly [size: number, mtimeMs: number, ctimeMs: number, ino: number];

/** Output path (POSIX separators) → its entry, for every file of an edition. */
export type Listing = Record<string, ListingEntry>;

/** A folder of an edition as it was published: [mtime, change time (both in ms), inode]. */
export type FolderStamp = readonly [mtimeMs: number, ctimeMs: number, ino: number];

const MAGIC = 'galley-edition 1\n';

/** The record ends with three doubles: how many files, how many folders, and the bytes of their paths. */
const TRAILER_BYTES = 24;

/** Bytes read first: the magic and a header of any likely length (a header longer than this is read whole all the same). */
const HEAD_BYTES = 64 * 1024;

/** The header of a record: `key` first, then what the check replays (JSON). */
export type RecordHeader = { readonly key: string } & Readonly<Record<string, unknown>>;

/** An edition's record as read back: its header, and its files and folders with their stamps. */
export class EditionRecord {
  readonly #bytes: Buffer;
  /** Where the numbers start in #bytes. */
  readonly #numbers: number;

  constructor(
    readonly header: RecordHeader,
    readonly files: readonly string[],
    readonly folders: readonly string[],
    bytes: Buffer,
    numbers: number,
  ) {
    this.#bytes = bytes;
    this.#numbers = numbers;
  }

  /** Whether a regular file of this size, times and inode (as a stat gives them) is the file recorded as `files[index]`, as it was published. */
  sameFile(index: number, isFile: boolean, size: number, mtimeMs: number, ctimeMs: number, ino: number): boolean {
    const at = this.#numbers + index * 32;
    const bytes = this.#bytes;
    return isFile && size === bytes.readDoubleLE(at) && mtimeMs === bytes.readDoubleLE(at + 8) && ctimeMs === bytes.readDoubleLE(at + 16) && ino === bytes.readDoubleLE(at + 24);
  }

  /** Whether `stat` is of the folder recorded as `folders[index]`, as it was published (times, inode). */
  sameFolder(index: number, stat: fs.Stats): boolean {
    const at = this.#numbers + this.files.length * 32 + index * 24;
    const bytes = this.#bytes;
    return stat.isDirectory() && stat.mtimeMs === bytes.readDoubleLE(at) && stat.ctimeMs === bytes.readDoubleLE(at + 8) && stat.ino === bytes.readDoubleLE(at + 16);
  }

  /** The files as a listing (for a reader that wants them all). */
  listing(): Listing {
    const listing: Listing = {};
    this.files.forEach((file, index) => {
      const number = (offset: number) => this.#bytes.readDoubleLE(this.#numbers + index * 32 + offset);
      listing[file] = [number(0), number(8), number(16), number(24)];
    });
    return listing;
  }
}

/** Writes the record of an edition into `file` (which must be new to this process: written whole, then renamed by the caller). */
export function writeEditionRecord(file: string, header: RecordHeader, files: Readonly<Listing>, folders: Readonly<Record<string, FolderStamp>>): void {
  const { key, ...rest } = header;
  withNewFile(file, (fd) => {
    const writer = new PieceWriter(fd, 0);
    writer.text(`${MAGIC}${JSON.stringify({ key, ...rest })}\n`);
    writer.flush();
    const pathsAt = writer.at;
    for (const paths of [Object.keys(files), Object.keys(folders)]) {
      for (const name of paths) {
        writer.text(name);
        writer.text('\0');
      }
    }
    writer.flush();
    const pathBytes = writer.at - pathsAt;
    for (const name in files) for (const value of files[name]!) writer.number(value);
    for (const name in folders) for (const value of folders[name]!) writer.number(value);
    for (const value of [Object.keys(files).length, Object.keys(folders).length, pathBytes]) writer.number(value);
    writer.flush();
  });
}

/**
 * The record in `file`; null when there is none, it is not one this Galley writes, or (with
 * `key`) it is of another key, which is told from its first bytes. Throws on a record cut short.
 */
export function readEditionRecord(file: string, key?: string): EditionRecord | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return null;
  }
  let bytes: Buffer;
  try {
    const size = fs.fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(size, HEAD_BYTES));
    const read = fs.readSync(fd, head, 0, head.length, 0);
    if (head.toString('latin1', 0, MAGIC.length) !== MAGIC) return null;
    if (key !== undefined && !head.subarray(MAGIC.length, read).toString('utf8').startsWith(`{"key":${JSON.stringify(key)},`)) return null;
    // every byte read into it below, or the record is refused as cut short
    bytes = Buffer.allocUnsafe(size);
    head.copy(bytes, 0, 0, read);
    for (let at = read; at < size; ) {
      const more = fs.readSync(fd, bytes, at, size - at, at);
      if (more === 0) throw new Error(`${file}: cut short`);
      at += more;
    }
  } finally {
    fs.closeSync(fd);
  }
  const headerEnd = bytes.indexOf(10, MAGIC.length);
  if (headerEnd < 0 || bytes.length < headerEnd + 1 + TRAILER_BYTES) throw new Error(`${file}: cut short`);
  const header = JSON.parse(bytes.toString('utf8', MAGIC.length, headerEnd)) as RecordHeader;
  const trailer = bytes.length - TRAILER_BYTES;
  const [fileCount, folderCount, pathBytes] = [0, 8, 16].map((offset) => bytes.readDoubleLE(trailer + offset)) as [number, number, number];
  const numbers = headerEnd + 1 + pathBytes;
  if (numbers + (fileCount * 4 + folderCount * 3) * 8 !== trailer) throw new Error(`${file}: its parts do not add up`);
  const paths = bytes.toString('utf8', headerEnd + 1, numbers).split('\0');
  // each path ends with a NUL: what follows the last one is the empty string
  if (paths.pop() !== '' || paths.length !== fileCount + folderCount) throw new Error(`${file}: its paths do not add up`);
  return new EditionRecord(header, paths.slice(0, fileCount), paths.slice(fileCount), bytes, numbers);
}
