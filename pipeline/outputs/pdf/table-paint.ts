/**
 * Draws a table row as layout placed it (table.ts set it): each cell's lines in its TH or TD
 * element, in reading order; the rules as artifacts (a heavy one above the header and under the
 * last row, a medium one under the header, a hairline between rows). A header row set again at
 * the head of a page is an artifact whole: the structure tree has the header once.
 */
import type { Placement } from './layout.ts';
import type { StructNode } from './blocks.ts';
import type { TableRowBlock } from './set-block.ts';
import type { PdfTheme } from '../../../templates/pdf-theme.ts';

type StructureElement = PDFKit.PDFStructureElement;

/** What the painter lends the table: its drawing of lines and rules, and the structure elements. */
export interface TableSurface {
  /** The left margin. */
  left(): number;
  element(node: StructNode): StructureElement;
  /** Lines of a placement into `owner`'s marked content; null: as an artifact (inside `artifact`). */
  lines(placement: Placement, owner: StructureElement | null): void;
  artifact(draw: () => void): void;
  rule(x: number, y: number, length: number, thickness: number, color: string): void;
}

export function paintTableRow(surface: TableSurface, placement: Placement, row: TableRowBlock, theme: PdfTheme): void {
  const { rules } = theme.tables;
  const { set } = placement;
  const x = surface.left() + row.left;
  const bottom = placement.top + (placement.to - placement.from) * set.lineHeight;
  const whole = placement.to === set.lineCount;
  if (row.header && placement.from === 0) surface.rule(x, placement.top - row.ruleOffset, row.width, rules.outer, rules.strong);
  if (whole) {
    const [thickness, color] = row.header ? [rules.header, rules.strong] : row.last ? [rules.outer, rules.strong] : [rules.row, rules.light];
    surface.rule(x, bottom + row.ruleOffset, row.width, thickness, color);
  }
  const cellPlacements = row.cells.map((cell) => ({ cell, placement: { set: cell.set, from: Math.min(placement.from, cell.set.lineCount), to: Math.min(placement.to, cell.set.lineCount), top: placement.top } }));
  if (placement.repeated) {
    surface.artifact(() => {
      for (const { placement: part } of cellPlacements) if (part.to > part.from) surface.lines(part, null);
    });
    return;
  }
  for (const { cell, placement: part } of cellPlacements) {
    // every cell has its element, an empty one too: a reader counts columns by them
    const element = surface.element(cell.struct);
    if (part.to > part.from) surface.lines(part, element);
    if (whole) element.end();
  }
  if (whole) {
    surface.element(row.struct).end();
    if (row.last) surface.element(row.table).end();
  }
}
