/** Shared test scaffolding: throwaway content folders and a build run against them. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { preparation, type Prepared } from '../pipeline/engine/prepare.ts';
import type { OutputCache } from '../pipeline/engine/cache.ts';
import type { Article } from '../pipeline/model/article.ts';
import { listSourceFiles } from '../pipeline/engine/sources.ts';
import { readSourceFile } from '../pipeline/engine/source-file.ts';
import { ingestRawFolder } from '../pipeline/ingest/index.ts';
import * as agencyReaders from '../pipeline/ingest/agency-readers.ts';
import type { BuildOptions } from '../pipeline/engine/context.ts';
import type { Listing } from '../pipeline/engine/manifest.ts';
import { Diagnostics } from '../pipeline/model/diagnostics.ts';
import { OUTPUT_FAMILIES } from '../pipeline/outputs/registry.ts';

/** The instant tests use as "now" (and as the date of copy without one). */
export const TEST_NOW = new Date('2024-06-01T12:00:00Z');

/** A fresh content folder holding `files` (paths relative to it). */
export function tempContent(files: Record<string, string | Uint8Array> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-test-'));
  for (const [name, data] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), data);
  }
  return dir;
}

export function options(contentDir: string, overrides: Partial<BuildOptions> = {}): BuildOptions {
  return { contentDir, outDir: path.join(contentDir, '..', `${path.basename(contentDir)}-out`), baseUrl: null, drafts: false, future: false, now: TEST_NOW, formats: OUTPUT_FAMILIES, ...overrides };
}

/**
 * What a build's first half makes of a content folder (ingest, validation, drafts held back), in
 * one go; without a cache unless given one, and telling `onArticle` of each article as it is read.
 */
export function prepare(options: BuildOptions, { cache = null, onArticle }: { readonly cache?: OutputCache | null; readonly onArticle?: (article: Article) => void } = {}): Prepared {
  const existing = listSourceFiles(options.contentDir).map((file) => readSourceFile(file));
  // the agency readers handed in: this runs the steps without waiting, so ingest cannot load them itself
  const steps = preparation(options, new Diagnostics(), cache, existing, (ingestOptions) => ingestRawFolder({ ...ingestOptions, agencyReaders }), onArticle);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Runs ingest and validation on a content folder. */
export function prepareContent(contentDir: string, overrides: Partial<BuildOptions> = {}) {
  return prepare(options(contentDir, overrides)).report;
}

/** The messages of a run, formatted as the CLI prints them, paths relative to the content folder. */
export function messages(report: ReturnType<typeof prepareContent>, contentDir: string): string[] {
  const text = report.diagnostics.format(contentDir);
  return text ? text.split('\n') : [];
}

export const UPDATE = process.env.UPDATE === '1';

/** Compares `actual` with the golden file, or rewrites it when UPDATE=1. */
export function golden(file: string, actual: string): string {
  if (UPDATE || !fs.existsSync(file)) {
    if (!UPDATE) throw new Error(`golden file ${file} is missing: run UPDATE=1 npm test and review it`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, actual);
  }
  return fs.readFileSync(file, 'utf8');
}

/**
 * The listing of every regular file under `dir` (links and other entries are not files of an
 * edition), by a walk of the folder: what the record of an edition and the staging folder's
 * listing must equal.
 */
export function listing(dir: string): Listing {
  const files: Listing = {};
  if (!fs.existsSync(dir)) return files;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const stat = fs.statSync(file);
    files[path.relative(dir, file).split(path.sep).join('/')] = [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino];
  }
  return files;
}
