/**
 * The fonts of the print edition, loaded once per process (per worker thread): the text
 * families of the theme and the fallbacks for scripts and emoji they lack, with the caches
 * that make a warm render cheap (shaped words, hyphenation). The big CJK fonts are read the
 * first time a character needs them.
 *
 * Which font draws what is decided per grapheme cluster (so 👍🏽 or a ZWJ family stays one
 * unit): emoji go to the emoji font, characters of a script with a preferred fallback (Arabic,
 * Hebrew, CJK) to that font, the rest to the text family, then to any fallback that has them.
 * A cluster no font has is drawn as a stand-in glyph and reported; its text stays in the PDF.
 */
import fs from 'node:fs';
import type { FamilyFiles, FamilyName, FallbackFamily, PdfTheme, TextStyle } from '../../../templates/pdf-theme.ts';
import { openFont, resolveFontFile, type FontkitFont } from './fontkit.ts';
import { Hyphenation } from './hyphenation.ts';
import { shapeText, type ShapedText } from './shaping.ts';

type FaceVariant = 'regular' | 'bold' | 'italic' | 'boldItalic';

/** One font file, parsed, with its shaping cache. */
export class Face {
  /** Stable key, e.g. `serif/bold`; also orders fonts in the PDF. */
  readonly key: string;
  /** The font file, for messages. */
  readonly file: string;
  readonly font: FontkitFont;
  /** Font units → points at size 1. */
  readonly unitScale: number;
  /** Ascent and descent (positive), per point of font size. */
  readonly ascent: number;
  readonly descent: number;
  readonly isEmoji: boolean;
  readonly #shapes = new Map<string, ShapedText>();
  readonly #coverage = new Map<number, boolean>();

  constructor(key: string, file: string, isEmoji: boolean) {
    this.key = key;
    this.file = file;
    this.font = openFont(fs.readFileSync(file), file);
    this.unitScale = 1 / this.font.unitsPerEm;
    this.ascent = this.font.ascent * this.unitScale;
    this.descent = Math.abs(this.font.descent) * this.unitScale;
    this.isEmoji = isEmoji;
  }

  has(codePoint: number): boolean {
    let known = this.#coverage.get(codePoint);
    if (known === undefined) {
      known = this.font.hasGlyphForCodePoint(codePoint);
      this.#coverage.set(codePoint, known);
    }
    return known;
  }

  /**
   * Shapes `text`, a run of one direction (see shapeText); the result is cached for the life
   * of the process (same input, same glyphs).
   */
  shape(text: string, direction: 'ltr' | 'rtl' = 'ltr', letterSpaced = false): ShapedText {
    const key = `${direction}${letterSpaced ? ' spaced' : ''}\u0000${text}`;
    let shaped = this.#shapes.get(key);
    if (!shaped) {
      // Letter-spaced text must not ligate: the spacing would tear the ligature's letters apart.
      shaped = shapeText(this.font, text, direction, letterSpaced ? { liga: false, clig: false, dlig: false } : undefined);
      if (this.#shapes.size >= SHAPE_CACHE_LIMIT) this.#shapes.clear();
      this.#shapes.set(key, shaped);
    }
    return shaped;
  }
}

/** Words kept shaped per face; a 2 MB article has far fewer distinct words than this. */
const SHAPE_CACHE_LIMIT = 100_000;

/** A face that is read from disk the first time it is needed. */
class LazyFace {
  readonly #key: string;
  readonly #file: string;
  readonly #emoji: boolean;
  #face: Face | null = null;

  constructor(key: string, file: string, emoji: boolean) {
    this.#key = key;
    this.#file = file;
    this.#emoji = emoji;
  }

