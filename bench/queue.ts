/**
 * `npm run bench -- --queue [--sizes 1000]`: what sending the PDFs to BullMQ workers costs and
 * gives, on this machine, in one run, for each size:
 *
 * - a cold local build of the corpus (its own empty cache), against a cold build with `--queue`
 *   and two workers of one thread each on this machine (Redis here too, on a loopback port):
 *   the coordinator's overhead, as the ratio of the two and as its own CPU time per article;
 *   the two editions are compared file by file;
 * - a cold build with `--queue` and one worker of one thread: the jobs per second one worker
 *   sustains, from its log (first job started to last job done).
 *
 * Then the arithmetic for N machines (README, "Rendering on many machines").
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { articleDate, syntheticCorpus } from './corpus.ts';
import { galley, rawWorkbench, type Run, type Workbench } from './galley.ts';
import { compare, snapshot } from './snapshot.ts';
import { startRedis } from '../test/services.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const FORMATS = ['pdf', 'html', 'feeds'];

async function until(what: string, check: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  return exited;
}

/** Workers of one thread each, their logs in files (a pipe nobody reads while a build runs would stall them). */
async function startWorkers(url: string, count: number, dir: string): Promise<{ logs: string[]; stop: () => Promise<void> }> {
  const logs: string[] = [];
  const children: ChildProcess[] = [];
  for (let index = 0; index < count; index++) {
    const log = path.join(dir, `worker-${index + 1}.log`);
    const fd = fs.openSync(log, 'w');
    children.push(spawn(process.execPath, [path.join(ROOT, 'pipeline', 'cli', 'launch.mjs'), 'worker', '--queue', url, '--concurrency', '1'], { cwd: ROOT, stdio: ['ignore', 'ignore', fd] }));
    fs.closeSync(fd);
    logs.push(log);
  }
  await until('the workers starting', () => logs.every((log) => fs.readFileSync(log, 'utf8').includes('ready:')));
  return { logs, stop: async () => void (await Promise.all(children.map((child) => stop(child)))) };
}

/** Jobs per second a worker's log shows: jobs done, over the time from its first job started to its last done. */
function pace(log: string): { jobs: number; seconds: number; perSecond: number } {
  const lines = fs.readFileSync(log, 'utf8').split('\n');
  const time = (line: string | undefined) => (line ? Date.parse(line.slice(0, line.indexOf(' '))) : Number.NaN);
  const done = lines.filter((line) => / rendered \S+ in \d+ ms$/.test(line));
  const seconds = (time(done.at(-1)) - time(lines.find((line) => / rendering /.test(line)))) / 1000;
  return { jobs: done.length, seconds, perSecond: done.length / seconds };
}

const fixed = (n: number, digits = 0) => n.toFixed(digits);

/**
 * `bench` as a new PDF template leaves it: every PDF gone from the cache, the sources, pages and
 * feeds still there; built into a new output folder (the old one's record would say that nothing
 * changed).
 */
function everyPdfAgain(bench: Workbench): Workbench {
  fs.rmSync(path.join(bench.cache, 'pdf'), { recursive: true, force: true });
  return { ...bench, out: `${bench.out}-again` };
}

