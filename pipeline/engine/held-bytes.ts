/**
 * Source bytes held weakly (see heldBytes): the one rule for every source a build lists, whether
 * the index vouched for it or it was just read. Light on purpose: the no-change check imports it.
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { GalleyError } from '../model/diagnostics.ts';

/**
 * A source's bytes for as long as the collector leaves them, read again (and checked against
 * `hash`) when they are asked for after: a build holds every source, and at 100,000 articles
 * their bytes alone would be most of its memory. `mismatch` hears of bytes that are no longer
 * what `hash` says, before the GalleyError that says so.
 */
export function heldBytes(filePath: string, hash: string, bytes: Buffer | null, mismatch: () => void = () => {}): () => Buffer {
  let weak = bytes ? new WeakRef(bytes) : null;
  return () => {
    const kept = weak?.deref();
    if (kept) return kept;
    const read = fs.readFileSync(filePath);
    // changed since the build listed it: what it makes would not be what its key says
    if (createHash('sha256').update(read).digest('hex') !== hash) {
      mismatch();
      throw new GalleyError('changed while the build was running; build again', 'read', filePath);
    }
    weak = new WeakRef(read);
    return read;
  };
}
