/**
 * What the blocks of a wire article are: body paragraphs, bullet lists, `Related article:`
 * lines and the closing agency credit. Pure functions of the blocks.
 */
import { unwrap, type Block } from './wire-text.ts';
import { isCreditLine } from './credits.ts';

export type BodyBlock =
  | { readonly kind: 'paragraph'; readonly text: string; readonly line: number }
  | { readonly kind: 'list'; readonly items: readonly string[]; readonly line: number };

export interface RelatedLine {
  readonly title: string;
  readonly url: string | null;
}

export interface WireStructure {
  readonly body: readonly BodyBlock[];
  readonly related: readonly RelatedLine[];
  readonly credit: string | null;
}

/** `Related article: …`, `Related stories: …`, `See also: …` (case-insensitive). */
const RELATED = /^(?:related(?:\s+(?:articles?|stor(?:y|ies)|reading|coverage|links?|news))?|see\s+also)\s*:\s*/i;

export { isCreditLine };

const TRAILING_URL = /\s*[(<]?(https?:\/\/[^\s)>]+)[)>]?\s*$/;

function relatedLine(text: string): RelatedLine | null {
  if (!RELATED.test(text)) return null;
  let title = text.replace(RELATED, '').trim();
  let url: string | null = null;
  const link = TRAILING_URL.exec(title);
  if (link && link.index > 0) {
    url = link[1]!;
    title = title.slice(0, link.index).trim();
  }
  return title ? { title, url } : null;
}

/** Lines of a bullet block: each starts with `- `. */
function bulletItems(lines: readonly string[]): string[] | null {
  const items = lines.map((line) => /^\s*-\s+(\S.*)$/.exec(line)?.[1]);
  return items.every((item) => item !== undefined) ? items.map((item) => unwrap([item!])) : null;
}

export function structure(blocks: readonly Block[]): WireStructure {
  const related: RelatedLine[] = [];
  const body: BodyBlock[] = [];
  for (const block of blocks) {
    const text = unwrap(block.lines);
    if (!text) continue;
    const asRelated = relatedLine(text);
    if (asRelated && !RELATED.test(text.replace(RELATED, ''))) {
      related.push(asRelated);
      continue;
    }
    const perLine = block.lines.map((line) => relatedLine(unwrap([line])));
    if (block.lines.length > 1 && perLine.every((item) => item !== null)) {
      related.push(...(perLine as RelatedLine[]));
      continue;
    }
    const items = bulletItems(block.lines);
    const previous = body.at(-1);
    if (items && previous?.kind === 'list') body[body.length - 1] = { ...previous, items: [...previous.items, ...items] };
    else if (items) body.push({ kind: 'list', items, line: block.line });
    else body.push({ kind: 'paragraph', text, line: block.line });
  }
  // the credit closes the article: the last paragraph(s), when they read like one
  const credits: string[] = [];
  while (body.length > 1) {
    const last = body.at(-1)!;
    if (last.kind !== 'paragraph' || !isCreditLine(last.text)) break;
    credits.unshift(last.text);
    body.pop();
  }
  return { body, related, credit: credits.length ? credits.join(' ') : null };
}
