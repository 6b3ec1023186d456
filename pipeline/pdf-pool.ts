/**
 * PDF rendering, the bulk of a build's cost, on a pool of worker threads sized to the cores
 * (piscina). Each worker loads its fonts once and renders many articles. Small jobs render in
 * this thread: starting workers costs more than it saves for a handful of articles.
 */
import os from 'node:os';
import { Piscina } from 'piscina';
import type { Article } from './article.ts';
import type { SiteSettings } from './site.ts';
import type { PdfFonts, PdfRenderResult } from './outputs/pdf.ts';
import { POOL_THRESHOLD } from './pool-size.ts';

export interface PdfJob {
  readonly article: Article;
  readonly site: SiteSettings;
  readonly pageUrl: string;
}

export interface PdfRenderer {
  render(job: PdfJob): Promise<PdfRenderResult>;
  close(): Promise<void>;
}

/** Renders in this thread; PDFKit and the fonts load on the first job (a pool never needs them here). */
export function inProcessRenderer(): PdfRenderer {
  let fonts: PdfFonts | null = null;
  return {
    async render(job) {
      const { loadPdfFonts, renderPdf } = await import('./outputs/pdf.ts');
      fonts ??= loadPdfFonts();
      return renderPdf(job.article, { site: job.site, pageUrl: job.pageUrl, fonts });
    },
    async close() {},
  };
}

/**
 * Worker heap limits. A worker renders one article at a time and keeps little between them, but
 * V8 lets a busy heap grow far beyond what is live before it collects; a modest limit makes it
 * collect sooner, which keeps a 1,000-article build's memory flat. An article too large for
 * the limit (a 2 MB wire dump, hundreds of pages) is rendered again in the main thread.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 96 };

export function workerPoolRenderer(threads = os.availableParallelism()): PdfRenderer {
  let fallback: PdfRenderer | null = null;
  const pool = new Piscina({
    // the worker module sits beside this one: pdf-worker.ts through tsx, pdf-worker.js compiled
    filename: new URL(import.meta.url.endsWith('.ts') ? './pdf-worker.ts' : './pdf-worker.js', import.meta.url).href,
    // one worker at first, more as jobs queue: a rebuild that re-renders one PDF starts one
    minThreads: 1,
    maxThreads: threads,
    // workers run TypeScript through the same loader as this process (tests run through tsx);
    // other flags of this process (memory settings) are not valid for a worker
    execArgv: loaderFlags(process.execArgv),
    resourceLimits: WORKER_LIMITS,
    idleTimeout: 1_000,
  });
  return {
    async render(job) {
      try {
        return (await pool.run(job)) as PdfRenderResult;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ERR_WORKER_OUT_OF_MEMORY') throw error;
        fallback ??= inProcessRenderer();
        return fallback.render(job);
      }
    },
    close() {
      return pool.destroy();
    },
  };
}

function loaderFlags(execArgv: readonly string[]): string[] {
  const flags: string[] = [];
  execArgv.forEach((flag, index) => {
    if (/^--(import|require|loader|experimental-loader)=/.test(flag)) flags.push(flag);
    else if (/^(--import|--require|--loader|--experimental-loader|-r)$/.test(flag) && execArgv[index + 1]) flags.push(flag, execArgv[index + 1]!);
  });
  return flags;
}

/** The renderer that suits `jobs` jobs on this machine. */
export function pdfRendererFor(jobs: number): PdfRenderer {
  return jobs < POOL_THRESHOLD || os.availableParallelism() < 2 ? inProcessRenderer() : workerPoolRenderer();
}
