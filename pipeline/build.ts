/**
 * Orchestration, in one line: raw text → Markdown sources → validated `Article`s → outputs →
 * one publish. Every stage reports to the same diagnostics; any error stops the run before the
 * output folder is touched.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Root } from 'mdast';
import type { Article } from './article.ts';
import { readArticle, readBody } from './article.ts';
import type { BuildContext, BuildOptions } from './context.ts';
import { Diagnostics, GalleyError, severityOf } from './diagnostics.ts';
import { OutputCache } from './cache.ts';
import { digestOf } from './digest.ts';
import { CACHE_DIR, engineFingerprint } from './project.ts';
import { Staging } from './publish.ts';
import { ingestRawFolder, listRawFiles } from './ingest/index.ts';
import { loadSiteSettings, withBaseUrl, type SiteSettings } from './site.ts';
import { listSourceFiles, readSourceFile, SourceIndex, type SourceFile } from './sources.ts';
import { currentEdition, forgetEdition, inputKey, recordEdition } from './manifest.ts';
import { OUTPUT_PATHS, absoluteUrl } from './urls.ts';
import type { Edition, OutputFile, PlannedFile } from './outputs/edition.ts';
import type { PdfRenderer } from './pdf-pool.ts';
import { POOL_THRESHOLD, warmEarlyWorkersIn } from './pool-size.ts';
import type { PdfJobResult } from './outputs/pdf.ts';
import { describeHold, holdSeverity, holdsOf, nextChange } from './holds.ts';

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
}

/** Newest first; the slug breaks ties so the order never depends on the file system. */
export function newestFirst(a: Article, b: Article): number {
  return b.date.getTime() - a.date.getTime() || a.slug.localeCompare(b.slug);
}

function failed(diagnostics: Diagnostics): BuildReport {
  return { ok: false, diagnostics, ingested: [], articles: [], published: [], drafts: [], future: [] };
}

/** A message as the article cache stores it, to be told again when the article is reused. */
interface StoredMessage {
  readonly reason: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly severity: 'error' | 'warning' | 'notice';
  readonly ruleId: string | undefined;
}

interface CachedArticle {
  readonly article: Omit<Article, 'body'>;
  readonly messages: readonly StoredMessage[];
}

/** The cache key of a source read as an article under `site` by this Galley. */
function articleKey(source: SourceFile, site: SiteSettings, cache: OutputCache): string {
  return cache.key('article', [path.basename(source.path), source.hash, digestOf(site)]);
}

/**
 * Reads a source into an `Article`, or takes it from the cache when the same bytes were read
 * before under the same settings and the same Galley (parsing is most of a rebuild's cost).
 * The cache keeps the article without its body: a rebuild needs the bodies only of articles
 * whose PDF or page it makes again, and parses just those again when it does (keeping 1,000
 * bodies made the cache three times larger, and reading it back cost more than that parse).
 */
function readArticleCached(source: SourceFile, site: SiteSettings, diagnostics: Diagnostics, cache: OutputCache | null, known?: string): Article | null {
  const key = cache ? (known ?? articleKey(source, site, cache)) : undefined;
  const cached = cache && key ? cache.value<CachedArticle>(key) : undefined;
  if (cached) {
    for (const message of cached.messages) {
      const place = message.line ? { line: message.line, column: message.column ?? 1 } : undefined;
      if (message.severity === 'warning') diagnostics.warn(source.path, message.reason, place, message.ruleId);
      else diagnostics.notice(source.path, message.reason, place, message.ruleId);
    }
    let body: Root | undefined;
    const article = { ...cached.article, sourcePath: source.path } as Article;
    // enumerable, so the copy a PDF worker receives carries the body too
    Object.defineProperty(article, 'body', { enumerable: true, get: () => (body ??= readBody(source.bytes)) });
    return article;
  }
  const article = readArticle(source.path, source.bytes, site, diagnostics);
  if (article && cache && key) {
    const messages = diagnostics.file(source.path).messages.map((message) => ({
      reason: message.reason,
      line: message.line,
      column: message.column,
      severity: severityOf(message),
      ruleId: message.ruleId,
    }));
    const { body: _body, ...rest } = article;
    cache.store(key, { article: rest, messages } satisfies CachedArticle);
  }
  return article;
}

