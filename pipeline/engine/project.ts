/**
 * Galley's own files: where the code lives (for the cache and the fingerprint), independent of
 * the folder the build is started from.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { engineHash } from './engine-hash.mjs';

/**
 * The checkout: the folder holding package.json, pipeline/ and templates/. Found by walking up,
 * since this module runs both from pipeline/ (through tsx) and compiled, from .cache/bin/.
 */
export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'pipeline', 'cli', 'launch.mjs')) && fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`Galley's project folder not found above ${from}`);
  }
}

/** A file shipped with Galley, e.g. `templates/style.css`. */
export function projectFile(relative: string): string {
  return path.join(PROJECT_ROOT, relative);
}

/** The content-hash cache (git-ignored); `GALLEY_CACHE_DIR` moves it (the benchmark's cold runs use their own). */
export const CACHE_DIR = process.env.GALLEY_CACHE_DIR ? path.resolve(process.env.GALLEY_CACHE_DIR) : path.join(PROJECT_ROOT, '.cache');

/**
 * Galley's fingerprint (see engine-hash.mjs): the cache can never serve what an older Galley
 * made.
 */
export function engineFingerprint(): string {
  return engineHash(PROJECT_ROOT);
}
