/**
 * The pictures an article shows, found in the content folder: `![alt](photo.jpg)` is looked for
 * beside the source (`articles/photo.jpg`), then in `media/` (`media/photo.jpg`; a path that
 * starts with `media/` means that folder too). Nothing outside the content folder is ever read
 * (no absolute path, no `..` out of it, no symbolic link leading out), and nothing is fetched:
 * an `http(s)://` image is linked instead, with a warning.
 *
 * Each image is published as `media/STEM.HASH.EXT`: the hash of its bytes in the name, so a
 * server may cache it forever and an edited picture gets a new name (and so new pages and PDFs,
 * whose cache keys name it: sourceKey). Its bytes are copied into the cache as they are hashed,
 * and published (and read by the PDF) from there, so what is published is always what was
 * hashed, whatever happens to the content folder meanwhile. What a file's bytes gave (hash,
 * size, type) is kept in the cache under the file's identity as `stat` gives it, as the source
 * index does for sources (sources.ts): an unchanged picture is not read again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { imageSize } from 'image-size';
import type { Article } from '../model/article.ts';
import { withImages } from '../model/article.ts';
import { ARTICLES_FOLDER, MEDIA_FOLDER, readRegularFile } from '../model/content-folders.ts';
import type { Diagnostics } from '../model/diagnostics.ts';
import { IMAGE_TYPES, type ArticleImage, type ImageRef, type ImageType } from '../model/images.ts';
import { MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS } from '../model/limits.ts';
import { slugify } from '../model/slug.ts';
import { OUTPUTS } from '../outputs/registry.ts';
import type { OutputCache } from './cache.ts';
import { sha256Of } from './digest.ts';

/** Hex digits of the hash in a published name: 64 bits, no two pictures of a site alike. */
const HASH_DIGITS = 16;

/** The cache's kind for a picture's bytes, stored under their hash. */
const CACHE_KIND = 'media';

/** A file must have been still this long before what its bytes gave is kept (see STILL_MS in sources.ts). */
const STILL_MS = 3_000;

/** What a picture's bytes gave. */
interface ImageFacts {
  readonly hash: string;
  readonly width: number;
  readonly height: number;
  readonly type: ImageType;
  /** Four colour components (CMYK), which a PDF/A with an RGB output intent may not carry. */
  readonly cmyk: boolean;
}

/** A reason a reference is not published, said at its place in the source. */
class ImageProblem extends Error {
  constructor(
    message: string,
    readonly severity: 'error' | 'warning' = 'error',
  ) {
    super(message);
  }
}

/** Finds the pictures of a build's articles (one per build: what it read is kept for the build). */
export class MediaResolver {
  readonly #contentDir: string;
  readonly #cache: OutputCache | null;
  /** The content folder as the file system names it (symbolic links resolved), for the containment check. */
  #realContent: string | null = null;
  /** Facts by real path, for this build: a picture many articles show is read once. */
  readonly #seen = new Map<string, ImageFacts>();
  /** Without a cache (a preparation outside a build), the file each hash was read from. */
  readonly #unstored = new Map<string, string>();

  constructor(contentDir: string, cache: OutputCache | null) {
    this.#contentDir = path.resolve(contentDir);
    this.#cache = cache;
  }

  /**
   * `article` with its pictures found (unchanged when it shows none), or null when one of them
   * is an error (reported at its place in the source, as is every warning).
   */
  resolve(article: Article, diagnostics: Diagnostics): Article | null {
    const refs = article.imageRefs ?? [];
    if (refs.length === 0) return article;
    const images = new Map<string, ArticleImage>();
    let failed = false;
    for (const ref of refs) {
      const place = { line: ref.line, column: ref.column };
      const undescribed = () => {
        if (!ref.described) diagnostics.warn(article.sourcePath, `image “${shown(ref.url)}” has no description: write one between the brackets, ![what it shows](${shown(ref.url)}), for readers who cannot see it`, place, 'image');
      };
      if (images.has(ref.url)) {
        undescribed();
        continue;
      }
      try {
        const image = this.#image(ref);
        undescribed();
        images.set(ref.url, image);
        if (!IMAGE_TYPES[image.type].pdf) diagnostics.warn(article.sourcePath, `image “${shown(ref.url)}” is ${IMAGE_TYPES[image.type].name}: the web page shows it, the PDF shows its description instead (JPEG and PNG go into both)`, place, 'image');
        else if (!image.printable) diagnostics.warn(article.sourcePath, `image “${shown(ref.url)}” is a CMYK JPEG: the web page shows it, the PDF (PDF/A, in RGB) shows its description instead; save it in RGB to print it`, place, 'image');
      } catch (error) {
        if (!(error instanceof ImageProblem)) throw error;
        if (error.severity === 'warning') {
          diagnostics.warn(article.sourcePath, error.message, place, 'image');
          continue;
        }
        diagnostics.error(article.sourcePath, error.message, place, 'image');
        failed = true;
      }
    }
    if (failed) return null;
    return images.size ? withImages(article, [...images.values()]) : article;
  }

