/**
 * Shaping: text in one font → positioned glyphs, each carrying the exact characters it stands
 * for, so the PDF's ToUnicode map gives back the source text (emoji sequences, ligatures,
 * Arabic contextual forms included).
 *
 * fontkit reports characters per glyph (`codePoints`), but not reliably: it caches glyph
 * objects by id with the characters of the first use that created them, drops the characters
 * a font folds into a glyph without ligating them (the skin tone of 👍🏽 in Noto Emoji) and
 * replaces default-ignorable characters (ZWJ, variation selectors) with a zero-width space
 * glyph. So every glyph of a run is made anew, and the characters are then aligned
 * with the source text: whatever fontkit lost is attached to the glyph before it.
 */
import { mirrored } from './bidi.ts';
import type { FontkitFont, FontkitGlyph } from './fontkit.ts';

export interface ShapedGlyph {
  readonly id: number;
  /**
   * The characters this glyph shows, in logical order. Empty for glyphs a shaper inserted on
   * its own (Noto Naskh draws Arabic dots as separate mark glyphs): those are drawn as
   * outlines, since a text glyph has to map to some text and any text would be invented.
   */
  readonly text: string;
  /** Positioned advance, font units. */
  readonly advance: number;
  /** Advance in the font's hmtx table, font units: what the PDF's W array states. */
  readonly nominal: number;
  readonly xOffset: number;
  readonly yOffset: number;
}

export interface ShapedText {
  /** Visual order (left to right as drawn). */
  readonly glyphs: readonly ShapedGlyph[];
  /** Sum of advances, font units. */
  readonly advance: number;
  readonly rtl: boolean;
}

/** Characters fontkit hides (replaces with a zero-advance space glyph), per Unicode's list. */
const DEFAULT_IGNORABLE = /^[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFF8\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0000}-\u{E0FFF}]$/u;

/**
 * Shapes `text`, one run of one bidi level, with `font` in `direction` (OpenType features as
 * the font defines them; `features` switches some on or off, e.g. `{ liga: false }` for
 * letter-spaced text). Right to left, a character with a mirror image is drawn as that image
 * (UAX #9 rule L4: `(` opens a parenthesis on the right), still mapped back to itself.
 */
