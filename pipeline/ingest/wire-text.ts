/**
 * The shape of a raw wire article: an optional header block of known `Key: value` lines at the
 * very top, then blocks of hard-wrapped lines separated by blank lines. Pure functions of text.
 */

export const HEADER_KEYS = ['title', 'author', 'date', 'tags', 'slug', 'summary', 'lang'] as const;
export type HeaderKey = (typeof HEADER_KEYS)[number];

export interface HeaderField {
  readonly value: string;
  /** 1-based line and column of the value in the raw file, for messages about it. */
  readonly line: number;
  readonly column: number;
}

export interface Block {
  /** The block's lines, as written. */
  readonly lines: readonly string[];
  /** 1-based line of its first line in the raw file. */
  readonly line: number;
}

export interface WireText {
  readonly header: ReadonlyMap<HeaderKey, HeaderField>;
  /** Duplicate header keys, for a warning. */
  readonly duplicateKeys: readonly { key: string; line: number }[];
  /** Keys in the header block that Galley does not know, for a warning (their value is not used). */
  readonly unknownKeys: readonly { key: string; line: number; column: number }[];
  /** A first block that reads like a header but is not one: an error, not a headline. */
  readonly headerProblem: { readonly reason: string; readonly line: number; readonly column: number } | null;
  readonly blocks: readonly Block[];
}

const HEADER_LINE = /^([A-Za-z]+)[ \t]*:[ \t]*/;
/**
 * Any `Key: value` line: a label of one to three words, a colon, then a space or the end of the
 * line (so `http://…` is not a key).
 */
const ANY_KEY_LINE = /^([A-Za-z][\w-]*(?:[ \t][\w-]+){0,2})[ \t]*:(?:[ \t]+|$)/;
/** A continuation line (RFC 822 folding): indented, and not blank. */
const CONTINUATION = /^[ \t]+\S/;

/** Whitespace-only lines (spaces, tabs, no-break spaces, BOMs) separate blocks. */
export function isBlank(line: string): boolean {
  return /^[\s\u200B\uFEFF]*$/.test(line);
}

function headerKey(line: string): { key: HeaderKey; value: string; column: number } | null {
  const match = HEADER_LINE.exec(line);
  if (!match) return null;
  const key = match[1]!.toLowerCase();
  if (!(HEADER_KEYS as readonly string[]).includes(key)) return null;
  return { key: key as HeaderKey, value: line.slice(match[0].length).trim(), column: match[0].length + 1 };
}

type HeaderLine =
  | { readonly kind: 'known'; readonly key: HeaderKey; readonly value: string; readonly column: number }
  | { readonly kind: 'unknown'; readonly key: string; readonly value: string; readonly column: number }
  | { readonly kind: 'continuation'; readonly value: string; readonly column: number }
  | { readonly kind: 'other' };

function headerLine(line: string, afterKey: boolean): HeaderLine {
  if (afterKey && CONTINUATION.test(line)) return { kind: 'continuation', value: line.trim(), column: line.length - line.trimStart().length + 1 };
  const known = headerKey(line);
  if (known) return { kind: 'known', ...known };
  const any = ANY_KEY_LINE.exec(line);
  if (any) return { kind: 'unknown', key: any[1]!, value: line.slice(any[0].length).trim(), column: any[0].length + 1 };
  return { kind: 'other' };
}

/** Splits text (LF line ends) into blocks of non-blank lines. */
export function splitBlocks(lines: readonly string[], firstLine = 1): Block[] {
  const blocks: Block[] = [];
  let current: string[] = [];
  let start = 0;
  lines.forEach((line, index) => {
    if (isBlank(line)) {
      if (current.length) blocks.push({ lines: current, line: start + firstLine });
      current = [];
    } else {
      if (!current.length) start = index;
      current.push(line);
    }
  });
  if (current.length) blocks.push({ lines: current, line: start + firstLine });
  return blocks;
}

/**
 * Reads the header block and the body blocks. A header is the first block, starting on the
 * first line, when every one of its lines is a `Key: value` line or an indented continuation of
 * the one above, and it has a key Galley knows or at least two keys: `Washington: the State
 * Department said…` or `http://…` alone is body text. Unknown keys are reported, not used.
 *
 * A first block that opens with a known key and has two or more `Key: value` lines but also a
 * line that is neither (a wrapped value that is not indented) cannot be read as a header, and
 * publishing it as the first paragraph would make a headline of "Title: …": that is an error.
 */
