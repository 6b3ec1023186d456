/**
 * The ingest stage: every `raw/*.txt` that no Markdown source claims yet becomes
 * `articles/SLUG.md`. A source that exists is never rewritten: an editor's changes win.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostics } from '../diagnostics.ts';
import type { SiteSettings } from '../site.ts';
import { parseDate } from '../dates.ts';
import { canonicalLanguage } from '../lang.ts';
import { smarten } from '../markdown.ts';
import { slugify, claimSlug } from '../slug.ts';
import { decodeRaw } from './decode.ts';
import { readWireText, type HeaderKey, type HeaderField } from './wire-text.ts';
import { structure } from './structure.ts';
import { deriveHeadline, deriveSummary } from './headline.ts';
import { bodyTree, ledeOf, toMarkdownSource } from './to-markdown.ts';
import { ARTICLES_FOLDER, RAW_FOLDER } from '../content-folders.ts';

export { RAW_FOLDER, ARTICLES_FOLDER };

export interface IngestOptions {
  readonly contentDir: string;
  readonly site: SiteSettings;
  /** Date for copy that carries none (SOURCE_DATE_EPOCH or the time of ingest). */
  readonly now: Date;
  /** Raw sources already claimed by a Markdown source (`raw/NAME.txt`). */
  readonly claimed: ReadonlySet<string>;
  /** Slugs in use by existing sources; ingest adds the ones it takes. */
  readonly takenSlugs: Set<string>;
  readonly diagnostics: Diagnostics;
  /** Hears of each source as soon as it is written, with its text (the build starts work on it at once). */
  readonly onWritten?: (item: { readonly raw: string; readonly markdown: string }, text: string) => void;
}

export interface IngestResult {
  /** Sources written this run, as `raw/X.txt` → absolute path of the `.md`. */
  readonly written: readonly { readonly raw: string; readonly markdown: string }[];
}

/** `raw/*.txt` of a content folder, sorted, so slugs are claimed in a stable order. */
export function listRawFiles(contentDir: string): string[] {
  const dir = path.join(contentDir, RAW_FOLDER);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.txt$/i.test(entry.name))
    .map((entry) => entry.name)
    .sort();
}

export function ingestRawFolder(options: IngestOptions): IngestResult {
  const written: { raw: string; markdown: string }[] = [];
  const articlesDir = path.join(options.contentDir, ARTICLES_FOLDER);
  for (const name of listRawFiles(options.contentDir)) {
    const source = `${RAW_FOLDER}/${name}`;
    if (options.claimed.has(source)) continue;
    const rawPath = path.join(options.contentDir, RAW_FOLDER, name);
    const markdown = ingestOne(rawPath, source, options);
    if (markdown === null) continue;
    fs.mkdirSync(articlesDir, { recursive: true });
    const target = path.join(articlesDir, `${markdown.slug}.md`);
    // 'wx': never replace a file, even one that appeared since we looked
    fs.writeFileSync(target, markdown.text, { flag: 'wx' });
    const item = { raw: source, markdown: target };
    written.push(item);
    options.onWritten?.(item, markdown.text);
  }
  return { written };
}

/** One raw file → its Markdown source text and slug, or null (with messages) when it is unusable. */
export function ingestOne(rawPath: string, source: string, options: IngestOptions): { slug: string; text: string } | null {
  const { diagnostics, site } = options;
  const decoded = decodeRaw(fs.readFileSync(rawPath));
  if (!decoded.ok) {
    diagnostics.error(rawPath, `${path.basename(rawPath)} ${decoded.reason}`, decoded.line ? { line: decoded.line, column: decoded.column ?? 1 } : undefined, 'raw-text');
    return null;
  }
  const wire = readWireText(decoded.text);
  if (wire.headerProblem) {
    const { reason, line, column } = wire.headerProblem;
    diagnostics.error(rawPath, `${path.basename(rawPath)}: ${reason}`, { line, column }, 'header');
    return null;
  }
  for (const unknown of wire.unknownKeys) {
    diagnostics.warn(rawPath, `unknown header key ${JSON.stringify(unknown.key)} is ignored (known keys: Title, Author, Date, Tags, Slug, Summary, Lang)`, { line: unknown.line, column: unknown.column }, 'header');
  }
  for (const duplicate of wire.duplicateKeys) {
    diagnostics.warn(rawPath, `header ${duplicate.key} given twice; the last one is used`, { line: duplicate.line, column: 1 }, 'header');
  }
  const header = (key: HeaderKey): HeaderField | undefined => {
    const field = wire.header.get(key);
    return field && field.value ? field : undefined;
  };
  const structured = structure(wire.blocks);
  if (!structured.body.length) {
    diagnostics.error(rawPath, `${path.basename(rawPath)} has no body text${wire.header.size ? ' after its header block' : ''}`, undefined, 'raw-text');
    return null;
  }

  let failed = false;
  const dateField = header('date');
  // whole seconds: an ingest time is not more precise than that, and reads better
  let date = new Date(Math.floor(options.now.getTime() / 1000) * 1000);
  if (dateField) {
    const parsed = parseDate(dateField.value);
    if (parsed) date = parsed;
    else {
      diagnostics.error(rawPath, `Date ${JSON.stringify(dateField.value)} is not a date (write 2023-09-11, 2023-09-11T08:00:00Z or Mon, 11 Sep 2023 08:00:00 GMT)`, dateField, 'header');
      failed = true;
    }
  }
  const langField = header('lang');
  let lang = site.language;
  if (langField) {
    const canonical = canonicalLanguage(langField.value);
    if (canonical) lang = canonical;
    else {
      diagnostics.error(rawPath, `Lang ${JSON.stringify(langField.value)} is not a known language tag (BCP 47, e.g. en, fr, pt-BR)`, langField, 'header');
      failed = true;
    }
  }
  if (failed) return null;

  const body = bodyTree(structured.body);
  const lede = ledeOf(body);
  const titleField = header('title');
  let title: string;
  if (titleField) title = smarten(titleField.value);
  else {
    title = deriveHeadline(lede, lang);
    diagnostics.notice(rawPath, `no Title: headline derived from the lede, check it: ${JSON.stringify(title)}`, undefined, 'headline');
  }
  const summaryField = header('summary');
  const summary = summaryField ? smarten(summaryField.value) : deriveSummary(lede, lang);

  const slugField = header('slug');
  const stem = path.basename(rawPath).replace(/\.txt$/i, '');
  const wanted = (slugField && slugify(slugField.value)) || slugify(title) || slugify(stem) || 'article';
  if (slugField && slugify(slugField.value) !== slugField.value) {
    diagnostics.notice(rawPath, `Slug ${JSON.stringify(slugField.value)} is not a safe URL segment; using “${slugify(slugField.value) || wanted}”`, slugField, 'slug');
  }
  const slug = claimSlug(wanted, options.takenSlugs);
  if (slug !== wanted) diagnostics.notice(rawPath, `slug “${wanted}” is taken by another article; this one is “${slug}”`, undefined, 'slug');

  const tags = [...new Set((header('tags')?.value ?? '').split(',').map((tag) => tag.trim()).filter(Boolean))];
  const text = toMarkdownSource(
    { title, date, slug, summary, author: header('author')?.value ?? site.author, tags, lang, source },
    structured,
    body,
  );
  return { slug, text };
}
