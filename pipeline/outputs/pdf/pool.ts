/**
 * PDF rendering, the bulk of a build's cost, on a pool of worker threads sized to the cores
 * (piscina). Each worker loads its fonts once, warms up until its first job, and renders many
 * articles. Small jobs render in this thread: starting workers costs more than it saves for a
 * handful of articles.
 */
import { Piscina } from 'piscina';
import type { Article } from '../../model/article.ts';
import type { PdfSettings } from '../../model/site.ts';
import type { PdfFonts, PdfJobResult } from './pdf.ts';
import type { RelatedLink } from '../article-view.ts';
import { POOL_THRESHOLD, WORKER_STAGE } from './pool-size.ts';
import { buildThreads, loaderFlags, workerModule } from '../worker-threads.ts';

export interface PdfJob {
  readonly article: Article;
  /** Of the site, what a PDF is made from: the job carries nothing else of it, and its cache key holds this. */
  readonly site: PdfSettings;
  readonly pageUrl: string;
  /** Its related items as the edition links them (article-view.ts). */
  readonly related: readonly RelatedLink[];
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
      const { loadPdfFonts, renderPdfJob } = await import('./pdf.ts');
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

/** What a worker is told as it starts (worker.ts). */
export interface PdfWorkerData {
  /**
   * Shared with all the pool's workers (one element, see WORKER_STAGE): what the pool knows so
   * far. A worker loads its modules and fonts whatever it says, then waits for the language to
   * warm up in; and warms up only until a job is handed out (once a job waits, the rest of a
   * warm-up would cost it about as much as it saves).
   */
  readonly stage: Int32Array;
  /** The language to warm up in, as UTF-8 padded with zeros: valid once the stage says so. */
  readonly language: Uint8Array;
  /** Shared too (one element): how many of the pool's workers have warmed up all the way. */
  readonly warmedUp: Int32Array;
}

/** Room for a language tag (BCP 47 tags in site settings are far shorter). */
const LANGUAGE_BYTES = 64;

/** A pool of PDF workers; told its language when the build knows it. */
export interface WorkerPool extends PdfRenderer {
  /** The language the workers warm up in (before it is told, they load their fonts and wait). */
  warmUpIn(lang: string): void;
  /** How many workers have warmed up all the way so far (nothing waits for it: a job ends a warm-up). */
  warmedUp(): number;
}

export function workerPool(threads: number): WorkerPool {
  let fallback: PdfRenderer | null = null;
  let closed: Promise<void> | null = null;
  const stage = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const language = new Uint8Array(new SharedArrayBuffer(LANGUAGE_BYTES));
  const warmedUp = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const pool = new Piscina({
    // the worker module sits beside this one: worker.ts through tsx, worker.cjs compiled
    // (a path, not a URL, for piscina to require it)
    filename: workerModule(import.meta.url, 'worker'),
    // one worker at first, more as jobs queue: a rebuild that re-renders one PDF starts one
    minThreads: 1,
    maxThreads: threads,
    // workers run TypeScript through the same loader as this process (tests run through tsx);
    // other flags of this process (memory settings) are not valid for a worker
    execArgv: loaderFlags(),
    resourceLimits: WORKER_LIMITS,
    idleTimeout: 1_000,
    // An idle worker waits for its next job without blocking its thread: piscina's default
    // ('sync') parks it in Atomics.wait, under which the warm-up, waiting on the stage for the
    // language (Atomics.waitAsync), never woke before the first job came, and then gave way to it.
    atomics: 'async',
    workerData: { stage, language, warmedUp } satisfies PdfWorkerData,
  });
  // A worker that dies with no job (fonts missing, out of memory while warming up) makes piscina
  // emit 'error', fatal without a listener. The next job meets the failure itself and reports
  // it against its article; a pool that never gets a job (every PDF was cached) must not fail
  // the build at all.
  pool.on('error', () => {});
  const advance = (to: number) => {
    // the stage only moves forward: a language told after a job was handed out changes nothing
    for (let now = Atomics.load(stage, 0); now < to; now = Atomics.load(stage, 0)) {
      if (Atomics.compareExchange(stage, 0, now, to) === now) break;
    }
    Atomics.notify(stage, 0);
  };
  return {
    warmUpIn(lang) {
      if (Atomics.load(stage, 0) !== WORKER_STAGE.starting) return;
      const bytes = Buffer.from(lang, 'utf8');
      if (bytes.length <= LANGUAGE_BYTES) language.set(bytes);
      advance(WORKER_STAGE.language);
    },
    warmedUp: () => Atomics.load(warmedUp, 0),
    async render(job) {
      advance(WORKER_STAGE.job);
      try {
        return (await pool.run(job)) as PdfJobResult;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ERR_WORKER_OUT_OF_MEMORY') throw error;
        fallback ??= inProcessRenderer();
        return fallback.render(job);
      }
    },
    close() {
      closed ??= pool.destroy();
      return closed;
    },
  };
}

/**
 * Workers started by the command line as soon as it knows a build will make PDFs, before the
 * build has loaded its modules or looked at a source: a worker's start-up (its thread, PDFKit,
 * fontkit, the fonts) is most of what a one-article rebuild waits for, and it overlaps the
 * build's own start-up and reading. The command line hands them to the build, which adopts them
 * (pdfRendererFor) or, with too little to render, stops them; the command line closes them
 * after the build either way (closing twice is harmless). Null on a single core.
 */
export function startPdfWorkersEarly(): WorkerPool | null {
  return buildThreads() >= 2 ? workerPool(buildThreads()) : null;
}

/**
 * The renderer that suits `jobs` jobs on this machine; workers warm up in `lang`, the site's
 * language. `early`: workers the command line started, adopted when a pool suits, else stopped.
 */
export function pdfRendererFor(jobs: number, lang: string, early: WorkerPool | null): PdfRenderer {
  if (jobs < POOL_THRESHOLD || buildThreads() < 2) {
    void early?.close();
    return inProcessRenderer();
  }
  const pool = early ?? workerPool(buildThreads());
  pool.warmUpIn(lang);
  return pool;
}
