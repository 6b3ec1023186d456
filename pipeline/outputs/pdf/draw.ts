/**
 * Pages → PDF content: text as glyph codes of the embedded fonts, every piece of content
 * either inside a marked-content sequence of its structure element (in reading order) or
 * marked as an artifact (running header, footer, masthead, rules), link annotations attached
 * to their Link elements, and a bookmark for every heading.
 *
 * Page furniture is drawn as glyph outlines, not text. It is not the article: text
 * extraction that ignores artifact marks (pdftotext, search indexers, copy and paste in most
 * viewers) would otherwise put "page 3 of 7" and the running header in the middle of any
 * sentence that crosses a page. Each glyph outline is a Form XObject drawn wherever needed,
 * so a 600-page article carries each shape once.
 */
import type { PdfTheme, TextStyle } from '../../../templates/pdf-theme.ts';
import type { ImageBlock, StructNode } from './blocks.ts';
import { EmbeddedFont } from './embedded-font.ts';
import { pdfObject, type GalleyPdfDocument, type PdfObject } from './document.ts';
import type { Face } from './fonts.ts';
import type { PageLayout, Placement } from './layout.ts';
import type { InlineRun, LaidLine, ParagraphSetter, Piece } from './paragraph.ts';
import { imageWidth } from './image.ts';
import { paintTableRow, type TableSurface } from './table-paint.ts';

type StructureElement = PDFKit.PDFStructureElement;

export interface PageGeometry {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly measure: number;
}

export interface Furniture {
  /** The running header (site · headline), set once; drawn from page 2. */
  readonly header: LaidLine;
  /** `page n of N` for each page. */
  readonly footer: (page: number, pages: number) => { readonly line: LaidLine; readonly width: number };
}

/** Numbers in content streams: at most three decimals, no `-0`. */
function n(value: number): string {
  const rounded = Math.round(value * 1000) / 1000;
  return Object.is(rounded, -0) || rounded === 0 ? '0' : String(rounded);
}

function rgb(color: string): string {
  const value = Number.parseInt(color.slice(1), 16);
  return `${n(((value >> 16) & 0xff) / 255)} ${n(((value >> 8) & 0xff) / 255)} ${n((value & 0xff) / 255)}`;
}

function hex4(value: number): string {
  return value.toString(16).padStart(4, '0');
}

interface Outline {
  addItem(title: string, options?: { readonly fit?: boolean; readonly expanded?: boolean }): Outline;
}

/** Draws the whole document into `doc`; returns after the last page, fonts not yet embedded. */
export class DocumentPainter {
  readonly #doc: GalleyPdfDocument;
  readonly #theme: PdfTheme;
  readonly #geometry: PageGeometry;
  readonly #fonts = new Map<Face, EmbeddedFont>();
  /** Glyph outlines as Form XObjects, by face and glyph id. */
  readonly #glyphForms = new Map<Face, Map<number, { readonly name: string; readonly form: PdfObject }>>();
  #glyphFormCount = 0;
  readonly #elements = new Map<StructNode, StructureElement>();
  readonly #languages: ReadonlyMap<StructNode, string>;
  readonly #root: StructNode;
  #ops: string[] = [];
  #color = '';
  /** Bookmarks by level, so a heading goes under the last one above its level. */
  #outline: { level: number; item: Outline }[] = [];

  constructor(doc: GalleyPdfDocument, theme: PdfTheme, geometry: PageGeometry, root: StructNode, languages: ReadonlyMap<StructNode, string>) {
    this.#doc = doc;
    this.#theme = theme;
    this.#geometry = geometry;
    this.#root = root;
    this.#languages = languages;
    const rootElement = doc.struct(root.tag);
    doc.addStructure(rootElement);
    this.#elements.set(root, rootElement);
  }

  /** The embedded fonts in the order they were first used. */
  get fonts(): readonly EmbeddedFont[] {
    return [...this.#fonts.values()];
  }

  paint(pages: readonly PageLayout[], furniture: Furniture): void {
    pages.forEach((page, index) => {
      this.#doc.addPage({ size: [this.#geometry.width, this.#geometry.height], margin: 0 });
      this.#color = '';
      this.#furniture(index + 1, pages.length, furniture);
      for (const placement of page.placements) this.#placement(placement);
      this.#flush();
    });
  }

  // ---- structure

  #element(node: StructNode): StructureElement {
    let element = this.#elements.get(node);
    if (!element) {
      const parent = this.#element(node.parent ?? this.#root);
      const lang = this.#languages.get(node);
      element = this.#doc.struct(node.tag, { ...(lang ? { lang } : {}), ...(node.alt ? { alt: node.alt } : {}), ...(node.scope ? { scope: node.scope } : {}) } as PDFKit.Mixins.StructureElementOptions);
      parent.add(element);
      this.#elements.set(node, element);
    }
    return element;
  }

