/**
 * Pictures in the print edition: placed in the text's measure at the size a browser shows
 * them (a pixel is three quarters of a point), never wider than the measure nor taller than a
 * share of the page, keeping their proportions; at the start of the line (the right in a
 * right-to-left article). A described picture is a Figure whose Alt is its description; one
 * without a description is decoration (an artifact). PDFKit embeds the file (JPEG as it is, PNG
 * decoded and deflated again, its transparency as a soft mask, which PDF/A-2 allows).
 */
import type { ImageBlock } from './blocks.ts';
import type { SetBlock } from './set-block.ts';


/** The picture set in `measure`: one "line" as high as the picture; its width follows from its proportions. */
export function setImage(block: ImageBlock, measure: number, rtl: boolean): SetBlock {
  const available = Math.max(1, measure - block.indent);
  const { width: w, height: h } = block.pixels;
  let width = Math.min(available, w * block.scale);
  let height = (width * h) / w;
  if (height > block.maxHeight) {
    height = block.maxHeight;
    width = (height * w) / h;
  }
  return {
    block,
    lines: [],
    lineHeight: height,
    baseline: 0,
    ascent: 0,
    descent: 0,
    left: rtl ? block.indent + available - width : block.indent,
    label: null,
    lang: null,
    lineCount: 1,
  };
}

/** The width a set picture is drawn at (its height is the set block's line height). */
export function imageWidth(set: SetBlock, block: ImageBlock): number {
  return (set.lineHeight * block.pixels.width) / block.pixels.height;
}
