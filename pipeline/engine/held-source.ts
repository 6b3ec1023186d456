/**
 * Source bytes handed over once (see HeldSource): the one rule for every source a build lists,
 * whether the index vouched for it or it was just read. Light on purpose: the no-change check
 * imports it.
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { GalleyError } from '../model/diagnostics.ts';

/**
 * A source as the build lists it. Bytes it was given (ingest has just written them) are handed to
 * the first that asks, and let go; after that, or when it was given none, they are read from the
 * file and checked against `hash`. A build holds every source, and at 100,000 articles their bytes
 * would be most of its memory. Not held weakly either: V8's scavenger treats a WeakRef's target
 * as live, so weakly held bytes last until a full collection. A class, so that what a source
 * holds is its fields, not closures and their contexts of its own. `mismatch` hears of bytes that
 * are no longer what `hash` says, before the GalleyError that says so.
 */
export class HeldSource {
  #given: Buffer | null;
  readonly #mismatch: ((filePath: string) => void) | null;

  constructor(
    readonly path: string,
    readonly hash: string,
    readonly claims: string | null,
    readonly slug: string,
    given: Buffer | null,
    mismatch: ((filePath: string) => void) | null = null,
  ) {
    this.#given = given;
    this.#mismatch = mismatch;
  }

  get bytes(): Buffer {
    const given = this.#given;
    if (given) {
      this.#given = null;
      return given;
    }
    const read = fs.readFileSync(this.path);
    // changed since the build listed it: what it makes would not be what its key says
    if (createHash('sha256').update(read).digest('hex') !== this.hash) {
      this.#mismatch?.(this.path);
      throw new GalleyError('changed while the build was running; build again', 'read', this.path);
    }
    return read;
  }
}