export async function queueBench(sizes: readonly number[]): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-bench-queue-'));
  // the tests' Redis: on a free loopback port, nothing saved
  const redis = await startRedis();
  const { url } = redis;
  try {
    const load = os.loadavg().map((average) => average.toFixed(1)).join(' ');
    process.stdout.write(`# galley bench --queue\n\n${os.availableParallelism()} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, load average at start ${load}; Redis and the workers on this machine (loopback)\n\n`);
    for (const articles of sizes) {
      const now = new Date(articleDate(articles + 1).getTime() + 86_400_000);
      const dir = path.join(work, String(articles));
      const localBench = rawWorkbench(path.join(dir, 'local'), syntheticCorpus(articles), now);
      const local = galley(localBench, FORMATS);
      const localOut = snapshot(localBench.out);
      const localAgain = galley(everyPdfAgain(localBench), FORMATS);

      const two = await startWorkers(url, 2, dir);
      let queued: Run;
      let queuedAgain: Run;
      let split: number[];
      try {
        const queueBench = rawWorkbench(path.join(dir, 'queue'), syntheticCorpus(articles), now);
        queued = galley(queueBench, FORMATS, ['--queue', url]);
        split = two.logs.map((log) => pace(log).jobs);
        queuedAgain = galley(everyPdfAgain(queueBench), FORMATS, ['--queue', url]);
      } finally {
        await two.stop();
      }
      const differences = compare(localOut, snapshot(path.join(dir, 'queue', 'dist')));
      const same = !differences.changed.length && !differences.added.length && !differences.removed.length;

      const one = await startWorkers(url, 1, dir);
      try {
        galley(rawWorkbench(path.join(dir, 'one'), syntheticCorpus(articles), now), FORMATS, ['--queue', url]);
      } finally {
        await one.stop();
      }
      const worker = pace(one.logs[0]!);
      fs.rmSync(dir, { recursive: true, force: true });

      const ratio = queued.ms / local.ms;
      const coordinatorMs = queued.cpuMs / articles;
      const againMs = queuedAgain.cpuMs / articles;
      process.stdout.write(
        [
          `## ${articles.toLocaleString('en')} articles`,
          '',
          '| build (cold, own cache) | wall | CPU of the build process | CPU per article |',
          '|---|---:|---:|---:|',
          `| local (PDF threads: ${os.availableParallelism()}) | ${fixed(local.ms)} ms | ${fixed(local.cpuMs)} ms | ${fixed(local.cpuMs / articles, 2)} ms |`,
          `| --queue, 2 workers of 1 thread (jobs ${split.join(' + ')}) | ${fixed(queued.ms)} ms | ${fixed(queued.cpuMs)} ms (coordinator) | ${fixed(coordinatorMs, 2)} ms |`,
          `| every PDF again, the rest cached (a new PDF template): local | ${fixed(localAgain.ms)} ms | ${fixed(localAgain.cpuMs)} ms | ${fixed(localAgain.cpuMs / articles, 2)} ms |`,
          `| every PDF again, the rest cached: --queue, 2 workers | ${fixed(queuedAgain.ms)} ms | ${fixed(queuedAgain.cpuMs)} ms (coordinator) | ${fixed(againMs, 2)} ms |`,
          '',
          `- coordinator overhead, cold build: ${fixed(ratio, 2)}× the local build's wall time (target ≤ 1.15×); every PDF again: ${fixed(queuedAgain.ms / localAgain.ms, 2)}×; editions ${same ? 'identical, file for file' : `DIFFER: ${JSON.stringify(differences)}`}`,
          `- one worker of one thread: ${worker.jobs} jobs in ${fixed(worker.seconds, 1)} s = ${fixed(worker.perSecond, 1)} jobs/s`,
          `- N machines of k cores (a worker of one thread per core) render N·k·${fixed(worker.perSecond, 1)} PDFs/s. The coordinator handles about ${fixed(1000 / coordinatorMs)} articles/s of its own CPU in a cold build from raw copy (it ingests, and makes every page and feed), so more workers stop helping from N·k ≈ ${fixed(1000 / coordinatorMs / worker.perSecond, 1)} worker cores; when only the PDFs are made again, about ${fixed(1000 / againMs)} articles/s, so from N·k ≈ ${fixed(1000 / againMs / worker.perSecond, 1)} worker cores`,
          '',
          '',
        ].join('\n'),
      );
    }
    process.stdout.write(`Load average at the end: ${os.loadavg().map((average) => average.toFixed(1)).join(' ')} (${os.availableParallelism()} cores): on a shared machine compare ratios from one run.\n`);
  } finally {
    await redis.kill();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
