/**
 * Orchestration, in one line: raw text → Markdown sources → validated `Article`s → outputs →
 * one publish. Every stage reports to the same diagnostics; any error stops the run before the
 * output folder is touched.
 */
import path from 'node:path';
import type { Article } from './article.ts';
import { readArticle } from './article.ts';
import type { BuildContext, BuildOptions } from './context.ts';
import { Diagnostics } from './diagnostics.ts';
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
