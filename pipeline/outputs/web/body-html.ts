/**
 * An article body as HTML, the unified way: mdast → hast (remark-rehype) → sanitised
 * (rehype-sanitize, before rehype-slug so heading ids and anchors agree) → HTML. The page, the
 * feeds and anything else that shows the body all take it from here, so they never disagree.
 */
import { unified } from 'unified';
import remarkRehype from 'remark-rehype';
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import rehypeSlug from 'rehype-slug';
import rehypeStringify from 'rehype-stringify';
import { visit } from 'unist-util-visit';
import type { Root as MdastRoot, Heading, Text } from 'mdast';
import type { Root as HastRoot, Element } from 'hast';
import type { Article } from '../../model/article.ts';

/** Raw HTML in a hand-written source is shown as the text it is, never run as markup. */
function htmlAsText(tree: MdastRoot): void {
  visit(tree, 'html', (node, index, parent) => {
    if (!parent || index === undefined) return;
    const text: Text = { type: 'text', value: node.value };
    parent.children[index] = (parent.type === 'root' ? { type: 'paragraph', children: [text] } : text) as never;
  });
}

/** The page's `<h1>` is the headline, so body headings start at `<h2>`. */
function demoteHeadings(tree: MdastRoot): void {
  visit(tree, 'heading', (node: Heading) => {
    node.depth = Math.min(6, node.depth + 1) as Heading['depth'];
  });
}

const toHast = unified()
  .use(remarkRehype)
  .use(rehypeSanitize, { ...defaultSchema, clobberPrefix: '' })
  .use(rehypeSlug)
  .freeze();

const stringify = unified().use(rehypeStringify).freeze();

/**
 * Sanitised trees by article. The page and the feeds both need an article's body; converting
 * it once and copying it is about half the cost of converting twice. Kept per article object,
 * so a tree can only ever belong to the article it was made from.
 */
const converted = new WeakMap<Article, HastRoot>();

/** The body as a sanitised hast tree (a fresh tree each call: callers may change it). */
export function bodyHast(article: Article): HastRoot {
  let tree = converted.get(article);
  if (!tree) {
    const mdast = structuredClone(article.body);
    htmlAsText(mdast);
    demoteHeadings(mdast);
    tree = toHast.runSync(mdast) as HastRoot;
    converted.set(article, tree);
  }
  return structuredClone(tree);
}

/** Rewrites every `href` and `src` against `base`: feed readers ignore `xml:base`. */
export function absolutiseLinks(tree: HastRoot, base: string): HastRoot {
  visit(tree, 'element', (node: Element) => {
    for (const attribute of ['href', 'src'] as const) {
      const value = node.properties[attribute];
      if (typeof value !== 'string') continue;
      try {
        node.properties[attribute] = new URL(value, base).href;
      } catch {
        delete node.properties[attribute];
      }
    }
  });
  return tree;
}

/**
 * The body as an HTML fragment; with `base`, every link and image URL absolute; `dress` may
 * change the tree first (the feeds open the lede with its dateline, as the page does).
 */
export function bodyHtml(article: Article, base?: string, dress?: (tree: HastRoot) => void): string {
  const tree = bodyHast(article);
  dress?.(tree);
  return stringify.stringify(base ? absolutiseLinks(tree, base) : tree);
}
