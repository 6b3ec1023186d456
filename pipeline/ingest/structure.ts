/**
 * What the blocks of a wire article are: body paragraphs, bullet lists, tables set in columns of
 * spaces, `Related article:` lines and the closing agency credit. Pure functions of the blocks.
 */
import { unwrap, type Block } from './wire-text.ts';
import { isCreditLine, isDeskSignOff } from './credits.ts';
import { readByline, type Byline } from './agency-item.ts';

export type BodyBlock =
  | { readonly kind: 'paragraph'; readonly text: string; readonly line: number }
  | { readonly kind: 'list'; readonly items: readonly string[]; readonly line: number }
  /** A table the copy set in columns of spaces: its rows of cells, the first the head. */
  | { readonly kind: 'table'; readonly rows: readonly (readonly string[])[]; readonly line: number };

/** The texts a block holds: its paragraph, its items or its cells. */
export function textsOf(block: BodyBlock): readonly string[] {
  return block.kind === 'paragraph' ? [block.text] : block.kind === 'list' ? block.items : block.rows.flat();
}

/** Where one column of a spaced table ends and the next begins: two spaces or more, or a tab. */
const COLUMN_GAP = /[ \u00A0]{2,}|\t+/;
/** A sentence, then two spaces, then the next: typed prose, not columns. */
const SENTENCE_GAP = /[.!?]["”’)]?[ \u00A0]{2,}\p{Lu}/u;
/** Columns a spaced table may have (model/limits.ts allows a source table forty). */
const MOST_COLUMNS = 12;

/**
 * The rows of a block set as a table with spaces ("Index        Close     Change"), and the line
 * before them that names it, if any; null for anything else. Asked for only what leaves no
 * doubt: two rows or more, every one with the same number of columns (2 to MOST_COLUMNS), no
 * sentence run into the next, and a column of figures under its head (wire tables are results,
 * prices and counts), so that prose is never taken for one.
 */
function spacedTable(lines: readonly string[]): { readonly caption: string | null; readonly rows: string[][] } | null {
  const rows = lines.map((line) => line.trim().split(COLUMN_GAP));
  const caption = rows[0]!.length === 1 && rows.length > 2 ? unwrap([lines[0]!]) : null;
  const table = caption === null ? rows : rows.slice(1);
  const columns = table[0]!.length;
  if (table.length < 2 || columns < 2 || columns > MOST_COLUMNS || table.some((row) => row.length !== columns)) return null;
  if (lines.some((line) => SENTENCE_GAP.test(line))) return null;
  const figures = (column: number) => table.slice(1).every((row) => /\d/.test(row[column]!));
  if (![...Array(columns).keys()].some(figures)) return null;
  return { caption, rows: table.map((row) => row.map((cell) => cell.replace(/\s+/g, ' ').trim())) };
}

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

/** A bullet line by its marker: `- `, `* ` or `• `. */
const BULLET_LINES: Readonly<Record<string, RegExp>> = { '-': /^\s*-\s+(\S.*)$/, '*': /^\s*\*\s+(\S.*)$/, '•': /^\s*•\s+(\S.*)$/ };

/** Lines of a bullet block: each starts with the same marker, `- `, `* ` or `• `. */
function bulletItems(lines: readonly string[]): string[] | null {
  const line = BULLET_LINES[/^\s*([-*•])\s/.exec(lines[0] ?? '')?.[1] ?? ''];
  if (!line) return null;
  const items = lines.map((text) => line.exec(text)?.[1]);
  return items.every((item) => item !== undefined) ? items.map((item) => unwrap([item!])) : null;
}

/**
 * A line that is the wire's, not the story's: a transmission marker ("MORE", "END", "-30-",
 * "###", Chinese "（完）"), never meant to be printed wherever it stands.
 */
const TRANSMISSION_MARKER = /^(?:[-–—(\[]\s*)?(?:more|end|ends|endit|enditem|ende|fin|fine|fim|koniec|konec|slut|loppu|bitti|son|-?30-?|#{3,}|x{3,}|完|了)(?:\s*[-–—)\]])?[.]?$|^（(?:完|了)）$/iu;


export function structure(blocks: readonly Block[]): WireStructure {
  const related: RelatedLine[] = [];
  const body: BodyBlock[] = [];
  const texts = blocks
    .map((block) => ({ block, text: unwrap(block.lines.filter((line) => !TRANSMISSION_MARKER.test(line.trim()))) }))
    .filter(({ text }) => text);
  for (const { block, text } of texts) {
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
    const table = items ? null : spacedTable(block.lines);
    if (table) {
      if (table.caption) body.push({ kind: 'paragraph', text: table.caption, line: block.line });
      body.push({ kind: 'table', rows: table.rows, line: block.line + (table.caption ? 1 : 0) });
      continue;
    }
    const previous = body.at(-1);
    if (items && previous?.kind === 'list') body[body.length - 1] = { ...previous, items: [...previous.items, ...items] };
    else if (items) body.push({ kind: 'list', items, line: block.line });
    else body.push({ kind: 'paragraph', text, line: block.line });
  }
  // the credit closes the article: the last paragraph(s), when they read like one, among the
  // desk's sign-offs, which go
  const credits: string[] = [];
  while (body.length > 1) {
    const last = body.at(-1)!;
    if (last.kind !== 'paragraph') break;
    if (isCreditLine(last.text)) credits.unshift(last.text);
    else if (!isDeskSignOff(last.text)) break;
    body.pop();
  }
  return { body, related, credit: credits.length ? credits.join(' ') : null };
}

/** What a story's first blocks say about it, when it came without a header block to say so. */
export interface Preamble {
  /** The headline line the story opens with, when it does. */
  readonly headline: string | null;
  /** The byline ("By Jane Doe and Tomás Ruiz"), when the story opens with one. */
  readonly byline: Byline | null;
  /** The blocks without them (and without the agency's slug line). */
  readonly blocks: readonly Block[];
}

/**
 * An agency's slug line, the keyword line a story is filed under ("BC-MARKETS-GLOBAL/ (UPDATE 2)",
 * "BC-EU--Britain-Politics"): capitals, digits and dashes, never a sentence.
 */
const SLUG_LINE = /^(?:BC-\S+|[A-Z0-9]+(?:[-/]+[A-Z0-9]*)+)(?:\s*\([^)]*\))?$/;
/** A byline line: "By …" in the languages agencies file in. */
const BYLINE = /^(?:by|von|par|por|di|door|af|av|pela|przez|от)\s+\p{Lu}/iu;
/** What ends a sentence or a clause: a headline ends in none of these. */
const SENTENCE_END = /[.!?…:;,。！？、—–-]$/u;

/** One line, short, with words and no sentence end: a headline, not a lede. */
function isHeadlineLine(lines: readonly string[]): boolean {
  const text = unwrap(lines);
  return lines.length === 1 && text.length >= 10 && text.length <= 150 && /\s/.test(text) && !SENTENCE_END.test(text) && !BYLINE.test(text);
}

/**
 * Raw copy as an agency files it without Galley's header block: an optional slug line, the
 * headline on a line of its own, an optional byline, then the story. Each is taken off only when
 * it is unmistakable and the header does not give it (`has`), so a story that opens straight on
 * its lede, the usual, is left as it is; the slug line only when there is no header at all.
 */
export function preamble(blocks: readonly Block[], has: { readonly header: boolean; readonly title: boolean; readonly author: boolean }): Preamble {
  let rest = [...blocks];
  const first = rest[0];
  if (!has.header && first && SLUG_LINE.test(first.lines[0]!.trim())) {
    rest = first.lines.length > 1 ? [{ lines: first.lines.slice(1), line: first.line + 1 }, ...rest.slice(1)] : rest.slice(1);
  }
  let headline: string | null = null;
  if (!has.title && rest.length > 1 && isHeadlineLine(rest[0]!.lines)) {
    headline = unwrap(rest[0]!.lines);
    rest = rest.slice(1);
  }
  let byline: Byline | null = null;
  const next = rest[0];
  if (!has.author && next && rest.length > 1 && next.lines.length === 1 && BYLINE.test(next.lines[0]!.trim()) && unwrap(next.lines).split(' ').length <= 12) {
    byline = readByline(next.lines[0]);
    if (byline) rest = rest.slice(1);
  }
  return { headline, byline, blocks: rest };
}
