/**
 * Reading one Markdown source for the build: its hash, the raw file it claims and its likely
 * slug. Apart from the source index (sources.ts), which loads it only when a source is to be read.
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { splitFrontMatter, claimedSource } from '../model/article.ts';
import { slugify } from '../model/slug.ts';
import { HeldSource } from './held-source.ts';

export interface SourceFile {
  readonly path: string;
  /** The bytes: handed over once when given, else read when asked for (and checked against `hash`). */
  readonly bytes: Buffer;
  /** sha256 of the bytes, made once: the cache and the no-change check both key by it. */
  readonly hash: string;
  /** The raw file it says it came from (`raw/X.txt`), read even when the YAML is broken. */
  readonly claims: string | null;
  /** The slug it will most likely publish under (declared, or from the file name). */
  readonly slug: string;
}

/**
 * A source as the build sees it; `given`, its bytes, when the caller has them already (ingest
 * has just written them, and reads the source at once). Bytes read here are not kept: the check
 * reads every new source before the build reads any, and a cold build's would all be held until
 * then. The build reads them again (HeldSource).
 */
export function readSourceFile(filePath: string, given?: Buffer): SourceFile {
  const bytes = given ?? fs.readFileSync(filePath);
  const { frontMatter } = splitFrontMatter(bytes.toString('utf8'));
  const declared = frontMatter ? /^slug:[ \t]*["']?([a-z0-9-]+)["']?[ \t]*$/m.exec(frontMatter)?.[1] : undefined;
  const hash = createHash('sha256').update(bytes).digest('hex');
  // copies, not slices of the text: a slice would keep the whole source in memory for the build
  const claims = frontMatter ? structuredClone(claimedSource(frontMatter)) : null;
  const slug = declared ? structuredClone(declared) : slugify(path.basename(filePath).replace(/\.(md|markdown)$/i, ''));
  return new HeldSource(filePath, hash, claims, slug, given ?? null);
}
