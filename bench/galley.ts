/**
 * Galley and the floor as whole processes, the way a newsroom runs them: each build a fresh
 * `node` process on a workbench (content folder, output folder, cache folder of its own).
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeCorpus, type RawArticle } from './corpus.ts';
import { timedSpawn } from './timed.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface Workbench {
  readonly content: string;
  readonly out: string;
  readonly cache: string;
  /**
   * The builds' "now" (SOURCE_DATE_EPOCH): after every article the workbench will hold. The
   * corpus runs an hour an article from 2023, so past ~34,000 articles it runs into the future,
   * and the clock would hold those articles back as not yet due; a fixed "now" also keeps the
   * builds from depending on the day the bench runs.
   */
  readonly now: Date;
}

function workbench(dir: string, now: Date): Workbench {
  return { content: path.join(dir, 'content'), out: path.join(dir, 'dist'), cache: path.join(dir, 'cache'), now };
}

/** A workbench in `dir` whose content folder holds `articles` as raw copy, nothing built yet. */
export function rawWorkbench(dir: string, articles: Iterable<RawArticle>, now: Date): Workbench {
  const bench = workbench(dir, now);
  writeCorpus(bench.content, articles);
  return bench;
}

export interface Run {
  /** Wall time of the whole process, start-up included. */
  readonly ms: number;
  /** CPU time of the process (user + system, all threads). */
  readonly cpuMs: number;
  /** Stage → ms, from the `--timings` line. */
  readonly stages: Readonly<Record<string, number>>;
  /** Peak resident memory of the process (its PDF worker threads included), from the `--timings` line. */
  readonly peakMb: number;
  /** Sources the build parsed (the rest it took from the cache), from the `--timings` line; none for a build that made nothing. */
  readonly parsed?: number;
}

/** One Galley build; `formats` as its `--formats`, `extra` flags after them (`--queue URL`). Throws with the end of stderr when it fails. */
export function galley(bench: Workbench, formats: readonly string[], extra: readonly string[] = []): Run {
  const args = [path.join(ROOT, 'pipeline', 'cli', 'launch.mjs'), 'cli', '--content', bench.content, '--out', bench.out, '--base-url', 'https://bench.example/', '--timings', '--formats', formats.join(','), ...extra];
  // stdout (a line per ingested file) is not read: at 100,000 articles it is megabytes
  const { result, ms, cpuMs } = timedSpawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, GALLEY_CACHE_DIR: bench.cache, CI: '1', SOURCE_DATE_EPOCH: String(Math.floor(bench.now.getTime() / 1000)) }, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`galley build of ${bench.content} failed (${result.status ?? result.signal}):\n${result.stderr.slice(-2000)}`);
  const line = /galley timings: (.*); peak RSS (\d+) MB/.exec(result.stderr);
  if (!line) throw new Error(`galley printed no timings line:\n${result.stderr.slice(-2000)}`);
  // `stage N ms, …` and then, after semicolons, what the build says of its sources
  const [timings = '', ...notes] = line[1]!.split('; ');
  const stages: Record<string, number> = {};
  for (const part of timings.split(', ')) {
    const [stage, value] = part.split(' ');
    if (stage && value) stages[stage] = Number(value);
  }
  const parsed = notes.map((note) => /^(\d+) sources? parsed/.exec(note)).find(Boolean);
  return { ms, cpuMs, stages, peakMb: Number(line[2]), ...(parsed ? { parsed: Number(parsed[1]) } : {}) };
}

export interface FloorRun {
  readonly ms: number;
  readonly cpuMs: number;
  /** In-process ms of each kind of work: html, pdf, feeds, write. */
  readonly inProcess: Readonly<Record<string, number>>;
}

/** The bare libraries doing the build's work in one process (bench/floor.ts). */
export function floor(bench: Workbench, formats: readonly string[]): FloorRun {
  const { result, ms, cpuMs } = timedSpawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'floor.ts'), bench.content, bench.out, formats.join(',')], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`floor failed:\n${result.stderr.slice(-2000)}`);
  return { ms, cpuMs, inProcess: JSON.parse(result.stdout) as Record<string, number> };
}

/** A copy of a workbench's Markdown sources (`articles/` only, no raw copy) on a new workbench. */
export function markdownWorkbench(from: Workbench, dir: string): Workbench {
  const bench = workbench(dir, from.now);
  fs.cpSync(path.join(from.content, 'articles'), path.join(bench.content, 'articles'), { recursive: true });
  return bench;
}
