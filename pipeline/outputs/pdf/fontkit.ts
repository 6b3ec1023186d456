/**
 * fontkit, PDFKit's own font engine, with types for the parts Galley uses.
 *
 * Galley shapes, measures and embeds text itself (see embedded-font.ts for why), so it needs
 * fontkit directly. It depends on the same fontkit range as PDFKit, which npm dedupes into one
 * copy, and imports it as the ES module PDFKit imports: one instance in a process. (Required
 * as CommonJS, it was loaded a second time beside PDFKit's, ~0.2 s of every PDF worker's
 * start.) fontkit ships no type declarations: the interfaces below describe what fontkit 2
 * provides, and fontkit-package.d.ts declares the one function imported.
 */
import { createRequire } from 'node:module';
import { create } from 'fontkit';

export interface FontkitPathCommand {
  readonly command: 'moveTo' | 'lineTo' | 'quadraticCurveTo' | 'bezierCurveTo' | 'closePath';
  readonly args: readonly number[];
}

export interface FontkitGlyph {
  readonly id: number;
  /** The characters this glyph object was created for (see shaping.ts: not to be trusted as is). */
  readonly codePoints: readonly number[];
  /** Advance from the font's hmtx table, in font units. */
  readonly advanceWidth: number;
  readonly path: { readonly commands: readonly FontkitPathCommand[] };
}

export interface FontkitPosition {
  readonly xAdvance: number;
  readonly yAdvance: number;
  readonly xOffset: number;
  readonly yOffset: number;
}

export interface FontkitGlyphRun {
  readonly glyphs: readonly FontkitGlyph[];
  readonly positions: readonly FontkitPosition[];
  /** `rtl` runs come back in visual order (reversed). */
  readonly direction: 'ltr' | 'rtl';
  readonly script: string;
}

export interface FontkitSubset {
  /** Adds a glyph (by font glyph id) and returns its id in the subset font. */
  includeGlyph(glyphId: number): number;
  /** The subset as a TrueType font file. */
  encode(): Uint8Array;
}

export interface FontkitFont {
  readonly postscriptName: string;
  readonly familyName: string;
  readonly unitsPerEm: number;
  readonly ascent: number;
  readonly descent: number;
  readonly capHeight: number;
  readonly xHeight: number;
  readonly italicAngle: number;
  readonly bbox: { readonly minX: number; readonly minY: number; readonly maxX: number; readonly maxY: number };
  readonly numGlyphs: number;
  readonly post: { readonly isFixedPitch: number | boolean };
  readonly head: { readonly macStyle: { readonly italic: boolean } };
  readonly 'OS/2'?: { readonly sFamilyClass?: number };
  readonly directory: { readonly tables: Readonly<Record<string, unknown>> };
  hasGlyphForCodePoint(codePoint: number): boolean;
  glyphForCodePoint(codePoint: number): FontkitGlyph;
  /** `codePoints`: the characters a new glyph object is named by (a cached one keeps its own). */
  getGlyph(glyphId: number, codePoints?: readonly number[]): FontkitGlyph;
  /** `script` and `language` are OpenType tags (null: from the text); `direction` null: from the script. */
  layout(text: string, features?: Readonly<Record<string, boolean>>, script?: string, language?: string, direction?: 'ltr' | 'rtl'): FontkitGlyphRun;
  createSubset(): FontkitSubset;
  /**
   * fontkit's cache of glyph objects by glyph id. Internal, but shaping.ts must bypass it:
   * a cached glyph keeps the characters of whichever run created it first.
   */
  _glyphs: Record<number, FontkitGlyph>;
}

const requireFromHere = createRequire(import.meta.url);

/** Parses a TrueType font; throws with the file named when it is not one Galley can embed. */
export function openFont(bytes: Uint8Array, file: string): FontkitFont {
  // The cast states the shape documented above; fontkit has no declarations of its own.
  const font = create(bytes) as FontkitFont;
  if (!('glyf' in font.directory.tables)) {
    // embedded-font.ts writes CIDFontType2 (TrueType outlines) only.
    throw new Error(`${file} has no TrueType outlines (glyf table); the PDF renderer embeds TrueType fonts only`);
  }
  return font;
}

/** Absolute path of a font file named by module specifier (`package/path.ttf`). */
export function resolveFontFile(specifier: string): string {
  return requireFromHere.resolve(specifier);
}
