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
  readonly blocks: readonly Block[];
}

const HEADER_LINE = /^([A-Za-z]+)[ \t]*:[ \t]*/;

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
 * first line, when every one of its lines is a known key: `Washington: the State Department
 * said…` or `http://…` is body text.
 */
export function readWireText(text: string): WireText {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const blocks = splitBlocks(lines);
  const first = blocks[0];
  const header = new Map<HeaderKey, HeaderField>();
  const duplicateKeys: { key: string; line: number }[] = [];
  const parsed = first && first.line === 1 ? first.lines.map(headerKey) : [];
  if (first && parsed.length && parsed.every((field) => field !== null)) {
    parsed.forEach((field, index) => {
      if (!field) return;
      const line = first.line + index;
      if (header.has(field.key)) duplicateKeys.push({ key: field.key, line });
      header.set(field.key, { value: field.value, line, column: field.column });
    });
    return { header, duplicateKeys, blocks: blocks.slice(1) };
  }
  return { header, duplicateKeys, blocks };
}

/** Han, kana and CJK punctuation: scripts written without spaces between words. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303F\uFF00-\uFFEF]/u;

/**
 * Joins hard-wrapped lines into one line: surrounding whitespace trimmed, runs of spaces
 * folded to one, one space at each join except between two CJK characters.
 */
export function unwrap(lines: readonly string[]): string {
  let result = '';
  for (const raw of lines) {
    const line = raw.trim().replace(/[ \t]+/g, ' ');
    if (!line) continue;
    if (!result) result = line;
    else if (CJK.test(result.at(-1) ?? '') && CJK.test(line[0] ?? '')) result += line;
    else result += ` ${line}`;
  }
  return result;
}
