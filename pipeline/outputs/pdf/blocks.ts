/**
 * The article as the print edition sets it: a flat list of blocks (paragraphs, headings, list
 * items, rules) in reading order, each with its style, the structure element it belongs to
 * (for the tagged PDF) and the inline runs it contains. What the page says around the text, and
 * in which order, is templates/pdf-article.ts; no measuring here: that is layout's.
 */
import type { FootnoteDefinition, Image, ListItem, Paragraph, PhrasingContent, RootContent, Table } from 'mdast';
import { safeUrl } from '../article-view.ts';
import type { BlockSpacing, PdfTheme, TextStyle } from '../../../templates/pdf-theme.ts';
import type { ArticleImage } from '../../model/images.ts';
import { LINE_BREAK, type Alignment, type InlineRun } from './paragraph.ts';

/** A node of the structure tree (PDF 14.8.4 standard types); elements are made while drawing. */
export interface StructNode {
  readonly tag: string;
  readonly parent: StructNode | null;
  /** A Figure's description (its Alt entry). */
  readonly alt?: string;
  /** A table header cell's scope (its Scope attribute). */
  readonly scope?: 'Column' | 'Row';
}

export interface TextBlock {
  readonly kind: 'text';
  readonly runs: readonly InlineRun[];
  /** The block's own style: leading and the metrics of its lines come from it. */
  readonly style: TextStyle;
  readonly align: Alignment;
  readonly hyphenate: boolean;
  /** Left indent (lists, quotes), points. */
  readonly indent: number;
  /** First-line indent, points. */
  readonly firstIndent: number;
  readonly spacing: BlockSpacing;
  /** Never the last thing on a page: headings, and the end matter (kept in one piece). */
  readonly keepWithNext: boolean;
  /** Null for page furniture (marked as an artifact). */
  readonly struct: StructNode | null;
  /** A list item's bullet or number, hung in the indent. */
  readonly label: { readonly runs: readonly InlineRun[]; readonly struct: StructNode } | null;
  /** Nesting depth of block quotes: a rule is drawn beside the text for each. */
  readonly quoteDepth: number;
  /** Headings become bookmarks. */
  readonly outline: { readonly level: number; readonly title: string } | null;
}

export interface RuleBlock {
  readonly kind: 'rule';
  readonly spacing: BlockSpacing;
  readonly thickness: number;
  readonly color: string;
  /** A full-width rule, or a short centred one (a section break). */
  readonly span: 'full' | 'short';
  readonly keepWithNext: boolean;
}

/** The GFM delimiter row's alignment of a column; null is the text's own (start). */
export type ColumnAlign = 'left' | 'right' | 'center' | null;

/** A table as the article writes it (set in table.ts): rows of cells (the first row is the header), each cell's runs. */
export interface TableBlock {
  readonly kind: 'table';
  readonly rows: readonly (readonly (readonly InlineRun[])[])[];
  readonly align: readonly ColumnAlign[];
  readonly indent: number;
  readonly quoteDepth: number;
  readonly spacing: BlockSpacing;
  readonly keepWithNext: boolean;
  /** The Table element. */
  readonly struct: StructNode;
}

/** A picture (set in image.ts). */
export interface ImageBlock {
  readonly kind: 'image';
  /** The file holding the picture's bytes (engine/media.ts: the cache's copy). */
  readonly file: string;
  /** Its size in pixels, as shown. */
  readonly pixels: { readonly width: number; readonly height: number };
  /** Points per pixel, up to the measure (the theme's). */
  readonly scale: number;
  /** Tallest it may be, in points. */
  readonly maxHeight: number;
  /** The Figure element (its `alt` the description), or null for a decorative picture. */
  readonly struct: StructNode | null;
  readonly indent: number;
  readonly quoteDepth: number;
  readonly spacing: BlockSpacing;
  /** With its caption, when it has one. */
  readonly keepWithNext: boolean;
}

export type Block = TextBlock | RuleBlock | TableBlock | ImageBlock;

export interface ArticleDocument {
  readonly blocks: readonly Block[];
  readonly root: StructNode;
  /**
   * Where the article's text is among the blocks: `blocks[start]` to `blocks[end - 1]`. What
   * comes before is the head (masthead, headline, byline), what comes after the end matter.
   */
  readonly body: { readonly start: number; readonly end: number };
}

