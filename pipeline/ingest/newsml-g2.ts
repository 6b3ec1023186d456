/**
 * NewsML-G2 news items (`<newsItem>`) and news messages (`<newsMessage>`, whose `itemSet`
 * carries several). From `itemMeta`: pubStatus, firstCreated, versionCreated, embargoed; from
 * `contentMeta`: headline, by, creditline, dateline/located, subject names, language,
 * description; the body from `contentSet`: `inlineXML` with an NITF document or an XHTML one,
 * else plain-text `inlineData`. `edNote` (and any note for editors) is never read.
 */
import type { Root } from 'mdast';
import { parseDate } from '../model/dates.ts';
import { hastToBody, plainTextToBody } from './xhtml-body.ts';
import { child, childrenNamed, isElement, textOf, toHast, type XmlElement } from './xml-tree.ts';
import { readNitf } from './nitf.ts';
import { datelineOrNull, DEFAULT_CORRECTION, readByline, textOrNull, uniqueNames, versionOf, type AgencyItem, type FormatProblem, type PubStatus } from './agency-item.ts';

/** XHTML elements that never reach a page, besides what the sanitiser removes. */
const XHTML_DROPPED: ReadonlySet<string> = new Set(['head', 'script', 'style', 'header', 'nav']);

/** The body from `contentSet`, and the NITF document it came in when it did. */
function bodyOf(item: XmlElement): { body: Root | null; nitf: XmlElement | null } {
  const contentSet = child(item, 'contentSet');
  let plain: Root | null = null;
  for (const content of contentSet?.children.filter(isElement) ?? []) {
    if (content.name === 'inlineXML') {
      const root = content.children.find(isElement);
      if (root?.name === 'nitf') return { body: readNitf(root).item?.body ?? null, nitf: root };
      if (root?.name === 'html') {
        const body = child(root, 'body') ?? root;
        return { body: hastToBody(toHast(body.children, {}, XHTML_DROPPED)), nitf: null };
      }
    } else if (content.name === 'inlineData' && !plain && /^text\/plain\b/i.test(content.attributes.contenttype ?? 'text/plain')) {
      plain = plainTextToBody(textOfRaw(content));
    }
  }
  return { body: plain, nitf: null };
}

/** Text with its line breaks (plain-text inlineData separates paragraphs by blank lines). */
function textOfRaw(element: XmlElement): string {
  return element.children.map((node) => ('text' in node ? node.text : textOfRaw(node))).join('');
}

function statusOf(qcode: string | undefined): PubStatus {
  const status = (qcode ?? '').replace(/^[^:]*:/, '').toLowerCase();
  return status === 'canceled' || status === 'cancelled' ? 'canceled' : status === 'withheld' ? 'withheld' : 'usable';
}

/** The name of a concept (subject, located) in the item's language, else its first name. */
function conceptName(concept: XmlElement, lang: string | null): string | null {
  const names = childrenNamed(concept, 'name');
  const inLanguage = lang ? names.find((name) => (name.attributes.lang ?? '').toLowerCase().startsWith(lang.slice(0, 2).toLowerCase())) : undefined;
  return textOrNull(textOf(inLanguage ?? names[0]));
}

/** A role such as `drol:summary` or `hld:main`, without its scheme. */
const role = (element: XmlElement) => (element.attributes.role ?? '').replace(/^[^:]*:/, '').toLowerCase();

