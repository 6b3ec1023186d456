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
import { DEFAULT_CORRECTION, readByline, textOrNull, uniqueNames, versionOf, type AgencyItem, type PubStatus } from './agency-item.ts';
import { ninjsGeneration } from './detect.ts';

export interface FormatProblem {
  readonly reason: string;
  /** JSON pointer (ninjs) or XML path, when the problem is at a value. */
  readonly pointer?: string;
  readonly line?: number;
  readonly column?: number;
}

export type ReadResult =
  /** `skipped`: why items that are not articles (pictures, video, packages) were passed over. */
  | { readonly ok: true; readonly items: readonly AgencyItem[]; readonly skipped?: readonly string[] }
  | { readonly ok: false; readonly problems: readonly FormatProblem[] };

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

/** How rich a rendition is, by content type: markup over plain text; 0 is not usable. */
export function renditionRank(contentType: string | undefined, value: string): number {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!type) return /^\s*</.test(value) ? 3 : 1;
  if (type === 'text/html' || type === 'application/xhtml+xml' || type === 'application/xhtml' || type === 'text/xhtml') return 3;
  if (type === 'text/plain') return 1;
  return 0;
}

function bodyFrom(contentType: string | undefined, value: string): Root {
  return renditionRank(contentType, value) >= 3 ? htmlToBody(value) : plainTextToBody(value);
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

/** A parsed ninjs document → one item, or the problems that keep it out. */
export function readNinjs(value: unknown): ReadResult {
  const generation = ninjsGeneration(value);
  if (generation === null) return { ok: false, problems: [{ reason: 'is JSON but not a ninjs item (no headline(s), bodies, body_text or uri)', pointer: '/' }] };
  // a feed delivers pictures, video and packages too: they are not articles, and not errors
  const type = (value as { type?: unknown }).type;
  if (typeof type === 'string' && type !== 'text') return { ok: true, items: [], skipped: [`a ninjs ${type} item is not an article; passed over`] };
  const schema = generation === 1 ? ninjs1Schema : ninjs2Schema;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => ({ reason: `ninjs ${generation}.x: ${issue.message}`, pointer: jsonPointer(issue.path) })) };
  }
  if (generation === 1) {
    const item = parsed.data as z.output<typeof ninjs1Schema>;
    const rendition = richest([
      ...(item.body_xhtml !== undefined ? [{ contenttype: 'application/xhtml+xml', value: item.body_xhtml }] : []),
      ...(item.body_html !== undefined ? [{ contenttype: 'text/html', value: item.body_html }] : []),
      ...(item.body_text !== undefined ? [{ contenttype: 'text/plain', value: item.body_text }] : []),
    ]);
    if (!rendition) return { ok: false, problems: [{ reason: 'ninjs 1.x: no usable body (body_xhtml, body_html or body_text)', pointer: '/' }] };
    const summary = textOrNull(item.description_text) ?? (item.description_html ? textOrNull(htmlText(item.description_html)) : null);
    return { ok: true, items: [{ ...commonFields(item, 'ninjs 1.x'), headline: textOrNull(item.headline), summary, byline: readByline(item.byline), subjects: uniqueNames((item.subject ?? []).map((subject) => subject.name)), expires: null, body: bodyFrom(rendition.contenttype, rendition.value) }] };
  }
  const item = parsed.data as z.output<typeof ninjs2Schema>;
  const rendition = richest(item.bodies ?? []);
  if (!rendition) {
    const types = (item.bodies ?? []).map((body) => body.contenttype ?? 'no content type');
    return { ok: false, problems: [{ reason: `ninjs 2.x: no usable body${types.length ? ` (renditions: ${types.join(', ')}; Galley reads text/html, application/xhtml+xml and text/plain)` : ''}`, pointer: '/bodies' }] };
  }
  const headline = (item.headlines ?? []).find((entry) => !entry.role || entry.role === 'main') ?? item.headlines?.[0];
  const description = (item.descriptions ?? []).find((entry) => !entry.role || /^(summary|abstract|text|lead|teaser|description)$/i.test(entry.role)) ?? null;
  const summary = description ? textOrNull(renditionRank(description.contenttype, description.value) >= 3 ? htmlText(description.value) : description.value) : null;
  return {
    ok: true,
    items: [
      {
        ...commonFields(item, 'ninjs 2.x'),
        headline: textOrNull(headline?.value),
        summary,
        byline: readByline(item.by),
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
    dateline: textOrNull(item.located),
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