/** Styles derived from a block style by inline marks, made once per combination. */
class StyleVariants {
  readonly #variants = new Map<TextStyle, Map<string, TextStyle>>();
  readonly #theme: PdfTheme;

  constructor(theme: PdfTheme) {
    this.#theme = theme;
  }

  of(base: TextStyle, marks: { readonly bold: boolean; readonly italic: boolean; readonly code: boolean; readonly link: boolean }): TextStyle {
    const key = `${marks.bold ? 'b' : ''}${marks.italic ? 'i' : ''}${marks.code ? 'c' : ''}${marks.link ? 'l' : ''}`;
    if (key === '') return base;
    let byKey = this.#variants.get(base);
    if (!byKey) {
      byKey = new Map();
      this.#variants.set(base, byKey);
    }
    let style = byKey.get(key);
    if (!style) {
      style = {
        ...base,
        family: marks.code ? 'mono' : base.family,
        // Emphasis inside italic text is set upright, as in print.
        italic: marks.italic ? !base.italic : base.italic,
        bold: marks.bold || base.bold,
        size: marks.code ? base.size * 0.9 : base.size,
        color: marks.link ? this.#theme.colors.link : base.color,
      };
      byKey.set(key, style);
    }
    return style;
  }
}

interface Context {
  readonly theme: PdfTheme;
  readonly variants: StyleVariants;
  readonly pageUrl: string;
  readonly blocks: Block[];
  /** Level of the last heading, so levels never skip (PDF/UA): the headline is H1. */
  headingLevel: number;
  /** The pictures the build published, by their URL in the source. */
  readonly images: ReadonlyMap<string, ArticleImage>;
  /** Tallest a picture may be: a share of the page's text area. */
  readonly maxImageHeight: number;
  /** The footnotes: their definitions, and the number of each one called so far, in the order of their first call. */
  readonly notes: { readonly definitions: Map<string, FootnoteDefinition>; readonly numbers: Map<string, number> };
}

/** What the body needs to know beyond the theme: its pictures, the page's height, the notes' heading. */
export interface BodyOptions {
  readonly images?: readonly ArticleImage[];
  /** The height of the page's text area, in points. */
  readonly frameHeight?: number;
  /** The heading over the notes, in the article's language. */
  readonly notesLabel?: string;
}

interface Container {
  readonly struct: StructNode;
  readonly indent: number;
  readonly quoteDepth: number;
  /** Text style of the container's paragraphs. */
  readonly style: TextStyle;
}

/**
 * Writes an article's blocks in reading order: the page structure (templates/pdf-article.ts)
 * calls it for the masthead, the byline block and the end matter, and `body` for the text.
 */
export class BlockWriter {
  readonly theme: PdfTheme;
  /** The structure tree's root: the document. */
  readonly root: StructNode = { tag: 'Document', parent: null };
  readonly #context: Context;
  readonly #notesLabel: string;
  #body: { start: number; end: number } | null = null;

