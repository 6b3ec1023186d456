/**
 * Article PDFs for a build, each taken from the cache when its inputs are unchanged, else
 * rendered (on the worker pool when the build is large) and cached.
 */
import fs from 'node:fs';
import { sourceKey, type Article } from '../model/article.ts';
import { errnoCode, fsReason } from '../model/errors.ts';
import { GalleyError } from '../model/diagnostics.ts';
import { pdfSettings, type SiteSettings } from '../model/site.ts';
import { absoluteUrl } from '../model/urls.ts';
import { OUTPUTS, OUTPUT_PATHS } from '../outputs/registry.ts';
import { relatedLinks, type RelatedLink, type RelatedScope } from '../outputs/article-view.ts';
import type { PdfJobResult } from '../outputs/pdf/pdf.ts';
import type { PdfRenderer, WorkerPool } from '../outputs/pdf/pool.ts';
import { POOL_THRESHOLD } from '../outputs/pdf/pool-size.ts';
import type { CachedFile, OutputCache } from './cache.ts';

export type PdfResult = CachedFile;

/**
 * Renders this machine's pool may have under way before the build reads on (see PdfQueue.ahead):
 * enough to keep every worker busy while the reading of the next sources (64 between two turns of
 * the event loop) takes its time, few enough that the bodies they hold are a few megabytes.
 */
export const RENDERS_AHEAD = 32;

/**
 * Article PDFs, each taken from the cache when its inputs are unchanged, else rendered (on the
 * worker pool when the build is large) and cached. Requests start work at once; results are
 * awaited when the edition is assembled.
 */
export class PdfQueue {
  readonly #cache: OutputCache;
  /** How many articles the build may have: whether a worker pool pays for itself. */
  readonly #expected: number;
  /** The site's language: what the workers warm up in. */
  readonly #language: string;
  /** Workers the command line started, until the renderer adopts or stops them. */
  readonly #early: WorkerPool | null;
  /** Each article's PDF as last requested, with the related links it was requested with. */
  readonly #results = new Map<Article, { readonly links: string; readonly result: Promise<PdfResult>; rendered: boolean }>();
  #renderer: Promise<PdfRenderer> | null = null;
  /** Makes the renderer instead of this machine's (a queue of remote workers); given the job count and language. */
  readonly #makeRenderer: ((jobs: number, language: string) => Promise<PdfRenderer>) | undefined;
  /** Renders asked for and not yet done; what waits for them to be fewer (see ahead). */
  #rendering = 0;
  readonly #whenFewer: (() => void)[] = [];

  constructor(cache: OutputCache, expected: number, language: string, early: WorkerPool | null, make?: (jobs: number, language: string) => Promise<PdfRenderer>) {
    this.#cache = cache;
    this.#expected = expected;
    this.#language = language;
    this.#early = early;
    this.#makeRenderer = make;
  }

  /** Starts the renderer ahead of the first request, when the build is large enough for a pool. */
  async warmUp(): Promise<void> {
    if (this.#expected >= POOL_THRESHOLD && !this.#makeRenderer) await this.#started();
  }

  /** The renderer, made on first use: the PDF modules load only when something is to be rendered. */
  #started(): Promise<PdfRenderer> {
    this.#renderer ??= this.#makeRenderer ? this.#makeRenderer(this.#expected, this.#language) : import('../outputs/pdf/pool.ts').then(({ pdfRendererFor }) => pdfRendererFor(this.#expected, this.#language, this.#early));
    return this.#renderer;
  }

  /**
   * The article's PDF, with its related items linked as `scope` links them (relatedLinks). A
   * build asks first as each article is read, before the edition is known (most related titles
   * link the same either way, and the PDF starts at once), then with the whole edition: a PDF
   * whose links come out otherwise is made again, and the first one is never used.
   */
  request(article: Article, scope: RelatedScope & { readonly site: SiteSettings }): Promise<PdfResult> {
    const related = relatedLinks(article, scope);
    const links = JSON.stringify(related);
    const known = this.#results.get(article);
    if (known?.links === links) return known.result;
    const entry = { links, result: this.#make(article, scope.site, related, () => (entry.rendered = true)), rendered: false };
    // a failure is reported when the result is awaited; until then it must not go unhandled
    entry.result.catch(() => {});
    this.#results.set(article, entry);
    return entry.result;
  }

  /**
   * Null while this machine's pool has fewer than RENDERS_AHEAD renders under way, else a
   * promise that settles once it has. A build with PDFs reads its sources far faster than they
   * render: each article it reads holds its parsed body until its PDF, page and feed items are
   * made, and reading them all first held every body at once (~25 kB an article: 10,000 articles
   * peaked at ~880 MB). Remote workers (a queue) are not waited for: how many there are is theirs to know.
   */
  ahead(): Promise<void> | null {
    if (this.#makeRenderer || this.#rendering < RENDERS_AHEAD) return null;
    return new Promise((resolve) => this.#whenFewer.push(resolve));
  }

  /** PDFs rendered (not taken from the cache) among those the build uses. */
  get rendered(): number {
    let count = 0;
    for (const entry of this.#results.values()) if (entry.rendered) count++;
    return count;
  }

  async #make(article: Article, site: SiteSettings, related: readonly RelatedLink[], onRendered: () => void): Promise<PdfResult> {
    const pageUrl = absoluteUrl(site, OUTPUT_PATHS.articlePage(article.slug));
    const key = this.#cache.key(OUTPUTS.articlePdf.name, [sourceKey(article), pdfSettings(site), pageUrl, related]);
    const cached = this.#cache.found(OUTPUTS.articlePdf.name, key);
    if (cached) return cached;
    this.#rendering++;
    try {
      return await this.#render(article, site, related, pageUrl, key, onRendered);
    } finally {
      this.#rendering--;
      if (this.#rendering < RENDERS_AHEAD) for (const resume of this.#whenFewer.splice(0)) resume();
    }
  }

  async #render(article: Article, site: SiteSettings, related: readonly RelatedLink[], pageUrl: string, key: string, onRendered: () => void): Promise<PdfResult> {
    const renderer = await this.#started();
    // written by the rendering thread beside where it belongs, moved there once it is whole
    const temporary = this.#cache.temporary(OUTPUTS.articlePdf.name, key);
    let made: PdfJobResult;
    try {
      // the body with it: an article the build holds has it from its class, which a copy to another thread leaves behind
      made = await renderer.render({ article: { ...article, body: article.body }, site: pdfSettings(site), pageUrl, related, file: temporary });
    } catch (error) {
      fs.rmSync(temporary, { force: true });
      // the environment (a full disk) rather than the article: said as such, with the path
      const where = errnoCode(error) ? `could not write it into the cache (${temporary}): ${fsReason(error)}` : (error as Error).message;
      throw new GalleyError(`PDF: ${where}`, 'pdf', article.sourcePath, undefined, { cause: error });
    }
    onRendered();
    return this.#cache.adopt(OUTPUTS.articlePdf.name, key, temporary, undefined, made.warnings);
  }

  /** Stops the workers; renders still running are abandoned (a failed build does not wait for them). */
  async close(): Promise<void> {
    const renderer = this.#renderer;
    this.#renderer = null;
    // a renderer that could not be made (no worker on the queue) was reported where it was awaited
    if (renderer) await (await renderer.catch(() => null))?.close();
  }
}

