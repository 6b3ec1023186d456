/**
 * The one Markdown dialect Galley reads and writes: CommonMark with GitHub's extensions
 * (remark-gfm: tables, footnotes, strikethrough, task lists, autolinked URLs), with
 * typographic quotes from remark-smartypants, then set in the text's language (typography.ts:
 * smartypants knows English quotes only). Ingest writes with the same processor that the build
 * reads with, so whatever ingest escapes comes back as the same literal text.
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkStringify from 'remark-stringify';
import remarkSmartypants from 'remark-smartypants';
import remarkGfm from 'remark-gfm';
import type { Processor } from 'unified';
import { combineExtensions } from 'micromark-util-combine-extensions';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import type { Root, RootContent, Paragraph, Text } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { MAX_PARAGRAPH_LENGTH, MAX_TABLE_COLUMNS } from './limits.ts';
import { typesetTree } from './typography.ts';

/** Strikethrough takes two tildes: copy writes `~5 %` for "about 5 %", and `~5 % to ~7 %` is no deletion. */
const GFM = { singleTilde: false } as const;

/**
 * GitHub's extensions besides autolink literals, in remark-gfm's order, each with what a text must
 * hold for its construct to occur in it, as a superset: a text without a construct's marks reads
 * to the same tree with that construct's extension as without it. The extensions look for their
 * constructs at every line or word (a table's head row at the start of every paragraph, to the
 * end of its first line), so a text is read with those whose marks it has.
 * - a footnote call or definition: `[^`;
 * - strikethrough: two tildes (one is no strikethrough, see GFM);
 * - a table: a cell divider `|`, or a delimiter row of one cell, which has a colon (`:-`, `-:`,
 *   `:-:`; a row of dashes alone is a thematic break or a heading's underline), after any
 *   block-quote markers;
 * - a task list item: a check box, `[` and `]` around a space, a tab, a line ending or an x.
 */