  constructor(theme: PdfTheme, pageUrl: string, options: BodyOptions = {}) {
    this.theme = theme;
    this.#notesLabel = options.notesLabel ?? 'Notes';
    this.#context = {
      theme,
      variants: new StyleVariants(theme),
      pageUrl,
      blocks: [],
      headingLevel: 1,
      images: new Map((options.images ?? []).map((image) => [image.url, image])),
      maxImageHeight: (options.frameHeight ?? 600) * theme.figures.maxHeight,
      notes: { definitions: new Map(), numbers: new Map() },
    };
  }

  /** `text` as one run in `style`, linking `link`. */
  plain(text: string, style: TextStyle, link: string | null = null): InlineRun[] {
    return [{ text, style, link }];
  }

  /** `style` as a link is set. */
  linkStyle(style: TextStyle): TextStyle {
    return this.#context.variants.of(style, { bold: false, italic: false, code: false, link: true });
  }

  /** A block of text, ragged and unhyphenated unless `options` say otherwise; `struct` null for page furniture (an artifact). */
  text(runs: InlineRun[], style: TextStyle, struct: StructNode | null, spacing: BlockSpacing, options: Partial<TextBlock> = {}): void {
    this.#context.blocks.push({
      kind: 'text',
      runs,
      style,
      align: 'ragged',
      hyphenate: false,
      indent: 0,
      firstIndent: 0,
      spacing,
      keepWithNext: false,
      struct,
      label: null,
      quoteDepth: 0,
      outline: null,
      ...options,
    });
  }

  rule(thickness: number, color: string, spacing: BlockSpacing, span: 'full' | 'short' = 'full'): void {
    this.#context.blocks.push({ kind: 'rule', thickness, color, spacing, span, keepWithNext: false });
  }

  /**
   * The article's text (its Markdown body), under the document's root, then its footnotes as
   * notes. `leadIn` runs open the first paragraph (a dateline, "PARIS (AFP) — "), or a paragraph
   * of their own when the body opens otherwise.
   */
  body(nodes: readonly RootContent[], leadIn: readonly InlineRun[] = []): void {
    collectDefinitions(nodes, this.#context.notes.definitions);
    const container: Container = { struct: this.root, indent: 0, quoteDepth: 0, style: this.theme.styles.body };
    const blocks = this.#context.blocks;
    const start = blocks.length;
    flowBlocks(nodes, container, this.#context);
    if (leadIn.length) {
      const first = blocks[start];
      if (nodes[0]?.type === 'paragraph' && first?.kind === 'text' && first.struct?.tag === 'P' && first.struct.parent === this.root) blocks[start] = { ...first, runs: [...leadIn, ...first.runs] };
      else blocks.splice(start, 0, paragraph([...leadIn], container, this.#context, 0));
    }
    // where the body's blocks are: the last page's rule counts its lines (layout.ts, composePages)
    this.#body = { start: this.#body?.start ?? start, end: blocks.length };
    this.#notes();
  }

  /**
   * The notes after the text, numbered as their calls are (in the order of the first call of
   * each), under a heading: a list whose labels are the numbers. A note may call another: it
   * is numbered then, and set after.
   */
  #notes(): void {
    const context = this.#context;
    const { numbers, definitions } = context.notes;
    if (numbers.size === 0) return;
    const { notes } = this.theme;
    const section: StructNode = { tag: 'Sect', parent: this.root };
    const first = context.blocks.length;
    this.text(this.plain(this.#notesLabel, notes.heading), notes.heading, { tag: 'H2', parent: section }, { before: notes.spacing.before, after: 4 }, {
      keepWithNext: true,
      outline: { level: 2, title: this.#notesLabel },
    });
    context.headingLevel = 2;
    const list: StructNode = { tag: 'L', parent: section };
    const container: Container = { struct: section, indent: 0, quoteDepth: 0, style: notes.text };
    const done = new Set<string>();
    for (let progress = true; progress; ) {
      progress = false;
      for (const [id, number] of [...numbers].sort((a, b) => a[1] - b[1])) {
        if (done.has(id)) continue;
        done.add(id);
        progress = true;
        const definition = definitions.get(id);
        if (definition) listItem({ type: 'listItem', spread: false, children: definition.children }, `${number}.`, list, container, context);
      }
    }
    spaceAround(context.blocks, first, notes.spacing);
  }

  /** What `write` adds stays on one page: every block of it but the last keeps with the next. */
  keptTogether(write: () => void): void {
    const blocks = this.#context.blocks;
    const start = blocks.length;
    write();
    for (let index = start; index < blocks.length - 1; index++) blocks[index] = { ...blocks[index]!, keepWithNext: true };
  }

  document(): ArticleDocument {
    const blocks = this.#context.blocks;
    return { blocks, root: this.root, body: this.#body ?? { start: blocks.length, end: blocks.length } };
  }
}

function flowBlocks(nodes: readonly RootContent[], container: Container, context: Context): void {
  const { theme } = context;
  let previousWasParagraph = false;
  for (const node of nodes) {
    const isParagraph = node.type === 'paragraph' || node.type === 'html';
    switch (node.type) {
      case 'paragraph':
      case 'html': {
        if (node.type === 'paragraph' && node.children.some((child) => placedImage(child, context))) {
          paragraphWithImages(node, container, context, previousWasParagraph ? theme.layout.paragraphIndent * container.style.size : 0);
          break;
        }
        const runs = node.type === 'paragraph' ? inlineRuns(node.children, container.style, context) : htmlRuns(node.value, container.style);
        if (runs.length === 0) continue;
        context.blocks.push(paragraph(runs, container, context, previousWasParagraph ? theme.layout.paragraphIndent * container.style.size : 0));
        break;
      }
      case 'heading': {
        const level = Math.min(6, node.depth + 1, context.headingLevel + 1);
        context.headingLevel = level;
        const style = theme.styles.headings[Math.min(theme.styles.headings.length - 1, level - 2)] ?? container.style;
        const runs = inlineRuns(node.children, style, context);
        const title = runs.map((run) => run.text).join('').replaceAll(LINE_BREAK, ' ').trim();
        context.blocks.push({
          kind: 'text',
          runs,
          style,
          align: 'balanced',
          hyphenate: false,
          indent: container.indent,
          firstIndent: 0,
          spacing: theme.spacing.heading,
          keepWithNext: true,
          struct: { tag: `H${level}`, parent: container.struct },
          label: null,
          quoteDepth: container.quoteDepth,
          outline: title ? { level, title } : null,
        });
        break;
      }
      case 'blockquote': {
        const quote: Container = {
          struct: { tag: 'BlockQuote', parent: container.struct },
          indent: container.indent + theme.layout.blockquoteIndent,
          quoteDepth: container.quoteDepth + 1,
          style: theme.styles.blockquote,
        };
        const first = context.blocks.length;
        flowBlocks(node.children, quote, context);
        spaceAround(context.blocks, first, theme.spacing.blockquote);
        break;
      }
      case 'list': {
        const first = context.blocks.length;
        const list: StructNode = { tag: 'L', parent: container.struct };
        // a task list's items are labelled by their boxes, ticked or not, as on the page
        node.children.forEach((item, index) => listItem(item, item.checked === true ? '\u2611' : item.checked === false ? '\u2610' : node.ordered ? `${(node.start ?? 1) + index}.` : theme.layout.bullet, list, container, context));
        spaceAround(context.blocks, first, theme.spacing.list);
        break;
      }
      case 'code': {
        const style = theme.styles.code;
        context.blocks.push({
          kind: 'text',
          runs: [{ text: node.value, style, link: null }],
          style,
          align: 'code',
          hyphenate: false,
          indent: container.indent,
          firstIndent: 0,
          spacing: theme.spacing.code,
          keepWithNext: false,
          struct: { tag: 'Code', parent: container.struct },
          label: null,
          quoteDepth: container.quoteDepth,
          outline: null,
        });
        break;
      }
      case 'table':
        context.blocks.push(tableBlock(node, container, context));
        break;
      case 'thematicBreak':
        context.blocks.push({ kind: 'rule', thickness: theme.layout.ruleWidth, color: theme.colors.rule, spacing: theme.spacing.thematicBreak, span: 'short', keepWithNext: false });
        break;
      default:
        // Definitions, footnote definitions and other non-flow nodes print nothing.
        break;
    }
    previousWasParagraph = isParagraph;
  }
}

/** The footnote definitions anywhere in `nodes`, by identifier (the first of two alike wins, as on the page). */
function collectDefinitions(nodes: readonly RootContent[], definitions: Map<string, FootnoteDefinition>): void {
  const stack = [...nodes].reverse();
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'footnoteDefinition' && !definitions.has(node.identifier)) definitions.set(node.identifier, node);
    if ('children' in node) for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index] as RootContent);
  }
}