  #flush(): void {
    if (this.#ops.length > 0) {
      this.#doc.addContent(this.#ops.join('\n'));
      this.#ops = [];
    }
  }

  #beginContent(owner: StructureElement, tag: string): void {
    this.#flush();
    owner.add(this.#doc.markStructureContent(tag));
  }

  #beginArtifact(type: 'Pagination' | 'Layout'): void {
    this.#flush();
    this.#doc.markContent('Artifact', { type });
  }

  #endContent(): void {
    this.#flush();
    this.#doc.endMarkedContent();
  }

  // ---- furniture

  #furniture(page: number, pages: number, furniture: Furniture): void {
    const { layout, styles, colors } = this.#theme;
    const { left, measure, height } = this.#geometry;
    this.#beginArtifact('Pagination');
    if (page > 1) {
      const baseline = layout.headerBaseline;
      this.#line(furniture.header, left, baseline, true);
      const ruleY = baseline + styles.runningHeader.size * 0.3 + layout.headerRuleGap;
      this.#rule(left, ruleY, measure, layout.ruleWidth / 2, colors.rule);
    }
    const footer = furniture.footer(page, pages);
    this.#line(footer.line, left + (measure - footer.width) / 2, height - layout.footerBaseline, true);
    this.#endContent();
  }

  // ---- blocks

  #placement(placement: Placement): void {
    const { set } = placement;
    const block = set.block;
    const left = this.#geometry.left;
    if (block.kind === 'rule') {
      const length = block.span === 'full' ? this.#geometry.measure : Math.min(this.#geometry.measure, 72);
      const x = block.span === 'full' ? left : left + (this.#geometry.measure - length) / 2;
      this.#beginArtifact('Layout');
      this.#rule(x, placement.top + block.thickness / 2, length, block.thickness, block.color);
      this.#endContent();
      return;
    }
    if (block.kind === 'table-row') {
      paintTableRow(this.#surface, placement, block, this.#theme);
      return;
    }
    if (block.kind === 'image') {
      this.#image(placement, block);
      return;
    }
    if (block.quoteDepth > 0) this.#quoteBars(placement);
    if (!block.struct) {
      // Page furniture set as a block (the masthead).
      this.#beginArtifact('Pagination');
      this.#lines(placement, null);
      this.#endContent();
      return;
    }
    if (block.outline && placement.from === 0) this.#bookmark(block.outline.level, block.outline.title);
    // The label first: its element must precede the item's body in the structure, as it is read.
    if (block.label && placement.from === 0 && set.label) {
      this.#beginContent(this.#element(block.label.struct), 'Lbl');
      this.#line(set.label.line, left + set.label.left, placement.top + set.baseline);
      this.#endContent();
    }
    const element = this.#element(block.struct);
    this.#lines(placement, element);
    // Ended once its last line is drawn, so PDFKit can write it out (a 2 MB article has
    // thousands of paragraphs).
    if (placement.to === set.lineCount) element.end();
  }

  /**
   * What the table painter (table-paint.ts) may do on the page: draw lines of text into a
   * structure element (or as an artifact), rules as artifacts, and end an element.
   */
  readonly #surface: TableSurface = {
    left: () => this.#geometry.left,
    element: (node) => this.#element(node),
    lines: (placement, owner) => this.#lines(placement, owner),
    artifact: (draw) => {
      this.#beginArtifact('Pagination');
      draw();
      this.#endContent();
    },
    rule: (x, y, length, thickness, color) => {
      this.#beginArtifact('Layout');
      this.#rule(x, y, length, thickness, color);
      this.#endContent();
    },
  };

  /** A picture: in its Figure element (its Alt the description), or an artifact when it has none. */
  #image(placement: Placement, block: ImageBlock): void {
    const { set } = placement;
    const x = this.#geometry.left + set.left;
    const width = imageWidth(set, block);
    const height = set.lineHeight;
    let element: StructureElement | null = null;
    if (block.struct) {
      const parent = this.#element(block.struct.parent ?? this.#root);
      element = this.#doc.struct('Figure', { alt: block.struct.alt ?? '', bbox: [x, placement.top, x + width, placement.top + height] } as PDFKit.Mixins.StructureElementOptions);
      parent.add(element);
      this.#beginContent(element, 'Figure');
    } else {
      this.#beginArtifact('Layout');
    }
    this.#flush();
    this.#doc.image(block.file, x, placement.top, { width, height });
    this.#endContent();
    element?.end();
  }

  #quoteBars(placement: Placement): void {
    const { set } = placement;
    const block = set.block;
    if (block.kind !== 'text') return;
    const { blockquoteIndent, blockquoteRuleWidth } = this.#theme.layout;
    const top = placement.top + (set.lineHeight - (set.ascent + set.descent)) / 2;
    const bottom = placement.top + (placement.to - placement.from) * set.lineHeight - (set.lineHeight - (set.ascent + set.descent)) / 2;
    this.#beginArtifact('Layout');
    for (let depth = 0; depth < block.quoteDepth; depth++) {
      const x = this.#geometry.left + block.indent - blockquoteIndent * (block.quoteDepth - depth) + blockquoteRuleWidth / 2;
      this.#ops.push(`${rgb(this.#theme.colors.accent)} RG ${n(blockquoteRuleWidth)} w ${n(x)} ${n(top)} m ${n(x)} ${n(bottom)} l S`);
    }
    this.#endContent();
  }

  /** The lines of a placement; `owner` is null for artifacts (content is already marked). */
  #lines(placement: Placement, owner: StructureElement | null): void {
    const { set } = placement;
    const left = this.#geometry.left + set.left;
    const tag = (set.block.kind === 'text' && set.block.struct?.tag) || 'P';
    let open: StructureElement | null = null;
    /** The Link element of the link being drawn, with its URL. */
    let link: { url: string; element: StructureElement } | null = null;
    for (let index = placement.from; index < placement.to; index++) {
      const line = set.lines[index] as LaidLine;
      const baseline = placement.top + (index - placement.from) * set.lineHeight + set.baseline;
      const areas = new Map<StructureElement, { url: string; x0: number; x1: number }>();
      // Links that ended on this line: ended after their annotation is attached.
      const finished: StructureElement[] = [];
      for (const element of line.elements) {
        let target = owner;
        if (owner) {
          const url = element.piece.link;
          if (link && link.url !== url) {
            finished.push(link.element);
            link = null;
          }
          if (url) {
            if (!link) {
              const linkElement = this.#doc.struct('Link');
              owner.add(linkElement);
              link = { url, element: linkElement };
            }
            target = link.element;
          }
          if (target !== open) {
            if (open) this.#endContent();
            this.#beginContent(target as StructureElement, target === owner ? tag : 'Link');
            open = target;
          }
        }
        const x = left + element.x;
        this.#piece(element.piece, x, baseline, element.width, owner === null);
        if (link && target === link.element) {
          const area = areas.get(link.element);
          if (area) {
            area.x0 = Math.min(area.x0, x);
            area.x1 = Math.max(area.x1, x + element.width);
          } else {
            areas.set(link.element, { url: link.url, x0: x, x1: x + element.width });
          }
        }
      }
      if (areas.size > 0 && open) {
        // The annotation follows the link's text in the Link element, as readers expect.
        this.#endContent();
        open = null;
      }
      for (const [element, area] of areas) {
        // PDFKit 0.20 reads `structParent`, which @types/pdfkit does not declare, and writes
        // `Contents` as given: a JS string would become a PDF name, a String object is text.
        const options = { structParent: element, Contents: new String(this.#linkLabel(line, area)) };
        this.#doc.link(area.x0, baseline - set.ascent, area.x1 - area.x0, set.ascent + set.descent, area.url, options as unknown as PDFKit.Mixins.AnnotationOption);
      }
      for (const element of finished) element.end();
    }
    if (open) this.#endContent();
    // A Link element never spans pages: its annotation reference names the page it is on.
    if (link) link.element.end();
  }

  /** Alternate description of a link annotation (PDF/UA): its text on this line. */
  #linkLabel(line: LaidLine, area: { url: string }): string {
    const text = line.elements
      .filter((element) => element.piece.link === area.url)
      .map((element) => element.piece.glyphs.map((glyph) => glyph.text).join(''))
      .join('')
      .replaceAll('\u00AD', '')
      .trim();
    return text || area.url;
  }

  #bookmark(level: number, title: string): void {
    while (this.#outline.length > 0 && (this.#outline.at(-1) as { level: number }).level >= level) this.#outline.pop();
    // @types/pdfkit declares only `expanded`; PDFKit 0.20 reads `fit` (without it the
    // bookmark's destination is the page's right edge).
    const parent: Outline = this.#outline.at(-1)?.item ?? (this.#doc.outline as unknown as Outline);
    const item = parent.addItem(title, { fit: true, expanded: true });
    this.#outline.push({ level, item });
  }

  // ---- drawing primitives

  #line(line: LaidLine, left: number, baseline: number, outlines = false): void {
    for (const element of line.elements) this.#piece(element.piece, left + element.x, baseline, element.width, outlines);
  }

  #rule(x: number, y: number, length: number, thickness: number, color: string): void {
    this.#ops.push(`${rgb(color)} RG ${n(thickness)} w ${n(x)} ${n(y)} m ${n(x + length)} ${n(y)} l S`);
  }

  #font(face: Face): EmbeddedFont {
    let font = this.#fonts.get(face);
    if (!font) {
      font = new EmbeddedFont(this.#doc, face, this.#fonts.size + 1);
      this.#fonts.set(face, font);
    }
    this.#doc.page.fonts[font.resourceName] = font.dictionary;
    return font;
  }

  /**
   * Draws a piece with its left edge at `x`, stretched to `width` (glue); glyphs the shaper
   * inserted without text of their own are filled as outlines after the text.
   */
  #piece(piece: Piece, x: number, baseline: number, width: number, outlines: boolean): void {
    if (outlines) {
      this.#pieceOutlines(piece, x, baseline, width);
      return;
    }
    const font = this.#font(piece.face);
    const size = piece.size;
    const unit = piece.face.unitScale * size;
    const toText = -1000 / size; // a TJ number moves the next glyph left by n/1000 em
    const extra = width - piece.width;
    const glyphs = piece.glyphs;
    // Text-showing operators: TJ arrays, and Ts where a glyph sits above or below the baseline.
    let shows = '';
    let array = '';
    let codes = '';
    let shapes: { glyph: number; x: number; y: number }[] | null = null;
    // `pen` is where the glyph's origin belongs, `cursor` where the PDF would draw the next one.
    let pen = x;
    let cursor = x;
    let rise = 0;
    for (let index = 0; index < glyphs.length; index++) {
      const glyph = glyphs[index] as (typeof glyphs)[number];
      const advance = glyph.advance * unit + piece.tracking + (index === glyphs.length - 1 ? extra : 0);
      if (glyph.text === '') {
        (shapes ??= []).push({ glyph: glyph.id, x: pen + glyph.xOffset * unit, y: baseline - glyph.yOffset * unit });
        pen += advance;
        continue;
      }
      const cid = font.cid(glyph);
      const glyphRise = glyph.yOffset * unit;
      if (glyphRise !== rise) {
        if (codes) array += `<${codes}>`;
        if (array) shows += `[${array}] TJ `;
        codes = '';
        array = '';
        shows += `${n(glyphRise)} Ts `;
        rise = glyphRise;
      }
      const target = pen + glyph.xOffset * unit;
      const move = (target - cursor) * toText;
      if (move >= 0.0005 || move <= -0.0005) {
        if (codes) array += `<${codes}>`;
        codes = '';
        array += ` ${n(move)} `;
      }
      codes += hex4(cid);
      cursor = target + (font.widthOf(cid) / 1000) * size;
      pen += advance;
    }
    if (codes) array += `<${codes}>`;
    if (array) shows += `[${array}] TJ `;
    if (rise !== 0) shows += '0 Ts ';
    if (shows) {
      if (this.#color !== piece.color) {
        this.#ops.push(`${rgb(piece.color)} rg`);
        this.#color = piece.color;
      }
      this.#ops.push(`BT /${font.resourceName} ${n(size)} Tf 1 0 0 -1 ${n(x)} ${n(baseline)} Tm ${shows}ET`);
    }
    if (shapes) for (const shape of shapes) this.#paintGlyph(piece, shape.glyph, shape.x, shape.y);
  }

  /** A piece drawn as outlines (furniture): the same positions as text, no text. */
  #pieceOutlines(piece: Piece, x: number, baseline: number, width: number): void {
    const unit = piece.face.unitScale * piece.size;
    const extra = width - piece.width;
    let pen = x;
    piece.glyphs.forEach((glyph, index) => {
      this.#paintGlyph(piece, glyph.id, pen + glyph.xOffset * unit, baseline - glyph.yOffset * unit);
      pen += glyph.advance * unit + piece.tracking + (index === piece.glyphs.length - 1 ? extra : 0);
    });
  }

  /** Paints a glyph's outline with its origin at (x, y), in the piece's colour and size. */
  #paintGlyph(piece: Piece, glyphId: number, x: number, y: number): void {
    const form = this.#glyphForm(piece.face, glyphId);
    if (!form) return; // a glyph with no outline (a space)
    this.#doc.page.xobjects[form.name] = form.form;
    if (this.#color !== piece.color) {
      this.#ops.push(`${rgb(piece.color)} rg`);
      this.#color = piece.color;
    }
    const scale = piece.face.unitScale * piece.size;
    // Font units point up, the page (after PDFKit's flip) down: the form is mirrored back.
    this.#ops.push(`q ${n(scale)} 0 0 ${n(-scale)} ${n(x)} ${n(y)} cm /${form.name} Do Q`);
  }

  /** The Form XObject of a glyph outline, in font units, made on first use. */
  #glyphForm(face: Face, glyphId: number): { readonly name: string; readonly form: PdfObject } | null {
    let forms = this.#glyphForms.get(face);
    if (!forms) {
      forms = new Map();
      this.#glyphForms.set(face, forms);
    }
    const known = forms.get(glyphId);
    if (known) return known;
    const path: string[] = [];
    let currentX = 0;
    let currentY = 0;
    for (const command of face.font.getGlyph(glyphId).path.commands) {
      const a = command.args.map((value) => value ?? 0);
      switch (command.command) {
        case 'moveTo':
        case 'lineTo':
          path.push(`${n(a[0] ?? 0)} ${n(a[1] ?? 0)} ${command.command === 'moveTo' ? 'm' : 'l'}`);
          [currentX, currentY] = [a[0] ?? 0, a[1] ?? 0];
          break;
        case 'quadraticCurveTo': {
          // A quadratic Bézier is the cubic whose control points lie two thirds of the way.
          const [cx, cy, ex, ey] = [a[0] ?? 0, a[1] ?? 0, a[2] ?? 0, a[3] ?? 0];
          path.push(`${n(currentX + (2 / 3) * (cx - currentX))} ${n(currentY + (2 / 3) * (cy - currentY))} ${n(ex + (2 / 3) * (cx - ex))} ${n(ey + (2 / 3) * (cy - ey))} ${n(ex)} ${n(ey)} c`);
          [currentX, currentY] = [ex, ey];
          break;
        }
        case 'bezierCurveTo':
          path.push(`${a.slice(0, 6).map(n).join(' ')} c`);
          [currentX, currentY] = [a[4] ?? 0, a[5] ?? 0];
          break;
        case 'closePath':
          path.push('h');
          break;
      }
    }
    if (path.length === 0) return null;
    const { bbox } = face.font;
    const form = pdfObject(this.#doc, { Type: 'XObject', Subtype: 'Form', BBox: [bbox.minX, bbox.minY, bbox.maxX, bbox.maxY], Resources: {} });
    form.end(`${path.join(' ')} f`);
    this.#glyphFormCount++;
    const entry = { name: `GG${this.#glyphFormCount}`, form };
    forms.set(glyphId, entry);
    return entry;
  }
}

/** Sets the running header: site title · headline, the headline shortened to fit the measure. */
export function runningHeader(setter: ParagraphSetter, site: string, headline: string, style: TextStyle, theme: PdfTheme, lang: string, measure: number): { line: LaidLine; width: number } {
  const separator = ` ${theme.layout.separator} `;
  const runs = (title: string): InlineRun[] => [
    { text: site, style: { ...style, bold: true }, link: null },
    { text: `${separator}${title}`, style, link: null },
  ];
  let words = headline.split(/\s+/).filter(Boolean);
  let set = setter.setLine(runs(headline), lang);
  while (set.width > measure && words.length > 1) {
    words = words.slice(0, -1);
    set = setter.setLine(runs(`${words.join(' ')}\u2026`), lang);
  }
  return set;
}

