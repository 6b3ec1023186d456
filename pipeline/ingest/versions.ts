/**
 * Later versions of an item already ingested (same `guid`). A source ingest wrote records the
 * hash of what it wrote (`ingestHash`); while the file still matches it, nobody has edited it,
 * and a later version replaces it in place (same file, same slug, `updated` set). Once an
 * editor has changed it, the later version is written beside it instead, and the build says so
 * on every run until one of the two is deleted (see holds.ts): neither side is ever dropped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import YAML from 'yaml';
import { splitFrontMatter } from '../model/article.ts';
import { parseDate } from '../model/dates.ts';

const HASH_LINE = /^ingestHash: ([0-9a-f]{64})\n/m;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The source text with the hash of itself (without that line) recorded just before `source:`. */
export function withIngestHash(text: string): string {
  const at = text.search(/^source: /m);
  if (at < 0) return text;
  return `${text.slice(0, at)}ingestHash: ${sha256(text)}\n${text.slice(at)}`;
}

/** Whether a source is still exactly as ingest wrote it. */
export function isUnedited(text: string): boolean {
  const match = HASH_LINE.exec(text);
  return match !== null && sha256(text.replace(HASH_LINE, '')) === match[1];
}

export interface KnownItem {
  /** The Markdown source, absolute path. */
  readonly path: string;
  readonly slug: string;
  readonly version: number | null;
  readonly updated: Date | null;
  readonly unedited: boolean;
}

/**
 * The sources of `articlesDir` that carry a guid, by guid (the latest version when several do).
 * Read only when ingest has an agency item to place.
 */
export function knownItems(articlesDir: string): Map<string, KnownItem> {
  const known = new Map<string, KnownItem>();
  if (!fs.existsSync(articlesDir)) return known;
  for (const name of fs.readdirSync(articlesDir).filter((file) => /\.(md|markdown)$/i.test(file)).sort()) {
    const file = path.join(articlesDir, name);
    const text = fs.readFileSync(file, 'utf8');
    const { frontMatter } = splitFrontMatter(text);
    if (!frontMatter || !/^guid:/m.test(frontMatter)) continue;
    let data: Record<string, unknown>;
    try {
      data = (YAML.parse(frontMatter) ?? {}) as Record<string, unknown>;
    } catch {
      // the build reports a broken source when it reads it; here it just claims nothing
      continue;
    }
    const guid = typeof data.guid === 'string' || typeof data.guid === 'number' ? String(data.guid) : null;
    if (!guid) continue;
    const item: KnownItem = {
      path: file,
      slug: typeof data.slug === 'string' ? data.slug : name.replace(/\.(md|markdown)$/i, ''),
      version: typeof data.version === 'number' ? data.version : null,
      updated: typeof data.updated === 'string' ? parseDate(data.updated) : typeof data.date === 'string' ? parseDate(data.date) : null,
      unedited: isUnedited(text.replace(/\r\n?/g, '\n')),
    };
    const previous = known.get(guid);
    if (!previous || isLater({ version: item.version, versionCreated: item.updated }, previous)) known.set(guid, item);
  }
  return known;
}

/** A higher version, or (without version numbers) a later version time. */
export function isLater(item: { readonly version: number | null; readonly versionCreated: Date | null }, known: { readonly version: number | null; readonly updated: Date | null }): boolean {
  if (item.version !== null && known.version !== null) return item.version > known.version;
  return item.versionCreated !== null && known.updated !== null && item.versionCreated > known.updated;
}