type Prepared = { context: BuildContext | null; report: BuildReport; sources: readonly SourceFile[] };

/**
 * Loads settings, ingests raw copy, reads and validates every source. `onArticle` hears of each
 * valid article as soon as it is read, before the rest are (the build starts its PDF then).
 */
export function prepare(
  options: BuildOptions,
  diagnostics = new Diagnostics(),
  cache: OutputCache | null = null,
  existing: readonly SourceFile[] = listSourceFiles(options.contentDir).map((file) => readSourceFile(file)),
  onArticle?: (article: Article, site: SiteSettings) => void,
): Prepared {
  const steps = preparation(options, diagnostics, cache, existing, onArticle);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same, letting the event loop turn now and then while it reads: the PDF workers get their
 * jobs through this thread (piscina hands them out from here), so a job requested early in the
 * reading starts on a worker then, not after the last source is read.
 */
async function prepareAlongside(
  options: BuildOptions,
  diagnostics: Diagnostics,
  cache: OutputCache,
  existing: readonly SourceFile[],
  onArticle: (article: Article, site: SiteSettings) => void,
): Promise<Prepared> {
  const steps = preparation(options, diagnostics, cache, existing, onArticle);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await turn();
  }
}

/** A turn of the event loop: what other work is waiting (a worker's message, a finished read) is done. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Sources read between two turns of the event loop. */
const SOURCES_PER_TURN = 64;