export function shapeText(font: FontkitFont, text: string, direction: 'ltr' | 'rtl', features?: Readonly<Record<string, boolean>>): ShapedText {
  const characters = Array.from(text);
  // One code point for one: `shown` and `characters` share their indexes.
  const shown = direction === 'rtl' ? characters.map((character) => mirrorIn(font, character)) : characters;
  // fontkit makes one glyph object per glyph id, named by the characters of whichever use came
  // first, even within a run: a letter a font decomposes (Noto Naskh draws إ as the glyph of ا
  // and a hamza, ز as that of ر and a dot) would be named by the letter whose glyph it borrows,
  // and text extraction read `اعإدة` for إعادة. During layout a glyph object is made for each
  // glyph and the characters it is made for, and used again only for those same characters.
  const cache = font._glyphs;
  const getGlyph = font.getGlyph;
  const made = new Map<string, FontkitGlyph>();
  font.getGlyph = (id, codePoints) => {
    const key = codePoints ? `${id} ${codePoints.join(' ')}` : `${id}`;
    let glyph = made.get(key);
    if (!glyph) {
      font._glyphs = {};
      glyph = getGlyph.call(font, id, codePoints);
      made.set(key, glyph);
    }
    return glyph;
  };
  let run;
  try {
    run = font.layout(shown.join(''), features, undefined, undefined, direction);
  } finally {
    font.getGlyph = getGlyph;
    font._glyphs = cache;
  }
  const rtl = run.direction === 'rtl';
  const count = run.glyphs.length;
  // Work in logical order; fontkit returns right-to-left runs reversed.
  const logical = (index: number) => (rtl ? count - 1 - index : index);
  const spaceId = font.glyphForCodePoint(0x20).id;
  const texts: string[] = new Array<string>(count).fill('');
  const drawn: boolean[] = new Array<boolean>(count).fill(true);
  let cursor = 0;
  let lastWithText = -1;
  let pendingPrefix = '';

  const take = (from: number, to: number) => characters.slice(from, to).join('');

  for (let step = 0; step < count; step++) {
    const index = logical(step);
    const glyph = run.glyphs[index] as FontkitGlyph;
    const position = run.positions[index];
    const codePoints = glyph.codePoints;
    const next = shown[cursor];
    if (glyph.id === spaceId && position?.xAdvance === 0 && next !== undefined && DEFAULT_IGNORABLE.test(next)) {
      // A hidden ignorable: not drawn; its character goes with the glyph before it.
      drawn[index] = false;
      continue;
    }
    if (codePoints.length === 0) continue; // inserted by the shaper: an outline, no text
    const at = indexOfSequence(shown, codePoints, cursor);
    if (at < 0) {
      // fontkit names characters that are not at this place in the text (cannot happen with a
      // fresh cache, but a wrong map must not eat the text): give the glyph the next one.
      texts[index] = pendingPrefix + take(cursor, cursor + 1);
      pendingPrefix = '';
      cursor = Math.min(characters.length, cursor + 1);
      lastWithText = index;
      continue;
    }
    if (at > cursor) {
      const skipped = take(cursor, at);
      if (lastWithText >= 0) texts[lastWithText] += skipped;
      else pendingPrefix += skipped;
    }
    texts[index] = pendingPrefix + take(at, at + codePoints.length);
    pendingPrefix = '';
    cursor = at + codePoints.length;
    lastWithText = index;
  }
  const rest = pendingPrefix + take(cursor, characters.length);
  if (rest) {
    if (lastWithText >= 0) texts[lastWithText] += rest;
    else {
      // Nothing drawable took text (a run of ignorables alone): make the first glyph carry it.
      const first = run.glyphs.findIndex((_, index) => drawn[index]);
      if (first >= 0) texts[first] = rest;
    }
  }

  const glyphs: ShapedGlyph[] = [];
  let advance = 0;
  for (let index = 0; index < count; index++) {
    if (!drawn[index]) continue;
    const glyph = run.glyphs[index] as FontkitGlyph;
    const position = run.positions[index];
    const shaped: ShapedGlyph = {
      id: glyph.id,
      text: texts[index] ?? '',
      advance: position?.xAdvance ?? glyph.advanceWidth,
      nominal: glyph.advanceWidth,
      xOffset: position?.xOffset ?? 0,
      yOffset: position?.yOffset ?? 0,
    };
    glyphs.push(shaped);
    advance += shaped.advance;
  }
  return { glyphs, advance, rtl };
}

/** The mirror image of `character` when `font` has it; a font without it draws the character as is. */
function mirrorIn(font: FontkitFont, character: string): string {
  const image = mirrored(character);
  return image !== character && font.hasGlyphForCodePoint(image.codePointAt(0) ?? 0) ? image : character;
}

function indexOfSequence(characters: readonly string[], codePoints: readonly number[], from: number): number {
  const first = codePoints[0];
  if (first === undefined) return -1;
  outer: for (let start = from; start <= characters.length - codePoints.length; start++) {
    for (let offset = 0; offset < codePoints.length; offset++) {
      if (characters[start + offset]?.codePointAt(0) !== codePoints[offset]) continue outer;
    }
    return start;
  }
  return -1;
}

/** The UTF-16 offsets (in the shaped text, logical order) at which glyph boundaries fall. */
export function glyphBoundaries(shaped: ShapedText): Set<number> {
  const boundaries = new Set<number>([0]);
  let offset = 0;
  const ordered = shaped.rtl ? [...shaped.glyphs].reverse() : shaped.glyphs;
  for (const glyph of ordered) {
    offset += glyph.text.length;
    boundaries.add(offset);
  }
  return boundaries;
}