export function readWireText(text: string): WireText {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const blocks = splitBlocks(lines);
  const first = blocks[0];
  const header = new Map<HeaderKey, HeaderField>();
  const duplicateKeys: { key: string; line: number }[] = [];
  const unknownKeys: { key: string; line: number; column: number }[] = [];
  const none = { header, duplicateKeys, unknownKeys, headerProblem: null, blocks };
  if (!first || first.line !== 1) return none;
  const parsed: HeaderLine[] = [];
  for (const line of first.lines) parsed.push(headerLine(line, parsed.length > 0 && parsed.at(-1)!.kind !== 'other'));
  const keys = parsed.filter((line) => line.kind === 'known' || line.kind === 'unknown').length;
  const knownKeys = parsed.filter((line) => line.kind === 'known').length;
  const other = parsed.findIndex((line) => line.kind === 'other');
  if (other >= 0) {
    if (parsed[0]!.kind === 'known' && keys >= 2) {
      const line = first.line + other;
      const previous = parsed.slice(0, other).findLast((entry) => entry.kind === 'known' || entry.kind === 'unknown');
      const above = previous ? ` (to continue ${previous.kind === 'known' ? capitalise(previous.key) : previous.key}:, indent it)` : '';
      return {
        ...none,
        headerProblem: { reason: `the header block cannot be read: line ${line} is neither \`Key: value\` nor an indented continuation${above}; end the header with a blank line before the text`, line, column: 1 },
      };
    }
    return none;
  }
  if (knownKeys === 0 && keys < 2) return none;
  let current: { key: HeaderKey | null; value: string; line: number; column: number } | null = null;
  const close = () => {
    if (current?.key) header.set(current.key, { value: current.value, line: current.line, column: current.column });
  };
  parsed.forEach((field, index) => {
    const line = first.line + index;
    if (field.kind === 'continuation') {
      if (current) current.value = current.value ? `${current.value} ${field.value}` : field.value;
      return;
    }
    close();
    if (field.kind === 'unknown') {
      unknownKeys.push({ key: field.key, line, column: 1 });
      current = null;
    } else if (field.kind === 'known') {
      if (header.has(field.key)) duplicateKeys.push({ key: field.key, line });
      current = { key: field.key, value: field.value, line, column: field.column };
    }
  });
  close();
  return { header, duplicateKeys, unknownKeys, headerProblem: null, blocks: blocks.slice(1) };
}

function capitalise(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1);
}

/** Han, kana and CJK punctuation: scripts written without spaces between words. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303F\uFF00-\uFFEF]/u;
const CJK_ALL = new RegExp(CJK.source, 'gu');

/** A line that ends in a word's hyphen ("data-"), the next going on with the word ("dependent"). */
const HYPHEN_AT_END = /\p{L}-$/u;
const GOES_ON_WITH_A_WORD = /^\p{Ll}/u;

/**
 * Joins hard-wrapped lines into one line: surrounding whitespace trimmed, runs of spaces
 * folded to one, one space at each join except between two CJK characters, or, in a paragraph
 * mostly in CJK, where one meets the break on either side (such copy is wrapped at a fixed width,
 * anywhere: "412円安の" and "3万8950円" on two lines were one phrase, while "Mixed 中文" and
 * "text" in Latin copy were two words); and after a word's hyphen: wire copy is wrapped at
 * spaces, never hyphenated, so "data-" and "dependent" on two lines are the compound "data-dependent".
 */
export function unwrap(lines: readonly string[]): string {
  const letters = lines.join('').match(/[\p{L}\p{N}]/gu)?.length ?? 0;
  const mostlyCjk = (lines.join('').match(CJK_ALL)?.length ?? 0) > letters / 2;
  let result = '';
  for (const raw of lines) {
    const line = raw.trim().replace(/[ \t]+/g, ' ');
    if (!line) continue;
    if (!result) result = line;
    else if (CJK.test(result.at(-1) ?? '') && CJK.test(line[0] ?? '')) result += line;
    else if (mostlyCjk && (CJK.test(result.at(-1) ?? '') || CJK.test(line[0] ?? ''))) result += line;
    else if (HYPHEN_AT_END.test(result) && GOES_ON_WITH_A_WORD.test(line)) result += line;
    else result += ` ${line}`;
  }
  return result;
}
