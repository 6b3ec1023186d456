/**
 * The first half of a build: site settings loaded, raw copy ingested, every source read and
 * validated into an `Article` (from the cache when its bytes were read before), and the
 * articles sorted into published, drafts and future. Every problem goes to the diagnostics.
 */
import path from 'node:path';
import type { Root } from 'mdast';
import type { Article } from '../model/article.ts';
import { keptArticle, readArticle, readBody, sourceKey, splitFrontMatter } from '../model/article.ts';
import { readYaml, placeOf } from '../model/yaml-source.ts';
import { tagCollisions } from '../model/topics.ts';
import { describeHold, holdSeverity, holdsOf } from '../model/holds.ts';
import { Diagnostics, GalleyError, messageRecords, retell, type MessageRecord, type Place } from '../model/diagnostics.ts';
import { articleSettings, loadSiteSettings, withBaseUrl, type SiteSettings } from '../model/site.ts';
import { CATALOGUE_LANGUAGES, hasCatalogue } from '../../templates/labels.ts';
import type { BuildContext, BuildOptions } from './context.ts';
import type { OutputCache } from './cache.ts';
import type { SourceFile } from './sources.ts';
import { readSourceFile } from './source-file.ts';
import { listRawFiles, RAW_FOLDER, SITE_FILE, skippedEntries } from '../model/content-folders.ts';
import { MediaResolver } from './media.ts';
import { collectSooner, MANY_TO_READ } from './heap.ts';
import { sourceReadersFor, type ReadResult, type SourceReaders } from './source-readers.ts';

export interface BuildReport {
  readonly ok: boolean;
  readonly diagnostics: Diagnostics;
  /** Sources ingest wrote this run. */
  readonly ingested: readonly { readonly raw: string; readonly markdown: string }[];
  /** Every valid article, newest first. */
  readonly articles: readonly Article[];
  /** The articles in this edition, newest first. */
  readonly published: readonly Article[];
  readonly drafts: readonly Article[];
  readonly future: readonly Article[];
  /** Threads that read sources not read before (source-readers.ts); 1 when this one read them alone. */
  readonly readThreads?: number;
  /** Sources parsed this build: the others' articles came from the cache. */
  readonly parsed?: number;
}

/** Newest first; the slug breaks ties so the order never depends on the file system. */
export function newestFirst(a: Article, b: Article): number {
  return b.date.getTime() - a.date.getTime() || a.slug.localeCompare(b.slug);
}

export function failed(diagnostics: Diagnostics): BuildReport {
  return { ok: false, diagnostics, ingested: [], articles: [], published: [], drafts: [], future: [] };
}

interface CachedArticle {
  readonly article: Omit<Article, 'body'>;
  readonly messages: readonly MessageRecord[];
}

/** The cache key of a source read as an article under `site` by this Galley: of the site, what readArticle is handed. */
function articleKey(source: SourceFile, site: SiteSettings, cache: OutputCache): string {
  return cache.key('article', [sourceKey(source), articleSettings(site)]);
}

/**
 * Reads a source into an `Article`, or takes it from the cache when the same bytes were read
 * before under the same settings and the same Galley (parsing is most of a rebuild's cost).
 * The cache keeps the article without its body: a rebuild needs the bodies only of articles
 * whose PDF or page it makes again, and parses just those again when it does (keeping 1,000
 * bodies made the cache three times larger, and reading it back cost more than that parse).
 */
function readArticleCached(source: SourceFile, site: SiteSettings, diagnostics: Diagnostics, cache: OutputCache | null, known: string | undefined, onParsed: () => void): Article | null {
  const key = cache ? (known ?? articleKey(source, site, cache)) : undefined;
  // copied into the article the build holds (withBodyFrom): not held by the cache as well
  const cached = cache && key ? cache.value<CachedArticle>(key, { held: false }) : undefined;
  if (cached) {
    // a cached article read without errors: its messages are warnings and notices
    retell(cached.messages, source.path, diagnostics);
    return withBodyFrom(source, cached.article);
  }
  onParsed();
  const article = readArticle(source.path, source.bytes, articleSettings(site), diagnostics);
  if (!article) return null;
  const kept = keptArticle(article);
  if (cache && key) cache.store(key, { article: kept, messages: messageRecords(diagnostics, source.path) } satisfies CachedArticle);
  return withBodyFrom(source, kept, article.body, true);
}

/** Where an article keeps what reads its body (see withBodyFrom). Not enumerable, so never copied to a worker. */
const BODY = Symbol('body');

/** Lets go of the article's body if it was pinned: its own outputs are made (see withBodyFrom). */
export function releaseBody(article: Article): void {
  (article as Article & { readonly [BODY]?: HeldBody })[BODY]?.release();
}