/** prepare's work, paused (yield) wherever the event loop may turn. */
function* preparation(
  options: BuildOptions,
  diagnostics: Diagnostics,
  cache: OutputCache | null,
  existing: readonly SourceFile[],
  onArticle?: (article: Article, site: SiteSettings) => void,
): Generator<void, Prepared> {
  const settings = loadSiteSettings(options.contentDir, diagnostics);
  if (!settings) return { context: null, report: failed(diagnostics), sources: existing };
  const site = options.baseUrl ? withBaseUrl(settings, options.baseUrl) : settings;
  if (!site) {
    diagnostics.error(options.contentDir, `base URL ${JSON.stringify(options.baseUrl)} is not an absolute http(s) URL`, undefined, 'usage');
    return { context: null, report: failed(diagnostics), sources: existing };
  }
  const context: BuildContext = { ...options, site, diagnostics };

  const sources: SourceFile[] = [...existing];
  const read = new Map<SourceFile, Article>();
  const readOne = (source: SourceFile) => {
    let article: Article | null;
    try {
      article = readArticleCached(source, site, diagnostics, cache, keys.get(source));
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
  // Sources not read before first: they are the ones whose PDFs are to be made, so the workers
  // start on them while the rest come from the cache. (Which order they are read in changes
  // nothing else: articles are sorted below, messages by file.)
  const keys = new Map(cache ? existing.map((source) => [source, articleKey(source, site, cache)]) : []);
  const fresh = cache ? existing.filter((source) => !cache.has(keys.get(source)!)) : existing;
  const freshSet = new Set(fresh);
  const known = existing.filter((source) => !freshSet.has(source));
  let count = 0;
  for (const source of [...fresh, ...known]) {
    readOne(source);
    if (++count % SOURCES_PER_TURN === 0 || count === fresh.length) yield;
  }
  const claimed = new Set(existing.flatMap((source) => (source.claims ? [source.claims] : [])));
  const takenSlugs = new Set(existing.map((source) => source.slug));
  const { written } = ingestRawFolder({
    contentDir: options.contentDir,
    site,
    now: options.now,
    claimed,
    takenSlugs,
    diagnostics,
    onWritten(item, text) {
      const source = readSourceFile(item.markdown, Buffer.from(text));
      // a later version of an unedited item replaces its source in place
      const replaced = sources.findIndex((known) => known.path === source.path);
      if (replaced < 0) sources.push(source);
      else {
        read.delete(sources[replaced]!);
        sources[replaced] = source;
      }
      readOne(source);
    },
  });
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
  const drafts = articles.filter((article) => article.draft && !options.drafts);
  const future = articles.filter((article) => !published.includes(article) && !drafts.includes(article) && (!holds.has(article) || holds.get(article)!.kind === 'embargoed'));
  const report: BuildReport = { ok: !diagnostics.hasErrors, diagnostics, ingested: written, articles, published, drafts, future };
  return { context, report, sources };
}

/** Drafts and future articles wait for their flags. */
export function isPublished(article: Article, options: Pick<BuildOptions, 'drafts' | 'future' | 'now'>): boolean {
  return (!article.draft || options.drafts) && (article.date <= options.now || options.future);
}

export interface BuildProgress {
  /** Called after each article's PDF is ready (rendered or reused). */
  onArticle?(done: number, total: number, article: Article): void;
}

export interface PublishReport extends BuildReport {
  /** True when the inputs and the output folder were as the last build left them: nothing was redone. */
  readonly unchanged: boolean;
  /** PDFs rendered this run, and reused from the cache. */
  readonly rendered: number;
  readonly reused: number;
  /** Files in the published edition. */
  readonly files: number;
  /** Milliseconds per stage. */
  readonly timings: Readonly<Record<string, number>>;
  /** Messages of a reused edition, as its build printed them. */
  readonly replayed: string;
  readonly counts: { readonly published: number; readonly drafts: number; readonly future: number; readonly warnings: number };
}

/**
 * The whole build: prepare, render every output into a staging folder, publish atomically.
 * On any error the previous output folder is left exactly as it was.
 */
export async function build(options: BuildOptions, progress: BuildProgress = {}): Promise<PublishReport> {
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (stage: string) => {
    const now = performance.now();
    timings[stage] = (timings[stage] ?? 0) + (now - mark);
    mark = now;
  };
  const fingerprint = engineFingerprint();
  const cache = new OutputCache(CACHE_DIR, fingerprint, options.contentDir);
  // workers the command line started warm up in the site's language while the build checks and reads
  // (prepare reads the settings again and reports on them)
  const language = loadSiteSettings(options.contentDir, new Diagnostics())?.language ?? 'en';
  if (options.formats.includes('pdf')) warmEarlyWorkersIn(language);
  const sourceIndex = SourceIndex.open(CACHE_DIR, options.contentDir);
  const sources = sourceIndex.sources(options.contentDir);
  sourceIndex.save();
  const key = inputKey(options, fingerprint, sources);
  const kept = key ? currentEdition(CACHE_DIR, options.outDir, key, options.now) : null;
  lap('check');
  if (kept) {
    const diagnostics = new Diagnostics();
    return { ...failed(diagnostics), ok: true, unchanged: true, rendered: 0, reused: kept.counts.published, files: Object.keys(kept.files).length, timings, replayed: kept.messages, counts: kept.counts };
  }

  // the teasers and feed items kept by earlier builds are read from disk while this thread reads the sources
  cache.readFragmentsAhead();
  // PDFs render (into the cache) while the rest is still being read: they are most of the work
  const pdfs = options.formats.includes('pdf') ? new PdfQueue(cache, sources.length + listRawFiles(options.contentDir).length, language) : null;
  // something changed, and nearly every change needs a PDF: a large build starts its workers
  // now, so their start-up (modules, fonts, warm-up) overlaps reading the sources
  await pdfs?.warmUp();
  // from here on, Ctrl-C or SIGTERM cleans up whatever this build has started
  const interrupt = onInterrupt();
  const { context, report, sources: allSources } = await prepareAlongside(options, new Diagnostics(), cache, sources, (article, site) => {
    if (isPublished(article, options)) pdfs?.request(article, site);
  });
  lap('read');
  const counts = {
    published: report.published.length,
    drafts: report.drafts.length,
    future: report.future.length,
    warnings: 0,
  };
  const result = (ok: boolean, extra: { rendered?: number; reused?: number; files?: number } = {}): PublishReport => ({
    ...report,
    ok,
    unchanged: false,
    rendered: 0,
    reused: 0,
    files: 0,
    ...extra,
    timings,
    replayed: '',
    counts: { ...counts, warnings: report.diagnostics.count('warning') },
  });
  if (!context || !report.ok) {
    // what was read is worth keeping even when the build fails: the next attempt reuses it
    cache.save();
    interrupt.release();
    await pdfs?.close();
    return result(false);
  }
  const { site, diagnostics } = context;

  forgetEdition(CACHE_DIR, options.outDir);
  const staging = Staging.open(options.outDir, CACHE_DIR);
  interrupt.staging = staging;
  try {
    const html = options.formats.includes('html') ? await import('./outputs/html.ts') : null;
    const pdfBytes = new Map<string, number>();
    const edition: Edition = { site, articles: report.published, pdfBytes };
    let pages = 0;
    const writePage = (article: Article) => {
      if (!html) return;
      // what the page shows of the other articles (its related links) is part of its key, and
      // nothing else of theirs: publishing an article does not re-render the archive
      const inputs = [digestOf(site), html.articlePageDependencies(article, edition), path.basename(article.sourcePath), article.hash, pdfBytes.get(article.slug) ?? null];
      staging.add(cache.output(OUTPUT_PATHS.articlePage(article.slug), 'page', inputs, () => html.renderArticlePage(article, edition)));
      pages++;
    };

    // each article's PDF into the edition, and its page as soon as the PDF's size is known
    let done = 0;
    const placed = Promise.all(
      report.published.map(async (article) => {
        if (pdfs) {
          const pdf = await pdfs.request(article, site);
          for (const warning of pdf.warnings) diagnostics.warn(article.sourcePath, `PDF: ${warning}`, undefined, 'pdf');
          staging.place(OUTPUT_PATHS.articlePdf(article.slug), pdf.file, pdf.stat);
          pdfBytes.set(article.slug, pdf.stat.size);
        }
        writePage(article);
        progress.onArticle?.(++done, report.published.length, article);
      }),
    );
    // a failure is reported where `placed` is awaited; until then it must not go unhandled
    placed.catch(() => {});
    // cached PDFs are placed once the event loop turns; those still missing are being rendered
    await turn();
    await cache.fragmentsRead();
    const feeds = options.formats.includes('feeds') ? await import('./outputs/feeds.ts') : null;
    const lists = [...(html?.sitePagePlans(edition, cache) ?? []), ...(feeds?.feedFilePlans(edition, cache) ?? [])];
    // Front page, topic pages and feeds are made while PDFs render, each as soon as every article
    // it shows has its PDF's size: after an edit, all but the few that show the edited article.
    // A cold build renders every PDF, so it makes them all after, with the workers' memory back.
    const files: OutputFile[] = [];
    const waiting: PlannedFile[] = [];
    const ready = (file: PlannedFile) => !pdfs || file.articles.every((article) => pdfBytes.has(article.slug));
    for (const file of lists) {
      if (!ready(file)) {
        waiting.push(file);
        continue;
      }
      files.push(file.render());
      staging.add(files.at(-1)!);
      // a turn of the event loop between files, for a PDF that is done meanwhile
      await turn();
    }
    lap('lists');
    await placed;
    // The workers stop while the last pages and feeds are made, when those are few (after an
    // edit: the front page, the main feeds, the edited article's topics). When most are left (a
    // cold build makes them all now), their memory goes back first: overlapping the two took a
    // cold build's peak over 400 MB.
    const closed = pdfs?.close();
    if (waiting.length > lists.length / 2) await closed;
    lap('pdf+pages');
    for (const file of waiting) {
      files.push(file.render());
      staging.add(files.at(-1)!);
    }
    await closed;
    lap('index+feeds');
    const { retired, listing } = await staging.commit();
    cache.save();
    const rendered = pdfs?.rendered ?? 0;
    const finished = result(true, { rendered, reused: pdfBytes.size - rendered, files: files.length + pdfBytes.size + pages });
    const heldUntil = nextChange(report.articles, options.now);
    // the key of the sources as they are now, ingested ones included: what the next build sees
    const publishedKey = inputKey(options, fingerprint, allSources);
    if (publishedKey) {
      recordEdition(CACHE_DIR, options.outDir, {
        key: publishedKey,
        files: listing,
        heldUntil,
        messages: diagnostics.format(),
        counts: finished.counts,
      });
    }
    await retired;
    lap('publish');
    return finished;
  } catch (error) {
    await staging.abort();
    if (!(error instanceof GalleyError)) throw error;
    diagnostics.error(error.file ?? options.outDir, error.message, error.place, error.stage);
    return result(false);
  } finally {
    interrupt.release();
    await pdfs?.close();
  }
}

interface PdfResult {
  /** The PDF in the cache, and its stat (its size is what pages and feeds state). */
  readonly file: string;
  readonly stat: fs.Stats;
  readonly warnings: readonly string[];
}

/**
 * Article PDFs, each taken from the cache when its inputs are unchanged, else rendered (on the
 * worker pool when the build is large) and cached. Requests start work at once; results are
 * awaited when the edition is assembled.
 */
class PdfQueue {
  readonly #cache: OutputCache;
  /** How many articles the build may have: whether a worker pool pays for itself. */
  readonly #expected: number;
  /** The site's language: what the workers warm up in. */
  readonly #language: string;
  readonly #results = new Map<Article, Promise<PdfResult>>();
  #renderer: Promise<PdfRenderer> | null = null;
  rendered = 0;

  constructor(cache: OutputCache, expected: number, language: string) {
    this.#cache = cache;
    this.#expected = expected;
    this.#language = language;
  }

  /** Starts the renderer ahead of the first request, when the build is large enough for a pool. */
  async warmUp(): Promise<void> {
    if (this.#expected >= POOL_THRESHOLD) await this.#started();
  }

  /** The renderer, made on first use: the PDF modules load only when something is to be rendered. */
  #started(): Promise<PdfRenderer> {
    this.#renderer ??= import('./pdf-pool.ts').then(({ pdfRendererFor }) => pdfRendererFor(this.#expected, this.#language));
    return this.#renderer;
  }

  request(article: Article, site: SiteSettings): Promise<PdfResult> {
    let result = this.#results.get(article);
    if (!result) {
      result = this.#make(article, site);
      // a failure is reported when the result is awaited; until then it must not go unhandled
      result.catch(() => {});
      this.#results.set(article, result);
    }
    return result;
  }

  async #make(article: Article, site: SiteSettings): Promise<PdfResult> {
    const pageUrl = absoluteUrl(site, OUTPUT_PATHS.articlePage(article.slug));
    const key = this.#cache.key('pdf', [path.basename(article.sourcePath), article.hash, digestOf(site), pageUrl]);
    // A PDF that came with warnings is kept under a kind of its own ('pdf-warned'), its warnings
    // stored before it: the usual PDF, without any, is found with one stat and nothing else.
    const cached = this.#cache.found('pdf', key);
    if (cached) return { ...cached, warnings: [] };
    const warned = this.#cache.found('pdf-warned', key);
    const warnings = warned && this.#cache.get('pdf-warnings', key);
    if (warned && warnings) return { ...warned, warnings: JSON.parse(fs.readFileSync(warnings, 'utf8')) as string[] };
    const renderer = await this.#started();
    // written by the rendering thread beside where it belongs, moved there once its warnings are
    const temporary = this.#cache.temporary('pdf', key);
    let made: PdfJobResult;
    try {
      made = await renderer.render({ article, site, pageUrl, file: temporary });
    } catch (error) {
      fs.rmSync(temporary, { force: true });
      throw new GalleyError(`PDF: ${(error as Error).message}`, 'pdf', article.sourcePath, undefined, { cause: error });
    }
    this.rendered++;
    if (made.warnings.length) this.#cache.put('pdf-warnings', key, Buffer.from(JSON.stringify(made.warnings)));
    const file = this.#cache.adopt(made.warnings.length ? 'pdf-warned' : 'pdf', key, temporary);
    return { file, stat: fs.statSync(file), warnings: made.warnings };
  }

  /** Stops the workers; renders still running are abandoned (a failed build does not wait for them). */
  async close(): Promise<void> {
    const renderer = this.#renderer;
    this.#renderer = null;
    if (renderer) await (await renderer).close();
  }
}

/**
 * Ctrl-C or SIGTERM mid-build: the staging folder (once there is one) goes, the previous edition
 * stays, and the process exits with the conventional 128 + signal number.
 */
function onInterrupt(): { staging: Staging | null; release(): void } {
  const state = {
    staging: null as Staging | null,
    release() {
      for (const [signal, handler] of handlers) process.removeListener(signal, handler);
    },
  };
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = () => {
      state.staging?.abortNow();
      process.stderr.write(`\ngalley: interrupted (${signal}); the previous edition is unchanged\n`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once(signal, handler);
    return [signal, handler] as const;
  });
  return state;
}
