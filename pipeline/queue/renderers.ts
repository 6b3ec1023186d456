/**
 * Renderers for the build's PdfQueue (see PdfRenderer in outputs/pdf/pool.ts) that reach beyond
 * this process: one that sends each PDF to BullMQ workers through Redis and waits for its
 * bytes, and one that asks a shared cache before any renderer and stores what it made there.
 * The PdfQueue keeps doing what it does around them: it asks the local cache first, and moves
 * each PDF into it once it is whole.
 */
import fs from 'node:fs';
import type { Queue, QueueEvents } from 'bullmq';
import { sourceKey } from '../model/article.ts';
import { GalleyError } from '../model/errors.ts';
import { sha256Hex, sha256Of } from '../engine/digest.ts';
import { OUTPUTS } from '../outputs/registry.ts';
import type { PdfJobResult } from '../outputs/pdf/pdf.ts';
import type { PdfJob, PdfRenderer } from '../outputs/pdf/pool.ts';
import { QUEUE_NAME, redisTarget } from './redis-url.ts';
import type { SharedCache } from './shared-cache.ts';
import { jobData, type PdfJobReturn } from './wire.ts';

/** A renderer that says how much it rendered where (the build's summary line). */
export interface CountingRenderer extends PdfRenderer {
  readonly counts: { remote: number; local: number; shared: number };
}

/**
 * The key of a PDF job, the same on every machine: the local cache's inputs for the PDF
 * (PdfQueue) without anything of this machine's (its folders). It names the job in Redis (a
 * PDF asked for twice is one job) and the entry in the shared cache.
 */
export function pdfJobKey(job: PdfJob, fingerprint: string): string {
  return sha256Hex(JSON.stringify([fingerprint, OUTPUTS.articlePdf.name, sourceKey(job.article), job.site, job.pageUrl, job.related]));
}

/** What a renderer gives the PdfQueue: the bytes written to the job's file when it names one. */
function deliver(job: PdfJob, bytes: Uint8Array, warnings: readonly string[]): PdfJobResult {
  if (job.file === undefined) return { bytes, warnings };
  fs.writeFileSync(job.file, bytes);
  return { warnings };
}

/**
 * `inner`, with `shared` asked first and given what `inner` made. A shared cache that fails to
 * answer or to store is reported once through `notice` and otherwise ignored: it only saves work.
 */
export function sharedCacheRenderer(inner: CountingRenderer, shared: SharedCache, fingerprint: string, notice: (message: string) => void): CountingRenderer {
  let reported = false;
  const report = (error: unknown) => {
    if (reported) return;
    reported = true;
    notice(`the shared cache ${shared.shown} failed (${(error as Error).message}); building without it`);
  };
  return {
    counts: inner.counts,
    async render(job) {
      const key = pdfJobKey(job, fingerprint);
      const found = await shared.get(OUTPUTS.articlePdf.name, key).catch((error: unknown) => (report(error), null));
      if (found) {
        inner.counts.shared++;
        return deliver(job, found.bytes, found.warnings);
      }
      const made = await inner.render(job);
      const bytes = made.bytes ?? (job.file === undefined ? null : fs.readFileSync(job.file));
      if (bytes) await shared.put(OUTPUTS.articlePdf.name, key, { bytes, warnings: made.warnings }).catch(report);
      return made;
    },
    async close() {
      await inner.close();
      shared.close();
    },
  };
}

/** A renderer of this machine, counted: what the build uses without a queue, or when it falls back. */
export function countedLocal(make: () => PdfRenderer): CountingRenderer {
  let renderer: PdfRenderer | null = null;
  const counts = { remote: 0, local: 0, shared: 0 };
  return {
    counts,
    async render(job) {
      renderer ??= make();
      const made = await renderer.render(job);
      counts.local++;
      return made;
    },
    async close() {
      await renderer?.close();
    },
  };
}