/** The published picture an image node shows in the PDF, if any (an RGB or grey JPEG, a PNG: what PDFKit embeds). */
function placedImage(node: PhrasingContent, context: Context): ArticleImage | null {
  if (node.type !== 'image') return null;
  const image = context.images.get(node.url);
  return image?.printable ? image : null;
}

/**
 * A paragraph that shows pictures: its text before, between and after them as paragraphs, each
 * picture placed between them in reading order, under its caption (the Markdown title) if it
 * has one.
 */
function paragraphWithImages(node: Paragraph, container: Container, context: Context, firstIndent: number): void {
  const { figures } = context.theme;
  let pending: PhrasingContent[] = [];
  let indent = firstIndent;
  const flush = () => {
    const runs = inlineRuns(pending, container.style, context);
    pending = [];
    if (runs.every((run) => run.text.trim() === '' || run.text === LINE_BREAK)) return;
    context.blocks.push(paragraph(trimmed(runs), container, context, indent));
    indent = 0;
  };
  for (const child of node.children) {
    const image = placedImage(child, context);
    if (!image) {
      pending.push(child);
      continue;
    }
    flush();
    const { alt, title } = child as Image;
    const description = (alt ?? '').trim();
    const caption = (title ?? '').trim();
    context.blocks.push({
      kind: 'image',
      file: image.file,
      pixels: { width: image.width, height: image.height },
      scale: figures.scale,
      maxHeight: context.maxImageHeight,
      struct: description ? { tag: 'Figure', parent: container.struct, alt: description } : null,
      indent: container.indent,
      quoteDepth: container.quoteDepth,
      spacing: { before: figures.spacing.before, after: caption ? figures.captionGap : figures.spacing.after },
      keepWithNext: caption !== '',
    });
    if (caption) {
      context.blocks.push({
        kind: 'text',
        runs: [{ text: caption, style: figures.caption, link: null }],
        style: figures.caption,
        align: 'ragged',
        hyphenate: true,
        indent: container.indent,
        firstIndent: 0,
        spacing: { before: 0, after: figures.spacing.after },
        keepWithNext: false,
        struct: { tag: 'Caption', parent: container.struct },
        label: null,
        quoteDepth: container.quoteDepth,
        outline: null,
      });
    }
  }
  flush();
}

