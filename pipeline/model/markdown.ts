/**
 * The one Markdown dialect Galley reads and writes: CommonMark through remark, with
 * typographic quotes from remark-smartypants, then set in the text's language (typography.ts:
 * smartypants knows English quotes only). Ingest writes with the same processor that the build
 * reads with, so whatever ingest escapes comes back as the same literal text.
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkStringify from 'remark-stringify';
import remarkSmartypants from 'remark-smartypants';
import type { Root, Paragraph, Text } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { typesetTree } from './typography.ts';

const parser = unified().use(remarkParse).use(remarkSmartypants).freeze();
const plainParser = unified().use(remarkParse).freeze();

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
  .freeze();

/** Markdown text → mdast with curly quotes, dashes and ellipses; with `lang`, that language's quotes and spaces. */
export function parseMarkdown(markdown: string, lang?: string): Root {
  // Sources written by ingest are typographic already; skipping the no-op pass halves a rebuild.
  const tree = TYPOGRAPHY.test(markdown) ? (parser.runSync(parser.parse(markdown)) as Root) : plainParser.parse(markdown);
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
