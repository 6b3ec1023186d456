/**
 * ninjs (IPTC News in JSON), generation 1 (1.x: `headline`, `body_xhtml`, `subject`…) and 2
 * (2.x: `headlines[]`, `bodies[]`, `subjects[]`…), validated at the boundary with a zod schema
 * of the fields Galley reads (others are let through, as the published schemas allow
 * extensions); each problem is reported with the JSON pointer of the value at fault.
 */
import * as z from 'zod';
import type { Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { parseDate } from '../model/dates.ts';
import { htmlToBody, plainTextToBody } from './xhtml-body.ts';
import { datelineOrNull, DEFAULT_CORRECTION, readByline, textOrNull, uniqueNames, versionOf, type AgencyItem, type PubStatus, type ReadResult } from './agency-item.ts';
import { ninjsGeneration } from './detect.ts';
import { nitfBody } from './nitf.ts';
import { parseXml, type XmlElement } from './xml-tree.ts';


const dateTime = z.string().refine((value) => parseDate(value) !== null, { error: (issue) => `${JSON.stringify(issue.input)} is not a date-time (ISO 8601, e.g. 2024-05-02T09:00:00Z)` });
const pubStatus = z.enum(['usable', 'withheld', 'canceled'], { error: (issue) => `pubstatus ${JSON.stringify(issue.input)} is not one of usable, withheld, canceled` });
const textValue = z.object({ role: z.string().optional(), contenttype: z.string().optional(), value: z.string({ error: 'value must be text' }) }).passthrough();
const named = z.object({ name: z.string().optional(), literal: z.string().optional(), code: z.string().optional(), uri: z.string().optional() }).passthrough();

const common = {
  uri: z.string().optional(),
  guid: z.string().optional(),
  version: z.union([z.string(), z.number()]).optional(),
  firstcreated: dateTime.optional(),
  versioncreated: dateTime.optional(),
  contentcreated: dateTime.optional(),
  embargoed: dateTime.optional(),
  pubstatus: pubStatus.optional(),
  language: z.string().optional(),
  located: z.string().optional(),
  copyrightholder: z.string().optional(),
  type: z.string().optional(),
};

export const ninjs1Schema = z
  .object({
    ...common,
    headline: z.string().optional(),
    byline: z.string().optional(),
    body_text: z.string().optional(),
    body_html: z.string().optional(),
    body_xhtml: z.string().optional(),
    description_text: z.string().optional(),
    description_html: z.string().optional(),
    subject: z.array(named).optional(),
  })
  .passthrough();

export const ninjs2Schema = z
  .object({
    ...common,
    headlines: z.array(textValue).optional(),
    bodies: z.array(textValue).optional(),
    descriptions: z.array(textValue).optional(),
    by: z.string().optional(),
    subjects: z.array(named).optional(),
    expires: dateTime.optional(),
    signals: z.array(z.union([z.string(), named])).optional(),
  })
  .passthrough();

/** RFC 6901: `/bodies/0/value`. */
export function jsonPointer(path: readonly PropertyKey[]): string {
  return path.map((part) => `/${String(part).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('') || '/';
}

/** Content types of an NITF document given as a rendition (IPTC's, and the XML media type). */
const NITF_TYPES = new Set(['text/vnd.iptc.nitf', 'application/vnd.iptc.nitf', 'application/nitf+xml', 'text/nitf']);

/** The NITF document a rendition holds, or null when it is not one (not well-formed, another root). */
function nitfDocument(value: string): XmlElement | null {
  const parsed = parseXml(value.replace(/^\uFEFF/, ''));
  return parsed.ok && parsed.root.name === 'nitf' ? parsed.root : null;
}

/** How rich a rendition is, by content type: HTML over NITF over plain text; 0 is not usable. */
export function renditionRank(contentType: string | undefined, value: string): number {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!type) return /^\s*</.test(value) ? 3 : 1;
  if (type === 'text/html' || type === 'application/xhtml+xml' || type === 'application/xhtml' || type === 'text/xhtml') return 3;
  // the paragraphs of its body.content (its head repeats the headline and byline, which are fields of their own)
  if (NITF_TYPES.has(type)) return nitfDocument(value) ? 2 : 0;
  if (type === 'text/plain') return 1;
  return 0;
}

function bodyFrom(contentType: string | undefined, value: string): Root {
  const rank = renditionRank(contentType, value);
  if (rank === 2) return nitfBody(nitfDocument(value)!);
  return rank >= 3 ? htmlToBody(value) : plainTextToBody(value);
}

/** The richest usable rendition, by content type; the first of equals. */
function richest(renditions: readonly { readonly contenttype?: string | undefined; readonly value: string }[]): { contenttype?: string | undefined; value: string } | null {
  let best: { contenttype?: string | undefined; value: string } | null = null;
  let bestRank = 0;
  for (const rendition of renditions) {
    const rank = renditionRank(rendition.contenttype, rendition.value);
    if (rank > bestRank && rendition.value.trim()) {
      best = rendition;
      bestRank = rank;
    }
  }
  return best;
}

const date = (value: string | undefined) => (value === undefined ? null : parseDate(value));

/**
 * ninjs 3.x spells in camelCase the fields that 1.x and 2.x spell in lower case (`versionCreated`,
 * `pubStatus`, a body's `contentType`…), and some 2.x feeds already do. Read under their lower-case
 * names, so no field Galley acts on (above all the status) is missed for its spelling; the names
 * as the file spells them are kept for messages. A lower-case field present as well wins.
 */
const CAMEL_CASE_FIELDS: Readonly<Record<string, string>> = { firstCreated: 'firstcreated', versionCreated: 'versioncreated', contentCreated: 'contentcreated', pubStatus: 'pubstatus', copyrightHolder: 'copyrightholder' };
const TEXT_VALUE_LISTS = ['headlines', 'bodies', 'descriptions'];

function lowerCased(value: Record<string, unknown>): { readonly value: Record<string, unknown>; readonly spelled: ReadonlyMap<string, string> } {
  const read: Record<string, unknown> = { ...value };
  const spelled = new Map<string, string>();
  for (const [camel, lower] of Object.entries(CAMEL_CASE_FIELDS)) {
    if (camel in value && !(lower in value)) {
      read[lower] = value[camel];
      spelled.set(lower, camel);
    }
  }
  for (const list of TEXT_VALUE_LISTS) {
    const entries = value[list];
    if (!Array.isArray(entries)) continue;
    read[list] = entries.map((entry: unknown) => {
      if (!entry || typeof entry !== 'object' || !('contentType' in entry) || 'contenttype' in entry) return entry;
      spelled.set('contenttype', 'contentType');
      return { ...entry, contenttype: (entry as { contentType: unknown }).contentType };
    });
  }
  return { value: read, spelled };
}

/** The version of ninjs a document says it follows ("3.x"), else the generation its fields show. */
function formatName(value: Record<string, unknown>, generation: 1 | 2): string {
  const version = (value.standard as { version?: unknown } | undefined)?.version;
  const major = typeof version === 'string' ? /^(\d+)/.exec(version)?.[1] : undefined;
  return `ninjs ${major ?? generation}.x`;
}

/** A parsed ninjs document → one item, or the problems that keep it out. */
export function readNinjs(value: unknown): ReadResult {
  const generation = ninjsGeneration(value);
  if (generation === null) return { ok: false, problems: [{ reason: 'is JSON but not a ninjs item (no headline(s), bodies, body_text or uri)', pointer: '/' }] };
  // a feed delivers pictures, video and packages too: they are not articles, and not errors
  const type = (value as { type?: unknown }).type;
  if (typeof type === 'string' && type !== 'text') return { ok: true, items: [], skipped: [`a ninjs ${type} item is not an article; passed over`] };
  const format = formatName(value as Record<string, unknown>, generation);
  const { value: lower, spelled } = lowerCased(value as Record<string, unknown>);
  const schema = generation === 1 ? ninjs1Schema : ninjs2Schema;
  const parsed = schema.safeParse(lower);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => ({ reason: `${format}: ${issue.message}`, pointer: jsonPointer(issue.path.map((part) => (typeof part === 'string' ? (spelled.get(part) ?? part) : part))) })) };
  }
  if (generation === 1) {
    const item = parsed.data as z.output<typeof ninjs1Schema>;
    const rendition = richest([
      ...(item.body_xhtml !== undefined ? [{ contenttype: 'application/xhtml+xml', value: item.body_xhtml }] : []),
      ...(item.body_html !== undefined ? [{ contenttype: 'text/html', value: item.body_html }] : []),
      ...(item.body_text !== undefined ? [{ contenttype: 'text/plain', value: item.body_text }] : []),
    ]);
    if (!rendition) return { ok: false, problems: [{ reason: `${format}: no usable body (body_xhtml, body_html or body_text)`, pointer: '/' }] };
    const summary = textOrNull(item.description_text) ?? (item.description_html ? textOrNull(htmlText(item.description_html)) : null);
    return { ok: true, items: [{ ...commonFields(item, format), headline: textOrNull(item.headline), summary, byline: readByline(item.byline), subjects: uniqueNames((item.subject ?? []).map((subject) => subject.name)), expires: null, body: bodyFrom(rendition.contenttype, rendition.value) }] };
  }
  const item = parsed.data as z.output<typeof ninjs2Schema>;
  const rendition = richest(item.bodies ?? []);
  if (!rendition) {
    const types = (item.bodies ?? []).map((body) => body.contenttype ?? 'no content type');
    return { ok: false, problems: [{ reason: `${format}: no usable body${types.length ? ` (renditions: ${types.join(', ')}; Galley reads text/html, application/xhtml+xml, NITF and text/plain)` : ''}`, pointer: '/bodies' }] };
  }
  const headline = (item.headlines ?? []).find((entry) => !entry.role || entry.role === 'main') ?? item.headlines?.[0];
  const description = (item.descriptions ?? []).find((entry) => !entry.role || /^(summary|abstract|text|lead|teaser|description)$/i.test(entry.role)) ?? null;
  const summary = description ? textOrNull(renditionRank(description.contenttype, description.value) >= 3 ? htmlText(description.value) : description.value) : null;
  return {
    ok: true,
    items: [
      {
        ...commonFields(item, format),
        headline: textOrNull(headline?.value),
        summary,
        // some 2.x feeds still write 1.x's `byline`
        byline: readByline(item.by ?? (typeof item.byline === 'string' ? item.byline : undefined)),
        subjects: uniqueNames((item.subjects ?? []).map((subject) => subject.name)),
        expires: date(item.expires),
        body: bodyFrom(rendition.contenttype, rendition.value),
        correction: (item.signals ?? []).some((signal) => /correct/i.test(typeof signal === 'string' ? signal : [signal.uri, signal.name, signal.literal, signal.code].join(' ')))
          ? (textOrNull((item.descriptions ?? []).find((entry) => /correction/i.test(entry.role ?? ''))?.value) ?? DEFAULT_CORRECTION)
          : null,
      },
    ],
  };
}

function commonFields(item: z.output<typeof ninjs1Schema> | z.output<typeof ninjs2Schema>, format: string) {
  return {
    format,
    guid: textOrNull(item.uri ?? item.guid),
    version: versionOf(item.version),
    dateline: datelineOrNull(item.located),
    firstCreated: date(item.firstcreated ?? item.contentcreated),
    versionCreated: date(item.versioncreated),
    language: textOrNull(item.language),
    credit: textOrNull(item.copyrightholder),
    pubStatus: (item.pubstatus ?? 'usable') as PubStatus,
    embargoed: date(item.embargoed),
  };
}

/** The text of an HTML fragment (a description), its blocks joined by a space. */
function htmlText(html: string): string {
  return htmlToBody(html).children.map((node) => toString(node)).join(' ');
}
