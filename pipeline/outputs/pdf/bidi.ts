/**
 * The Unicode Bidirectional Algorithm (UAX #9) as the print edition needs it, by bidi-js: the
 * embedding level of every character of a paragraph (explicit marks, numbers and the
 * separators between them, neutrals, paired brackets: rules P2–I2) and the mirror image of a
 * character set right to left (rule L4). Reordering a line by the levels (rule L2) is done on
 * laid-out pieces, in paragraph.ts.
 */
import type { BidiCharTypeName } from 'bidi-js';
import bidiFactory from 'bidi-js/dist/bidi.mjs';

/** bidi-js's functions; it keeps only its read-only Unicode tables, built on first use. */
const bidi = bidiFactory();

export interface ParagraphLevels {
  /** Per UTF-16 code unit of the paragraph's text; odd levels are right to left. */
  readonly levels: Uint8Array;
  /** 1 when the first strong letter is right to left (Arabic, Hebrew…), else 0. */
  readonly paragraphLevel: number;
}

/**
 * Breaks of any kind inside a paragraph's text (newlines of soft-wrapped source, tabs) are
 * spaces to the typesetter: to UAX #9 they would end the paragraph (type B) or reset the level
 * (type S), so they are given as spaces.
 */
const SEPARATORS = /[\t\n\v\f\r\x1C-\x1F\x85\u2029]/g;
/**
 * Characters that may set anything right to left: the right-to-left scripts of the BMP (Hebrew
 * to Arabic Extended, their presentation forms), the right-to-left mark, embeddings, overrides
 * and isolates, and the right-to-left blocks beyond the BMP (as surrogate pairs).
 */
const MAY_RUN_RIGHT_TO_LEFT = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF\u200F\u202A-\u202E\u2066-\u2069]|\uD802[\uDC00-\uDFFF]|\uD803[\uDC00-\uDFFF]|\uD83A[\uDC00-\uDFFF]|\uD83B[\uDC00-\uDFFF]/;

/** Outside the Basic Multilingual Plane: bidi-js reads UTF-16 code units, not code points. */
const ASTRAL = /[\u{10000}-\u{10FFFF}]/gu;
/** A character of the BMP for each bidi type an astral character may have. */
const STAND_INS: Partial<Record<BidiCharTypeName, string>> = {
  R: '\u05D0',
  AL: '\u0627',
  EN: '0',
  AN: '\u0660',
  NSM: '\u0300',
  BN: '\u200B',
  ON: '!',
  WS: ' ',
};

/**
 * The levels of `text`, one paragraph, its direction taken from its first strong letter (as a
 * browser's `dir="auto"` does).
 */
export function paragraphLevels(text: string): ParagraphLevels {
  // Text with no right-to-left letter, Arabic digit or explicit direction mark is left to right
  // throughout (UAX #9 gives every character level 0: W7 makes its numbers L): most paragraphs,
  // which need not pay for the algorithm.
  if (!MAY_RUN_RIGHT_TO_LEFT.test(text)) return { levels: new Uint8Array(text.length), paragraphLevel: 0 };
  // Same length as the text, so the levels index it: an astral character (an emoji, a
  // historic script) becomes two code units of its own bidi type, which bidi-js would
  // otherwise read as two unknown (left-to-right) halves.
  const typed = text.replace(SEPARATORS, ' ').replace(ASTRAL, (character) => (STAND_INS[bidi.getBidiCharTypeName(character)] ?? 'a').repeat(2));
  const result = bidi.getEmbeddingLevels(typed, 'auto');
  return { levels: result.levels, paragraphLevel: result.paragraphs[0]?.level ?? 0 };
}

/** The character drawn for `character` in right-to-left text: `)` for `(`, `»` for `«`…, or itself. */
export function mirrored(character: string): string {
  return bidi.getMirroredCharacter(character) ?? character;
}
