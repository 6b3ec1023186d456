/**
 * The `Article`: the one model every stage shares. Ingest makes Markdown sources; this module
 * reads a source (front-matter + Markdown body) into an `Article`; the renderers (HTML, PDF,
 * feeds) only ever see `Article`s.
 */
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import type { Diagnostics } from './diagnostics.ts';
import { frontMatterSchema, FRONT_MATTER_FIELDS } from './schema.ts';
import { parse as parseYaml } from 'yaml';
import { readYaml, validateYaml, placeOf } from './yaml-source.ts';
import { parseMarkdown, smarten, lineTooDeep, nodeTooDeep, blockTooLong, type TooDeep } from './markdown.ts';
import { MAX_SOURCE_BYTES } from './limits.ts';
import { slugify } from './slug.ts';
import { deriveSummary, lede } from './lede.ts';
import { datelineKey, takeDateline } from './dateline.ts';
import type { ArticleSettings } from './site.ts';
import { imageRefs, resolveImageReferences, type ArticleImage, type ImageRef } from './images.ts';

export interface RelatedArticle {
  readonly title: string;
  /** Where it lives, when the editor gave a URL; the renderers also link titles they publish. */
  readonly url: string | null;
}

export interface Article {
  /** URL segment and file stem: `a-z0-9-` only (see SLUG_PATTERN). */
  readonly slug: string;
  readonly title: string;
  /** Publication instant. */
  readonly date: Date;
  /** Last substantive change; the publication date unless the source says otherwise. */
  readonly updated: Date;
  /** Standfirst: the source's summary, else the lede. */
  readonly summary: string;
  readonly author: string;
  readonly tags: readonly string[];
  /** BCP 47 language of the text, canonical form. */
  readonly lang: string;
  readonly related: readonly RelatedArticle[];
  /** Agency credit line, e.g. "AFP contributed reporting." */
  readonly credit: string | null;
  readonly draft: boolean;
  /** The raw file the source was ingested from (relative to the content folder), if any. */
  readonly source: string | null;
  /** The Markdown source, absolute path. */
  readonly sourcePath: string;
  readonly words: number;
  readonly readingMinutes: number;
  /** The body as mdast, typographic quotes applied. */
  readonly body: Root;
  /** sha256 of the source bytes: what the cache keys an article's outputs by. */
  readonly hash: string;
  // Optional, so that articles made outside a source (the renderers' probes) need not name them.
  /** The agency's item id and version, when the source came from agency copy. */
  readonly guid?: string | null;
  readonly version?: number | null;
  /** `withheld` or `canceled` withdraw the article (and every source of its guid; see holds.ts). Default usable. */
  readonly status?: 'usable' | 'withheld' | 'canceled';
  /** Not published before this instant, whatever the flags. */
  readonly embargoed?: Date | null;
  /** Not published from this instant on. */
  readonly expires?: Date | null;
  /** The public correction note of a corrected version (dated by `updated`). */
  readonly correction?: string | null;
  /**
   * Where the story was filed ("PARIS (AFP)"), without the dash after it: the source's
   * `dateline`, or the one its lede opened with (then no longer in `body`; see datelineOf).
   */
  readonly dateline?: string | null;
  /** The byline's job title ("Associated Press Writer"). */
  readonly authorTitle?: string | null;
  /** The images the body shows, as written (with their places in the source): read with the source, kept with it. */
  readonly imageRefs?: readonly ImageRef[];
  /** The same images as the build found them (engine/media.ts): set for each build, never kept with the source. */
  readonly images?: readonly ArticleImage[];
}

/** Words a reader reads per minute, for the reading time. */
export const WORDS_PER_MINUTE = 230;

/**
 * A word: a run of letters and digits (with inner apostrophes and hyphens), or one Chinese or
 * Japanese character, since those scripts have no spaces and a reader reads them one by one.
 * (Intl.Segmenter gives the same counts for news text but is ten times slower.)
 */
