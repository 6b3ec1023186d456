/**
 * Which cached files each output folder's edition was copied from (`editions/<out>.uses`): the
 * first line is the output folder (JSON), each further line one file, relative to the cache
 * (`KIND/XX/KEY`). Written by each successful build; read by the cache's sweep, which removes
 * the cached files no edition uses (cache-sweep.ts), and by a pack being rewritten, which keeps
 * the records of those files (cache.ts): every edition's files stay known, whichever output
 * folder's build uses the cache.
 */
import fs from 'node:fs';
import path from 'node:path';
import { manifestPath } from './manifest.ts';
import { writeTextFile } from './write-pieces.ts';

function usesPath(cacheDir: string, outDir: string): string {
  return manifestPath(cacheDir, outDir).replace(/\.edition$/, '.uses');
}

/** Records which cached files the edition just published in `outDir` was copied from. */
export function recordUses(cacheDir: string, outDir: string, files: Iterable<string>): void {
  const root = `${path.resolve(cacheDir)}${path.sep}`;
  const target = usesPath(cacheDir, outDir);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  writeTextFile(temporary, (write) => {
    write(`${JSON.stringify(path.resolve(outDir))}\n`);
    for (const file of files) if (file.startsWith(root)) write(`${file.slice(root.length).split(path.sep).join('/')}\n`);
  });
  fs.renameSync(temporary, target);
}

/** One output folder's record of uses. */
export interface EditionUses {
  /** The record itself. */
  readonly record: string;
  /** The output folder it is of. */
  readonly outDir: string;
  /** The cached files its edition was copied from, relative to the cache (`KIND/XX/KEY`). */
  readonly files: readonly string[];
}

/** Every output folder's record of uses in the cache (one that is not a record this Galley wrote protects nothing, and is left out). */
export function editionUses(cacheDir: string): EditionUses[] {
  const editions = path.join(cacheDir, 'editions');
  let names: string[];
  try {
    names = fs.readdirSync(editions);
  } catch {
    return [];
  }
  const found: EditionUses[] = [];
  for (const name of names) {
    if (!name.endsWith('.uses')) continue;
    const record = path.join(editions, name);
    const lines = readText(record)?.split('\n') ?? [];
    let outDir: unknown;
    try {
      outDir = JSON.parse(lines[0] ?? '');
    } catch {
      continue;
    }
    if (typeof outDir === 'string') found.push({ record, outDir, files: lines.slice(1).filter((line) => line !== '') });
  }
  return found;
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
