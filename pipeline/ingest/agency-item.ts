/**
 * What Galley takes from an agency's structured item, whatever the format (ninjs, NITF,
 * NewsML-G2): each reader fills one `AgencyItem`, and one function turns it into the Markdown
 * source an editor sees. Editorial notes and anything marked non-public have no field here, so
 * no reader can pass them on.
 */
import type { Paragraph, Root } from 'mdast';
import { smarten } from '../model/markdown.ts';
import { formatIsoDate } from '../model/dates.ts';
import { isCreditLine, isDeskSignOff } from './credits.ts';

export type PubStatus = 'usable' | 'withheld' | 'canceled';

export interface Byline {
  readonly name: string;
  /** Job title or affiliation, e.g. "Associated Press Writer". */
  readonly title: string | null;
}

export interface AgencyItem {
  /** The format it came in, for messages ("ninjs 2.x", "NITF", "NewsML-G2"). */
  readonly format: string;
  /** The agency's identifier of the item (ninjs uri/guid, NewsML-G2 guid, NITF doc-id). */
  readonly guid: string | null;
  readonly version: number | null;
  readonly headline: string | null;
  readonly summary: string | null;
  readonly byline: Byline | null;
  readonly dateline: string | null;
  readonly firstCreated: Date | null;
  readonly versionCreated: Date | null;
  /** Subject names (never codes). */
  readonly subjects: readonly string[];
  /** BCP 47, as the item gives it (checked by the caller). */
  readonly language: string | null;
  readonly credit: string | null;
  readonly pubStatus: PubStatus;
  readonly embargoed: Date | null;
  readonly expires: Date | null;
  /** The body, sanitised. */
  readonly body: Root;
  /** Set when the agency flags this version as a correction: the public note (or a default one). */
  readonly correction?: string | null;
}

/** What keeps a raw file in an agency format out, and where. */
export interface FormatProblem {
  readonly reason: string;
  /** JSON pointer (ninjs) or XML path, when the problem is at a value. */
  readonly pointer?: string;
  readonly line?: number;
  readonly column?: number;
}

/** What a reader of an agency format makes of a file. */
export type ReadResult =
  /** `skipped`: why items that are not articles (pictures, video, packages) were passed over. */
  | { readonly ok: true; readonly items: readonly AgencyItem[]; readonly skipped?: readonly string[] }
  | { readonly ok: false; readonly problems: readonly FormatProblem[] };

/** What a correction says when the agency gives no public text for it. */
export const DEFAULT_CORRECTION = 'This article has been corrected since it was first published.';

/** The dated correction note that closes a corrected article's body (page, PDF and feeds show it). */
export function correctionNote(text: string, date: Date, lang: string): Paragraph {
  const day = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
  return { type: 'paragraph', children: [{ type: 'strong', children: [{ type: 'text', value: `Correction (${day}):` }] }, { type: 'text', value: ` ${text}` }] };
}

/** The front-matter fields an agency item adds to those every ingested source has, in order. */
export function agencyFields(item: AgencyItem): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (item.byline?.title) fields.authorTitle = smarten(item.byline.title);
  if (item.dateline) fields.dateline = smarten(item.dateline);
  if (item.guid) fields.guid = item.guid;
  if (item.version !== null) fields.version = item.version;
  if (item.pubStatus !== 'usable') fields.status = item.pubStatus;
  if (item.correction) fields.correction = smarten(item.correction);
  if (item.embargoed) fields.embargoed = formatIsoDate(item.embargoed);
  if (item.expires) fields.expires = formatIsoDate(item.expires);
  return fields;
}

const BY = /^\s*(?:(?:reporting|written|text|words)\s+by|by|von|par|por|av|di|door|af|pela|przez|от)\s+/iu;

/**
 * "By JANE DOE, Associated Press Writer" → Jane Doe, Associated Press Writer. The name is set
 * in title case only when the agency wrote it all in capitals.
 */
export function readByline(text: string | null | undefined): Byline | null {
  const clean = (text ?? '').replace(/\s+/g, ' ').trim();
  // a desk's initials ("gr/bp") name no author
  if (!clean || isDeskSignOff(clean)) return null;
  const withoutBy = clean.replace(BY, '');
  const comma = withoutBy.search(/\s*[,;|]\s*/);
  const name = (comma > 0 ? withoutBy.slice(0, comma) : withoutBy).trim();
  const title = comma > 0 ? withoutBy.slice(comma).replace(/^\s*[,;|]\s*/, '').trim() : '';
  if (!name) return null;
  // "Von Christian Hollmann, dpa": the agency after the comma is the credit's, not a job title
  return { name: isAllCaps(name) ? titleCase(name) : name, title: title && !isCreditLine(title) ? title : null };
}

function isAllCaps(text: string): boolean {
  return /\p{Lu}/u.test(text) && !/\p{Ll}/u.test(text);
}

function titleCase(text: string): string {
  return text.toLowerCase().replace(/(^|[\s'’\-.])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}

/**
 * A dateline as readers see one ("PITTSBURGH", "Oslo, Norway"), or null: some agencies fill the
 * field with the time of filing ("2018-01-03 20:13:08 GMT+00:00"), which names no place, and a
 * trailing dash ("London (dpa) -") is the separator from the text, not part of it.
 */
export function datelineOrNull(value: string | null | undefined): string | null {
  const text = textOrNull(value)?.replace(/\s*[-–—]+\s*$/u, '') ?? null;
  if (!text || !/\p{L}/u.test(text.replace(/\b(?:GMT|UTC|Z|T)\b/g, ''))) return null;
  return text;
}

/** Whitespace folded, ends trimmed; null for nothing. */
export function textOrNull(value: string | null | undefined): string | null {
  const text = (value ?? '').replace(/\s+/g, ' ').trim();
  return text || null;
}

/** A version number as formats write it ("6", 6, "1.0"): the integer part, or null. */
export function versionOf(value: unknown): number | null {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(number) ? Math.trunc(number) : null;
}

/** Subject names without repeats, in the order given: `GOVERNMENT` repeats `Government` (one topic page takes both). */
export function uniqueNames(names: readonly (string | null | undefined)[]): string[] {
  const seen = new Map<string, string>();
  for (const name of names.map((given) => textOrNull(given))) {
    const key = name?.toLocaleLowerCase('und');
    if (name && key && !seen.has(key)) seen.set(key, name);
  }
  return [...seen.values()];
}