const WORD = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[\p{L}\p{N}](?:[\p{L}\p{N}\p{M}]|['’\-.](?=[\p{L}\p{N}]))*/gu;

/**
 * How every cache key names an article's source: its file name (not its folder, so a content
 * folder can move without invalidating anything) and the hash of its bytes.
 */
export function sourceKey(source: { readonly path: string; readonly hash: string } | Pick<Article, 'sourcePath' | 'hash' | 'images'>): string {
  // sources and articles are never changed once made (withImages makes a new article): one key each
  let key = sourceKeys.get(source);
  if (key === undefined) sourceKeys.set(source, (key = sourceKeyOf(source)));
  return key;
}

const sourceKeys = new WeakMap<object, string>();

function sourceKeyOf(source: { readonly path: string; readonly hash: string } | Pick<Article, 'sourcePath' | 'hash' | 'images'>): string {
  if ('path' in source) return `${path.basename(source.path)}\u0000${source.hash}`;
  const key = `${path.basename(source.sourcePath)}\u0000${source.hash}`;
  // An article's outputs show its images too: each one's published path names its bytes' hash,
  // and its dimensions (from those bytes) ride along; an edited picture makes them again.
  return source.images?.length ? `${key}${source.images.map((image) => `\u0000${image.url}\u0000${image.path}`).join('')}` : key;
}

/**
 * `article` with the images the build found for it; the body, read when first asked for, is not
 * read here (an article the build holds has it from its class: engine/prepare.ts).
 */
export function withImages(article: Article, images: readonly ArticleImage[]): Article {
  return Object.defineProperties(Object.create(Object.getPrototypeOf(article) as object) as object, { ...Object.getOwnPropertyDescriptors(article), images: { value: images, enumerable: true } }) as Article;
}

export function countWords(text: string): number {
  return text.match(WORD)?.length ?? 0;
}

export function readingMinutes(words: number): number {
  return Math.max(1, Math.round(words / WORDS_PER_MINUTE));
}

export interface SplitSource {
  /** The YAML between the `---` fences, or null when the file has none. */
  readonly frontMatter: string | null;
  /** File line (1-based) on which the YAML starts. */
  readonly frontMatterLine: number;
  readonly body: string;
  /** File line (1-based) on which the body starts. */
  readonly bodyLine: number;
}

const FENCE = /^---[ \t]*$/;
/** The same, as a line anywhere in a text (sticky to nothing; `lastIndex` says where to start). */
const CLOSING_FENCE_LINE = /^(?:---|\.\.\.)[ \t]*$/gm;

/** Splits `---\nYAML\n---\nbody`. Line endings are normalised to `\n` first. */
export function splitFrontMatter(text: string): SplitSource {
  // found with indexOf and one regex rather than by splitting every line: the build splits
  // every source before it knows which changed
  const normal = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const firstEnd = normal.indexOf('\n');
  if (!FENCE.test(firstEnd < 0 ? normal : normal.slice(0, firstEnd))) return { frontMatter: null, frontMatterLine: 1, body: normal, bodyLine: 1 };
  const closing = CLOSING_FENCE_LINE;
  closing.lastIndex = firstEnd + 1;
  const found = firstEnd < 0 ? null : closing.exec(normal);
  if (!found) return { frontMatter: null, frontMatterLine: 2, body: normal, bodyLine: 1 };
  const closingEnd = normal.indexOf('\n', found.index);
  const frontMatter = found.index === firstEnd + 1 ? '' : normal.slice(firstEnd + 1, found.index - 1);
  return {
    frontMatter,
    frontMatterLine: 2,
    body: closingEnd < 0 ? '' : normal.slice(closingEnd + 1),
    // the opening fence, the YAML's lines, the closing fence
    bodyLine: 3 + (frontMatter === '' && found.index === firstEnd + 1 ? 0 : countLines(frontMatter)),
  };
}

function countLines(text: string): number {
  let lines = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}

/** A `source:` value YAML writes plain and reads back as written: the claims of most sources. */
const PLAIN_CLAIM = /(?:^|\n)source:[ \t]*(raw\/[\w.-]+(?: [\w.-]+)*)[ \t]*(?=\n|$)/;
/**
 * The `source:` entry: its line and the lines that continue it (indented or blank). Lines end at
 * `\n` only (no `m` flag, no `.`): YAML writes U+2028 into a plain value as it is.
 */
const CLAIM_ENTRY = /(?:^|\n)(source:[^\n]*(?:\n(?:[ \t][^\n]*|[ \t]*(?=\n)))*)/;

/**
 * `source:` of a front-matter, read as YAML reads it, so that it round-trips for every file name
 * a file system allows (quotes, `#`, newlines: YAML quotes or folds them, and a claim read back
 * otherwise would let the raw file be ingested again on every build). Read from the entry alone
 * where the whole front-matter does not parse: enough to know which raw file it claims.
 */
export function claimedSource(frontMatter: string): string | null {
  const plain = PLAIN_CLAIM.exec(frontMatter);
  if (plain) return plain[1]!;
  const entry = CLAIM_ENTRY.exec(frontMatter);
  if (!entry) return null;
  for (const text of [entry[1]!, frontMatter]) {
    try {
      const value: unknown = (parseYaml(text) as { source?: unknown } | null)?.source;
      if (typeof value === 'string') return value.trim() || null;
    } catch {
      // not YAML on its own: the whole front-matter next, then no claim
    }
  }
  return null;
}

/**
 * The body of a source as the `Article` holds it: a source that `readArticle` accepted gives
 * the same tree again (the cache keeps an article without its body and asks for it only when
 * it renders the article again).
 */
export function readBody(bytes: Buffer, lang: string, dateline: string | null = null): Root {
  const body = bodyOf(splitFrontMatter(bytes.toString('utf8')), lang);
  // the dateline readArticle took out of the lede, taken out again (the same test on the same tree)
  return (dateline === null ? null : takeDateline(body, dateline))?.body ?? body;
}

/**
 * The dateline an article shows, and its body without it. A lede that opens with a dateline
 * (a hand-written source, or one ingested before datelines were recognised) gives it up: its
 * dateline is shown as one, never as body text, when the source has no `dateline` or the same
 * place ("PITTSBURGH", and the lede opens "PITTSBURGH (AP) —": the lede's, fuller, is shown).
 * A source whose `dateline` names another place keeps its lede as written and shows its field.
 */
function datelineOf(body: Root, field: string | null): { readonly body: Root; readonly dateline: string | null } {
  const taken = takeDateline(body);
  if (taken && (field === null || datelineKey(taken.dateline).startsWith(datelineKey(field)))) return taken;
  return { body, dateline: field };
}

/** The body in `lang`: its quotes and spaces are set in that language (typography.ts). */
function bodyOf(split: SplitSource, lang: string): Root {
  return withoutPlaces(resolveImageReferences(parseMarkdown(split.body, lang)));
}

/** Places in the source matter while reading it; an article kept for a whole build (and copied to the PDF workers) is a third smaller without them. */
function withoutPlaces(body: Root): Root {
  visit(body, (node) => {
    delete node.position;
  });
  return body;
}

/**
 * The body of a source being read for the first time: parsed, unless a line might nest block
 * quotes and lists too deep to parse in reasonable time, and checked for nesting (MAX_NESTING).
 * Problems are reported at their place in the file; null when there was one.
 */
function checkedBody(filePath: string, split: SplitSource, diagnostics: Diagnostics, lang: string): { body: Root; images: ImageRef[] } | null {
  const inFile = (found: TooDeep) => ({ line: found.line + split.bodyLine - 1, column: found.column });
  const early = lineTooDeep(split.body);
  if (early) {
    diagnostics.error(filePath, early.reason, inFile(early), 'nesting');
    return null;
  }
  const body = parseMarkdown(split.body, lang);
  const deep = nodeTooDeep(body);
  if (deep) {
    diagnostics.error(filePath, deep.reason, inFile(deep), 'nesting');
    return null;
  }
  const long = blockTooLong(body);
  if (long) {
    diagnostics.error(filePath, long.reason, inFile(long), 'limits');
    return null;
  }
  resolveImageReferences(body);
  const images = imageRefs(body, split.bodyLine - 1);
  return { body: withoutPlaces(body), images };
}

/**
 * Reads one Markdown source into an `Article`. Every problem is reported on `diagnostics`
 * with its line and column; returns null when the source has an error.
 */
export function readArticle(filePath: string, bytes: Buffer, settings: ArticleSettings, diagnostics: Diagnostics): Article | null {
  if (bytes.length > MAX_SOURCE_BYTES) {
    diagnostics.error(filePath, `${path.basename(filePath)} is ${(bytes.length / 1024 / 1024).toFixed(0)} MB: a source is at most ${MAX_SOURCE_BYTES / 1024 / 1024} MB`, undefined, 'limits');
    return null;
  }
  const text = bytes.toString('utf8');
  const split = splitFrontMatter(text);
  if (split.frontMatter === null) {
    diagnostics.error(
      filePath,
      split.frontMatterLine === 2 ? 'front-matter is not closed: add a line `---` after it' : 'no front-matter: a source starts with `---`, YAML with at least title and date, then `---`',
      { line: 1, column: 1 },
      'front-matter',
    );
    return null;
  }
  const yaml = readYaml(split.frontMatter, filePath, diagnostics, split.frontMatterLine);
  if (!yaml) return null;
  const raw: unknown = yaml.value;
  if (raw !== null && raw !== undefined && (typeof raw !== 'object' || Array.isArray(raw))) {
    diagnostics.error(filePath, 'front-matter must be a mapping of fields (title: …, date: …)', { line: split.frontMatterLine, column: 1 }, 'schema');
    return null;
  }
  for (const key of Object.keys(raw ?? {})) {
    if (!FRONT_MATTER_FIELDS.has(key)) diagnostics.warn(filePath, `unknown field ${JSON.stringify(key)} is ignored`, placeOf(yaml, [key]), 'schema');
  }
  const fields = validateYaml(yaml, frontMatterSchema, filePath, diagnostics);
  if (!fields) return null;

  const lang = fields.lang ?? settings.language;
  const checked = checkedBody(filePath, split, diagnostics, lang);
  if (!checked) return null;
  const { body, dateline } = datelineOf(checked.body, fields.dateline ? smarten(fields.dateline, lang) : null);
  const plain = toString(body);
  const words = countWords(plain);
  const stem = path.basename(filePath).replace(/\.(md|markdown)$/i, '');
  return {
    slug: fields.slug ?? (slugify(stem) || slugify(fields.title) || 'article'),
    title: smarten(fields.title, lang),
    date: fields.date,
    updated: fields.updated ?? fields.date,
    summary: fields.summary ? smarten(fields.summary, lang) : deriveSummary(lede(body) ?? smarten(fields.title, lang), lang),
    author: fields.author ?? settings.author,
    tags: [...new Set(fields.tags)],
    lang,
    related: fields.related.map((item) => ({ title: smarten(item.title, lang), url: item.url ?? null })),
    credit: fields.credit ? smarten(fields.credit, lang) : null,
    draft: fields.draft,
    source: fields.source ?? null,
    sourcePath: filePath,
    words,
    readingMinutes: readingMinutes(words),
    body,
    hash: createHash('sha256').update(bytes).digest('hex'),
    guid: fields.guid ?? null,
    version: fields.version ?? null,
    status: fields.status,
    embargoed: fields.embargoed ?? null,
    expires: fields.expires ?? null,
    correction: fields.correction ? smarten(fields.correction) : null,
    dateline,
    authorTitle: fields.authorTitle ? smarten(fields.authorTitle, lang) : null,
    imageRefs: checked.images,
  };
}

/**
 * What an article says besides its body, as a build keeps it (in the cache, and in memory for as
 * long as the build runs): a deep copy, so that its strings are no slices of the source's text
 * (which would keep all of it), each in V8's one-byte form when its characters allow. A source
 * with one character beyond Latin-1 anywhere (a curly quote) decodes two bytes a character, and
 * so did every string read from it, its slug and title included, every path and URL made from
 * them, and their copies in the cache: a build holds every article of the archive, and a slug of
 * 51 characters took 121 bytes.
 */
export function keptArticle(article: Article): Omit<Article, 'body'> {
  const { body: _body, ...rest } = article;
  return keptCopy(rest);
}

function keptCopy<T>(value: T): T {
  if (typeof value === 'string') return stringCopy(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(keptCopy) as T;
  if (Object.getPrototypeOf(value) !== Object.prototype) return structuredClone(value);
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, keptCopy(field)])) as T;
}

/**
 * `text` as a string of its own (never a slice of the source's text), one byte a character when
 * every character is within Latin-1 (decoded from Latin-1, it is one), else as structuredClone copies it.
 */
function stringCopy(text: string): string {
  return LATIN1.test(text) ? Buffer.from(text, 'latin1').toString('latin1') : structuredClone(text);
}

const LATIN1 = /^[\u0000-\u00ff]*$/;
