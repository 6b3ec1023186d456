/**
 * Source bytes held weakly (see HeldSource): the one rule for every source a build lists, whether
 * the index vouched for it or it was just read. Light on purpose: the no-change check imports it.
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { GalleyError } from '../model/diagnostics.ts';

/**
 * A source as the build lists it, its bytes held for as long as the collector leaves them, read
 * again (and checked against `hash`) when they are asked for after: a build holds every source,
 * and at 100,000 articles their bytes alone would be most of its memory. A class, so that what a
 * source holds is its fields, not closures and their contexts of its own. `mismatch` hears of
 * bytes that are no longer what `hash` says, before the GalleyError that says so.
 */
export class HeldSource {
  #weak: WeakRef<Buffer> | null;
  readonly #mismatch: ((filePath: string) => void) | null;

  constructor(
    readonly path: string,
    readonly hash: string,
    readonly claims: string | null,
    readonly slug: string,
    bytes: Buffer | null,
    mismatch: ((filePath: string) => void) | null = null,
  ) {
    this.#weak = bytes ? new WeakRef(bytes) : null;
    this.#mismatch = mismatch;
  }

  get bytes(): Buffer {
    const kept = this.#weak?.deref();
    if (kept) return kept;
    const read = fs.readFileSync(this.path);
    // changed since the build listed it: what it makes would not be what its key says
    if (createHash('sha256').update(read).digest('hex') !== this.hash) {
      this.#mismatch?.(this.path);
      throw new GalleyError('changed while the build was running; build again', 'read', this.path);
    }
    this.#weak = new WeakRef(read);
    return read;
  }
}