/**
 * Holds the article's body from when it is next read until releaseBody, and only so: for the
 * making of its own outputs, which read it several times (page, feed items) and then let it go.
 */
export function pinBody(article: Article): void {
  (article as Article & { readonly [BODY]?: HeldBody })[BODY]?.pin();
}

/** Whether the build holds the article's body until releaseBody: it was read from its source on this thread (see withBodyFrom). */
export function holdsBody(article: Article): boolean {
  return (article as Article & { readonly [BODY]?: HeldBody })[BODY]?.pinned ?? false;
}

/**
 * An article's body, parsed from its source when asked for and held only as long as the
 * collector leaves it (see withBodyFrom); a `pinned` one is held until released.
 */
class HeldBody {
  readonly #source: SourceFile;
  readonly #lang: string;
  readonly #dateline: Article['dateline'];
  #held: WeakRef<Root> | null;
  #pinned: Root | undefined;
  /** Whether a body parsed now is pinned (see pin). */
  #pinning = false;

  constructor(source: SourceFile, article: Omit<Article, 'body'>, parsed: Root | undefined, pinned: boolean) {
    this.#source = source;
    this.#lang = article.lang;
    this.#dateline = article.dateline;
    this.#held = parsed ? new WeakRef(parsed) : null;
    this.#pinned = pinned ? parsed : undefined;
  }

