/**
 * Fewer PDFs than this render in the main thread: a worker's start-up (modules, fonts) costs
 * ~0.3 s. Its own module so the build can decide without loading the PDF code, and the command
 * can guess whether a build will want the pool before loading anything else (cli.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { CACHE_DIR } from './project.ts';

export const POOL_THRESHOLD = 6;

// the folders of ingest/index.ts (ARTICLES_FOLDER, RAW_FOLDER) and site.ts (SITE_FILE), named
// here so as not to load those modules
const ARTICLES = 'articles';
const RAW = 'raw';
const SITE_FILE = 'site.yaml';

/**
 * About how many articles a build of `contentDir` has: the files among its sources and raw copy,
 * counted from the folder listings alone (nothing read or filtered: it runs before the pipeline
 * has loaded). Only a guess, to start the pool early; the build decides on its own count.
 */
export function roughSourceCount(contentDir: string): number {
  let files = 0;
  for (const folder of [ARTICLES, RAW]) {
    try {
      files += fs.readdirSync(path.join(contentDir, folder)).length;
    } catch {
      // no such folder: nothing in it
    }
  }
  return files;
}

/** A file whose mtime is when the last build into `outDir` ended (recordBuild). */
function lastBuildFile(outDir: string): string {
  return path.join(CACHE_DIR, 'builds', createHash('sha256').update(outDir).digest('hex').slice(0, 32));
}

/**
 * Notes that a build into `outDir` has just ended, whatever it found: what is in the content
 * folder now, sources it ingested included, is what the next build will find unchanged.
 */
export function recordBuild(outDir: string): void {
  const file = lastBuildFile(outDir);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '');
  } catch {
    // only a guess is lost (editedSince): the next build starts its pool when it asks for one
  }
}

/**
 * Whether the content folder has changed since the last build into `outDir` ended, going by
 * file times alone: a source or site.yaml written since, a source, raw file or site.yaml added
 * or removed; true when there is no record of a build. A guess, to start the pool early for a
 * build that will most likely render: a rebuild that finds nothing changed must not pay for
 * workers it does not use (their start-up beside it slowed its main thread by ~0.2 s, measured
 * on 2 cores). Wrong either way it costs time, never a byte: a change it misses (other flags, a
 * new Galley, a file saved while a build ran) gets its pool when the build asks for one; a file
 * saved unchanged gets one that the build ends unused. Raw files already ingested are not
 * looked at (no build reads them again), nor the sources once anything else has changed: a
 * stat each is most of its cost (~15 ms for 1,000 sources).
 */
export function editedSince(contentDir: string, outDir: string): boolean {
  const mtime = (file: string) => fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const since = fs.statSync(lastBuildFile(outDir), { throwIfNoEntry: false })?.mtimeMs;
  if (since === undefined || !fs.existsSync(outDir)) return true;
  if (['.', SITE_FILE, ARTICLES, RAW].some((name) => mtime(path.join(contentDir, name)) > since)) return true;
  const articles = path.join(contentDir, ARTICLES);
  let names: string[];
  try {
    names = fs.readdirSync(articles);
  } catch {
    return false;
  }
  return names.some((name) => mtime(path.join(articles, name)) > since);
}