export interface QueueOptions {
  /** `--queue`: redis://HOST:PORT[/DB]. */
  readonly url: string;
  /** `--queue-fallback local`: render here when no worker is there (else the build fails). */
  readonly fallback: boolean;
  /** This Galley's fingerprint: every job carries it; only workers of the same one take part. */
  readonly fingerprint: string;
  /** How this machine renders when it falls back. */
  readonly local: () => PdfRenderer;
  /** Told what the build should say (a fallback, a lost job sent again). */
  readonly notice: (message: string) => void;
  /** Timings, shortened by the tests; defaults below. */
  readonly timing?: Partial<QueueTiming>;
}

export interface QueueTiming {
  /** How long to wait for Redis to answer at the start. Default 3 s. */
  readonly connectMs: number;
  /** How long to wait at the start for a worker of this Galley to be connected. Default 3 s. */
  readonly workerWaitMs: number;
  /** A build whose queue has had no worker of this Galley this long falls back, or fails. Default 15 s. */
  readonly noWorkerMs: number;
  /** A build that cannot reach Redis this long fails. Default 30 s. */
  readonly redisLostMs: number;
  /** How often the coordinator looks at its jobs when no result came in (lost jobs, gone workers). Default 1 s. */
  readonly sweepMs: number;
}

const TIMING: QueueTiming = { connectMs: 3_000, workerWaitMs: 3_000, noWorkerMs: 15_000, redisLostMs: 30_000, sweepMs: 1_000 };

/**
 * How BullMQ runs a job: three attempts (a worker killed or hung mid-job loses its lock, and its
 * job goes back to the queue, see worker.ts), a second between them. A job that failed on bad
 * input is not retried (the worker marks it unrecoverable).
 */
export const JOB_OPTIONS = { attempts: 3, backoff: { type: 'fixed', delay: 1_000 }, removeOnComplete: { age: 3_600 }, removeOnFail: { age: 24 * 3_600 } } as const;

/** How many times a job that Redis lost (restarted without its data) is sent again. */
const RESENDS = 3;

/** The worker name a Galley worker registers with (worker.ts), from which the coordinator reads its fingerprint. */
export function workerName(fingerprint: string, host: string, pid: number): string {
  return `galley-worker:${fingerprint}:${host}:${pid}`;
}

interface Waiter {
  readonly resolve: (value: PdfJobReturn) => void;
  readonly reject: (error: Error) => void;
  readonly data: ReturnType<typeof jobData>;
  /** Set once Redis has the job (a job not yet added is not lost). */
  added: boolean;
  resends: number;
}

/** Thrown to a waiting render when the build gives up on the queue and renders here instead. */
class RenderHere extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms)))]).finally(() => clearTimeout(timer));
}

/**
 * The renderer of a build with `--queue`: each PDF a job on BullMQ (named by its pdfJobKey),
 * rendered by whichever worker of this Galley takes it; its bytes come back in the job's result
 * and are checked against the SHA-256 the worker gives. Checks at the start that Redis answers
 * and that a worker of this Galley is connected, and then falls back to `local` or throws (a
 * GalleyError saying which).
 */
