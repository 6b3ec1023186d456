/**
 * NITF 3.x (News Industry Text Format): `head` (title, `docdata` with doc-id, dates,
 * urgency, copyright; `tobject` subjects), `body.head` (hedline, byline with byttl, dateline,
 * abstract, distributor) and `body.content` (paragraphs, `hl2` subheads, lists, `bq` block
 * quotes, `block`s of them). `ed-msg` and `note` are for editors and are never read.
 */
import type { Root } from 'mdast';
import { parseDate } from '../model/dates.ts';
import { hastToBody } from './xhtml-body.ts';
import { child, childrenNamed, descendants, normDate, textOf, toHast, type XmlElement } from './xml-tree.ts';
import { datelineOrNull, readByline, textOrNull, uniqueNames, versionOf, type AgencyItem, type Byline, type FormatProblem, type PubStatus } from './agency-item.ts';

/** NITF names for what HTML calls otherwise. */
export const NITF_RENAMES: Readonly<Record<string, string>> = { hl1: 'h2', hl2: 'h2', bq: 'blockquote', block: 'div', credit: 'p', tagline: 'p', 'nitf-table': 'table', 'body.content': 'div', 'body.end': 'div' };
/** Never published: editorial notes, media objects, footnotes' anchors. */
export const NITF_DROPPED: ReadonlySet<string> = new Set(['note', 'ed-msg', 'media', 'media-reference', 'media-caption', 'media-producer', 'media-metadata', 'media-object', 'nitf-table-metadata', 'classifier', 'object.title']);

/** The body of an NITF document (`body.content`, with the closing tagline) as mdast. */
export function nitfBody(nitf: XmlElement): Root {
  const body = child(nitf, 'body');
  const parts = [...childrenNamed(body, 'body.content')];
  return hastToBody(toHast(parts.flatMap((part) => part.children), NITF_RENAMES, NITF_DROPPED));
}

/** "Jane Doe" and her title, from `<byline><person>…</person><byttl>…</byttl></byline>` or its text. */
export function nitfByline(byline: XmlElement | undefined): Byline | null {
  if (!byline) return null;
  const title = textOrNull(textOf(child(byline, 'byttl')));
  const person = textOrNull(textOf(child(byline, 'person')));
  if (person) return { name: readByline(person)?.name ?? person, title: title ?? readByline(textOf(byline))?.title ?? null };
  const withoutTitle: XmlElement = { ...byline, children: byline.children.filter((node) => !('name' in node && node.name === 'byttl')) };
  const read = readByline(textOf(withoutTitle).replace(/[,;]\s*$/, ''));
  return read ? { name: read.name, title: title ?? read.title } : null;
}

/**
 * NITF's management status: `usable`, `embargoed`, `withheld` or `canceled`. Embargoed with no
 * release date (`date.release`) says nothing of when it may go out, so it is held as withheld
 * until a later version says otherwise; with one, the release date holds it (see readNitf).
 */
function statusOf(value: string | undefined, released: boolean): PubStatus {
  const status = (value ?? '').trim().toLowerCase().replace(/^stat:/, '');
  if (status === 'canceled' || status === 'cancelled' || status === 'killed') return 'canceled';
  if (status === 'withheld' || (status === 'embargoed' && !released)) return 'withheld';
  return 'usable';
}

/** A standalone NITF document → one item, or what is wrong with it. */
export function readNitf(nitf: XmlElement): { item: AgencyItem | null; problems: FormatProblem[] } {
  const problems: FormatProblem[] = [];
  const head = child(nitf, 'head');
  const docdata = child(head, 'docdata');
  const bodyHead = child(nitf, 'body', 'body.head');
  const dateAt = (element: XmlElement | undefined, where: string): Date | null => {
    const norm = element?.attributes.norm;
    if (!norm) return null;
    const parsed = parseDate(normDate(norm) ?? '');
    if (!parsed) problems.push({ reason: `NITF: ${JSON.stringify(norm)} is not a date (ISO 8601, e.g. 20240912T101500Z)`, pointer: `${where}/@norm` });
    return parsed;
  };
  const issued = dateAt(child(docdata, 'date.issue'), '/nitf/head/docdata/date.issue');
  const release = dateAt(child(docdata, 'date.release'), '/nitf/head/docdata/date.release');
  const expire = dateAt(child(docdata, 'date.expire'), '/nitf/head/docdata/date.expire');
  const hedline = child(bodyHead, 'hedline');
  const headline = textOrNull(textOf(child(hedline, 'hl1'))) ?? textOrNull(textOf(child(head, 'title')));
  const dateline = child(bodyHead, 'dateline');
  const location = child(dateline, 'location');
  const subjects = descendants(head, 'tobject.subject').map((subject) => subject.attributes['tobject.subject.matter'] ?? subject.attributes['tobject.subject.detail'] ?? subject.attributes['tobject.subject.type']);
  const keywords = childrenNamed(child(docdata, 'key-list'), 'keyword').map((keyword) => keyword.attributes.key);
  // xml:lang (read as lang), or NITF's own baselang on the root
  const lang = nitf.attributes.lang ?? nitf.attributes.baselang ?? child(nitf, 'body')?.attributes.lang ?? head?.attributes.lang;
  // an attribute of docdata in NITF 3.x, an element in some older feeds
  const status = docdata?.attributes['management-status'] ?? child(docdata, 'management-status')?.attributes.value ?? textOf(child(docdata, 'management-status'));
  const item: AgencyItem = {
    format: 'NITF',
    guid: textOrNull(child(docdata, 'doc-id')?.attributes['id-string']),
    version: versionOf(child(docdata, 'du-key')?.attributes.version),
    headline,
    summary: textOrNull(textOf(child(bodyHead, 'abstract'))),
    byline: nitfByline(child(bodyHead, 'byline')),
    dateline: datelineOrNull(location ? textOf(location) : textOf(dateline)),
    firstCreated: issued,
    versionCreated: null,
    subjects: uniqueNames([...subjects, ...keywords]),
    language: textOrNull(lang),
    credit: textOrNull(child(docdata, 'doc.copyright')?.attributes.holder) ?? textOrNull(textOf(child(bodyHead, 'distributor'))),
    pubStatus: statusOf(status, release !== null),
    embargoed: release,
    expires: expire,
    body: nitfBody(nitf),
  };
  return { item: problems.length ? null : item, problems };
}