  read(): Root {
    if (this.#pinned) return this.#pinned;
    const held = this.#held?.deref();
    if (held) return held;
    const made = readBody(this.#source.bytes, this.#lang, this.#dateline ?? null);
    // A WeakRef keeps its target alive until the task that made it ends: pages made in one
    // task (an edition without PDFs whose pages are not cached) would hold every body they
    // parsed. One pinned goes as soon as it is released.
    if (this.#pinning) this.#pinned = made;
    else this.#held = new WeakRef(made);
    return made;
  }

  pin(): void {
    this.#pinning = true;
  }

  release(): void {
    this.#pinned = undefined;
    this.#pinning = false;
  }

  get pinned(): boolean {
    return this.#pinned !== undefined;
  }
}

/**
 * An article as a build holds it: what it says besides its body (own properties, copied from
 * what was kept), and its body, read when asked for (see withBodyFrom). The body is a getter of
 * the class, not of each object: an object with an accessor of its own gets a hidden class of its
 * own in V8, and then every read of any of its properties (a build reads an article's date, slug
 * and title thousands of times) takes the slow path. Being the class's, `body` is not copied
 * with the object (a spread, a structured clone): what sends an article to another thread adds
 * it (pdf-queue.ts, queue/wire.ts).
 */
class HeldArticle {
  declare readonly [BODY]: HeldBody;

  constructor(kept: Omit<Article, 'body'>, sourcePath: string, body: HeldBody) {
    Object.assign(this, kept, sharedFacts(kept), { sourcePath });
    Object.defineProperty(this, BODY, { value: body });
  }

  get body(): Root {
    return this[BODY].read();
  }
}

/**
 * What many articles say alike, as one value for all of them: each article read from the cache
 * comes with its own copies of its tags, author, credit line and language, and its update time as
 * a Date of its own, though most articles share their tag set, a few dozen bylines and credit
 * lines, and are never updated. A build holds every article, so it holds these once each.
 * Articles are never changed once read (their fields are read-only), so sharing is safe.
 */
function sharedFacts(kept: Omit<Article, 'body'>): Pick<Article, 'tags' | 'author' | 'credit' | 'lang' | 'updated'> {
  return {
    tags: sharedTags(kept.tags),
    author: sharedString(kept.author),
    credit: kept.credit === null ? null : sharedString(kept.credit),
    lang: sharedString(kept.lang),
    updated: kept.updated.getTime() === kept.date.getTime() ? kept.date : kept.updated,
  };
}

/** Strings and tag sets as first met, by their text (see sharedFacts): a build's, forgotten when the next one starts. */
const sharedStrings = new Map<string, string>();
const sharedTagSets = new Map<string, readonly string[]>();

/** Forgets the last build's shared facts (a process that builds again, such as the dev server, holds only its latest articles'). */
export function forgetSharedFacts(): void {
  sharedStrings.clear();
  sharedTagSets.clear();
}

function sharedString(text: string): string {
  const known = sharedStrings.get(text);
  if (known !== undefined) return known;
  sharedStrings.set(text, text);
  return text;
}

function sharedTags(tags: readonly string[]): readonly string[] {
  const key = JSON.stringify(tags);
  const known = sharedTagSets.get(key);
  if (known) return known;
  const shared = tags.map(sharedString);
  sharedTagSets.set(key, shared);
  return shared;
}

/**
 * An article as kept (without its body), its body read from `source` when asked for. The body
 * (`parsed`, when the caller has it) is held only as long as the collector leaves it: a build
 * holds every article, and the bodies of a large archive would not fit in its memory; one
 * asked for again after that is parsed again. A `pinned` body is held until releaseBody: a
 * build with PDFs reads every source long before it makes the article's PDF, page and feed
 * items, which all need the body.
 */
function withBodyFrom(source: SourceFile, kept: Omit<Article, 'body'>, parsed?: Root, pinned = false): Article {
  return new HeldArticle(kept, source.path, new HeldBody(source, kept, parsed, pinned)) as unknown as Article;
}

/**
 * What a reading worker made of `source` (source-readers.ts), taken into the build: its messages
 * told, the article and the renderings kept in the cache (where the edition's outputs find them).
 */
function adoptRead(source: SourceFile, result: ReadResult, diagnostics: Diagnostics, cache: OutputCache, key: string): Article | null {
  retell(result.messages, source.path, diagnostics);
  if (result.failure) {
    const { failure } = result;
    throw new GalleyError(failure.message, failure.stage, failure.file, failure.place);
  }
  if (!result.article) return null;
  cache.store(key, { article: result.article, messages: result.messages } satisfies CachedArticle);
  for (const piece of result.made) {
    if ('path' in piece) cache.output(piece.path, piece.kind, piece.inputs, () => piece.content);
    else cache.putBytes(piece.kind, piece.inputs, piece.text);
  }
  return withBodyFrom(source, result.article);
}

export type Prepared = { context: BuildContext | null; report: BuildReport; sources: readonly SourceFile[] };

/** The ingest stage (ingest/index.ts), handed in: its readers load only when a raw file is to be ingested. */
export type Ingest = typeof import('../ingest/index.ts').ingestRawFolder;

/**
 * Loads settings, ingests raw copy, reads and validates every source. `onArticle` hears of
 * each valid article as soon as it is read, before the rest are (the build starts its PDF then);
 * whenever the loop turns, a promise from `pace` holds the reading until it settles (the build
 * reads no further ahead of its PDFs than they keep up with).
 * The event loop turns now and then while it reads: the PDF workers get their jobs through this
 * thread (piscina hands them out from here), so a job requested early in the reading starts on
 * a worker then, not after the last source is read.
 */
export async function prepareAlongside(
  options: BuildOptions,
  diagnostics: Diagnostics,
  cache: OutputCache,
  existing: readonly SourceFile[],
  onArticle: (article: Article, site: SiteSettings) => void,
  pace?: () => Promise<void> | null,
): Promise<Prepared> {
  const ingest = hasRawToIngest(options.contentDir, existing) ? (await import('../ingest/index.ts')).ingestRawFolder : null;
  // the reading workers, when preparation starts them: stopped however it ends
  let readers: SourceReaders | null = null;
  const steps = preparation(options, diagnostics, cache, existing, ingest, onArticle, (sources) => (readers = sourceReadersFor(sources, options.formats)));
  try {
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      // a promise yielded is work on other threads to wait for; else the loop turns
      await (step.value ?? turn());
      // and reads on only once what it started elsewhere has caught up, when it is asked to
      const behind = pace?.();
      if (behind) await behind;
    }
  } finally {
    await (readers as SourceReaders | null)?.close();
  }
}

/** A turn of the event loop: what other work is waiting (a worker's message, a finished read) is done. */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const noIngest: Ingest = function* () {
  return { written: [] };
};

/** Sources read between two turns of the event loop. */
const SOURCES_PER_TURN = 64;

/**
 * Whether ingest has anything to do: a raw file that no source claims (a file of several items
 * is looked at again as long as the file itself is unclaimed), or one whose name ingest warns of.
 */
export function hasRawToIngest(contentDir: string, existing: readonly SourceFile[]): boolean {
  let unnameable = false;
  return unclaimedRawFiles(contentDir, existing, () => (unnameable = true)).length > 0 || unnameable;
}

/** The raw files no source claims (a file of several items counts as long as the file itself is unclaimed): what ingest will read. */
export function unclaimedRawFiles(contentDir: string, existing: readonly SourceFile[], onUnnameable?: () => void): string[] {
  const claimed = new Set(existing.map((source) => source.claims));
  return listRawFiles(contentDir, onUnnameable).filter((name) => !claimed.has(`${RAW_FOLDER}/${name}`));
}

/** prepareAlongside's work, paused (yield) wherever the event loop may turn; `ingest` null when there is no raw file to ingest. */
export function* preparation(
  options: BuildOptions,
  diagnostics: Diagnostics,
  cache: OutputCache | null,
  existing: readonly SourceFile[],
  ingest: Ingest | null,
  onArticle?: (article: Article, site: SiteSettings) => void,
  startReaders?: (sources: number) => SourceReaders | null,
): Generator<Promise<unknown> | void, Prepared> {
  const settings = loadSiteSettings(options.contentDir, diagnostics);
  if (!settings) return { context: null, report: failed(diagnostics), sources: existing };
  const site = options.baseUrl ? withBaseUrl(settings, options.baseUrl) : settings;
  if (!site) {
    diagnostics.error(options.contentDir, `base URL ${JSON.stringify(options.baseUrl)} is not an absolute http(s) URL`, undefined, 'usage');
    return { context: null, report: failed(diagnostics), sources: existing };
  }
  const context: BuildContext = { ...options, site, diagnostics };
  for (const skipped of skippedEntries(options.contentDir)) diagnostics.warn(skipped.path, `skipped: it is ${skipped.kind}, not a file (only regular files are read)`, undefined, 'source');

  const sources: SourceFile[] = [...existing];
  const read = new Map<SourceFile, Article>();
  let parsed = 0;
  const media = new MediaResolver(options.contentDir, cache);
  /** Takes a source's article into the build, or its error into the diagnostics. */
  const take = (source: SourceFile, reading: () => Article | null) => {
    let article: Article | null;
    try {
      article = reading();
      // its pictures, found anew each build (they are files of their own): before its PDF starts
      if (article) article = media.resolve(article, diagnostics);
    } catch (error) {
      // its bytes could not be read, or not as the build listed them
      if (!(error instanceof GalleyError)) throw error;
      diagnostics.error(error.file ?? source.path, error.message, error.place, error.stage);
      return;
    }
    if (!article) return;
    read.set(source, article);
    onArticle?.(article, site);
  };
  // Many sources to read and no PDFs: those not read before go to worker threads, while this
  // thread reads the rest from the cache and ingests raw copy (see source-readers.ts).
  let readers: SourceReaders | null = null;
  const inWorkers: Promise<void>[] = [];
  const readOne = (source: SourceFile) => {
    const key = readers && cache ? (keys.get(source) ?? articleKey(source, site, cache)) : keys.get(source);
    // a source found in the cache before reading began (keyed, not fresh) is not looked up again
    if (!readers || !cache || !key || (keys.has(source) && !freshSet.has(source)) || cache.has(key)) {
      take(source, () => readArticleCached(source, site, diagnostics, cache, key, () => parsed++));
      return;
    }
    const reading = readers;
    inWorkers.push(
      new Promise<ReadResult>((resolve) => resolve(reading.read(source, site))).then(
        (result) => {
          parsed++;
          take(source, () => adoptRead(source, result, diagnostics, cache, key));
        },
        (error: unknown) =>
          take(source, () => {
            throw error;
          }),
      ),
    );
  };
  // Sources not read before first, then raw copy (ingest), then the rest: the first two are the
  // ones whose PDFs are to be made (an edit, an arrival), so the workers start on them while the
  // rest come from the cache. (Which order they are read in changes nothing else: articles are
  // sorted below, messages by file.)
  const keys = new Map(cache ? existing.map((source) => [source, articleKey(source, site, cache)]) : []);
  const fresh = cache ? existing.filter((source) => !cache.has(keys.get(source)!)) : existing;
  const freshSet = new Set(fresh);
  const known = existing.filter((source) => !freshSet.has(source));
  const toRead = fresh.length + (ingest ? unclaimedRawFiles(options.contentDir, existing).length : 0);
  if (toRead >= MANY_TO_READ) collectSooner();
  if (cache && startReaders) readers = startReaders(toRead);
  let count = 0;
  for (const source of fresh) {
    readOne(source);
    // with reading workers, a turn after each source: a worker that finished is handed its next one
    if (++count % SOURCES_PER_TURN === 0 || count === fresh.length || readers) yield;
  }
  const indexByPath = new Map(sources.map((source, index) => [source.path, index]));
  const claimed = new Set(existing.flatMap((source) => (source.claims ? [source.claims] : [])));
  const takenSlugs = new Set(existing.map((source) => source.slug));
  const { written } = yield* (ingest ?? noIngest)({
    contentDir: options.contentDir,
    site,
    now: options.now,
    claimed,
    takenSlugs,
    diagnostics,
    onWritten(item, text) {
      const source = readSourceFile(item.markdown, Buffer.from(text));
      // a later version of an unedited item replaces its source in place (found by path in a
      // map: searching the list for each source written made ingesting n files cost n² steps,
      // a third of a cold build of 20,000 raw files)
      const replaced = indexByPath.get(source.path);
      if (replaced === undefined) {
        indexByPath.set(source.path, sources.length);
        sources.push(source);
      } else {
        read.delete(sources[replaced]!);
        sources[replaced] = source;
      }
      readOne(source);
    },
  });
  for (const source of known) {
    // one that ingest has just replaced was read as its new self
    if (sources[indexByPath.get(source.path)!] !== source) continue;
    readOne(source);
    if (++count % SOURCES_PER_TURN === 0) yield;
  }
  if (inWorkers.length) yield Promise.all(inWorkers);
  sources.sort((a, b) => a.path.localeCompare(b.path));

  // in path order, so which of two twins is refused never depends on the order of reading
  const articles: Article[] = [];
  const bySlug = new Map<string, Article>();
  for (const source of sources) {
    const article = read.get(source);
    if (!article) continue;
    const twin = bySlug.get(article.slug);
    if (twin) {
      diagnostics.error(source.path, `slug “${article.slug}” is already used by ${path.basename(twin.sourcePath)}; give one of them another slug`, undefined, 'slug');
      continue;
    }
    bySlug.set(article.slug, article);
    articles.push(article);
  }
  articles.sort(newestFirst);
  // what agency copy holds back (kills, withholds, embargoes, expiry), whatever the flags
  const holds = holdsOf(articles, options.now);
  for (const [article, hold] of holds) diagnostics[holdSeverity(hold) === 'warning' ? 'warn' : 'notice'](article.sourcePath, describeHold(article, hold), undefined, 'held');
  const published = articles.filter((article) => isPublished(article, options) && !holds.has(article));
  const sourceOf = new Map([...read].map(([source, article]) => [article, source]));
  for (const collision of tagCollisions(published)) {
    const { article, other } = collision;
    const where = other.article === article ? '' : ` (${path.basename(other.article.sourcePath)})`;
    diagnostics.error(
      article.sourcePath,
      `tag ${JSON.stringify(collision.tag)} makes the same topic page, tags/${collision.slug}/, as the different tag ${JSON.stringify(other.tag)}${where}: rename one of them`,
      tagPlace(sourceOf.get(article), collision.index),
      'tags',
    );
  }
  const drafts = articles.filter((article) => article.draft && !options.drafts);
  // by set, not by searching the lists: 100,000 articles would make that ten billion comparisons
  const publishedOrDraft = new Set([...published, ...drafts]);
  const future = articles.filter((article) => !publishedOrDraft.has(article) && (!holds.has(article) || holds.get(article)!.kind === 'embargoed'));
  noticeLanguagesWithoutLabels(context, published, diagnostics);
  const report: BuildReport = { ok: !diagnostics.hasErrors, diagnostics, ingested: written, articles, published, drafts, future, readThreads: readers?.threads ?? 1, parsed };
  return { context, report, sources };
}

/** Where the `index`th tag of a source is written (its front-matter read again: only for a message). */
function tagPlace(source: SourceFile | undefined, index: number): Place | undefined {
  if (!source) return undefined;
  const split = splitFrontMatter(source.bytes.toString('utf8'));
  const yaml = split.frontMatter === null ? null : readYaml(split.frontMatter, source.path, new Diagnostics(), split.frontMatterLine);
  return yaml ? placeOf(yaml, ['tags', index]) : undefined;
}

/**
 * One notice per language the edition is published in that has no interface catalogue (its
 * labels, dates and numbers read English; templates/labels.ts), named on the first source in it.
 */
function noticeLanguagesWithoutLabels(context: BuildContext, published: readonly Article[], diagnostics: Diagnostics): void {
  const seen = new Set<string>();
  const check = (lang: string, file: string) => {
    if (seen.has(lang) || hasCatalogue(lang)) return;
    seen.add(lang);
    diagnostics.notice(file, `no interface labels for language “${lang}”: its pages and PDFs use English labels and dates (languages with labels: ${CATALOGUE_LANGUAGES.join(', ')})`, undefined, 'language');
  };
  check(context.site.language, path.join(context.contentDir, SITE_FILE));
  for (const article of published) check(article.lang, article.sourcePath);
}

/** Drafts and future articles wait for their flags. */
export function isPublished(article: Article, options: Pick<BuildOptions, 'drafts' | 'future' | 'now'>): boolean {
  return (!article.draft || options.drafts) && (article.date <= options.now || options.future);
}

/** What the command line gives a build besides its options. */
