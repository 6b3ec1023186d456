/**
 * A build, as a plan: check whether anything changed, and when something did, make the edition
 * (make-edition.ts) and publish it in one swap. Every stage reports to the same diagnostics; any
 * error stops the run before the output folder is touched.
 *
 * This module and what it imports stay light (no Markdown, YAML or PDF code): a build in which
 * nothing changed loads no more than the check needs, and the rest loads only when it is used.
 */
import path from 'node:path';
import type { BuildOptions } from './context.ts';
import { Diagnostics } from '../model/diagnostics.ts';
import { OutputCache } from './cache.ts';
import { CACHE_DIR, engineFingerprint } from './project.ts';
import { OutputLock, recoverOutput } from './publish.ts';
import { SourceIndex } from './sources.ts';
import { collectSooner, MANY_SOURCES } from './heap.ts';
import { currentEdition, inputKey } from './manifest.ts';
import { sweepCache, sweepDue } from './cache-sweep.ts';
import { forgetFolderReads } from '../model/content-folders.ts';
import type { BuildReport } from './prepare.ts';
import { StageClock, type BuildRun, type PublishReport } from './build-run.ts';

export type { BuildRun, PublishReport } from './build-run.ts';

/**
 * The whole build: prepare, render every output into a staging folder, publish atomically.
 * On any error the previous output folder is left exactly as it was. One build at a time per
 * output folder (OutputBusy for the second); an edition a killed build left aside is put back
 * before anything else.
 */
export async function build(options: BuildOptions, run: BuildRun = {}): Promise<PublishReport> {
  forgetFolderReads();
  const lock = OutputLock.acquire(options.outDir);
  try {
    const restored = recoverOutput(options.outDir);
    const report = await buildLocked(options, run);
    if (restored) report.diagnostics.warn(options.outDir, `a build was killed while publishing; the edition it had set aside (${path.basename(restored)}) was put back first`, undefined, 'publish');
    return report;
  } finally {
    lock.release();
  }
}

async function buildLocked(options: BuildOptions, run: BuildRun): Promise<PublishReport> {
  const clock = new StageClock();
  const report = await checkAndMake(options, run, clock);
  if (!report.ok || !(options.sweepCache || sweepDue(CACHE_DIR))) return report;
  // once a day, after a build that published (or kept) its edition: see cache-sweep.ts
  const swept = sweepCache(CACHE_DIR);
  clock.lap('sweep');
  return { ...report, swept };
}

async function checkAndMake(options: BuildOptions, run: BuildRun, clock: StageClock): Promise<PublishReport> {
  const fingerprint = engineFingerprint();
  const cache = new OutputCache(CACHE_DIR, fingerprint, options.contentDir);
  const damaged: string[] = [];
  cache.onDamaged = (file) => damaged.push(file);
  const sourceIndex = SourceIndex.open(CACHE_DIR, options.contentDir, cache.onDamaged);
  // a rebuild of a large archive, from its check on (see heap.ts)
  if (sourceIndex.size >= MANY_SOURCES) collectSooner();
  const sources = await sourceIndex.sources(options.contentDir);
  sourceIndex.save();
  const key = inputKey(options, fingerprint, sources);
  const kept = key ? await currentEdition(CACHE_DIR, options.outDir, key, options.now) : null;
  clock.lap('check');
  if (kept) {
    const report: BuildReport = { ok: true, diagnostics: new Diagnostics(), ingested: [], articles: [], published: [], drafts: [], future: [] };
    return { ...report, unchanged: true, rendered: 0, reused: kept.counts.published, files: kept.fileCount, timings: clock.timings, replayed: kept.messages, counts: kept.counts };
  }
  const { makeEdition } = await import('./make-edition.ts');
  try {
    return await makeEdition(options, run, { fingerprint, key, cache, damaged, sources, sourceIndex, clock });
  } finally {
    cache.release();
  }
}
