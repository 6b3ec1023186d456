/**
 * PDF rendering, the bulk of a build's cost, on a pool of worker threads sized to the cores
 * (piscina). Each worker loads its fonts once, warms up when it has time, and renders many
 * articles. Small jobs render in this thread: starting workers costs more than it saves for a
 * handful of articles.
 *
 * This module owns a pool until a build takes it: the command may start one before the build
 * has loaded (startPoolEarly), the build's PdfQueue takes it (pdfRendererFor) and closes it when
 * its PDFs are done, and the command ends one no build took (closeEarlyPool).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import type { Article } from './article.ts';
import type { SiteSettings } from './site.ts';
import type { PdfFonts, PdfJobResult } from './outputs/pdf.ts';
import { POOL_THRESHOLD } from './pool-size.ts';

export interface PdfJob {
  readonly article: Article;
  readonly site: SiteSettings;
  readonly pageUrl: string;
  /** Where the rendering thread writes the PDF; without it, the bytes come back. */
  readonly file?: string;
}

export interface PdfRenderer {
  render(job: PdfJob): Promise<PdfJobResult>;
  close(): Promise<void>;
}

/** Renders in this thread; PDFKit and the fonts load on the first job (a pool never needs them here). */
export function inProcessRenderer(): PdfRenderer {
  let fonts: PdfFonts | null = null;
  return {
    async render(job) {
      const { loadPdfFonts, renderPdfJob } = await import('./outputs/pdf.ts');
      fonts ??= loadPdfFonts();
      return renderPdfJob(job, fonts);
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

/** What a worker is told as it starts (pdf-worker.ts). */
export interface PdfWorkerData {
  /** The language to warm up in: its hyphenation patterns are imported before the first job. */
  readonly lang: string;
  /**
   * Where the pool stands, shared with all its workers (one element): 0 while it is speculative
   * (started early, no build has taken it yet), 1 once a build has, 2 once it has handed out a
   * job. A worker warms up only while it is 1: while the pool is speculative the build may well
   * find nothing to render, and once a job waits, the rest of a warm-up would cost it about as
   * much as it saves.
   */
  readonly stage: Int32Array;
}

const SPECULATIVE = 0;
const TAKEN = 1;
const WORKING = 2;

/** A worker pool; `take()` tells a pool started speculatively that its build wants it. */
export interface WorkerPoolRenderer extends PdfRenderer {
  take(): void;
}

export function workerPoolRenderer(threads = os.availableParallelism(), lang = 'en', speculative = false): WorkerPoolRenderer {
  let fallback: PdfRenderer | null = null;
  const stage = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const advance = (to: number) => {
    if (Atomics.load(stage, 0) >= to) return;
    Atomics.store(stage, 0, to);
    Atomics.notify(stage, 0);
  };
  advance(speculative ? SPECULATIVE : TAKEN);
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
    workerData: { lang, stage } satisfies PdfWorkerData,
  });
  // A worker that dies with no job (fonts missing, out of memory while warming up) makes piscina
  // emit 'error', fatal without a listener. The next job meets the failure itself and reports
  // it against its article; a pool that never gets a job (started early, nothing changed) must
  // not fail the build at all.
  pool.on('error', () => {});
  return {
    take() {
      advance(TAKEN);
    },
    async render(job) {
      advance(WORKING);
      try {
        return (await pool.run(job)) as PdfJobResult;
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

function pooled(jobs: number): boolean {
  return jobs >= POOL_THRESHOLD && os.availableParallelism() >= 2;
}

/**
 * The site's language as site.yaml states it, read with a pattern rather than the settings
 * parser (which is not loaded yet when the pool starts early): only which hyphenation patterns
 * a worker imports while warming up depends on it (~0.4 s for German), never a byte of a PDF.
 * English, the settings' default, when it cannot tell.
 */
function siteLanguage(contentDir: string): string {
  try {
    const yaml = fs.readFileSync(path.join(contentDir, 'site.yaml'), 'utf8');
    return /^language:[ \t]*["']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)["']?[ \t]*(?:#.*)?$/m.exec(yaml)?.[1] ?? 'en';
  } catch {
    return 'en';
  }
}

/** A pool started before its build asked for one, until that build takes it or the command ends it. */
let early: { readonly contentDir: string; readonly pool: WorkerPoolRenderer } | null = null;

/**
 * Starts the worker pool of a build of `contentDir` before the build has loaded (cli.ts), when
 * it will probably want one (`expected`: roughSourceCount). A worker's start-up (PDFKit, fonts:
 * ~0.4 s) then overlaps the main thread loading the pipeline and checking the inputs, instead
 * of following them. Speculative: when the check finds nothing changed no build takes the pool
 * and closeEarlyPool ends it; until a build takes it, its workers do not warm up.
 */
export function startPoolEarly(contentDir: string, expected: number): void {
  if (!early && pooled(expected)) early = { contentDir, pool: workerPoolRenderer(undefined, siteLanguage(contentDir), true) };
}

/** Ends a pool started early that no build took, its workers terminated wherever their start-up has got to. */
export async function closeEarlyPool(): Promise<void> {
  const started = early;
  early = null;
  await started?.pool.close();
}

/** The renderer that suits `jobs` jobs of a build of `contentDir` on this machine: the pool started early for it, if any. */
export function pdfRendererFor(jobs: number, contentDir: string): PdfRenderer {
  const started = early?.contentDir === contentDir ? early.pool : null;
  if (started) early = null;
  if (!pooled(jobs)) {
    // fewer sources than the early count guessed: no workers for a handful of PDFs
    void started?.close();
    return inProcessRenderer();
  }
  if (!started) return workerPoolRenderer(undefined, siteLanguage(contentDir));
  started.take();
  return started;
}
