/**
 * Keeping the cache from growing for good. Cached files are keyed by everything that made them,
 * Galley's fingerprint included, so every edit leaves the old page, PDF and list files behind,
 * and every upgrade of Galley (or change to its templates) leaves a whole edition's worth. A
 * newsroom that builds for years would fill its disk.
 *
 * So each successful build records which cached files its published edition was copied from
 * (`editions/<out>.uses`, see edition-uses.ts), and once a day a build sweeps the cache: a
 * cached file that no output folder's edition uses is removed. Output folders that no longer
 * exist lose their records and the spare edition kept for them. What a sweep removes is at most
 * made again: a cached file is only ever a saving, the edition never depends on it (it holds
 * copies).
 *
 * A build that found a cached file copies it into its staging folder a moment later; a sweep
 * must not remove it in between. Every build holds a folder of its own in the cache while it
 * runs (`tmp/PID`, cache.ts), so a sweep does not start while another build runs, and stops
 * when one starts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { manifestPath } from './manifest.ts';
import { removeSpare } from './publish.ts';
import { otherBuildsRunning, readNames } from './cache.ts';
import { editionUses } from './edition-uses.ts';

/** How often a build sweeps by itself (`--sweep-cache` sweeps at once). */
export const SWEEP_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** Its modification time is when the cache was last swept. */
const SWEPT_STAMP = 'swept';

/** A cached file: `KIND/XX/KEY`, where KEY is 64 hex digits and XX its first two (cache.ts #file). */
const CACHED_NAME = /^[0-9a-f]{64}$/;

/** Folders of the cache that hold no cached files of that shape, never walked. */
const NOT_CACHED_FILES = new Set(['tmp', 'packs', 'sources', 'editions', 'spare', 'bin']);

/** Removals between two looks for a build that started meanwhile. */
const REMOVALS_PER_LOOK = 256;

/** Whether the cache was last swept a day ago or more (or never). */
export function sweepDue(cacheDir: string, now = Date.now()): boolean {
  const stamp = fs.statSync(path.join(cacheDir, SWEPT_STAMP), { throwIfNoEntry: false });
  return !stamp || now - stamp.mtimeMs >= SWEEP_INTERVAL_MS;
}

export interface SweepReport {
  /** Cached files removed, and their bytes. */
  readonly removed: number;
  readonly bytes: number;
  /** Output folders that no longer exist, whose records and spare edition were removed. */
  readonly forgotten: number;
  /** Set when the sweep did not run to its end: another build was running. */
  readonly stopped: boolean;
}

/**
 * Removes every cached file no recorded edition uses, and the records of output folders that are
 * gone. Never throws: a file that cannot be removed stays for the next sweep.
 */
export function sweepCache(cacheDir: string): SweepReport {
  let removed = 0;
  let bytes = 0;
  let forgotten = 0;
  const report = (stopped: boolean): SweepReport => ({ removed, bytes, forgotten, stopped });
  if (otherBuildsRunning(cacheDir)) return report(true);
  const used = new Set<string>();
  for (const { record, outDir, files } of editionUses(cacheDir)) {
    if (!fs.existsSync(outDir)) {
      for (const file of [record, manifestPath(cacheDir, outDir)]) fs.rmSync(file, { force: true });
      removeSpare(cacheDir, outDir);
      forgotten++;
      continue;
    }
    for (const file of files) used.add(file);
  }
  for (const kind of readNames(cacheDir)) {
    if (NOT_CACHED_FILES.has(kind)) continue;
    for (const prefix of readNames(path.join(cacheDir, kind))) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      for (const name of readNames(path.join(cacheDir, kind, prefix))) {
        if (!CACHED_NAME.test(name) || !name.startsWith(prefix) || used.has(`${kind}/${prefix}/${name}`)) continue;
        const file = path.join(cacheDir, kind, prefix, name);
        try {
          const stat = fs.lstatSync(file);
          if (!stat.isFile()) continue;
          fs.rmSync(file, { force: true });
          removed++;
          bytes += stat.size;
        } catch {
          // left for the next sweep
        }
        if (removed % REMOVALS_PER_LOOK === 0 && otherBuildsRunning(cacheDir)) return report(true);
      }
    }
  }
  try {
    // written to: its modification time is now (the text is for whoever looks)
    fs.writeFileSync(path.join(cacheDir, SWEPT_STAMP), `${new Date().toISOString()}\n`);
  } catch {
    // swept again by the next build
  }
  return report(false);
}

