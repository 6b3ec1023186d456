/**
 * Tables in the print edition: column widths from their content (as a browser's automatic
 * layout does: each column gets at least its longest word, the rest goes where the text is
 * longest), the text of each cell set and wrapped in its column with hyphenation, the header
 * row bold. Each row becomes a set block of its own whose lines are the lines of its tallest
 * cell, so pages break between rows, or inside a tall row between its lines, and the header row
 * is set again at the head of each page the table continues on (layout.ts: `runningHead`).
 *
 * Tagged as the PDF's table structure: Table, TR, and TH (scope Column) or TD per cell; the
 * repeated header is an artifact.
 */
import type { PdfTheme, TextStyle } from '../../../templates/pdf-theme.ts';
import type { ColumnAlign, StructNode, TableBlock, TextBlock } from './blocks.ts';
import type { SetBlock, SetCell, TableRowBlock } from './set-block.ts';
import type { InlineRun, LaidLine, ParagraphSetter } from './paragraph.ts';



/** Widest a run of text is set, never broken (a word, a cell on one line). */
function widthOf(setter: ParagraphSetter, runs: readonly InlineRun[], lang: string): number {
  return runs.length ? setter.setLine(runs, lang).width : 0;
}

/** A cell's narrowest (its longest word) and widest (all on one line) text. */
function extent(setter: ParagraphSetter, runs: readonly InlineRun[], lang: string): { min: number; max: number } {
  let min = 0;
  for (const run of runs) {
    for (const word of run.text.split(/\s+/)) if (word) min = Math.max(min, widthOf(setter, [{ text: word, style: run.style, link: null }], lang));
  }
  return { min, max: widthOf(setter, runs, lang) };
}

/**
 * Column widths filling `available`: every column its widest text when all fit; else its
 * longest word plus a share of the rest in proportion to how much more it would take; else
 * (words too long for any share) in proportion to the longest words, which are then broken.
 */
export function columnWidths(extents: readonly { min: number; max: number }[], available: number): number[] {
  const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
  const mins = extents.map((column) => column.min);
  const maxes = extents.map((column) => Math.max(column.max, column.min));
  const columns = extents.length;
  if (columns === 0) return [];
  const widest = sum(maxes);
  if (widest <= available) {
    // room to spare: spread it like the text, so short columns stay short
    const extra = available - widest;
    return widest > 0 ? maxes.map((max) => max + (extra * max) / widest) : maxes.map(() => available / columns);
  }
  const narrowest = sum(mins);
  if (narrowest <= available) {
    const wanted = sum(maxes.map((max, index) => max - mins[index]!));
    return mins.map((min, index) => min + ((available - narrowest) * (maxes[index]! - min)) / wanted);
  }
  return narrowest > 0 ? mins.map((min) => (available * min) / narrowest) : mins.map(() => available / columns);
}

/** The lines of a cell moved within its column as its alignment says. */
function aligned(lines: readonly LaidLine[], align: ColumnAlign, inner: number): LaidLine[] {
  if (align === null) return [...lines];
  return lines.map((line) => {
    if (line.elements.length === 0) return line;
    const left = Math.min(...line.elements.map((element) => element.x));
    const right = Math.max(...line.elements.map((element) => element.x + element.width));
    const shift = align === 'left' ? -left : align === 'right' ? inner - right : (inner - (right - left)) / 2 - left;
    return { ...line, elements: line.elements.map((element) => ({ ...element, x: element.x + shift })) };
  });
}

/**
 * The rows of a table set at `measure` (the text measure of the page or column it stands in):
 * one set block per row, each body row carrying the header row to repeat above it when it
 * starts a page.
 */
export function setTable(block: TableBlock, setter: ParagraphSetter, theme: PdfTheme, measure: number, lang: string, rtl: boolean): SetBlock[] {
  const { padding, cell: cellStyle, header: headerStyle } = theme.tables;
  const columns = block.align.length;
  const available = Math.max(measure - block.indent, columns * (2 * padding.x + 1));
  const rows = block.rows.map((row) => Array.from({ length: columns }, (_, index) => row[index] ?? []));
  const extents = Array.from({ length: columns }, (_, column) => {
    let min = 0;
    let max = 0;
    for (const row of rows) {
      const found = extent(setter, row[column]!, lang);
      min = Math.max(min, found.min + 2 * padding.x);
      max = Math.max(max, found.max + 2 * padding.x);
    }
    return { min, max };
  });
  const widths = columnWidths(extents, available);
  // columns run from the start of the line: right to left in a right-to-left article
  const starts: number[] = [];
  let offset = 0;
  for (const width of widths) {
    starts.push(rtl ? block.indent + available - offset - width : block.indent + offset);
    offset += width;
  }
  const sets: SetBlock[] = [];
  let head: SetBlock | null = null;
  rows.forEach((row, rowIndex) => {
    const header = rowIndex === 0;
    const style: TextStyle = header ? headerStyle : cellStyle;
    const face = setter.chain(style, lang).primary;
    const ascent = face.ascent * style.size;
    const descent = face.descent * style.size;
    const baseline = (style.leading - (ascent + descent)) / 2 + ascent;
    const tr: StructNode = { tag: 'TR', parent: block.struct };
    const cells: SetCell[] = row.map((runs, column) => {
      const inner = widths[column]! - 2 * padding.x;
      const laid = runs.length ? setter.set(runs, { lang, align: 'ragged', measure: inner, firstIndent: 0, hyphenate: true }) : { lines: [] };
      const struct: StructNode = header ? { tag: 'TH', parent: tr, scope: 'Column' } : { tag: 'TD', parent: tr };
      const text: TextBlock = {
        kind: 'text',
        runs,
        style,
        align: 'ragged',
        hyphenate: true,
        indent: 0,
        firstIndent: 0,
        spacing: { before: 0, after: 0 },
        keepWithNext: false,
        struct,
        label: null,
        quoteDepth: 0,
        outline: null,
      };
      const lines = aligned(laid.lines, block.align[column] ?? null, inner);
      return { struct, set: { block: text, lines, lineHeight: style.leading, baseline, ascent, descent, left: starts[column]! + padding.x, label: null, lang: null, lineCount: lines.length } };
    });
    const last = rowIndex === rows.length - 1;
    const row_: TableRowBlock = {
      kind: 'table-row',
      header,
      last,
      cells,
      struct: tr,
      table: block.struct,
      left: block.indent,
      width: available,
      ruleOffset: padding.y / 2,
      spacing: { before: header ? Math.max(block.spacing.before, padding.y) : padding.y, after: last ? Math.max(block.spacing.after, padding.y) : padding.y },
      // the header never ends a page without a row under it
      keepWithNext: header && !last,
      quoteDepth: block.quoteDepth,
    };
    const set: SetBlock = {
      block: row_,
      lines: [],
      lineHeight: style.leading,
      baseline,
      ascent,
      descent,
      left: block.indent,
      label: null,
      lang: null,
      lineCount: Math.max(1, ...cells.map((cell) => cell.set.lineCount)),
      runningHead: header ? null : head,
    };
    if (header) head = set;
    sets.push(set);
  });
  return sets;
}
