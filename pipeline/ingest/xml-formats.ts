/**
 * The XML formats (NITF, NewsML-G2 news items and messages) from raw bytes: decode, check,
 * parse, then read each text item. Problems carry the line and column when the XML itself is
 * at fault, the element path when a value is.
 */
import type { AgencyItem, FormatProblem, ReadResult } from './agency-item.ts';
import { decodeXml, parseXml } from './xml-tree.ts';
import { readNitf } from './nitf.ts';
import { newsItems, readNewsItem } from './newsml-g2.ts';

export function readXmlItems(bytes: Uint8Array, root: 'nitf' | 'newsItem' | 'newsMessage'): ReadResult {
  const decoded = decodeXml(bytes);
  if (!decoded.ok) return { ok: false, problems: [decoded.problem] };
  const parsed = parseXml(decoded.text);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  if (root === 'nitf') {
    const { item, problems } = readNitf(parsed.root);
    return item ? { ok: true, items: [item] } : { ok: false, problems };
  }
  const items: AgencyItem[] = [];
  const problems: FormatProblem[] = [];
  const texts = newsItems(parsed.root);
  texts.forEach((element, index) => {
    const where = root === 'newsMessage' ? `/newsMessage/itemSet/newsItem[${index + 1}]` : '/newsItem';
    const read = readNewsItem(element, where);
    if (read.item) items.push(read.item);
    problems.push(...read.problems);
  });
  if (problems.length) return { ok: false, problems };
  // pictures, video and packages come in the same feeds: not articles, and not errors
  return { ok: true, items, skipped: texts.length ? [] : [`the NewsML-G2 ${root} holds no text item (itemClass ninat:text); passed over`] };
}
