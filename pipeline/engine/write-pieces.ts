/**
 * Files given in pieces (a feed of 1,000 kept items, a list page of kept teasers): written as
 * they are, never joined first, as many pieces per system call as it takes (writev). And files
 * of text made a piece at a time (writeTextFile).
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
  const fd = fs.openSync(file, 'w');
  try {
    let pending: string[] = [];
    let length = 0;
    const flush = () => {
      const bytes = Buffer.from(pending.join(''), 'utf8');
      for (let written = 0; written < bytes.length; ) written += fs.writeSync(fd, bytes, written);
      pending = [];
      length = 0;
    };
    produce((text) => {
      pending.push(text);
      length += text.length;
      if (length >= TEXT_CHUNK) flush();
    });
    flush();
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
    throw error;
  }
  fs.closeSync(fd);
}

/** Characters of text written at once (writeTextFile). */
const TEXT_CHUNK = 1 << 20;

/**
 * The JSON of an object of `members`, a member at a time (for writeTextFile): what JSON.stringify
 * gives for the object, as long as no key is integer-like (such keys an object puts first).
 */
export function* jsonObjectPieces(members: Iterable<readonly [string, unknown]>): Generator<string> {
  let first = true;
  for (const [key, value] of members) {
    yield `${first ? '{' : ','}${JSON.stringify(key)}:${JSON.stringify(value)}`;
    first = false;
  }
  yield first ? '{}' : '}';
}