const GFM_CONSTRUCTS = [
  { name: 'footnote', marks: /\[\^/, syntax: () => gfmFootnote(), fromMarkdown: gfmFootnoteFromMarkdown },
  { name: 'strikethrough', marks: /~~/, syntax: () => gfmStrikethrough(GFM), fromMarkdown: gfmStrikethroughFromMarkdown },
  { name: 'table', marks: /\||^[ \t>:-]*:[ \t>:-]*$/m, syntax: () => gfmTable(), fromMarkdown: gfmTableFromMarkdown },
  { name: 'taskListItem', marks: /\[[\sxX]\]/, syntax: () => gfmTaskListItem(), fromMarkdown: gfmTaskListItemFromMarkdown },
] as const;

type GfmConstruct = (typeof GFM_CONSTRUCTS)[number];

/**
 * What every GFM autolink literal holds (micromark-extension-gfm-autolink-literal 2 and
 * mdast-util-gfm-autolink-literal 2): `www.` or `http://`/`https://` in any case, or the `@` of
 * an address (`mailto:` and `xmpp:` ones included). A text without them has none. Looking for one
 * at every letter was two thirds of the time of parsing a source.
 */
const AUTOLINK_MARKS = /@|www\.|https?:\/\//i;

/** remark-gfm's reading of `constructs` alone (no autolink literals): the same micromark and mdast extensions, in the same order. */
function remarkGfmOf(constructs: readonly GfmConstruct[]) {
  return function (this: Processor): void {
    const data = this.data();
    (data.micromarkExtensions ??= []).push(combineExtensions(constructs.map((construct) => construct.syntax())));
    (data.fromMarkdownExtensions ??= []).push(constructs.map((construct) => construct.fromMarkdown()));
  };
}

/** Parsers by what a text holds: typographic marks (smartypants runs), autolink marks (all of GFM), else the GFM constructs whose marks it has. */
const readers = new Map<string, Processor<Root>>();

function readerFor(markdown: string, typographic: boolean): Processor<Root> {
  const links = AUTOLINK_MARKS.test(markdown);
  const constructs = links ? [] : GFM_CONSTRUCTS.filter((construct) => construct.marks.test(markdown));
  const name = `${typographic} ${links} ${constructs.map((construct) => construct.name).join(' ')}`;
  let reader = readers.get(name);
  if (!reader) {
    const gfm = unified().use(remarkParse).use(links ? remarkGfm : remarkGfmOf(constructs), GFM);
    // the two branches are processors of different type parameters; both parse into a Root
    reader = (typographic ? gfm.use(remarkSmartypants) : gfm).freeze() as unknown as Processor<Root>;
    readers.set(name, reader);
  }
  return reader;
}

/** Every GFM construct, and smartypants: what the whole dialect reads (smartenTree's transform). */
const parser = unified().use(remarkParse).use(remarkGfm, GFM).use(remarkSmartypants).freeze();

/** What remark-smartypants changes: straight quotes, backticks, `--` and `...`. */
const TYPOGRAPHY = /["'`]|--|\.\.\./;

const stringifier = unified()
  .use(remarkStringify, {
    bullet: '-',
    emphasis: '_',
    strong: '*',
    rule: '-',
    listItemIndent: 'one',
  })
  // GFM's escapes too (`~`, `[^`, autolinked URLs, table pipes), so text reads back as text
  .use(remarkGfm, GFM)
  .freeze();

/** Markdown text → mdast with curly quotes, dashes and ellipses; with `lang`, that language's quotes and spaces. */
export function parseMarkdown(markdown: string, lang?: string): Root {
  // Sources written by ingest are typographic already; skipping the no-op pass halves a rebuild.
  const typographic = TYPOGRAPHY.test(markdown);
  const reader = readerFor(markdown, typographic);
  const tree = typographic ? (reader.runSync(reader.parse(markdown)) as Root) : reader.parse(markdown);
  return lang ? typesetTree(tree, lang) : tree;
}

/** mdast → Markdown text; text nodes are escaped so they read back literally. */
export function stringifyMarkdown(tree: Root): string {
  return stringifier.stringify(tree);
}

/**
 * Applies typographic quotes/dashes to a tree in place (what remark-smartypants does at parse).
 * Only the top-level blocks that hold something to convert go through it: the plugin parses all
 * text it is given into a natural-language tree, which was most of ingest's time, and it decides
 * each quote from its neighbours within a block, so leaving other blocks out changes nothing.
 */
export function smartenTree(tree: Root, lang?: string): Root {
  const blocks = tree.children.filter((node) => TYPOGRAPHY.test(toString(node)));
  const subset: Root = { type: 'root', children: blocks };
  if (blocks.length) parser.runSync(subset);
  return lang ? typesetTree(tree, lang) : tree;
}

/** Typographic quotes for a plain string (a title, a summary), same rules as the body. */
export function smarten(text: string, lang?: string): string {
  if (!TYPOGRAPHY.test(text) && !(lang && /[;:!?«»„]/.test(text))) return text;
  const paragraph: Paragraph = { type: 'paragraph', children: [{ type: 'text', value: text } satisfies Text] };
  return toString(smartenTree({ type: 'root', children: [paragraph] }, lang));
}

/**
 * How deep block quotes and lists may nest in a source. News copy nests two or three levels; the
 * limit keeps every stage that walks the tree by recursion (remark-rehype, the sanitiser,
 * hast-util-to-html, the PDF's blocks) far from the stack's end, and the PDF's text measure
 * wide enough (each level indents it).
 */
export const MAX_NESTING = 16;

/**
 * Most levels a line is let through to the parser with. Parsing nested containers costs more
 * than linear time in their depth (1,000 nested list items took micromark over a minute), so a
 * line that might nest this deep is refused before parsing; the exact limit is checked after.
 */
const MAX_LINE_LEVELS = 200;

/**
 * At least as many levels as the line can nest: each `>` and list marker opens at most one, and
 * a nested level needs at least two columns of indentation (a marker and a space).
 */
function levelsAtMost(line: string): number {
  let levels = 0;
  let columns = 0;
  for (let i = 0; i < line.length; ) {
    const char = line[i]!;
    if (char === ' ') columns += 1;
    else if (char === '\t') columns += 4;
    else if (char === '>') levels += 1;
    else if ((char === '-' || char === '*' || char === '+') && (line[i + 1] === ' ' || line[i + 1] === '\t')) levels += 1;
    else {
      const ordered = /^\d{1,9}[.)](?=[ \t])/.exec(line.slice(i, i + 11));
      if (!ordered) break;
      levels += 1;
      i += ordered[0].length;
      continue;
    }
    i += 1;
  }
  return levels + Math.floor(columns / 2);
}

/** Where nesting goes past MAX_NESTING, 1-based in the Markdown text, with what was found there. */
export interface TooDeep {
  readonly line: number;
  readonly column: number;
  readonly reason: string;
}

/** The first line of `markdown` that could open more than MAX_LINE_LEVELS levels (checked before parsing). */
export function lineTooDeep(markdown: string): TooDeep | null {
  let line = 1;
  for (let start = 0; start < markdown.length; line++) {
    const end = markdown.indexOf('\n', start);
    const text = markdown.slice(start, end < 0 ? markdown.length : end);
    const levels = /^[ \t>*+\-\d]/.test(text) ? levelsAtMost(text) : 0;
    if (levels > MAX_LINE_LEVELS) {
      return { line, column: 1, reason: `block quotes and lists nest too deep: this line could open ${levels} levels (Galley reads at most ${MAX_NESTING})` };
    }
    if (end < 0) break;
    start = end + 1;
  }
  return null;
}

/** The first block quote or list nested more than MAX_NESTING deep in a parsed tree (walked without recursion). */
export function nodeTooDeep(tree: Root): TooDeep | null {
  const stack: { node: Root | RootContent; depth: number }[] = [{ node: tree, depth: 0 }];
  while (stack.length) {
    const { node, depth: outer } = stack.pop()!;
    const depth = node.type === 'blockquote' || node.type === 'list' ? outer + 1 : outer;
    if (depth > MAX_NESTING) {
      const start = node.position?.start;
      return { line: start?.line ?? 1, column: start?.column ?? 1, reason: `block quotes and lists nest ${MAX_NESTING + 1} levels deep here (Galley reads at most ${MAX_NESTING})` };
    }
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i]!, depth });
  }
  return null;
}

/** The first paragraph, heading, code block or table cell longer than MAX_PARAGRAPH_LENGTH characters, or table wider than MAX_TABLE_COLUMNS (walked without recursion). */
export function blockTooLong(tree: Root): TooDeep | null {
  const stack: (Root | RootContent)[] = [tree];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'table' && node.align && node.align.length > MAX_TABLE_COLUMNS) {
      const start = node.position?.start;
      return { line: start?.line ?? 1, column: start?.column ?? 1, reason: `table of ${node.align.length} columns: a table has at most ${MAX_TABLE_COLUMNS} (split it, or publish the data as a file)` };
    }
    if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'code' || node.type === 'tableCell') {
      const length = toString(node).length;
      if (length > MAX_PARAGRAPH_LENGTH) {
        const start = node.position?.start;
        const what = node.type === 'code' ? 'code block' : node.type === 'tableCell' ? 'table cell' : node.type;
        return { line: start?.line ?? 1, column: start?.column ?? 1, reason: `${what} of ${length.toLocaleString('en')} characters: a ${what} is at most ${MAX_PARAGRAPH_LENGTH.toLocaleString('en')} (separate paragraphs with a blank line)` };
      }
      continue;
    }
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return null;
}
