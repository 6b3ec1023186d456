/**
 * Orchestration, in one line: raw text → Markdown sources → validated `Article`s → outputs →
 * one publish. Every stage reports to the same diagnostics; any error stops the run before the
 * output folder is touched.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Article } from './article.ts';
import { readArticle } from './article.ts';
import type { BuildContext, BuildOptions } from './context.ts';
import { Diagnostics, GalleyError } from './diagnostics.ts';
import { OutputCache } from './cache.ts';
import { CACHE_DIR, engineFingerprint } from './project.ts';
import { Staging } from './publish.ts';
import { pdfRendererFor, type PdfRenderer } from './pdf-pool.ts';
import type { PdfRenderResult } from './outputs/pdf.ts';
import type { Edition } from './outputs/edition.ts';
import { renderHtml } from './outputs/html.ts';
import { renderFeeds } from './outputs/feeds.ts';
import { OUTPUT_PATHS, absoluteUrl } from './urls.ts';
import { ingestRawFolder } from './ingest/index.ts';
import { loadSiteSettings, withBaseUrl } from './site.ts';
import { listSourceFiles, readSourceFile, type SourceFile } from './sources.ts';

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

function failed(diagnostics: Diagnostics, partial: Partial<BuildReport> = {}): BuildReport {
  return { ok: false, diagnostics, ingested: [], articles: [], published: [], drafts: [], future: [], ...partial };
}

/** Loads settings, ingests raw copy, reads and validates every source. */
export function prepare(options: BuildOptions, diagnostics = new Diagnostics()): { context: BuildContext | null; report: BuildReport } {
  const settings = loadSiteSettings(options.contentDir, diagnostics);
  if (!settings) return { context: null, report: failed(diagnostics) };
  const site = options.baseUrl ? withBaseUrl(settings, options.baseUrl) : settings;
  if (!site) {
    diagnostics.error(options.contentDir, `base URL ${JSON.stringify(options.baseUrl)} is not an absolute http(s) URL`, undefined, 'usage');
    return { context: null, report: failed(diagnostics) };
  }
  const context: BuildContext = { ...options, site, diagnostics };

  const existing = listSourceFiles(options.contentDir).map(readSourceFile);
  const claimed = new Set(existing.flatMap((source) => (source.claims ? [source.claims] : [])));
  const takenSlugs = new Set(existing.map((source) => source.slug));
  const { written } = ingestRawFolder({ contentDir: options.contentDir, site, now: options.now, claimed, takenSlugs, diagnostics });
  const sources: SourceFile[] = [...existing, ...written.map((item) => readSourceFile(item.markdown))].sort((a, b) => a.path.localeCompare(b.path));

  const articles: Article[] = [];
  const bySlug = new Map<string, Article>();
  for (const source of sources) {
    const article = readArticle(source.path, source.bytes, site, diagnostics);
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
  const drafts = articles.filter((article) => article.draft && !options.drafts);
  const future = articles.filter((article) => article.date > options.now && !options.future && !drafts.includes(article));
  const published = articles.filter((article) => !drafts.includes(article) && !future.includes(article));
  const report: BuildReport = { ok: !diagnostics.hasErrors, diagnostics, ingested: written, articles, published, drafts, future };
  return { context, report };
}

export interface BuildProgress {
  /** Called after each article's PDF is ready (rendered or reused). */
  onArticle?(done: number, total: number, article: Article): void;
}

export interface PublishReport extends BuildReport {
  /** PDFs rendered this run, and reused from the cache. */
  readonly rendered: number;
  readonly reused: number;
  /** Files in the published edition. */
  readonly files: number;
}

/**
 * The whole build: prepare, render every output into a staging folder, publish atomically.
 * On any error the previous output folder is left exactly as it was.
 */
export async function build(options: BuildOptions, progress: BuildProgress = {}): Promise<PublishReport> {
  const { context, report } = prepare(options);
  const empty = { rendered: 0, reused: 0, files: 0 };
  if (!context || !report.ok) return { ...report, ok: false, ...empty };
  const { site, diagnostics } = context;
  const cache = new OutputCache(CACHE_DIR, engineFingerprint());

  const staging = Staging.open(options.outDir);
  const release = abortOnSignal(staging);
  let renderer: PdfRenderer | null = null;
  try {
    // PDFs first: pages and feeds state their sizes
    const pdfBytes = new Map<string, number>();
    const jobs = report.published.map((article) => {
      const pageUrl = absoluteUrl(site, OUTPUT_PATHS.articlePage(article.slug));
      return { article, pageUrl, key: cache.pdfKey(article, site, pageUrl) };
    });
    const missing = jobs.filter((job) => !cache.get('pdf', job.key));
    renderer = missing.length ? pdfRendererFor(missing.length) : null;
    let done = 0;
    const place = (job: (typeof jobs)[number], file: string) => {
      staging.place(OUTPUT_PATHS.articlePdf(job.article.slug), file);
      pdfBytes.set(job.article.slug, fs.statSync(file).size);
      progress.onArticle?.(++done, jobs.length, job.article);
    };
    for (const job of jobs) {
      const cached = cache.get('pdf', job.key);
      if (cached) place(job, cached);
    }
    await Promise.all(
      missing.map(async (job) => {
        let result: PdfRenderResult;
        try {
          result = await renderer!.render({ article: job.article, site, pageUrl: job.pageUrl });
        } catch (error) {
          throw new GalleyError(`PDF: ${(error as Error).message}`, 'pdf', job.article.sourcePath, undefined, { cause: error });
        }
        for (const warning of result.warnings) diagnostics.warn(job.article.sourcePath, `PDF: ${warning}`, undefined, 'pdf');
        place(job, cache.put('pdf', job.key, result.bytes));
      }),
    );

    const edition: Edition = { site, articles: report.published, pdfBytes };
    const files = [...renderHtml(edition), ...renderFeeds(edition)];
    for (const file of files) staging.write(file.path, file.data);
    staging.commit();
    return { ...report, rendered: missing.length, reused: jobs.length - missing.length, files: files.length + jobs.length };
  } catch (error) {
    staging.abort();
    if (!(error instanceof GalleyError)) throw error;
    diagnostics.error(error.file ?? options.outDir, error.message, error.place, error.stage);
    return { ...report, ok: false, ...empty };
  } finally {
    release();
    await renderer?.close();
  }
}

/**
 * Ctrl-C or SIGTERM mid-build: the staging folder goes, the previous edition stays, and the
 * process exits with the conventional 128 + signal number.
 */
function abortOnSignal(staging: Staging): () => void {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = () => {
      staging.abort();
      process.stderr.write(`\ngalley: interrupted (${signal}); the previous edition is unchanged\n`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
  };
}
