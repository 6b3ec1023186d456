/**
 * The content-hash cache: an output is stored under the hash of everything it depends on (the
 * source bytes, the site settings, its URL, Galley's fingerprint), so a rebuild reuses it
 * exactly when a fresh render would give the same bytes, and never otherwise.
 *
 * PDFs are files (hard-linked into the edition). Everything small (parsed articles, pages,
 * feeds) lives in one pack per content folder, read once at the start and written once at the
 * end: thousands of small files cost more in open/mkdir than the renders they save. The pack
 * keeps only what the last build used, so it never grows beyond one edition's worth.
 */
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { createHash } from 'node:crypto';
import type { OutputFile, RenderMemo } from './outputs/edition.ts';

export class OutputCache implements RenderMemo {
  readonly #dir: string;
  readonly #fingerprint: string;
  readonly #packFile: string | null;
  /** Folders known to exist: on a slow file system, a mkdir per write was a tenth of a build. */
  readonly #folders = new Set<string>();
  /**
   * The last build's small values, each still in its serialised form: a rebuild of 1,000
   * articles takes only some of them as values, and deserialising (then re-serialising) the
   * whole pack was a third of a one-article rebuild.
   */
  #pack: Map<string, Uint8Array> | null = null;
  /** Entries this build used or made: what the pack holds after save(). */
  readonly #used = new Map<string, unknown>();
  /** The serialised form of used entries that came from the pack, written back as they were. */
  readonly #usedBytes = new Map<string, Uint8Array>();

  /** `packName` names the pack (one per content folder); without it, small outputs are not kept. */
  constructor(dir: string, fingerprint: string, packName: string | null = null) {
    this.#dir = dir;
    this.#fingerprint = fingerprint;
    this.#packFile = packName ? path.join(dir, 'packs', `${createHash('sha256').update(packName).digest('hex').slice(0, 32)}.pack`) : null;
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

  /**
   * The pack file: a 4-byte length, a JSON header (whose pack it is and each entry's key and
   * size), then the entries' bytes one after another. Entries are read as views into the file,
   * never copied; v8.serialize of a map of 5,000 byte arrays took half of saving it.
   */
  #loadPack(): Map<string, Uint8Array> {
    if (this.#pack) return this.#pack;
    this.#pack = new Map();
    if (!this.#packFile || !fs.existsSync(this.#packFile)) return this.#pack;
    try {
      const file = fs.readFileSync(this.#packFile);
      const headerEnd = 4 + file.readUInt32LE(0);
      const header = JSON.parse(file.toString('utf8', 4, headerEnd)) as PackHeader;
      // a pack made by another Galley (or another Node, whose serialiser may differ) holds
      // nothing this one can use
      if (header.fingerprint !== this.#fingerprint || header.node !== process.version) return this.#pack;
      const entries = new Map<string, Uint8Array>();
      let offset = headerEnd;
      for (const [key, size] of header.entries) {
        entries.set(key, file.subarray(offset, offset + size));
        offset += size;
      }
      // a torn write: start afresh
      if (offset === file.length) this.#pack = entries;
    } catch {
      // not a pack at all (or from an older Galley): start afresh
    }
    return this.#pack;
  }

  /** A small value stored under `key` by this or an earlier build. */
  value<T>(key: string): T | undefined {
    if (this.#used.has(key)) return this.#used.get(key) as T;
    const bytes = this.#loadPack().get(key);
    if (bytes === undefined) return undefined;
    const found = v8.deserialize(bytes) as T;
    this.#used.set(key, found);
    this.#usedBytes.set(key, bytes);
    return found;
  }

  store(key: string, value: unknown): void {
    this.#used.set(key, value);
    this.#usedBytes.delete(key);
  }

  text(kind: string, inputs: readonly unknown[], render: () => string): string {
    const key = this.key(kind, inputs);
    const hit = this.value<string>(key);
    if (hit !== undefined) return hit;
    const value = render();
    this.store(key, value);
    return value;
  }

  output(outputPath: string, kind: string, inputs: readonly unknown[], render: () => string): OutputFile {
    const key = this.key(kind, inputs);
    return { path: outputPath, file: this.get(kind, key) ?? this.put(kind, key, Buffer.from(render())) };
  }

  /** Writes the pack: the entries this build used, nothing older; reused ones as they were read. */
  save(): void {
    if (!this.#packFile) return;
    const header: PackHeader = { fingerprint: this.#fingerprint, node: process.version, entries: [] };
    const chunks: Uint8Array[] = [];
    for (const [key, value] of this.#used) {
      const bytes = this.#usedBytes.get(key) ?? v8.serialize(value);
      header.entries.push([key, bytes.length]);
      chunks.push(bytes);
    }
    const headerBytes = Buffer.from(JSON.stringify(header));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(headerBytes.length);
    fs.mkdirSync(path.dirname(this.#packFile), { recursive: true });
    const temporary = `${this.#packFile}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, Buffer.concat([length, headerBytes, ...chunks]));
    fs.renameSync(temporary, this.#packFile);
  }
}

interface PackHeader {
  readonly fingerprint: string;
  /** process.version: what serialised the entries. */
  readonly node: string;
  readonly entries: [key: string, size: number][];
}