export async function queueRenderer(options: QueueOptions): Promise<CountingRenderer> {
  const timing = { ...TIMING, ...options.timing };
  const target = redisTarget(options.url);
  const { shown } = target;
  const { Queue, QueueEvents, Job } = await import('bullmq');
  const local = countedLocal(options.local);
  const fallBack = (why: string): CountingRenderer => {
    if (!options.fallback) throw new GalleyError(`${why}; start workers with \`npm run worker -- --queue ${shown}\`, or build with --queue-fallback local`, 'queue');
    options.notice(`${why}; rendering the PDFs here (--queue-fallback local)`);
    return local;
  };
  // a Redis that is away makes ioredis retry forever; the coordinator decides when to give up
  const connection = { ...target.connection, retryStrategy: (times: number) => Math.min(times * 200, 1_000) };
  const queue: Queue = new Queue(QUEUE_NAME, { connection });
  queue.on('error', () => {});
  const closeQueue = () => withTimeout(queue.close(), 2_000, 'closing the queue').catch(() => queue.disconnect());
  try {
    await withTimeout(queue.waitUntilReady(), timing.connectMs, `Redis at ${shown}`);
  } catch {
    await closeQueue();
    return fallBack(`could not reach Redis at ${shown} within ${timing.connectMs / 1000} s`);
  }

  /** Workers of this Galley, and the fingerprints of other Galleys' workers, connected now. */
  const workers = async (): Promise<{ ours: number; others: string[] }> => {
    const names = (await queue.getWorkers()).map((client) => client.rawname ?? client.name ?? '');
    const galley = names.map((name) => /galley-worker:([0-9a-f]{64}):/.exec(name)?.[1]).filter((print): print is string => print !== undefined);
    return { ours: galley.filter((print) => print === options.fingerprint).length, others: [...new Set(galley.filter((print) => print !== options.fingerprint))] };
  };
  const started = Date.now();
  let present = await workers();
  while (present.ours === 0 && Date.now() - started < timing.workerWaitMs) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    present = await workers();
  }
  if (present.ours === 0) {
    await closeQueue();
    const others = present.others.length ? ` (workers of another Galley are: ${present.others.map((print) => print.slice(0, 12)).join(', ')}; this one is ${options.fingerprint.slice(0, 12)})` : '';
    return fallBack(`no worker of this Galley is connected to ${shown}${others}`);
  }

  const events: QueueEvents = new QueueEvents(QUEUE_NAME, { connection });
  events.on('error', () => {});
  await withTimeout(events.waitUntilReady(), timing.connectMs, `Redis at ${shown}`).catch(() => {});
  const counts = local.counts;
  const pending = new Map<string, Waiter[]>();
  let lastNews = Date.now();
  let lastRedis = Date.now();
  let lastWorker = Date.now();
  let givenUp: Error | RenderHere | null = null;

  const rejectAll = (error: Error) => {
    givenUp = error;
    for (const [id, waiters] of pending) {
      pending.delete(id);
      for (const waiter of waiters) waiter.reject(error);
    }
  };
  /** Settles the waiters of `id` if its job has finished; true when the job was gone, and sent again. */
  const look = async (id: string): Promise<boolean> => {
    const waiters = pending.get(id);
    if (!waiters) return false;
    // the state first: a job read before it finished would still be read without its result
    const state = await queue.getJobState(id);
    // settled meanwhile (by the event, or the sweep)
    if (pending.get(id) !== waiters) return false;
    if (state === 'unknown') {
      // Redis lost it (restarted without its data): the same job again, as long as that helps
      if (!waiters[0]!.added) return false;
      const resends = ++waiters[0]!.resends;
      if (resends > RESENDS) {
        pending.delete(id);
        for (const waiter of waiters) waiter.reject(new Error(`Redis at ${shown} lost the job ${RESENDS} times`));
        return false;
      }
      await queue.add('pdf', waiters[0]!.data, { ...JOB_OPTIONS, jobId: id });
      return true;
    }
    if (state !== 'completed' && state !== 'failed') return false;
    const job = await Job.fromId(queue, id);
    if (!job || pending.get(id) !== waiters) return false;
    pending.delete(id);
    lastNews = Date.now();
    const made = job.returnvalue as Partial<PdfJobReturn> | null;
    const failure =
      state === 'failed'
        ? `the job failed after ${job.attemptsMade} attempt${job.attemptsMade === 1 ? '' : 's'}: ${job.failedReason}`
        : typeof made?.bytes !== 'string' || typeof made.sha256 !== 'string' || !Array.isArray(made.warnings)
          ? 'the worker finished the job but sent no PDF'
          : null;
    for (const waiter of waiters) {
      if (failure) waiter.reject(new Error(failure));
      else waiter.resolve(made as PdfJobReturn);
    }
    // the bytes are here now: Redis need not hold them
    await job.remove().catch(() => {});
    return false;
  };
  events.on('completed', ({ jobId }) => void look(jobId).catch(() => {}));
  events.on('failed', ({ jobId }) => void look(jobId).catch(() => {}));

  let sweeping = false;
  const sweep = async () => {
    if (sweeping || pending.size === 0) return;
    sweeping = true;
    try {
      const present = await withTimeout(workers(), 2_000, 'Redis');
      lastRedis = Date.now();
      if (present.ours > 0) lastWorker = Date.now();
      else if (Date.now() - lastWorker > timing.noWorkerMs) {
        const why = `no worker of this Galley has been connected to ${shown} for ${timing.noWorkerMs / 1000} s, with ${pending.size} PDFs to go`;
        if (options.fallback) {
          options.notice(`${why}; rendering them here (--queue-fallback local)`);
          rejectAll(new RenderHere(why));
        } else rejectAll(new Error(`${why}; start workers, or build with --queue-fallback local`));
        return;
      }
      // results are announced as events; with none for a while, each job is looked at (an
      // event missed while Redis was away, a job lost with it)
      if (Date.now() - lastNews < 2 * timing.sweepMs) return;
      let resent = 0;
      for (const id of [...pending.keys()]) if (await withTimeout(look(id), 2_000, 'Redis')) resent++;
      if (resent) options.notice(`Redis at ${shown} lost ${resent} job${resent === 1 ? '' : 's'} (restarted?); sent ${resent === 1 ? 'it' : 'them'} again`);
      lastRedis = Date.now();
    } catch {
      if (Date.now() - lastRedis > timing.redisLostMs) rejectAll(new Error(`lost Redis at ${shown} for ${timing.redisLostMs / 1000} s`));
    } finally {
      sweeping = false;
    }
  };
  const sweeper = setInterval(() => void sweep(), timing.sweepMs);

  const remote = async (job: PdfJob): Promise<PdfJobResult> => {
    if (givenUp) throw givenUp;
    const data = jobData(job, options.fingerprint);
    const id = pdfJobKey(job, options.fingerprint);
    const result = new Promise<PdfJobReturn>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, data, added: false, resends: 0 };
      const waiters = pending.get(id);
      if (waiters) {
        waiters.push(waiter);
        return;
      }
      pending.set(id, [waiter]);
      void (async () => {
        // a job of the same key that failed before (another build's) would answer for this one
        const earlier = await Job.fromId(queue, id);
        if (earlier && (await earlier.getState()) === 'failed') await earlier.remove();
        await queue.add('pdf', data, { ...JOB_OPTIONS, jobId: id });
        waiter.added = true;
        // it may have been done already (another build asked for the same PDF)
        await look(id);
      })().catch(reject);
    });
    const made = await result;
    const bytes = Buffer.from(made.bytes, 'base64');
    if (sha256Of(bytes) !== made.sha256) throw new Error(`the PDF a worker sent does not hash to ${made.sha256.slice(0, 12)}… as it says: damaged on the way, not used`);
    counts.remote++;
    return deliver(job, bytes, made.warnings);
  };

  return {
    counts,
    async render(job) {
      try {
        return await remote(job);
      } catch (error) {
        if (!(error instanceof RenderHere)) throw error;
        return local.render(job);
      }
    },
    async close() {
      clearInterval(sweeper);
      // jobs nobody waits for any more (a failed build's; a PDF asked for again with other links)
      // are taken off the queue unless a worker has one in hand already
      const orphans = [...pending.keys()];
      rejectAll(new Error('the build stopped'));
      await withTimeout(Promise.all(orphans.map((id) => queue.remove(id).catch(() => 0))), 2_000, 'Redis').catch(() => {});
      await Promise.all([withTimeout(events.close(), 2_000, 'closing').catch(() => events.disconnect()), closeQueue(), local.close()]);
    },
  };
}