  /** The picture a reference names; a remote one (linked, with a warning) is thrown as a warning. */
  #image(ref: ImageRef): ArticleImage {
    const file = this.#find(ref.url);
    const facts = this.#facts(file, ref.url);
    const stem = slugify(path.basename(file).replace(/\.[^.]*$/, '')) || 'image';
    const published = OUTPUTS.image.path(`${stem}.${facts.hash.slice(0, HASH_DIGITS)}.${facts.type}`);
    const printable = IMAGE_TYPES[facts.type].pdf && !facts.cmyk;
    return { url: ref.url, path: published, file: this.#stored(file, facts), hash: facts.hash, width: facts.width, height: facts.height, type: facts.type, printable };
  }

  /** The file a URL names in the content folder (see the module comment), or a problem saying why none. */
  #find(url: string): string {
    const written = url.trim();
    if (/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(written) && !/^[a-z]:[\\/]/i.test(written)) {
      if (/^(?:https?:)?\/\//i.test(written)) {
        throw new ImageProblem(`image “${shown(url)}” is on another site: Galley does not fetch pictures, so it is linked, not shown; save it into ${MEDIA_FOLDER}/ and write ![…](${MEDIA_FOLDER}/NAME) to publish it`, 'warning');
      }
      throw new ImageProblem(`image “${shown(url)}” is not a file: an image is a JPEG, PNG, GIF, WebP or AVIF file beside the source or in ${MEDIA_FOLDER}/`);
    }
    // the name as written, then without what a URL would read as query or fragment (`photo.jpg?v=2`;
    // a file may be named `#2.jpg`), percent-escapes decoded, Windows separators read as `/`
    const relatives = [...new Set([written, written.replace(/[?#].*$/s, '')].map(fileName))];
    if (relatives.some((relative) => relative === '' || relative.includes('\0'))) throw new ImageProblem(`image “${shown(url)}” names no file`);
    if (relatives.some((relative) => relative.startsWith('/') || /^[a-z]:\//i.test(relative))) {
      throw new ImageProblem(`image “${shown(url)}” is an absolute path: Galley reads pictures only from the content folder; write the path from the source's folder (${ARTICLES_FOLDER}/) or from ${MEDIA_FOLDER}/`);
    }
    const articles = path.join(this.#contentDir, ARTICLES_FOLDER);
    const media = path.join(this.#contentDir, MEDIA_FOLDER);
    const candidates = relatives
      .flatMap((relative) => [path.resolve(articles, relative), path.resolve(media, relative.startsWith(`${MEDIA_FOLDER}/`) ? relative.slice(MEDIA_FOLDER.length + 1) : relative)])
      .filter((candidate) => this.#inside(this.#contentDir, candidate));
    if (candidates.length === 0) throw new ImageProblem(`image “${shown(url)}” leads outside the content folder: Galley reads pictures only from beside the source or from ${MEDIA_FOLDER}/`);
    for (const candidate of candidates) {
      const stat = statOrNull(candidate);
      if (!stat) continue;
      if (!this.#inside(this.#realContentDir(), realPath(candidate))) throw new ImageProblem(`image “${shown(url)}” is a symbolic link that leads outside the content folder: it is not read`);
      if (!stat.isFile()) throw new ImageProblem(`image “${shown(url)}” is ${stat.isDirectory() ? 'a folder' : 'not a regular file'}, not a picture`);
      return candidate;
    }
    const looked = [...new Set(candidates.map((candidate) => path.relative(this.#contentDir, candidate).split(path.sep).join('/')))];
    const list = looked.length > 1 ? `${looked.slice(0, -1).join(', ')} and ${looked.at(-1)}` : looked.join('');
    throw new ImageProblem(`image “${shown(url)}” not found: looked for ${list} in the content folder`);
  }

  #inside(folder: string, file: string): boolean {
    const relative = path.relative(folder, file);
    return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
  }

  #realContentDir(): string {
    this.#realContent ??= realPath(this.#contentDir);
    return this.#realContent;
  }

  /** What the bytes of `file` give: from this build, from the cache when the file is as it was, else read. */
  #facts(file: string, url: string): ImageFacts {
    const stat = fs.statSync(file);
    const identity = `image-file ${realPath(file)} ${stat.size} ${stat.ino} ${stat.mtimeMs} ${stat.ctimeMs}`;
    const seen = this.#seen.get(identity);
    if (seen) return seen;
    const kept = this.#cache?.value<ImageFacts>(identity);
    if (kept && this.#cache?.found(CACHE_KIND, kept.hash)) {
      this.#seen.set(identity, kept);
      return kept;
    }
    if (stat.size > MAX_IMAGE_BYTES) throw new ImageProblem(`image “${shown(url)}” is ${(stat.size / 1024 / 1024).toFixed(0)} MB: a picture is at most ${MAX_IMAGE_BYTES / 1024 / 1024} MB (save it smaller for the web)`);
    let bytes: Buffer;
    try {
      bytes = readRegularFile(file);
    } catch (error) {
      throw new ImageProblem(`image “${shown(url)}” cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    }
    const facts = { hash: sha256Of(bytes), ...measure(bytes, url) };
    // stored as read: what is published, and read by the PDF, is these bytes, whatever the file holds later
    if (this.#cache && !this.#cache.found(CACHE_KIND, facts.hash)) this.#cache.put(CACHE_KIND, facts.hash, bytes);
    else if (!this.#cache) this.#unstored.set(facts.hash, file);
    if (this.#cache && Date.now() - Math.max(stat.mtimeMs, stat.ctimeMs) > STILL_MS) this.#cache.store(identity, facts);
    this.#seen.set(identity, facts);
    return facts;
  }

  /** The file holding the picture's bytes as hashed: the cache's copy. */
  #stored(file: string, facts: ImageFacts): string {
    return this.#cache?.found(CACHE_KIND, facts.hash)?.file ?? this.#unstored.get(facts.hash) ?? file;
  }
}

/** Width, height and type of a picture Galley publishes, or the problem with it. */
function measure(bytes: Uint8Array, url: string): Omit<ImageFacts, 'hash'> {
  let size: ReturnType<typeof imageSize>;
  try {
    size = imageSize(bytes);
  } catch {
    throw new ImageProblem(`image “${shown(url)}” is not a picture Galley can read: it publishes JPEG, PNG, GIF, WebP and AVIF files`);
  }
  const type = size.type === 'jpeg' ? 'jpg' : size.type;
  if (type === 'svg') throw new ImageProblem(`image “${shown(url)}” is SVG, which Galley does not publish (an SVG file can carry scripts): export it as PNG`);
  if (!type || !Object.hasOwn(IMAGE_TYPES, type)) throw new ImageProblem(`image “${shown(url)}” is ${type ? type.toUpperCase() : 'of no known format'}: Galley publishes JPEG, PNG, GIF, WebP and AVIF files`);
  if (!(size.width > 0 && size.height > 0)) throw new ImageProblem(`image “${shown(url)}” has no size (${size.width}×${size.height} pixels)`);
  if (size.width * size.height > MAX_IMAGE_PIXELS) throw new ImageProblem(`image “${shown(url)}” is ${size.width}×${size.height} pixels: a picture has at most ${MAX_IMAGE_PIXELS / 1_000_000} million (save it smaller for the web)`);
  // EXIF orientations 5 to 8 turn the picture a quarter: shown, it is as high as it is stored wide
  const turned = size.orientation !== undefined && size.orientation >= 5 && size.orientation <= 8;
  return { width: turned ? size.height : size.width, height: turned ? size.width : size.height, type: type as ImageType, cmyk: type === 'jpg' && jpegComponents(bytes) === 4 };
}

/** The number of colour components of a JPEG, from its frame header (SOFn), or null when none is found. */
export function jpegComponents(bytes: Uint8Array): number | null {
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1]!;
    // fill bytes, and markers without a length
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    // SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC): length, precision, height, width, components
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return bytes[at + 9] ?? null;
    if (marker === 0xda || length < 2) return null;
    at += 2 + length;
  }
  return null;
}

/** A relative URL as a file name: percent-escapes decoded (a stray `%` kept), `\\` read as `/`. */
function fileName(url: string): string {
  let name = url;
  try {
    name = decodeURIComponent(url);
  } catch {
    // a stray `%`: the name as written
  }
  return name.replaceAll('\\', '/');
}

/** The stat of a path, or null where nothing is (a missing file, or a file where a folder was expected). */
function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/** A URL as a message quotes it: short, on one line. */
function shown(url: string): string {
  const line = url.replace(/\s+/g, ' ');
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
