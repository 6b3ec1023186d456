/**
 * Files given in pieces (a feed of 1,000 kept items, a list page of kept teasers): written as
 * they are, never joined first, as many pieces per system call as it takes (writev). And files
 * made a piece at a time, text and numbers (writeTextFile, PieceWriter).
 */
import fs from 'node:fs';

/** Pieces written one after another into `file`, on libuv's threads; `flag` as fs.open takes it ('wx': the file must be new). */
export async function writePieces(file: string, pieces: readonly Uint8Array[], flag = 'w'): Promise<void> {
  const handle = await fs.promises.open(file, flag);
  try {
    for (let start = 0; start < pieces.length; start += IOV_MAX) {
      const batch = pieces.slice(start, start + IOV_MAX);
      const expected = batch.reduce((sum, piece) => sum + piece.length, 0);
      const { bytesWritten } = await handle.writev(batch);
      // a short write (rare, on a full disk or a signal) goes on with plain writes
      if (bytesWritten < expected) {
        const rest = Buffer.concat(batch).subarray(bytesWritten);
        for (let written = 0; written < rest.length; ) written += (await handle.write(rest, written)).bytesWritten;
      }
    }
  } finally {
    await handle.close();
  }
}

/** Pieces per writev call: POSIX guarantees 1,024 (Linux's limit). */
const IOV_MAX = 1024;

/**
 * A file of text that `produce` hands over a piece at a time, written a megabyte at a time: the
 * records of a whole edition (every output file, every folder) run to tens of megabytes at
 * 100,000 articles, and made as one string they were copied twice more on their way to the disk,
 * all while the edition was being published, the build's peak. On any failure the file is removed.
 */
export function writeTextFile(file: string, produce: (write: (text: string) => void) => void): void {
  withNewFile(file, (fd) => {
    const writer = new PieceWriter(fd, 0);
    produce((text) => writer.text(text));
    writer.flush();
  });
}

/** Opens `file` anew for `write` (given its descriptor), and closes it; on any failure removes the file too. */
export function withNewFile(file: string, write: (fd: number) => void): void {
  const fd = fs.openSync(file, 'w');
  try {
    write(fd);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
    throw error;
  }
  fs.closeSync(fd);
}

/** Bytes (or characters of text) a PieceWriter gathers before it writes them. */
const CHUNK = 1 << 20;

/**
 * Writes into a file, from `at` on, what it is handed a piece at a time, in order: text (UTF-8)
 * and doubles (little-endian), each gathered into a megabyte before it is written, so that a
 * record of a whole edition is never one string or buffer of tens of megabytes. `onBytes` sees
 * every byte as it goes out (a check made on the way).
 */
export class PieceWriter {
  #text: string[] = [];
  #textLength = 0;
  /** Made when the first number comes (most writers write text alone). */
  #numbers: Buffer | null = null;
  #used = 0;
  #at: number;

  constructor(
    readonly fd: number,
    at: number,
    readonly onBytes: ((bytes: Buffer) => void) | null = null,
  ) {
    this.#at = at;
  }

  /** Where the next byte goes, once what is gathered is written (see flush). */
  get at(): number {
    return this.#at;
  }

  text(piece: string): void {
    this.#writeNumbers();
    this.#text.push(piece);
    this.#textLength += piece.length;
    if (this.#textLength >= CHUNK) this.#writeText();
  }

  number(value: number): void {
    this.#writeText();
    if (this.#used === CHUNK) this.#writeNumbers();
    this.#numbers ??= Buffer.alloc(CHUNK);
    this.#used = this.#numbers.writeDoubleLE(value, this.#used);
  }

  /** Writes what is gathered. */
  flush(): void {
    this.#writeText();
    this.#writeNumbers();
  }

  #writeText(): void {
    if (this.#text.length === 0) return;
    this.#write(Buffer.from(this.#text.join(''), 'utf8'));
    this.#text = [];
    this.#textLength = 0;
  }

  #writeNumbers(): void {
    if (this.#used === 0 || !this.#numbers) return;
    this.#write(this.#numbers.subarray(0, this.#used));
    this.#used = 0;
  }

  #write(bytes: Buffer): void {
    this.onBytes?.(bytes);
    for (let written = 0; written < bytes.length; ) written += fs.writeSync(this.fd, bytes, written, bytes.length - written, this.#at + written);
    this.#at += bytes.length;
  }
}
