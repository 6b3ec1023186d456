/**
 * The ingest stage: every raw file (`raw/*.txt`, `.json`, `.xml`…) that no Markdown source
 * claims yet becomes `articles/SLUG.md`; its format (plain text, ninjs, NITF, NewsML-G2) is read
 * from its content. A source that exists is never rewritten: an editor's changes win. A file
 * that holds several items (a NewsML-G2 news message) gives one source per item, each claiming
 * `raw/NAME#N`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostics } from '../model/diagnostics.ts';
import type { SiteSettings } from '../model/site.ts';
import { parseDate, yearProblem } from '../model/dates.ts';
import { canonicalLanguage } from '../model/lang.ts';
import { languageOfCopy } from './language.ts';
import { smarten } from '../model/markdown.ts';
import { claimSlug, headlineSlug, slugify } from '../model/slug.ts';
import { decodeRaw } from './decode.ts';
import { readWireText, type HeaderKey, type HeaderField } from './wire-text.ts';
import { preamble, structure, textsOf } from './structure.ts';
import { deriveHeadline, deriveSummary } from './headline.ts';
import { bodyTree, ledeOf, toMarkdownSource, withSpacedDashes } from './to-markdown.ts';
import { toString } from 'mdast-util-to-string';
import { ARTICLES_FOLDER, RAW_FOLDER, listRawFiles } from '../model/content-folders.ts';
import { rawFileTooLarge, wireWithinLimits } from './limits.ts';
import { detectFormat, HEAD_BYTES, mayBeStructured } from './detect.ts';
import type { ReadResult } from './agency-item.ts';
import { agencyFields, correctionNote, type AgencyItem } from './agency-item.ts';
import { isLater, knownItems, withIngestHash, type KnownItem } from './versions.ts';
import { takeDateline } from '../model/dateline.ts';

export { RAW_FOLDER, ARTICLES_FOLDER };

export interface IngestOptions {
  readonly contentDir: string;
  readonly site: SiteSettings;
  /** Date for copy that carries none (SOURCE_DATE_EPOCH or the time of ingest). */
  readonly now: Date;
  /** Raw sources already claimed by a Markdown source (`raw/NAME.txt`, `raw/NAME.xml#2`). */
  readonly claimed: ReadonlySet<string>;
  /** Slugs in use by existing sources; ingest adds the ones it takes. */
  readonly takenSlugs: Set<string>;
  readonly diagnostics: Diagnostics;
  /** Hears of each source as soon as it is written, with its text (the build starts work on it at once). */
  readonly onWritten?: (item: { readonly raw: string; readonly markdown: string }, text: string) => void;
  /** The agency formats' readers, when the caller has them loaded; else ingest loads them when a raw file may need them. */
  readonly agencyReaders?: AgencyReaders;
}

/** What agency-readers.ts exports. */
export type AgencyReaders = typeof import('./agency-readers.ts');

export interface IngestResult {
  /** Sources written this run, as `raw/X.txt` → absolute path of the `.md`. */
  readonly written: readonly { readonly raw: string; readonly markdown: string }[];
}

/**
 * Ingests every raw file no source claims yet, pausing (yield) after each: a build reads each
 * source as it is written (onWritten) on worker threads, whose results it takes in only when
 * its event loop turns, so a large raw folder ingested in one go would pile them all up in memory.
 */
export function* ingestRawFolder(options: IngestOptions): Generator<Promise<unknown> | void, IngestResult> {
  const written: { raw: string; markdown: string }[] = [];
  const articlesDir = path.join(options.contentDir, ARTICLES_FOLDER);
  const notUtf8 = (shownAs: string) =>
    options.diagnostics.warn(path.join(options.contentDir, RAW_FOLDER, shownAs), 'the file name is not UTF-8, so no source can record where it came from: rename it to ingest it (skipped)', undefined, 'raw-text');
  // sources by agency guid, read once and only if an agency item is to be placed
  let known: Map<string, KnownItem> | undefined;
  let agency = options.agencyReaders ?? null;
  for (const name of listRawFiles(options.contentDir, notUtf8)) {
    const source = `${RAW_FOLDER}/${name}`;
    if (options.claimed.has(source)) continue;
    const rawPath = path.join(options.contentDir, RAW_FOLDER, name);
    // the agency readers, loaded (a promise the build waits for) before the first file that may need them
    const head = agency ? null : headOfFile(rawPath);
    if (head && mayBeStructured(head)) {
      yield import('./agency-readers.ts').then((loaded) => {
        agency = loaded;
      });
    }
    for (const markdown of ingestFile(rawPath, source, options, () => (known ??= knownItems(articlesDir)), agency)) {
      fs.mkdirSync(articlesDir, { recursive: true });
      const target = markdown.replaces ?? path.join(articlesDir, `${markdown.slug}.md`);
      // 'wx': never replace a file, even one that appeared since we looked; a later version
      // replaces only a source nobody has edited (checked against its ingestHash just before)
      fs.writeFileSync(target, markdown.text, { flag: markdown.replaces ? 'w' : 'wx' });
      if (markdown.replaces) options.diagnostics.notice(target, `updated to version ${markdown.version ?? '?'} of the agency's item from ${markdown.source} (the source had not been edited)`, undefined, 'version');
      // a later version in another raw file of this same run finds this one
      if (markdown.guid && known) known.set(markdown.guid, { path: target, slug: markdown.slug, version: markdown.version ?? null, updated: markdown.versionTime ?? null, unedited: true });
      const item = { raw: markdown.source, markdown: target };
      written.push(item);
      options.onWritten?.(item, markdown.text);
    }
    yield;
  }
  return { written };
}

