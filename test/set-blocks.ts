/** Set blocks for the PDF layout's tests: paragraphs of empty lines, 10 points each. */
import type { LaidLine } from '../pipeline/outputs/pdf/paragraph.ts';
import type { SetBlock } from '../pipeline/outputs/pdf/layout.ts';
import { pdfTheme } from '../templates/pdf-theme.ts';

/** A justified body paragraph of `lineCount` lines; `hyphenated` names the lines that end at a hyphen. */
export function textSetBlock(lineCount: number, options: { before?: number; hyphenated?: readonly number[]; keepWithNext?: boolean } = {}): SetBlock {
  const line = (index: number): LaidLine => ({ elements: [], hyphenated: options.hyphenated?.includes(index) ?? false });
  return {
    block: {
      kind: 'text',
      runs: [],
      style: pdfTheme.styles.body,
      align: 'justify',
      hyphenate: true,
      indent: 0,
      firstIndent: 0,
      spacing: { before: options.before ?? 0, after: 0 },
      keepWithNext: options.keepWithNext ?? false,
      struct: { tag: 'P', parent: null },
      label: null,
      quoteDepth: 0,
      outline: null,
    },
    lines: Array.from({ length: lineCount }, (_, index) => line(index)),
    lineHeight: 10,
    baseline: 8,
    ascent: 8,
    descent: 2,
    left: 0,
    label: null,
    lang: null,
    lineCount,
  };
}
