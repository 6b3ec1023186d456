/**
 * The Markdown sources of a content folder: `articles/*.md`, whether ingest wrote them or a
 * person did. Read once per build; ingest learns from them which raw files are already claimed.
 *
 * A build needs every source's hash (the no-change check and the cache key by it) but the bytes
 * of only the few it parses again. So what a source's bytes gave (hash, claim, slug) is kept in
 * a source index in the cache, under the file's identity as `stat` gives it (size, inode,
 * modification and change times), and a source whose identity is unchanged is not read at all:
 * on a 1,000-article site that is most of a one-article rebuild's check. Change time cannot be
 * set by anything but the kernel, on any write, so an edited file never matches an old entry;
 * and an entry is only kept once the file has been still for a while (see STILL_MS), so two
 * writes within one tick of the file system's clock cannot share a change time either.
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { ARTICLES_FOLDER } from '../model/content-folders.ts';
import { splitFrontMatter, claimedSource } from '../model/article.ts';
import { GalleyError } from '../model/diagnostics.ts';
import { slugify } from '../model/slug.ts';

export interface SourceFile {
  readonly path: string;
  /** The bytes, read when first asked for (and checked against `hash`). */
  readonly bytes: Buffer;
  /** sha256 of the bytes, made once: the cache and the no-change check both key by it. */
  readonly hash: string;
  /** The raw file it says it came from (`raw/X.txt`), read even when the YAML is broken. */
  readonly claims: string | null;
  /** The slug it will most likely publish under (declared, or from the file name). */
  readonly slug: string;
}

export function listSourceFiles(contentDir: string): string[] {
  const dir = path.join(contentDir, ARTICLES_FOLDER);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(md|markdown)$/i.test(entry.name))
    .map((entry) => path.join(dir, entry.name))
    .sort();
}

/** A source as the build sees it; `bytes` when the caller has them already (ingest just wrote them). */
export function readSourceFile(filePath: string, bytes: Buffer = fs.readFileSync(filePath)): SourceFile {
  const { frontMatter } = splitFrontMatter(bytes.toString('utf8'));
  const declared = frontMatter ? /^slug:[ \t]*["']?([a-z0-9-]+)["']?[ \t]*$/m.exec(frontMatter)?.[1] : undefined;
  return {
    path: filePath,
    bytes,
    hash: createHash('sha256').update(bytes).digest('hex'),
    claims: frontMatter ? claimedSource(frontMatter) : null,
    slug: declared ?? slugify(path.basename(filePath).replace(/\.(md|markdown)$/i, '')),
  };
}

/** What the index keeps of a source: its identity, then what its bytes gave. */
type IndexEntry = readonly [size: number, inode: number, modified: number, changed: number, hash: string, claims: string | null, slug: string];

/**
 * A file must have been still for this long before its entry is kept: longer than any file
 * system's clock tick (FAT's is two seconds), so a later write always gives another change time.
 */
const STILL_MS = 3_000;

/** Version of what an index entry holds; a new one whenever how a source's bytes are read into it changes. */
const INDEX_FORMAT = 2;

/** The sources of a content folder, each read only when the index cannot vouch for it. */
export class SourceIndex {
  readonly #file: string;
  readonly #known: Map<string, IndexEntry>;
  /** Entries of the sources listed this build, to be saved. */
  readonly #seen = new Map<string, IndexEntry>();
  #changed = false;

  private constructor(file: string, known: Map<string, IndexEntry>) {
    this.#file = file;
    this.#known = known;
  }

  static open(cacheDir: string, contentDir: string): SourceIndex {
    // the format's version in the name: entries made by an older reading of the bytes (claims read by a regular expression, before format 2) are never taken
    const file = path.join(cacheDir, 'sources', `${createHash('sha256').update(contentDir).digest('hex').slice(0, 32)}.v${INDEX_FORMAT}.json`);
    let known = new Map<string, IndexEntry>();
    try {
      known = new Map(Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, IndexEntry>));
    } catch {
      // none yet, or unreadable: every source is read
    }
    return new SourceIndex(file, known);
  }

  /** Every source of `contentDir`, in path order. */
  sources(contentDir: string): SourceFile[] {
    const now = Date.now();
    return listSourceFiles(contentDir).map((filePath) => {
      const stat = fs.statSync(filePath);
      const entry = this.#known.get(filePath);
      if (entry && entry[0] === stat.size && entry[1] === stat.ino && entry[2] === stat.mtimeMs && entry[3] === stat.ctimeMs) {
        this.#seen.set(filePath, entry);
        return indexedSource(filePath, entry);
      }
      const source = readSourceFile(filePath);
      // read from the file after its stat: should it change in between, its change time moves on too and the entry is never matched again
      if (now - Math.max(stat.mtimeMs, stat.ctimeMs) > STILL_MS) {
        this.#seen.set(filePath, [stat.size, stat.ino, stat.mtimeMs, stat.ctimeMs, source.hash, source.claims, source.slug]);
        this.#changed = true;
      }
      return source;
    });
  }

  /** Keeps the entries of the sources listed, and only those, for the next build. */
  save(): void {
    if (!this.#changed && this.#seen.size === this.#known.size) return;
    fs.mkdirSync(path.dirname(this.#file), { recursive: true });
    const temporary = `${this.#file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(Object.fromEntries(this.#seen)));
    fs.renameSync(temporary, this.#file);
  }
}

/** A source the index vouches for: its bytes are read only if a stage asks for them. */
function indexedSource(filePath: string, [, , , , hash, claims, slug]: IndexEntry): SourceFile {
  let bytes: Buffer | null = null;
  return {
    path: filePath,
    get bytes() {
      if (bytes) return bytes;
      const read = fs.readFileSync(filePath);
      // changed since the build listed it: what it makes would not be what its key says
      if (createHash('sha256').update(read).digest('hex') !== hash) throw new GalleyError('changed while the build was running; build again', 'read', filePath);
      bytes = read;
      return bytes;
    },
    hash,
    claims,
    slug,
  };
}