/** Runs without the spaces a picture left at their ends. */
function trimmed(runs: InlineRun[]): InlineRun[] {
  const out = [...runs];
  const first = out[0];
  if (first) out[0] = { ...first, text: first.text.replace(/^\s+/, '') };
  const last = out.at(-1);
  if (last) out[out.length - 1] = { ...last, text: last.text.replace(/\s+$/, '') };
  return out.filter((run) => run.text !== '');
}

/** A GFM table: its cells' runs by row (the first row the header, bold), its columns' alignment. */
function tableBlock(node: Table, container: Container, context: Context): TableBlock {
  const { tables } = context.theme;
  const columns = Math.max(node.align?.length ?? 0, ...node.children.map((row) => row.children.length));
  return {
    kind: 'table',
    rows: node.children.map((row, index) => row.children.map((cell) => inlineRuns(cell.children, index === 0 ? tables.header : tables.cell, context))),
    align: Array.from({ length: columns }, (_, index) => node.align?.[index] ?? null),
    indent: container.indent,
    quoteDepth: container.quoteDepth,
    spacing: tables.spacing,
    keepWithNext: false,
    struct: { tag: 'Table', parent: container.struct },
  };
}

/** A footnote's number as superscript figures, as the call stands in the text. */
const SUPERSCRIPT_DIGITS = '\u2070\u00B9\u00B2\u00B3\u2074\u2075\u2076\u2077\u2078\u2079';

function superscript(number: number): string {
  return [...String(number)].map((digit) => SUPERSCRIPT_DIGITS[Number(digit)]).join('');
}

function paragraph(runs: InlineRun[], container: Container, context: Context, firstIndent: number): TextBlock {
  return {
    kind: 'text',
    runs,
    style: container.style,
    align: 'justify',
    hyphenate: true,
    indent: container.indent,
    firstIndent,
    spacing: context.theme.spacing.paragraph,
    keepWithNext: false,
    struct: { tag: 'P', parent: container.struct },
    label: null,
    quoteDepth: container.quoteDepth,
    outline: null,
  };
}

/** The first and last block of a group (list, quote) get the group's space around them. */
function spaceAround(blocks: Block[], first: number, spacing: BlockSpacing): void {
  const start = blocks[first];
  if (start) blocks[first] = { ...start, spacing: { ...start.spacing, before: Math.max(start.spacing.before, spacing.before) } };
  const end = blocks.at(-1);
  if (end && blocks.length > first) blocks[blocks.length - 1] = { ...end, spacing: { ...end.spacing, after: Math.max(end.spacing.after, spacing.after) } };
}

