/**
 * Whether PDFs render on a worker pool. Its own module, light, so the command line and the
 * build can decide without loading the PDF code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ARTICLES_FOLDER, RAW_FOLDER } from '../../model/content-folders.ts';
/**
 * Fewer PDFs than this render in the main thread: a worker's start-up (modules, fonts) costs
 * ~0.3 s.
 */
export const POOL_THRESHOLD = 6;

/**
 * Whether a build of `contentDir` may have enough articles for a pool: its sources and raw files
 * counted, nothing read, so the command line can start the workers before the build has loaded.
 */
export function mayUsePdfPool(contentDir: string): boolean {
  let entries = 0;
  for (const folder of [ARTICLES_FOLDER, RAW_FOLDER]) {
    try {
      entries += fs.readdirSync(path.join(contentDir, folder)).length;
    } catch {
      // no such folder: nothing in it
    }
  }
  return entries >= POOL_THRESHOLD;
}

/**
 * What a PDF worker is told through the pool's shared stage (pool.ts, worker.ts). Here,
 * so a worker does not load the pool's own code (piscina) to read it.
 */
export const WORKER_STAGE = { starting: 0, language: 1, job: 2 } as const;
