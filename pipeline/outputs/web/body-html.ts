/**
 * An article body as HTML, the unified way: mdast → hast (remark-rehype) → sanitised
 * (rehype-sanitize, before rehype-slug so heading ids and anchors agree) → finished (figures,
 * tables, task lists: finishBody) → HTML. The page, the feeds and anything else that shows the
 * body all take it from here, so they never disagree.
 */
import { unified } from 'unified';
import remarkRehype from 'remark-rehype';
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import rehypeSlug from 'rehype-slug';
import rehypeStringify from 'rehype-stringify';
import { visit } from 'unist-util-visit';
import type { Root as MdastRoot, Heading, Text, Link } from 'mdast';
import type { Root as HastRoot, Element, ElementContent } from 'hast';
import type { Article } from '../../model/article.ts';
import { relativeHref } from '../../model/urls.ts';
import { OUTPUT_PATHS } from '../registry.ts';
import { fill, labelsFor } from '../../../templates/labels.ts';

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

/**
 * Pictures as the build found them (engine/media.ts): the published file, relative to the
 * article's page (the feeds make it absolute), with its size so the page does not jump as it
 * loads. A picture the build did not publish is never an `<img>`: an http(s) one (never
 * fetched) becomes a link to it, anything else its description.
 */
function placeImages(tree: MdastRoot, article: Article): void {
  const images = new Map((article.images ?? []).map((image) => [image.url, image]));
  const pagePath = OUTPUT_PATHS.articlePage(article.slug);
  visit(tree, 'image', (node, index, parent) => {
    const image = images.get(node.url);
    if (image) {
      node.url = relativeHref(pagePath, image.path);
      node.data = { hProperties: { width: image.width, height: image.height, loading: 'lazy', decoding: 'async' } };
      return;
    }
    if (!parent || index === undefined) return;
    const text: Text = { type: 'text', value: node.alt || node.url };
    const link: Link = { type: 'link', url: node.url, title: node.title ?? null, children: [text] };
    parent.children[index] = /^(?:https?:)?\/\//i.test(node.url.trim()) ? link : { type: 'text', value: node.alt ?? '' };
  });
}

/** GitHub's schema, and the attributes Galley gives a published picture. */
const schema = { ...defaultSchema, clobberPrefix: '', attributes: { ...defaultSchema.attributes, img: [...(defaultSchema.attributes?.img ?? []), 'loading', 'decoding'] } };

/**
 * The conversion for one article: footnote ids start with its slug (a feed holds many
 * articles' bodies in one document, and a page's chrome claims its ids around the body's), and
 * the footnotes' heading and back links speak its language.
 */
function toHastFor(article: Article) {
  const { messages } = labelsFor(article.lang);
  return unified()
    .use(remarkRehype, {
      clobberPrefix: `${article.slug}-`,
      footnoteLabel: messages.footnotes,
      // a visible heading, not GitHub's screen-reader-only one
      footnoteLabelProperties: {},
      footnoteBackLabel: (reference: number, again: number) => fill(messages.footnoteBack, { n: `${reference + 1}${again > 1 ? `-${again}` : ''}` }),
    })
    .use(rehypeSanitize, schema)
    .use(rehypeSlug)
    .freeze();
}

/**
 * What the sanitised body becomes (trusted: every value here is Galley's own, or text):
 * a paragraph that is one picture becomes a figure, its Markdown title the caption; a table
 * scrolls sideways in a region of its own on a narrow screen, its header cells name their
 * columns and the delimiter row's alignment becomes a class; a task list's boxes are the
 * characters ☑ and ☐ (a form control nobody can use is noise to a screen reader); the
 * footnotes' heading id starts with the slug like the footnotes' own.
 */
function finishBody(tree: HastRoot, article: Article): void {
  const { messages } = labelsFor(article.lang);
  const prefix = `${article.slug}-`;
  let tables = 0;
  const finish = (parent: HastRoot | Element) => {
    parent.children = parent.children.map((child): typeof child => {
      if (child.type !== 'element') return child;
      finish(child);
      if (child.tagName === 'p') return asFigure(child) ?? child;
      if (child.tagName === 'table') {
        tables++;
        // a named section is a region: a screen reader lists it, the keyboard reaches it to scroll it
        return { type: 'element', tagName: 'section', properties: { className: ['table-scroll'], tabIndex: 0, ariaLabel: fill(messages.table, { n: String(tables) }) }, children: [child] };
      }
      if (child.tagName === 'th' || child.tagName === 'td') {
        const align = child.properties.align;
        delete child.properties.align;
        if (align === 'left' || align === 'right' || align === 'center') child.properties.className = [`align-${align}`];
        if (child.tagName === 'th') child.properties.scope = 'col';
        return child;
      }
      if (child.tagName === 'input' && child.properties.type === 'checkbox') return { type: 'text', value: child.properties.checked ? '\u2611' : '\u2610' };
      if (child.properties.id === 'footnote-label') child.properties.id = `${prefix}footnote-label`;
      if (child.properties.ariaDescribedBy !== undefined && String(child.properties.ariaDescribedBy) === 'footnote-label') child.properties.ariaDescribedBy = [`${prefix}footnote-label`];
      return child;
    }) as typeof parent.children;
  };
  finish(tree);
}

/** A paragraph holding one picture and nothing else but spaces, as a figure (captioned by the picture's title). */
function asFigure(paragraph: Element): Element | null {
  const content = paragraph.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''));
  const image = content[0];
  if (content.length !== 1 || image?.type !== 'element' || image.tagName !== 'img') return null;
  const title = typeof image.properties.title === 'string' ? image.properties.title.trim() : '';
  delete image.properties.title;
  const children: ElementContent[] = [image];
  if (title) children.push({ type: 'element', tagName: 'figcaption', properties: {}, children: [{ type: 'text', value: title }] });
  return { type: 'element', tagName: 'figure', properties: {}, children };
}

const stringify = unified().use(rehypeStringify).freeze();

/**
 * Sanitised trees, by the body they were made from (with the article they were made for, so a
 * tree only ever belongs to its article). The page and the feeds both need an article's body;
 * converting it once and copying it is about half the cost of converting twice. Kept by the body,
 * not by the article: a build holds every article to its end, but each body only until its
 * outputs are made (engine/prepare.ts), and trees kept by article kept every body's text to
 * the end of a build with PDFs (at 10,000 articles ~170 MB more while its lists were made).
 */
const converted = new WeakMap<MdastRoot, { readonly article: Article; readonly tree: HastRoot }>();

/** The body as a sanitised hast tree (a fresh tree each call: callers may change it). */
export function bodyHast(article: Article): HastRoot {
  const body = article.body;
  let made = converted.get(body);
  if (made?.article !== article) {
    const mdast = structuredClone(body);
    htmlAsText(mdast);
    demoteHeadings(mdast);
    placeImages(mdast, article);
    const tree = toHastFor(article).runSync(mdast) as HastRoot;
    finishBody(tree, article);
    made = { article, tree };
    converted.set(body, made);
  }
  return structuredClone(made.tree);
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