function listItem(item: ListItem, label: string, list: StructNode, container: Container, context: Context): void {
  const { theme } = context;
  const itemNode: StructNode = { tag: 'LI', parent: list };
  const bodyNode: StructNode = { tag: 'LBody', parent: itemNode };
  const inner: Container = { struct: bodyNode, indent: container.indent + theme.layout.listIndent, quoteDepth: container.quoteDepth, style: container.style };
  const first = context.blocks.length;
  flowBlocks(item.children, inner, context);
  const head = context.blocks[first];
  const labelRuns: InlineRun[] = [{ text: label, style: container.style, link: null }];
  if (head?.kind === 'text') {
    context.blocks[first] = { ...head, firstIndent: 0, label: { runs: labelRuns, struct: { tag: 'Lbl', parent: itemNode } } };
  } else {
    // An empty item, or one that starts with a rule: the label stands on a line of its own.
    context.blocks.splice(first, 0, { ...paragraph([{ text: '\u00A0', style: container.style, link: null }], inner, context, 0), label: { runs: labelRuns, struct: { tag: 'Lbl', parent: itemNode } } });
  }
  for (let index = first; index < context.blocks.length; index++) {
    const block = context.blocks[index];
    if (block?.kind === 'text' && index > first && block.struct?.parent === bodyNode) context.blocks[index] = { ...block, spacing: { ...block.spacing, before: theme.spacing.listItem.after } };
  }
  const last = context.blocks.at(-1);
  if (last) context.blocks[context.blocks.length - 1] = { ...last, spacing: { ...last.spacing, after: Math.max(last.spacing.after, theme.spacing.listItem.after) } };
}

interface Marks {
  readonly bold: boolean;
  readonly italic: boolean;
  readonly code: boolean;
  readonly link: string | null;
}

function inlineRuns(nodes: readonly PhrasingContent[], base: TextStyle, context: Context): InlineRun[] {
  const runs: InlineRun[] = [];
  const walk = (children: readonly PhrasingContent[], marks: Marks) => {
    for (const node of children) {
      const style = () => context.variants.of(base, { bold: marks.bold, italic: marks.italic, code: marks.code, link: marks.link !== null });
      switch (node.type) {
        case 'text':
          runs.push({ text: node.value.replace(/\r?\n/g, ' '), style: style(), link: marks.link });
          break;
        case 'emphasis':
          walk(node.children, { ...marks, italic: !marks.italic });
          break;
        case 'strong':
          walk(node.children, { ...marks, bold: true });
          break;
        case 'delete':
          walk(node.children, marks);
          break;
        case 'inlineCode':
          runs.push({ text: node.value, style: context.variants.of(base, { bold: marks.bold, italic: marks.italic, code: true, link: marks.link !== null }), link: marks.link });
          break;
        case 'link':
        case 'linkReference': {
          const url = node.type === 'link' ? safeUrl(node.url, context.pageUrl, { absolute: true, mail: true }) : null;
          walk(node.children, { ...marks, link: url ?? marks.link });
          break;
        }
        case 'break':
          runs.push({ text: LINE_BREAK, style: style(), link: null });
          break;
        case 'image':
        case 'imageReference':
          if (node.alt) runs.push({ text: node.alt, style: context.variants.of(base, { bold: marks.bold, italic: !marks.italic, code: false, link: false }), link: null });
          break;
        case 'html':
          // Inline HTML is markup (a tag); its text, if any, comes as text nodes around it.
          break;
        case 'footnoteReference': {
          // numbered in the order of first calls, as the page numbers them; set as superscript figures
          const { numbers, definitions } = context.notes;
          if (!definitions.has(node.identifier)) break;
          let number = numbers.get(node.identifier);
          if (number === undefined) {
            number = numbers.size + 1;
            numbers.set(node.identifier, number);
          }
          runs.push({ text: superscript(number), style: context.variants.of(base, { bold: false, italic: false, code: false, link: false }), link: null });
          break;
        }
        default:
          break;
      }
    }
  };
  walk(nodes, { bold: false, italic: false, code: false, link: null });
  return runs.filter((run) => run.text !== '');
}

/** A block of raw HTML prints as its text: tags dropped, the common entities decoded. */
function htmlRuns(html: string, style: TextStyle): InlineRun[] {
  const text = html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00A0' })[name] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  return text ? [{ text, style, link: null }] : [];
}
