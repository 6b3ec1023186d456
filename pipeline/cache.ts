/**
 * The content-hash cache: an output is stored under the hash of everything it depends on (the
 * source bytes, the site settings, its URL, Galley's fingerprint), so a rebuild reuses it
 * exactly when a fresh render would give the same bytes, and never otherwise.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { RenderMemo } from './outputs/edition.ts';

export class OutputCache implements RenderMemo {
  readonly #dir: string;
  readonly #fingerprint: string;
  /** Folders known to exist: on a slow file system, a mkdir per write was a tenth of a build. */
  readonly #folders = new Set<string>();

  constructor(dir: string, fingerprint: string) {
    this.#dir = dir;
    this.#fingerprint = fingerprint;
  }

  /** The key of an output of `kind` made from `inputs` (JSON-serialisable) by this Galley. */
  key(kind: string, inputs: readonly unknown[]): string {
    return createHash('sha256').update(JSON.stringify([this.#fingerprint, kind, ...inputs])).digest('hex');
  }

  #file(kind: string, key: string): string {
    return path.join(this.#dir, kind, key.slice(0, 2), key);
  }

  /** Path of the cached file, or null when there is none. */
  get(kind: string, key: string): string | null {
    const file = this.#file(kind, key);
    return fs.existsSync(file) ? file : null;
  }

  /** Stores bytes under key (write then rename: a concurrent build never reads half a file). */
  put(kind: string, key: string, bytes: Uint8Array): string {
    const file = this.#file(kind, key);
    const folder = path.dirname(file);
    if (!this.#folders.has(folder)) {
      fs.mkdirSync(folder, { recursive: true });
      this.#folders.add(folder);
    }
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, bytes);
    fs.renameSync(temporary, file);
    return file;
  }

  text(kind: string, inputs: readonly unknown[], render: () => string): string {
    const key = this.key(kind, inputs);
    const hit = this.get(kind, key);
    if (hit) return fs.readFileSync(hit, 'utf8');
    const value = render();
    this.put(kind, key, Buffer.from(value));
    return value;
  }
}