/** One text newsItem → an item, or what is wrong with it. */
export function readNewsItem(item: XmlElement, where: string): { item: AgencyItem | null; problems: FormatProblem[] } {
  const problems: FormatProblem[] = [];
  const itemMeta = child(item, 'itemMeta');
  const contentMeta = child(item, 'contentMeta');
  const dateOf = (element: XmlElement | undefined, name: string): Date | null => {
    const value = textOrNull(textOf(element));
    if (!value) return null;
    const parsed = parseDate(value);
    if (!parsed) problems.push({ reason: `NewsML-G2: ${name} ${JSON.stringify(value)} is not a date-time (ISO 8601)`, pointer: `${where}/${name}` });
    return parsed;
  };
  const language = textOrNull(child(contentMeta, 'language')?.attributes.tag ?? item.attributes.lang);
  const headlines = childrenNamed(contentMeta, 'headline');
  const headline = headlines.find((element) => !role(element) || role(element) === 'main' || role(element) === 'headline') ?? headlines[0];
  const description = childrenNamed(contentMeta, 'description').find((element) => !role(element) || /^(summary|abstract|lead|teaser)$/.test(role(element)));
  const { body, nitf } = bodyOf(item);
  const fromNitf = nitf ? readNitf(nitf) : null;
  if (fromNitf) problems.push(...fromNitf.problems.map((problem) => ({ ...problem, pointer: `${where}/contentSet/inlineXML${problem.pointer ?? ''}` })));
  const nitfItem = fromNitf?.item ?? null;
  const located = child(contentMeta, 'located');
  const result: AgencyItem = {
    format: 'NewsML-G2',
    guid: textOrNull(item.attributes.guid),
    version: versionOf(item.attributes.version),
    headline: textOrNull(textOf(headline)) ?? nitfItem?.headline ?? null,
    summary: textOrNull(textOf(description)) ?? nitfItem?.summary ?? null,
    byline: readByline(textOf(child(contentMeta, 'by'))) ?? nitfItem?.byline ?? null,
    dateline: datelineOrNull(textOf(child(contentMeta, 'dateline'))) ?? (located ? conceptName(located, language) : null) ?? nitfItem?.dateline ?? null,
    firstCreated: dateOf(child(itemMeta, 'firstCreated'), 'itemMeta/firstCreated') ?? dateOf(child(contentMeta, 'contentCreated'), 'contentMeta/contentCreated') ?? nitfItem?.firstCreated ?? null,
    versionCreated: dateOf(child(itemMeta, 'versionCreated'), 'itemMeta/versionCreated'),
    subjects: uniqueNames(childrenNamed(contentMeta, 'subject').map((subject) => conceptName(subject, language))),
    language: language ?? nitfItem?.language ?? null,
    credit: textOrNull(textOf(child(contentMeta, 'creditline'))) ?? textOrNull(textOf(child(item, 'rightsInfo', 'copyrightHolder', 'name'))) ?? nitfItem?.credit ?? null,
    pubStatus: statusOf(child(itemMeta, 'pubStatus')?.attributes.qcode),
    embargoed: dateOf(child(itemMeta, 'embargoed'), 'itemMeta/embargoed') ?? nitfItem?.embargoed ?? null,
    expires: dateOf(child(itemMeta, 'expires'), 'itemMeta/expires') ?? nitfItem?.expires ?? null,
    body: body ?? { type: 'root', children: [] },
    correction: childrenNamed(itemMeta, 'signal').some((signal) => /correct/i.test(signal.attributes.qcode ?? signal.attributes.uri ?? ''))
      ? (textOrNull(textOf(childrenNamed(contentMeta, 'description').find((element) => /correction/.test(role(element))))) ?? DEFAULT_CORRECTION)
      : null,
  };
  if (!body) problems.push({ reason: 'NewsML-G2: no usable body (contentSet/inlineXML with an NITF or XHTML document, or text/plain inlineData)', pointer: `${where}/contentSet` });
  return { item: problems.length ? null : result, problems };
}

/** Text items of a news item or message (pictures and packages are not articles). */
export function newsItems(root: XmlElement): XmlElement[] {
  const items = root.name === 'newsMessage' ? childrenNamed(child(root, 'itemSet'), 'newsItem') : [root];
  return items.filter((item) => {
    const itemClass = child(item, 'itemMeta', 'itemClass')?.attributes.qcode ?? 'ninat:text';
    return /(^|:)text$/.test(itemClass);
  });
}
