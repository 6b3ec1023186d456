/**
 * Sources read on worker threads (piscina) and this one, for builds without PDFs: a web edition's cold build
 * is mostly reading Markdown and making pages and feed items, and this spreads that over the
 * cores. Each worker (read-worker.ts) reads a source into an article and makes what the article
 * alone makes of the outputs (its page, its feed items: see ListOutput.articlePieces); the build
 * keeps those in its cache, where the edition's pages and feeds then find them. A build with PDFs
 * does not use it: its workers render PDFs, and a page states its PDF's size, known only then.
 */
import { createRequire } from 'node:module';
import type { Piscina as PiscinaPool } from 'piscina';
import type { SiteSettings } from '../model/site.ts';
import type { OutputFamily } from '../outputs/registry.ts';
import type { SourceFile } from './source-file.ts';
import { buildThreads, loaderFlags, workerModule } from '../outputs/worker-threads.ts';
import readJob, { type ReadJob, type ReadResult } from './read-worker.ts';

/** Fewer sources to read than this are read in the main thread: a worker's start-up (~0.2 s) would cost more. */
export const READ_POOL_THRESHOLD = 100;

export type { ReadResult } from './read-worker.ts';

export interface SourceReaders {
  /** Threads that read: the workers and this one. */
  readonly threads: number;
  read(source: SourceFile, site: SiteSettings): Promise<ReadResult>;
  close(): Promise<void>;
}

/**
 * Readers for a build of `formats` that has `sources` sources to read: this thread alone when
 * they are too few or there is one core; none in a build with PDFs. The main thread reads
 * too: a source goes to a worker while the workers have fewer than WAITING each in hand, else it
 * is read here and then (each worker compiles the parser and templates anew, so one thread more
 * costs some of what it saves).
 */
export function sourceReadersFor(sources: number, formats: readonly OutputFamily[]): SourceReaders | null {
  if (formats.includes('pdf')) return null;
  const here = (job: ReadJob) => new Promise<ReadResult>((resolve) => resolve(readJob(job)));
  const threads = buildThreads();
  // Too few sources for a worker, or one thread: read here, the same way, so that an article's
  // page and feed items are made while its body is at hand (the build does not keep bodies).
  if (sources < READ_POOL_THRESHOLD || threads < 2) return { threads: 1, read: (source, site) => here({ path: source.path, bytes: source.bytes, site, formats }), close: async () => {} };
  const workers = threads - 1;
  // piscina is loaded only here: a rebuild that reads a few sources does without it and its loading
  const { Piscina } = createRequire(import.meta.url)('piscina') as { Piscina: typeof PiscinaPool };
  const pool = new Piscina({
    filename: workerModule(import.meta.url, 'read-worker'),
    minThreads: workers,
    maxThreads: workers,
    // Jobs are posted to a worker up to WAITING at a time: a worker that finishes one starts the
    // next without waiting for this thread, which is busy reading a source of its own.
    concurrentTasksPerWorker: WAITING,
    resourceLimits: WORKER_LIMITS,
    execArgv: loaderFlags(),
  });
  let inHand = 0;
  let closed: Promise<void> | null = null;
  return {
    threads: workers + 1,
    read(source, site) {
      const job: ReadJob = { path: source.path, bytes: source.bytes, site, formats };
      if (inHand >= workers * WAITING) return here(job);
      inHand++;
      return (pool.run(job) as Promise<ReadResult>)
        .catch((error: unknown) => {
          // a source too large for a worker's heap is read here
          if ((error as NodeJS.ErrnoException).code !== 'ERR_WORKER_OUT_OF_MEMORY') throw error;
          return here(job);
        })
        .finally(() => inHand--);
    },
    close: () => (closed ??= pool.destroy()),
  };
}

/** Jobs a worker holds at once: the one it reads and the next ones. */
const WAITING = 3;

/**
 * A worker's heap limits: V8 lets a busy heap grow far past what is live before it collects, and
 * a worker keeps nothing between sources, so a modest limit keeps a large build's memory flat.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 128 };
