/**
 * PDF rendering, the bulk of a build's cost, on a pool of worker threads sized to the cores
 * (piscina). Each worker loads its fonts once and renders many articles. Small jobs render in
 * this thread: starting workers costs more than it saves for a handful of articles.
 */
import os from 'node:os';
import { Piscina } from 'piscina';
import type { Article } from './article.ts';
import type { SiteSettings } from './site.ts';
import { loadPdfFonts, renderPdf, type PdfFonts, type PdfRenderResult } from './outputs/pdf.ts';

export interface PdfJob {
  readonly article: Article;
  readonly site: SiteSettings;
  readonly pageUrl: string;
}

export interface PdfRenderer {
  render(job: PdfJob): Promise<PdfRenderResult>;
  close(): Promise<void>;
}

/** Fewer jobs than this render in-process: a worker's start-up (fonts, modules) costs ~0.3 s. */
export const POOL_THRESHOLD = 6;

export function inProcessRenderer(): PdfRenderer {
  let fonts: PdfFonts | null = null;
  return {
    render(job) {
      fonts ??= loadPdfFonts();
      return renderPdf(job.article, { site: job.site, pageUrl: job.pageUrl, fonts });
    },
    async close() {},
  };
}

export function workerPoolRenderer(threads = os.availableParallelism()): PdfRenderer {
  const pool = new Piscina({
    // the worker module sits beside this one: pdf-worker.ts through tsx, pdf-worker.js compiled
    filename: new URL(import.meta.url.endsWith('.ts') ? './pdf-worker.ts' : './pdf-worker.js', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    // workers run TypeScript through the same loader as this process
    execArgv: process.execArgv,
    idleTimeout: 1_000,
  });
  return {
    render(job) {
      return pool.run(job) as Promise<PdfRenderResult>;
    },
    close() {
      return pool.destroy();
    },
  };
}

/** The renderer that suits `jobs` jobs on this machine. */
export function pdfRendererFor(jobs: number): PdfRenderer {
  return jobs < POOL_THRESHOLD || os.availableParallelism() < 2 ? inProcessRenderer() : workerPoolRenderer();
}
