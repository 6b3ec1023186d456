/**
 * Files given in pieces (a feed of 1,000 kept items, a list page of kept teasers): written as
 * they are, never joined first, as many pieces per system call as it takes (writev).
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

