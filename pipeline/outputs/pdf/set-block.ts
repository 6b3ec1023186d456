/**
 * A block set into lines, as the page layout places it (layout.ts) and the painter draws it
 * (draw.ts): a module of its own so that the setters of tables and pictures (table.ts,
 * image.ts) and the layout share it without importing each other.
 */
import type { BlockSpacing } from '../../../templates/pdf-theme.ts';
import type { Block, StructNode } from './blocks.ts';
import type { LaidLine } from './paragraph.ts';

/** A block set into lines. */
export interface SetBlock {
  /** What was set: a block as written, or a row of a table (a table is set as its rows). */
  readonly block: Exclude<Block, { kind: 'table' }> | TableRowBlock;
  readonly lines: readonly LaidLine[];
  /** Height of each line (the leading; a rule's thickness). */
  readonly lineHeight: number;
  /** From the top of a line to its baseline. */
  readonly baseline: number;
  /** Ascent and descent of the block's text, for link areas. */
  readonly ascent: number;
  readonly descent: number;
  /** Left edge of the block's lines, from the left margin. */
  readonly left: number;
  /** The label of a list item, set on one line, and where it starts (from the left margin). */
  readonly label: { readonly line: LaidLine; readonly left: number } | null;
  /** Language of the text when it differs from the article's (an Arabic paragraph in English). */
  readonly lang: string | null;
  readonly lineCount: number;
  /** Set again above this block where it starts a page (a table's header row over its rows), as an artifact. */
  readonly runningHead?: SetBlock | null;
}

/** A cell as set: its lines placed in its column (`set.left`), and its TH or TD element. */
export interface SetCell {
  readonly set: SetBlock;
  readonly struct: StructNode;
}

/** One row of a set table: what the page layout places and the painter draws (draw.ts). */
export interface TableRowBlock {
  readonly kind: 'table-row';
  readonly header: boolean;
  /** The table's last row: the closing rule goes under it. */
  readonly last: boolean;
  readonly cells: readonly SetCell[];
  /** The TR element, and the Table it belongs to. */
  readonly struct: StructNode;
  readonly table: StructNode;
  /** Where the table's rules start and how long they are, from the left margin. */
  readonly left: number;
  readonly width: number;
  /** Half the space between rows: where a rule runs, above or below the text. */
  readonly ruleOffset: number;
  readonly spacing: BlockSpacing;
  readonly keepWithNext: boolean;
  readonly quoteDepth: number;
}
