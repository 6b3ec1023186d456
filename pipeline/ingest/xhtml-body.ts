/**
 * Markup bodies from the wire (ninjs HTML, XHTML, NITF mapped to HTML names) → the mdast a
 * Markdown source holds. One road for every format: hast → sanitize → mdast, so paragraphs,
 * subheads, lists, block quotes, emphasis and links survive, and nothing from the wire becomes
 * live markup: scripts, styles, event handlers, images and `javascript:` links are dropped.
 */
import type { Root as HastRoot, Element, ElementContent, RootContent as HastContent } from 'hast';
import type { Paragraph, PhrasingContent, Root, RootContent, Text } from 'mdast';
import { fromHtml } from 'hast-util-from-html';
import { sanitize, type Schema } from 'hast-util-sanitize';
import { toMdast } from 'hast-util-to-mdast';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { smartenTree } from '../model/markdown.ts';

/** What a body may keep: text structure and links, no presentation, no media, no scripts. */
const BODY_SCHEMA: Schema = {
  tagNames: ['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'a', 'em', 'strong', 'b', 'i', 'br', 'q', 'sub', 'sup', 'pre', 'code', 'div', 'span', 'section', 'article'],
  attributes: { a: ['href'], ol: ['start'] },
  protocols: { href: ['http', 'https', 'mailto'] },
  // removed with everything inside them; other unknown elements are unwrapped (their text stays)
  // a document's <header> holds its headline, date and slugline, fields of their own, and <nav> its links: neither is body text
  strip: ['script', 'style', 'head', 'title', 'header', 'nav', 'noscript', 'iframe', 'object', 'embed', 'template', 'svg', 'math', 'figure', 'img', 'video', 'audio', 'media', 'button', 'form', 'select', 'textarea'],
  clobberPrefix: '',
};

/** Table rows read as paragraphs (Galley's Markdown has no tables); cells are joined with " · ". */
function flattenTables(tree: HastRoot): void {
  visit(tree, 'element', (node: Element) => {
    if (node.tagName === 'tr') {
      const cells = node.children.filter((child): child is Element => child.type === 'element' && (child.tagName === 'td' || child.tagName === 'th'));
      const children: ElementContent[] = [];
      cells.forEach((cell, index) => {
        if (index) children.push({ type: 'text', value: ' · ' });
        children.push(...cell.children);
      });
      node.tagName = 'p';
      node.children = children;
    }
  });
}

/** A sanitised hast tree → mdast, headings from level 2 down (the headline is level 1). */
export function hastToBody(tree: HastRoot): Root {
  flattenTables(tree);
  const clean = sanitize(tree, BODY_SCHEMA) as HastRoot;
  const mdast = toMdast(clean) as Root;
  visit(mdast, 'heading', (node) => {
    if (node.depth < 2) node.depth = 2;
  });
  // a link whose address was dropped (`javascript:`, none) is its text
  visit(mdast, 'link', (node, index, parent) => {
    if (node.url || !parent || index === undefined) return;
    parent.children.splice(index, 1, ...node.children);
    return index;
  });
  // mdast-util-to-markdown would write a bare `html` node as it is: none may be left
  visit(mdast, 'html', (node, index, parent) => {
    if (parent && index !== undefined) parent.children.splice(index, 1, { type: 'text', value: node.value } as never);
  });
  const children = inParagraphs(mdast.children).filter((node: RootContent) => node.type !== 'thematicBreak' && !(node.type === 'paragraph' && !toString(node).trim()));
  // an address shown as a link's text is the address, not prose for smartypants to set
  // (`s--obour8aD--` would come out with dashes)
  const addresses = new Map<Text, string>();
  visit({ type: 'root', children } as Root, 'link', (link) => {
    for (const text of link.children) if (text.type === 'text' && ADDRESS.test(text.value)) addresses.set(text, text.value);
  });
  const smartened = smartenTree({ type: 'root', children });
  for (const [text, value] of addresses) text.value = value;
  return smartened;
}

/** Text that is a web or mail address. */
const ADDRESS = /^\s*(?:https?:\/\/|www\.|mailto:)\S+\s*$|^\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*$/i;

/** Inline content: what a paragraph holds. */
const PHRASING: ReadonlySet<string> = new Set(['text', 'emphasis', 'strong', 'delete', 'link', 'inlineCode', 'break', 'image']);

/**
 * Text straight in a body (`<body>Jan 3 (OPTA) - Results…</body>`, no `<p>`), as a browser shows
 * it: a paragraph of its own, each run of it between two blocks. Left loose, it would be no
 * paragraph at all, and the article would have no lede to summarise.
 */
function inParagraphs(nodes: readonly RootContent[]): RootContent[] {
  const blocks: RootContent[] = [];
  let run: Paragraph | null = null;
  for (const node of nodes) {
    if (!PHRASING.has(node.type)) {
      run = null;
      blocks.push(node);
      continue;
    }
    if (!run) {
      run = { type: 'paragraph', children: [] };
      blocks.push(run);
    }
    run.children.push(node as PhrasingContent);
  }
  return blocks;
}

/** An HTML fragment (a ninjs body) → mdast. */
export function htmlToBody(html: string): Root {
  return hastToBody(fromHtml(html, { fragment: true }));
}

/**
 * Plain text (a `text/plain` rendition) → mdast: blank lines separate paragraphs, and so does a
 * line indented further than the text's least indented one (copy that marks each paragraph by
 * indenting its first line, as ANSA's does); the lines of a paragraph are joined. A `<p>` … `</p>`
 * around the whole text is the sender's wrapping, not text.
 */
export function plainTextToBody(text: string): Root {
  const unwrapped = text.replace(/\r\n?/g, '\n').replace(/^\s*<p>/i, '').replace(/<\/p>\s*$/i, '');
  const children: HastContent[] = unwrapped
    .split(/\n[ \t]*\n/)
    .flatMap(indentedParagraphs)
    .map((block) => block.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .map((block) => ({ type: 'element', tagName: 'p', properties: {}, children: [{ type: 'text', value: block }] }));
  return hastToBody({ type: 'root', children });
}

/** A block's paragraphs: a new one at each line indented beyond the block's least indented line. */
function indentedParagraphs(block: string): string[] {
  const lines = block.split('\n').filter((line) => line.trim());
  const indent = (line: string) => /^[ \t]*/.exec(line)![0].length;
  const least = Math.min(...lines.map(indent));
  const paragraphs: string[] = [];
  for (const line of lines) {
    if (!paragraphs.length || indent(line) > least) paragraphs.push(line);
    else paragraphs[paragraphs.length - 1] += `\n${line}`;
  }
  return paragraphs;
}
