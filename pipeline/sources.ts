/**
 * The Markdown sources of a content folder: `articles/*.md`, whether ingest wrote them or a
 * person did. Read once per build; ingest learns from them which raw files are already claimed.
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { ARTICLES_FOLDER } from './ingest/index.ts';
import { splitFrontMatter, claimedSource } from './article.ts';
import { slugify } from './slug.ts';

export interface SourceFile {
  readonly path: string;
  readonly bytes: Buffer;
  /** sha256 of the bytes, made once: the cache and the no-change check both key by it. */
  readonly hash: string;
  /** The raw file it says it came from (`raw/X.txt`), read even when the YAML is broken. */
  readonly claims: string | null;
  /** The slug it will most likely publish under (declared, or from the file name). */
  readonly slug: string;
}

export function listSourceFiles(contentDir: string): string[] {
  const dir = path.join(contentDir, ARTICLES_FOLDER);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(md|markdown)$/i.test(entry.name))
    .map((entry) => path.join(dir, entry.name))
    .sort();
}

/** A source as the build sees it; `bytes` when the caller has them already (ingest just wrote them). */
export function readSourceFile(filePath: string, bytes: Buffer = fs.readFileSync(filePath)): SourceFile {
  const { frontMatter } = splitFrontMatter(bytes.toString('utf8'));
  const declared = frontMatter ? /^slug:[ \t]*["']?([a-z0-9-]+)["']?[ \t]*$/m.exec(frontMatter)?.[1] : undefined;
  return {
    path: filePath,
    bytes,
    hash: createHash('sha256').update(bytes).digest('hex'),
    claims: frontMatter ? claimedSource(frontMatter) : null,
    slug: declared ?? slugify(path.basename(filePath).replace(/\.(md|markdown)$/i, '')),
  };
}
