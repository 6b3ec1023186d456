/**
 * `npm run worker -- --queue redis://HOST:PORT[/DB] [--concurrency N]`: a BullMQ worker that
 * renders the PDFs builds send with `--queue`, on any machine with the same Galley. Runs until
 * SIGINT or SIGTERM (then finishes the jobs in hand). Exit codes: 0 stopped, 2 usage errors.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { engineFingerprint } from '../engine/project.ts';
import { isRunning } from '../engine/processes.ts';
import { sha256Of } from '../engine/digest.ts';
import { QUEUE_NAME, maskUrlsIn, redisTarget } from '../queue/redis-url.ts';
import { workerName } from '../queue/renderers.ts';
import { BadJob, WIRE_VERSION, jobFingerprint, jobFromData, type PdfJobReturn } from '../queue/wire.ts';

const USAGE = `usage: npm run worker -- --queue redis://HOST:PORT[/DB] [--concurrency N]

  --queue URL        the Redis the builds send their PDFs to (redis:// or rediss://)
  --concurrency N    PDFs rendered at once, each on a thread of its own (default: the cores)`;

/**
 * How long a job's lock lasts unless the worker renews it (BullMQ renews it every half of
 * this while the job runs): a worker killed or frozen mid-job loses it, and BullMQ's check for
 * stalled jobs, run by every worker every STALLED_CHECK_MS, puts the job back in the queue.
 */
const LOCK_MS = 10_000;
const STALLED_CHECK_MS = 5_000;
/** Times a job may be found stalled before it fails: a job that kills every worker it meets stops there. */
const MAX_STALLED = 2;
/** How long a job of another Galley waits after this worker handed it back, before any worker takes it again. */
const REFUSED_DELAY_MS = 1_000;
/**
 * A render that has not finished after this long has hung (the largest sources render in
 * seconds): the attempt fails, and BullMQ tries the job again, perhaps on another worker. The
 * thread stays busy with it until it ends; the worker's other threads go on.
 */
const RENDER_TIMEOUT_MS = 120_000;

function timedOut<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Removes the temporary folders of workers no longer running (killed: SIGKILL leaves no time to clean up). */
function sweepWorkerFolders(): void {
  for (const name of fs.readdirSync(os.tmpdir())) {
    const pid = /^galley-worker-(\d+)-/.exec(name)?.[1];
    if (pid && Number(pid) !== process.pid && !isRunning(Number(pid))) fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
  }
}

function fail(message: string): never {
  process.stderr.write(`galley worker: ${maskUrlsIn(message)}\n\n${USAGE}\n`);
  process.exit(2);
}

/** A line of the worker's log: the time (what the benchmark measures a worker's pace from, and what an operator reads), then the message. */
const log = (message: string) => process.stderr.write(`${new Date().toISOString()} galley worker: ${maskUrlsIn(message)}\n`);

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { queue: { type: 'string' }, concurrency: { type: 'string' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (!values.queue) fail('--queue redis://HOST:PORT is required');
  let target;
  try {
    target = redisTarget(values.queue);
  } catch (error) {
    fail((error as Error).message);
  }
  const concurrency = values.concurrency === undefined ? os.availableParallelism() : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) fail(`--concurrency takes a whole number from 1 to 256; not ${values.concurrency}`);

  const fingerprint = engineFingerprint();
  // the one folder this worker writes to: the pictures of the jobs in hand, by their hashes;
  // named by its process, so that the next worker removes what a killed one left
  sweepWorkerFolders();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), `galley-worker-${process.pid}-`));
  const { Worker, UnrecoverableError, DelayedError } = await import('bullmq');
  const { workerPool } = await import('../outputs/pdf/pool.ts');
  // rendering happens on threads: this one stays free to renew the jobs' locks
  const pool = workerPool(concurrency);
  pool.warmUpIn('en');

  const worker = new Worker<unknown, PdfJobReturn>(
    QUEUE_NAME,
    async (job, token) => {
      const theirs = jobFingerprint(job.data);
      if (theirs !== fingerprint) {
        // Never rendered with other code: handed back for a worker of the build's Galley, without
        // using up an attempt (a fleet being upgraded has workers of both). A build with no
        // worker of its own Galley left fails on its own (renderers.ts).
        log(`refused job ${job.id?.slice(0, 12)}: it was sent by Galley ${theirs?.slice(0, 12) ?? '(none named)'}, this worker runs Galley ${fingerprint.slice(0, 12)}; handed back (start workers from the same Galley version as the build)`);
        await job.moveToDelayed(Date.now() + REFUSED_DELAY_MS, token);
        throw new DelayedError();
      }
      const jobFolder = fs.mkdtempSync(path.join(folder, 'job-'));
      try {
        const request = jobFromData(job.data, jobFolder);
        const started = performance.now();
        log(`job ${job.id?.slice(0, 12)}: rendering ${request.article.slug} (attempt ${job.attemptsMade + 1})`);
        const made = await timedOut(pool.render(request), RENDER_TIMEOUT_MS, `rendering ${request.article.slug}`);
        const bytes = made.bytes!;
        log(`job ${job.id?.slice(0, 12)}: rendered ${request.article.slug} in ${(performance.now() - started).toFixed(0)} ms`);
        return { sha256: sha256Of(bytes), bytes: Buffer.from(bytes).toString('base64'), warnings: made.warnings };
      } catch (error) {
        const file = (job.data as { article?: { sourcePath?: unknown } }).article?.sourcePath;
        const message = `${typeof file === 'string' ? `${path.basename(file)}: ` : ''}${(error as Error).message}`;
        log(`job ${job.id?.slice(0, 12)} failed: ${message}`);
        // bad input fails alike on every attempt: not retried
        throw error instanceof BadJob ? new UnrecoverableError(message) : new Error(message);
      } finally {
        fs.rmSync(jobFolder, { recursive: true, force: true });
      }
    },
    {
      connection: target.connection,
      concurrency,
      name: workerName(fingerprint, os.hostname(), process.pid),
      lockDuration: LOCK_MS,
      stalledInterval: STALLED_CHECK_MS,
      maxStalledCount: MAX_STALLED,
      // a finished job's result stays until the coordinator has read it (it removes the job then)
      removeOnComplete: { age: 3_600 },
    },
  );
  worker.on('error', (error) => log(`Redis at ${target.shown}: ${error.message}`));
  // stopped cleanly from here on, before it says it is ready: a signal never finds no handler
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing the jobs in hand`);
    await worker.close();
    await pool.close();
    fs.rmSync(folder, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  await worker.waitUntilReady();
  log(`ready: ${target.shown}, queue ${QUEUE_NAME}, ${concurrency} at once, Galley ${fingerprint.slice(0, 12)} (jobs v${WIRE_VERSION}), temporary folder ${folder}`);
}

await main(process.argv.slice(2));