  get(): Face {
    this.#face ??= new Face(this.#key, this.#file, this.#emoji);
    return this.#face;
  }
}

interface FallbackSlot {
  readonly family: FallbackFamily;
  readonly faces: Readonly<Record<FaceVariant, LazyFace>>;
}

/** The fonts to try for one text style, in order. */
export interface FontChain {
  readonly primary: Face;
  readonly style: TextStyle;
  readonly lang: string;
  readonly fallbacks: readonly { readonly family: FallbackFamily; readonly face: LazyFace }[];
}

function variantOf(style: Pick<TextStyle, 'bold' | 'italic'>): FaceVariant {
  if (style.bold) return style.italic ? 'boldItalic' : 'bold';
  return style.italic ? 'italic' : 'regular';
}

/** The file for a variant, or the nearest one the family has (bold italic → bold → regular). */
function fileFor(files: FamilyFiles, variant: FaceVariant): string {
  const nearest: Record<FaceVariant, readonly (keyof FamilyFiles)[]> = {
    regular: ['regular'],
    bold: ['bold', 'regular'],
    italic: ['italic', 'regular'],
    boldItalic: ['boldItalic', 'bold', 'italic', 'regular'],
  };
  for (const key of nearest[variant]) {
    const file = files[key];
    if (file) return file;
  }
  return files.regular;
}

const VARIANTS: readonly FaceVariant[] = ['regular', 'bold', 'italic', 'boldItalic'];

const SCRIPTS = ['Latin', 'Greek', 'Cyrillic', 'Arabic', 'Hebrew', 'Han', 'Hiragana', 'Katakana', 'Hangul', 'Bopomofo', 'Thai', 'Devanagari', 'Armenian', 'Georgian', 'Ethiopic', 'Syriac', 'Thaana'] as const;
const SCRIPT_PATTERNS = SCRIPTS.map((name) => [name, new RegExp(`\\p{Script=${name}}`, 'u')] as const);
const EMOJI_PRESENTATION = /\p{Emoji_Presentation}|\uFE0F|\p{Emoji_Modifier}|\p{Regional_Indicator}/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
/** Characters that need no glyph of their own (joiners, selectors, format controls). */
const IGNORABLE = /[\p{Default_Ignorable_Code_Point}]/u;

/** Everything `renderPdf` loads once: fonts, hyphenation patterns, the grapheme segmenter. */
export class FontLibrary {
  readonly theme: PdfTheme;
  readonly hyphenation: Hyphenation;
  readonly graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });
  readonly #families: Readonly<Record<FamilyName, Readonly<Record<FaceVariant, LazyFace>>>>;
  readonly #fallbacks: readonly FallbackSlot[];
  readonly #scripts = new Map<number, string>();

  constructor(theme: PdfTheme) {
    this.theme = theme;
    this.hyphenation = new Hyphenation(theme.typesetting.hyphenation);
    const family = (name: FamilyName, files: FamilyFiles) =>
      Object.fromEntries(VARIANTS.map((variant) => [variant, new LazyFace(`${name}/${variant}`, resolveFontFile(fileFor(files, variant)), false)])) as Record<FaceVariant, LazyFace>;
    this.#families = { serif: family('serif', theme.fonts.serif), sans: family('sans', theme.fonts.sans), mono: family('mono', theme.fonts.mono) };
    this.#fallbacks = theme.fonts.fallbacks.map((fallback) => ({
      family: fallback,
      faces: Object.fromEntries(
        VARIANTS.map((variant) => [variant, new LazyFace(`${fallback.name}/${variant}`, resolveFontFile(fileFor(fallback.files, variant)), fallback.emoji === true)]),
      ) as Record<FaceVariant, LazyFace>,
    }));
    // The text families are read now: every article needs them.
    for (const name of ['serif', 'sans'] as const) for (const variant of VARIANTS) this.#families[name][variant].get();
  }

  face(family: FamilyName, style: Pick<TextStyle, 'bold' | 'italic'>): Face {
    return this.#families[family][variantOf(style)].get();
  }

  /** The fonts for `style` in a text of language `lang`. */
  chain(style: TextStyle, lang: string): FontChain {
    const variant = variantOf(style);
    const language = (lang.split('-')[0] ?? lang).toLowerCase();
    // Fallbacks that name the text's language come first among their peers (Korean text
    // prefers the Korean font for Han characters too).
    const ordered = [...this.#fallbacks].sort((a, b) => Number(b.family.languages?.includes(language) ?? false) - Number(a.family.languages?.includes(language) ?? false));
    return {
      primary: this.face(style.family, style),
      style,
      lang,
      fallbacks: ordered.map((slot) => ({ family: slot.family, face: slot.faces[variant] })),
    };
  }

  /** Unicode script of a character (`Common` for punctuation, digits, symbols). */
  scriptOf(codePoint: number): string {
    let script = this.#scripts.get(codePoint);
    if (script === undefined) {
      const character = String.fromCodePoint(codePoint);
      script = SCRIPT_PATTERNS.find(([, pattern]) => pattern.test(character))?.[0] ?? 'Common';
      this.#scripts.set(codePoint, script);
    }
    return script;
  }

  /**
   * The face that draws grapheme `cluster`, or null when none can. `previous` is the face of
   * the cluster before: punctuation and digits stay with it when it has them, so an Arabic
   * comma is set in the Arabic font and a full stop after Chinese in the Chinese one.
   */
  faceFor(cluster: string, chain: FontChain, previous: Face | null): Face | null {
    const codePoints = codePointsToCover(cluster);
    if (codePoints.length === 0) return previous ?? chain.primary;
    const covers = (face: Face) => codePoints.every((codePoint) => face.has(codePoint));
    if (PICTOGRAPHIC.test(cluster) && EMOJI_PRESENTATION.test(cluster)) {
      for (const fallback of chain.fallbacks) {
        if (fallback.family.emoji) {
          const face = fallback.face.get();
          if (covers(face)) return face;
        }
      }
    }
    const script = this.scriptOf(codePoints[0] ?? 0x20);
    // Not after an emoji: Noto Emoji has digits (for keycaps) that must not set a year.
    if (script === 'Common' && previous && !previous.isEmoji && covers(previous)) return previous;
    for (const fallback of chain.fallbacks) {
      if (fallback.family.scripts.includes(script)) {
        const face = fallback.face.get();
        if (covers(face)) return face;
      }
    }
    if (covers(chain.primary)) return chain.primary;
    for (const fallback of chain.fallbacks) {
      if (fallback.family.scripts.includes(script)) continue; // tried above
      // In theme order: a broad font (DejaVu Sans) comes before the big CJK files, so a
      // missing symbol does not read 10 MB it will not find anything in.
      const face = fallback.face.get();
      if (covers(face)) return face;
    }
    return null;
  }
}

function codePointsToCover(cluster: string): number[] {
  const codePoints: number[] = [];
  for (const character of cluster) {
    if (IGNORABLE.test(character)) continue;
    codePoints.push(character.codePointAt(0) ?? 0);
  }
  return codePoints;
}

/** Renders the code points of a string as `U+1F9FF 🧿` for messages. */
export function describeCharacters(characters: Iterable<string>): string {
  return [...characters]
    .map((character) => `${[...character].map((c) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`).join(' ')} ${JSON.stringify(character)}`)
    .join(', ');
}