/** A raw file's first bytes (as many as detectFormat looks at), or none when it cannot be read (ingestFile then reports it). */
function headOfFile(rawPath: string): Buffer | null {
  try {
    const fd = fs.openSync(rawPath, 'r');
    try {
      const head = Buffer.alloc(HEAD_BYTES);
      return head.subarray(0, fs.readSync(fd, head, 0, head.length, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
}

/** A Markdown source ingest is to write. */
export interface IngestedSource {
  readonly slug: string;
  readonly text: string;
  readonly source: string;
  /** The source this replaces (a later version of an unedited item), absolute path. */
  readonly replaces?: string | undefined;
  /** The agency item's id, version and version time, when it came from one. */
  readonly guid?: string | null;
  readonly version?: number | null;
  readonly versionTime?: Date | null;
}

/**
 * A raw file in any format → the sources to write (none, with messages, when it is unusable).
 * `known` gives the sources already made from agency items, by guid (read on first call).
 */
export function ingestFile(rawPath: string, source: string, options: IngestOptions, known: () => ReadonlyMap<string, KnownItem> = () => new Map(), agency: AgencyReaders | null = null): IngestedSource[] {
  // checked by size before anything is read, whatever the format
  if (rawFileTooLarge(rawPath, options.diagnostics)) return [];
  const bytes = fs.readFileSync(rawPath);
  const detected = detectFormat(bytes, path.basename(rawPath));
  const report = (reason: string, place?: { line?: number | undefined; column?: number | undefined }) =>
    options.diagnostics.error(rawPath, `${path.basename(rawPath)} ${reason}`, place?.line ? { line: place.line, column: place.column ?? 1 } : undefined, 'raw-format');
  if (detected.kind === 'text') {
    const markdown = ingestOne(rawPath, source, options);
    return markdown ? [{ ...markdown, source }] : [];
  }
  if (detected.kind === 'not-an-article') {
    options.diagnostics.notice(rawPath, `${path.basename(rawPath)}: ${detected.reason}`, undefined, 'raw-format');
    return [];
  }
  if (detected.kind === 'unreadable') {
    report(detected.reason, detected);
    return [];
  }
  // mayBeStructured saw this file's head, so ingestRawFolder has loaded them
  if (!agency) throw new Error(`${rawPath}: the agency readers were not loaded before a file in an agency format`);
  const { readNinjs, readXmlItems } = agency;
  let result: ReadResult;
  if (detected.kind === 'ninjs') {
    const values = Array.isArray(detected.value) ? detected.value : [detected.value];
    const results = values.map((value, index) => {
      const read = readNinjs(value);
      // each problem's pointer is into the whole document
      return read.ok || !Array.isArray(detected.value) ? read : { ok: false as const, problems: read.problems.map((problem) => ({ ...problem, pointer: `/${index}${problem.pointer === '/' ? '' : (problem.pointer ?? '')}` })) };
    });
    const problems = results.flatMap((read) => (read.ok ? [] : read.problems));
    result = problems.length
      ? { ok: false, problems }
      : { ok: true, items: results.flatMap((read) => (read.ok ? read.items : [])), skipped: results.flatMap((read) => (read.ok ? (read.skipped ?? []) : [])) };
  } else {
    result = readXmlItems(bytes, detected.root);
  }
  if (!result.ok) {
    for (const problem of result.problems) report(problem.pointer ? `${problem.reason} (at ${problem.pointer})` : problem.reason, problem);
    return [];
  }
  for (const reason of result.skipped ?? []) options.diagnostics.notice(rawPath, `${path.basename(rawPath)}: ${reason}`, undefined, 'raw-format');
  const several = result.items.length > 1;
  const sources: IngestedSource[] = [];
  result.items.forEach((item, index) => {
    const itemSource = several ? `${source}#${index + 1}` : source;
    if (several && options.claimed.has(itemSource)) return;
    const earlier = item.guid ? known().get(item.guid) : undefined;
    // an earlier or the same version of an item already in a source: nothing to do
    if (earlier && !isLater(item, earlier)) return;
    const replaces = earlier?.unedited ? earlier : undefined;
    const markdown = itemToSource(item, rawPath, itemSource, options, replaces?.slug);
    if (markdown) sources.push({ ...markdown, source: itemSource, replaces: replaces?.path, guid: item.guid, version: item.version, versionTime: item.versionCreated ?? item.firstCreated });
  });
  return sources;
}

/** Headlines as the same when they differ only in case, spacing and quote marks. */
const headlineKey = (text: string) => text.normalize('NFKC').replace(/[\s"'‘’“”«»„]+/g, ' ').trim().toLowerCase();

/** The item without a first heading that repeats its headline (an HTML body's <h1>): the page shows the headline once. */
function withoutRepeatedHeadline(item: AgencyItem): AgencyItem {
  const first = item.body.children[0];
  if (!item.headline || first?.type !== 'heading' || headlineKey(toString(first)) !== headlineKey(item.headline)) return item;
  return { ...item, body: { ...item.body, children: item.body.children.slice(1) } };
}

/** One agency item → its Markdown source text and slug, or null (with messages). */
function itemToSource(given: AgencyItem, rawPath: string, source: string, options: IngestOptions, keepSlug?: string): { slug: string; text: string } | null {
  const { diagnostics, site } = options;
  // a body that opens with its dateline ("PITTSBURGH (AP) — …") gives it up: that one, as the
  // agency wrote it for readers, is the dateline (fuller than the item's place name)
  const opened = withoutRepeatedHeadline(given);
  const taken = takeDateline(opened.body);
  const item = taken ? { ...opened, body: taken.body, dateline: taken.dateline } : opened;
  const where = item.guid ? ` (item ${item.guid})` : '';
  if (!item.body.children.length) {
    diagnostics.error(rawPath, `${path.basename(rawPath)}${where}: ${item.format} item has no body text`, undefined, 'raw-format');
    return null;
  }
  let lang = site.language;
  if (!item.language) {
    const ofCopy = languageOfCopy(toString(item.body), site.language);
    lang = ofCopy.language;
    if (ofCopy.told) diagnostics.notice(rawPath, `${path.basename(rawPath)}${where}: the item gives no language; told from its text: ${lang}`, undefined, 'language');
  }
  if (item.language) {
    const canonical = canonicalLanguage(item.language);
    if (!canonical) {
      diagnostics.error(rawPath, `${path.basename(rawPath)}${where}: language ${JSON.stringify(item.language)} is not a known language tag (BCP 47, e.g. en, fr, pt-BR)`, undefined, 'raw-format');
      return null;
    }
    lang = canonical;
  }
  const lede = ledeOf(item.body);
  let title: string;
  if (item.headline) title = smarten(item.headline);
  else {
    title = deriveHeadline(lede, lang);
    diagnostics.notice(rawPath, `no headline${where}: headline derived from the lede, check it: ${JSON.stringify(title)}`, undefined, 'headline');
  }
  const date = item.firstCreated ?? item.versionCreated ?? new Date(Math.floor(options.now.getTime() / 1000) * 1000);
  const stem = path.basename(rawPath).replace(/\.[^.]+$/, '');
  const wanted = keepSlug ?? (headlineSlug(title, lang) || slugify(stem) || 'article');
  const slug = keepSlug ?? claimSlug(wanted, options.takenSlugs);
  if (slug !== wanted) diagnostics.notice(rawPath, `slug “${wanted}” is taken by another article; this one is “${slug}”`, undefined, 'slug');
  const updated = item.version === 1 ? undefined : (item.versionCreated ?? undefined);
  withSpacedDashes(item.body, lang);
  const body = item.correction ? { ...item.body, children: [...item.body.children, correctionNote(item.correction, updated ?? date, lang)] } : item.body;
  const text = toMarkdownSource(
    {
      title,
      date,
      // a first version's own time is not a change
      updated,
      slug,
      // never empty (a source must have one): a body of headings and lists has no lede to give it
      summary: (item.summary ? smarten(item.summary) : deriveSummary(lede, lang)) || deriveSummary(toString(body), lang) || title,
      author: item.byline?.name ?? site.author,
      tags: item.subjects,
      lang,
      source,
      extra: agencyFields(item),
    },
    { body: [], related: [], credit: item.credit },
    body,
  );
  // the hash lets a later version tell whether an editor has changed the source since
  return { slug, text: item.guid ? withIngestHash(text) : text };
}

/** One raw file → its Markdown source text and slug, or null (with messages) when it is unusable. */
export function ingestOne(rawPath: string, source: string, options: IngestOptions): { slug: string; text: string } | null {
  const { diagnostics, site } = options;
  if (rawFileTooLarge(rawPath, diagnostics)) return null;
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
  const opening = preamble(wire.blocks, { header: wire.header.size > 0, title: header('title') !== undefined, author: header('author') !== undefined });
  const structured = structure(opening.blocks);
  if (!structured.body.length) {
    diagnostics.error(rawPath, `${path.basename(rawPath)} has no body text${wire.header.size ? ' after its header block' : ''}`, undefined, 'raw-text');
    return null;
  }

  let failed = !wireWithinLimits(rawPath, header, structured.body, diagnostics);
  const dateField = header('date');
  // whole seconds: an ingest time is not more precise than that, and reads better
  let date = new Date(Math.floor(options.now.getTime() / 1000) * 1000);
  if (dateField) {
    const parsed = parseDate(dateField.value);
    const problem = parsed && yearProblem(parsed, dateField.value, 'Date');
    if (problem) {
      diagnostics.error(rawPath, problem, dateField, 'header');
      failed = true;
    } else if (parsed) date = parsed;
    else {
      diagnostics.error(rawPath, `Date ${JSON.stringify(dateField.value)} is not a date (write 2023-09-11, 2023-09-11T08:00:00Z or Mon, 11 Sep 2023 08:00:00 GMT)`, dateField, 'header');
      failed = true;
    }
  }
  const langField = header('lang');
  // copy that does not say its language is in the site's, unless its script says otherwise
  const ofCopy = languageOfCopy(structured.body.flatMap(textsOf).join('\n'), site.language);
  let lang = ofCopy.language;
  if (ofCopy.told && !langField) diagnostics.notice(rawPath, `no Lang: the language is told from the text: ${lang} (add a Lang line to say otherwise)`, undefined, 'language');
  if (langField) {
    const canonical = canonicalLanguage(langField.value);
    if (canonical) lang = canonical;
    else {
      diagnostics.error(rawPath, `Lang ${JSON.stringify(langField.value)} is not a known language tag (BCP 47, e.g. en, fr, pt-BR)`, langField, 'header');
      failed = true;
    }
  }
  if (failed) return null;

  // "PARIS (AFP) — Le président…": the dateline goes to its field, the lede starts after it
  const tree = bodyTree(structured.body, lang);
  const taken = takeDateline(tree);
  const body = taken?.body ?? tree;
  const lede = ledeOf(body);
  const titleField = header('title');
  let title: string;
  if (titleField) title = smarten(titleField.value);
  else if (opening.headline) title = smarten(opening.headline);
  else {
    title = deriveHeadline(lede, lang);
    diagnostics.notice(rawPath, `no Title: headline derived from the lede, check it: ${JSON.stringify(title)}`, undefined, 'headline');
  }
  const summaryField = header('summary');
  const summary = summaryField ? smarten(summaryField.value) : deriveSummary(lede, lang);

  const slugField = header('slug');
  const stem = path.basename(rawPath).replace(/\.txt$/i, '');
  const wanted = (slugField && slugify(slugField.value)) || headlineSlug(title, lang) || slugify(stem) || 'article';
  if (slugField && slugify(slugField.value) !== slugField.value) {
    diagnostics.notice(rawPath, `Slug ${JSON.stringify(slugField.value)} is not a safe URL segment; using “${slugify(slugField.value) || wanted}”`, slugField, 'slug');
  }
  const slug = claimSlug(wanted, options.takenSlugs);
  if (slug !== wanted) diagnostics.notice(rawPath, `slug “${wanted}” is taken by another article; this one is “${slug}”`, undefined, 'slug');

  const tags = [...new Set((header('tags')?.value ?? '').split(',').map((tag) => tag.trim()).filter(Boolean))];
  const text = toMarkdownSource(
    {
      title,
      date,
      slug,
      summary,
      author: header('author')?.value ?? opening.byline?.name ?? site.author,
      tags,
      lang,
      source,
      extra: { ...(opening.byline?.title ? { authorTitle: smarten(opening.byline.title) } : {}), ...(taken ? { dateline: taken.dateline } : {}) },
    },
    structured,
    body,
  );
  return { slug, text };
}
