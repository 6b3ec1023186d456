/**
 * A paragraph of styled text → lines: fonts chosen per grapheme cluster (fallback), words
 * shaped once and cut where a line may break (hyphenation points, explicit hyphens, between
 * CJK characters), broken into lines with Knuth–Plass, then laid out left to right in visual
 * order. Directions are Unicode's bidi algorithm's (UAX #9, see bidi.ts): every character of
 * the paragraph has a level, words are cut where it changes, each cut shaped in its direction
 * (right to left with mirrored brackets), and each line's pieces reordered by level (rule L2).
 */
import type { TextStyle } from '../../../templates/pdf-theme.ts';
import { paragraphLevels } from './bidi.ts';
import type { Face, FontChain, FontLibrary } from './fonts.ts';
import { breakLines, breakLinesWithin, FILL, FORBIDDEN, FORCED, type BrokenLine, type LineBreakParameters } from './line-breaking.ts';
import { glyphBoundaries, type ShapedGlyph } from './shaping.ts';
import { segmentsOf, type Segment } from '../../model/segments.ts';

/** A run of text in one style; `link` is an absolute URL when the run is a link. */
export interface InlineRun {
  readonly text: string;
  readonly style: TextStyle;
  readonly link: string | null;
}

/** Marks a forced line break (Markdown hard break) inside run text. */
export const LINE_BREAK = '\u2028';

/** Glyphs of one face in one style, drawn as a unit. */
export interface Piece {
  readonly face: Face;
  readonly size: number;
  readonly color: string;
  /** Extra advance after every glyph, points. */
  readonly tracking: number;
  /** Visual order. */
  readonly glyphs: readonly ShapedGlyph[];
  readonly width: number;
  /** Bidi embedding level of the characters drawn: odd is right to left, the glyphs reversed. */
  readonly level: number;
  readonly link: string | null;
}

interface BoxItem {
  readonly kind: 'box';
  readonly width: number;
  /** Null for the first-line indent. */
  readonly piece: Piece | null;
}
interface GlueItem {
  readonly kind: 'glue';
  readonly width: number;
  readonly stretch: number;
  readonly shrink: number;
  /** The space drawn (a real space glyph, so text extraction sees words), or null. */
  readonly piece: Piece | null;
}
interface PenaltyItem {
  readonly kind: 'penalty';
  readonly width: number;
  readonly penalty: number;
  readonly flagged: boolean;
  /** Drawn at the end of the line when it breaks here (the hyphen). */
  readonly piece: Piece | null;
}
export type Item = BoxItem | GlueItem | PenaltyItem;

/**
 * `justify`: flush both sides (the last line flush left); `ragged`: flush left; `balanced`:
 * flush left with lines of similar length (headlines: no word alone on the last line);
 * `code`: flush left, spaces and line breaks as written.
 */
export type Alignment = 'justify' | 'ragged' | 'balanced' | 'code';

export interface ParagraphOptions {
  readonly lang: string;
  readonly align: Alignment;
  /** Width of the lines. */
  readonly measure: number;
  /** Indent of the first line. */
  readonly firstIndent: number;
  readonly hyphenate: boolean;
}

/** One element of a laid-out line. */
export interface LineElement {
  readonly piece: Piece;
  /** Left edge, relative to the start of the measure. */
  readonly x: number;
  /** Drawn width (glue stretched or shrunk). */
  readonly width: number;
}

export interface LaidLine {
  /** Logical order (the drawing order: structure and text extraction follow it). */
  readonly elements: readonly LineElement[];
  /** The line ends at a hyphen (a word broken, or a compound) or a dash: no page ends with it. */
  readonly hyphenated: boolean;
}

export interface LaidParagraph {
  readonly lines: readonly LaidLine[];
  readonly rtl: boolean;
  /** The script most of the letters are in (for the structure's language). */
  readonly script: string;
}

/**
 * Where a word may break, and how: `word` is a boundary between two words of a script written
 * without spaces (Thai, Lao, Khmer, Myanmar), as a dictionary finds it; `headlineIdeographic`
 * one between two CJK characters of a headline, not after punctuation (see #plan).
 */
type BreakKind = 'hyphen' | 'explicit' | 'ideographic' | 'headlineIdeographic' | 'word' | 'address' | 'zero';

/**
 * A word as set in one style at given bidi levels: its boxes and breaks (pieces without a
 * link), the scripts it is in, the clusters no font has, and the face it ends in. Immutable, so
 * one plan serves every occurrence of the word, in every article of a worker.
 */
export interface WordPlan {
  readonly items: readonly Item[];
  readonly scripts: readonly (readonly [string, number])[];
  readonly missing: readonly string[];
  /** The face of the last cluster, when it differs from the one the word started after. */
  readonly lastFace: Face | null;
}

/** Everything about a style that changes how a word is set. */
function styleKey(style: TextStyle): string {
  return `${style.family}/${style.bold ? 'b' : ''}${style.italic ? 'i' : ''}${style.uppercase ? 'u' : ''}/${style.size}/${style.color}/${style.tracking ?? 0}`;
}

/**
 * Spaces a line may break at: not U+00A0, U+2007 or U+202F, which hold words together, nor a
 * thin space U+2009 between two digits, which groups the digits of one number (3 300, 54 000
 * 000 in French and by the SI's rule) as U+202F does.
 */
const BREAKING_SPACE = /(?:[ \t\n\r\f\v\u1680\u2000-\u2006\u2008\u200A\u205F\u3000]|(?<!\p{Nd})\u2009|\u2009(?!\p{Nd}))+/u;
const TOKENS = new RegExp(`(\u2028|${BREAKING_SPACE.source})`, 'u');
const IDEOGRAPHIC = new Set(['Han', 'Hiragana', 'Katakana', 'Bopomofo']);
/** Kinsoku: no line starts with these (closing punctuation, small kana, prolonged sound mark). */
const NO_BREAK_BEFORE = /^[、。，．・：；？！）」』】〕〉》〙〗〟’”ー々〻ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ…‥,.!?:;)\]}%]/u;
/** CJK punctuation that ends a phrase: a line may break after it at no cost, also in a headline. */
const CJK_PHRASE_END = /^[、。，．：；？！）」』】〕〉》〙〗〟]$/u;
/** …and no line ends with these (opening punctuation). */
const NO_BREAK_AFTER = /[（「『【〔〈《〘〖〝‘“([{]$/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
/** A word that is a URL or an e-mail address, after any opening bracket or quotation mark. */
const ADDRESS = /^[^\p{L}\p{N}]*(?:[a-z][a-z\d+.-]*:\/\/|www\.|mailto:|[^\s@]+@[^\s@]+\.\p{L}{2,})/iu;
const ALPHANUMERIC = /[\p{L}\p{N}]/u;

/**
 * Where a URL or an e-mail address may break, as the Chicago Manual of Style has it: after a
 * double slash; before a single slash, a dot, a comma, a hyphen, an underscore, ?, #, %, ~ or
 * @; before or after = and &. Never with a hyphen added (which would read as part of the
 * address), and never so that a line starts or ends with punctuation alone (the full stop
 * after an address in a sentence stays with it).
 */
function addressBreaks(text: string): number[] {
  let first = -1;
  let last = -1;
  for (let index = 0; index < text.length; index++) {
    if (!ALPHANUMERIC.test(text[index] ?? '')) continue;
    if (first < 0) first = index;
    last = index;
  }
  const offsets = new Set<number>();
  for (let index = 0; index < text.length; index++) {
    const character = text[index] ?? '';
    if (character === '/') {
      if (text[index - 1] === '/') offsets.add(index + 1);
      else if (text[index + 1] !== '/') offsets.add(index);
    } else if ('.,-_?#%~@'.includes(character)) {
      offsets.add(index);
    } else if (character === '=' || character === '&') {
      offsets.add(index);
      offsets.add(index + 1);
    }
  }
  return [...offsets].filter((offset) => offset > first && offset <= last);
}

/**
 * Scripts written without spaces between words (UAX #14's class SA): a line may break only
 * between words, which ICU's dictionary finds. Their vowel signs and tone marks are of the
 * same script, so a boundary between two of these characters is inside such a run.
 */
const UNSPACED = /[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const LETTER = /\p{L}/gu;
/** Word plans kept per font library; far more distinct words than a 2 MB article holds. */
const WORD_PLAN_LIMIT = 200_000;

/**
 * Words as set, by style, language and context (see ParagraphSetter.wordPlan), kept for as long
 * as the font library they were set with: a worker renders many articles with one library.
 * Held here, not by the library, so that fonts.ts need not know what a word plan is.
 */
const wordPlansOf = new WeakMap<FontLibrary, Map<string, WordPlan>>();
const EXPLICIT_HYPHENS = new Set(['-', '\u2010', '\u2013']);
const DASHES = new Set(['\u2014', '\u2015']);

/** Everything itemizing needs that stays the same through one render. */
export class ParagraphSetter {
  readonly #library: FontLibrary;
  readonly #chains = new Map<TextStyle, Map<string, FontChain>>();
  readonly #wordSegmenters = new Map<string, Intl.Segmenter>();
  readonly #missing = new Set<string>();

  constructor(library: FontLibrary) {
    this.#library = library;
  }

  /** Every cluster no font could draw, over the whole render. */
  get missing(): ReadonlySet<string> {
    return this.#missing;
  }

  /**
   * The plan of a word (see WordPlan), from the process-wide cache. The key holds everything
   * the plan depends on, so a cached plan is exactly what `make` would build.
   */
  wordPlan(word: string, levels: readonly number[], style: TextStyle, options: ParagraphOptions, final: boolean, previousFace: Face | null, make: () => WordPlan): WordPlan {
    const key = `${styleKey(style)}\u0001${options.lang}\u0001${options.hyphenate ? 'h' : ''}${options.align === 'code' ? 'c' : ''}${options.align === 'balanced' ? 'b' : ''}${final ? 'f' : ''}\u0001${previousFace?.key ?? ''}\u0001${levelsKey(levels)}\u0001${word}`;
    let plans = wordPlansOf.get(this.#library);
    if (!plans) {
      plans = new Map();
      wordPlansOf.set(this.#library, plans);
    }
    let plan = plans.get(key);
    if (!plan) {
      plan = make();
      if (plans.size >= WORD_PLAN_LIMIT) plans.clear();
      plans.set(key, plan);
    }
    return plan;
  }

  chain(style: TextStyle, lang: string): FontChain {
    let byLang = this.#chains.get(style);
    if (!byLang) {
      byLang = new Map();
      this.#chains.set(style, byLang);
    }
    let chain = byLang.get(lang);
    if (!chain) {
      chain = this.#library.chain(style, lang);
      byLang.set(lang, chain);
    }
    return chain;
  }

  /**
   * UTF-16 offsets in `text` between two words of a script written without spaces (Thai…),
   * where a line may break. Not where such a word meets anything else: a Thai word and the
   * full stop or parenthesis next to it stay together.
   */
  unspacedWordBreaks(text: string, lang: string): number[] {
    let segmenter = this.#wordSegmenters.get(lang);
    if (!segmenter) {
      segmenter = new Intl.Segmenter(lang, { granularity: 'word' });
      this.#wordSegmenters.set(lang, segmenter);
    }
    const offsets: number[] = [];
    for (const { index } of segmentsOf(segmenter, text)) {
      // These scripts are all in the Basic Multilingual Plane: one code unit is one character.
      if (index > 0 && UNSPACED.test(text[index - 1] ?? '') && UNSPACED.test(text[index] ?? '')) offsets.push(index);
    }
    return offsets;
  }

  /** Sets `runs` on one line, never broken (labels, running header, footer). */
  setLine(runs: readonly InlineRun[], lang: string): { readonly line: LaidLine; readonly width: number } {
    const items: Item[] = [];
    const options: ParagraphOptions = { lang, align: 'ragged', measure: Number.MAX_SAFE_INTEGER, firstIndent: 0, hyphenate: false };
    const itemizer = new Itemizer(this, this.#library, options, items, this.#missing);
    itemizer.paragraph(runs);
    const line = layOutLine(items, { start: 0, end: items.length - 1, ratio: 0 }, { ...options, measure: 0 }, itemizer.rtl, true);
    const width = line.elements.reduce((right, element) => Math.max(right, element.x + element.width), 0);
    return { line, width };
  }

  /** Sets `runs` as a paragraph. */
  set(runs: readonly InlineRun[], options: ParagraphOptions): LaidParagraph {
    const { items, itemizer, options: settled } = this.#itemize(runs, options);
    const broken = breakLines(items, this.#breaking(settled));
    return this.#layOut(items, broken, settled, itemizer);
  }

  /**
   * `runs` set in fewer than `lines` lines, or null when that cannot be done well: the letters
   * drawn closer by the theme's tracking (`typesetting.lastPage.tracking`), the spaces shrunk
   * within the tolerance. What a paper's make-up does to pull back a short last line when a
   * story overruns its page by a line or two. Scripts whose letters join or hang from a line
   * (Arabic, Devanagari…) keep their spacing.
   */
  tighten(runs: readonly InlineRun[], options: ParagraphOptions, lines: number): LaidParagraph | null {
    const { items, itemizer, options: settled } = this.#itemize(runs, options);
    const tracking = this.#library.theme.typesetting.lastPage.tracking;
    const tracked = items.map((item): Item => {
      if (item.kind === 'glue' || !item.piece || !spaceable(item.piece)) return item;
      const extra = tracking * item.piece.size;
      const piece: Piece = { ...item.piece, tracking: item.piece.tracking + extra, width: item.piece.width + extra * item.piece.glyphs.length };
      return { ...item, piece, width: item.width + (piece.width - item.piece.width) };
    });
    const broken = breakLinesWithin(tracked, this.#breaking(settled), lines - 1);
    return broken && broken.length < lines ? this.#layOut(tracked, broken, settled, itemizer) : null;
  }

  /**
   * The items of `runs`, and the options they were made for: a paragraph mostly in a script
   * written without spaces between words (Thai…) is set flush left even where `requested`
   * justifies. A justified line could spread its slack only between words that these scripts
   * run together, or over the few spaces that part their phrases: gaps either way.
   */
  #itemize(runs: readonly InlineRun[], requested: ParagraphOptions): { readonly items: Item[]; readonly itemizer: Itemizer; readonly options: ParagraphOptions } {
    let options = requested;
    let items: Item[] = [];
    let itemizer = new Itemizer(this, this.#library, options, items, this.#missing);
    itemizer.paragraph(runs);
    if (options.align === 'justify' && itemizer.unspaced) {
      options = { ...options, align: 'ragged' };
      items = [];
      itemizer = new Itemizer(this, this.#library, options, items, this.#missing);
      itemizer.paragraph(runs);
    }
    splitOverlongWords(items, options.measure - options.firstIndent, this.#library.theme.typesetting.penalties.emergency);
    return { items, itemizer, options };
  }

  #breaking(options: ParagraphOptions): LineBreakParameters {
    const typesetting = this.#library.theme.typesetting;
    return {
      measure: () => options.measure,
      tolerance: typesetting.tolerance,
      raggedStretch: options.align !== 'justify' ? options.measure * 0.25 : 0,
      emergencyStretch: options.measure * typesetting.emergencyStretch,
      lineDemerits: typesetting.penalties.lineDemerits,
      consecutiveFlagged: typesetting.penalties.consecutiveHyphens,
      finalHyphen: typesetting.penalties.finalHyphen,
      fitnessMismatch: typesetting.penalties.fitnessMismatch,
    };
  }

  #layOut(items: readonly Item[], broken: readonly BrokenLine[], options: ParagraphOptions, itemizer: Itemizer): LaidParagraph {
    const rtl = itemizer.rtl;
    const ragged = options.align !== 'justify';
    const lines = broken.map((line) => layOutLine(items, line, options, rtl, ragged));
    return { lines, rtl, script: itemizer.dominantScript() };
  }
}

/** The levels of a word as a key: one character when they are all alike (nearly every word). */
/** Whether most letters of `text` are of a script written without spaces (see UNSPACED); cheap for text with none. */
function mostlyUnspaced(text: string): boolean {
  if (!UNSPACED.test(text)) return false;
  const letters = text.match(LETTER) ?? [];
  return letters.filter((letter) => UNSPACED.test(letter)).length * 2 > letters.length;
}

/** Level 0 for each of `length` characters, shared (read only): what a left-to-right word's levels are. */
function zeros(length: number): readonly number[] {
  let made = ZEROS[length];
  if (!made) {
    made = Object.freeze(new Array<number>(length).fill(0));
    ZEROS[length] = made;
  }
  return made;
}
const ZEROS: (readonly number[])[] = [];

function levelsKey(levels: readonly number[]): string {
  const first = levels[0] ?? 0;
  for (let index = 1; index < levels.length; index++) if (levels[index] !== first) return levels.join(',');
  return first === 0 ? '0' : String(first);
}

/**
 * Letters that may be drawn closer together or further apart (tracking): scripts of separate
 * letters. A list of those that may rather than of those that may not, so a script not thought
 * of is left alone: cursive scripts (Arabic, Syriac, N'Ko, Mongolian) would come apart, those
 * whose letters hang from a common line or stack marks and conjuncts (Devanagari and the other
 * Indic scripts, Thai, Lao, Khmer, Myanmar, Tibetan) would break up or collide.
 */
const SPACEABLE = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Armenian}\p{Script=Georgian}\p{Script=Hebrew}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}\p{Script=Hangul}\p{Script=Common}\p{Script=Inherited}]*$/u;

function spaceable(piece: Piece): boolean {
  let text = '';
  for (const glyph of piece.glyphs) text += glyph.text;
  return SPACEABLE.test(text);
}

/** Builds the items of one paragraph. */
class Itemizer {
  readonly #setter: ParagraphSetter;
  readonly #library: FontLibrary;
  readonly #options: ParagraphOptions;
  readonly #items: Item[];
  readonly #missing: Set<string>;
  readonly #scriptCounts = new Map<string, number>();
  #paragraphLevel = 0;
  #unspaced = false;
  #previousFace: Face | null = null;

  constructor(setter: ParagraphSetter, library: FontLibrary, options: ParagraphOptions, items: Item[], missing: Set<string>) {
    this.#setter = setter;
    this.#library = library;
    this.#options = options;
    this.#items = items;
    this.#missing = missing;
  }

  /** The paragraph runs right to left (its first strong letter does); known once `paragraph` ran. */
  get rtl(): boolean {
    return this.#paragraphLevel % 2 === 1;
  }

  /** Most letters of the paragraph are of a script written without spaces (see UNSPACED); known once `paragraph` ran. */
  get unspaced(): boolean {
    return this.#unspaced;
  }

  dominantScript(): string {
    let best = 'Common';
    let bestCount = 0;
    for (const [script, count] of this.#scriptCounts) {
      if (count > bestCount) {
        best = script;
        bestCount = count;
      }
    }
    return best;
  }

  paragraph(runs: readonly InlineRun[]): void {
    if (this.#options.firstIndent > 0) this.#items.push({ kind: 'box', width: this.#options.firstIndent, piece: null });
    const code = this.#options.align === 'code';
    // Tokens: words, spaces (collapsed) and forced breaks, across run boundaries; `start` is
    // where a token begins in the paragraph's text, whose bidi levels are computed whole.
    type Token = { readonly kind: 'word' | 'space'; readonly text: string; readonly run: InlineRun; readonly start: number } | { readonly kind: 'break' };
    const tokens: Token[] = [];
    let paragraphText = '';
    for (const run of runs) {
      const text = code ? run.text.replaceAll('\t', '    ').replaceAll('\n', LINE_BREAK) : run.text;
      for (const part of text.split(TOKENS)) {
        if (part === '') continue;
        const start = paragraphText.length;
        paragraphText += part;
        if (part === LINE_BREAK) tokens.push({ kind: 'break' });
        else if (BREAKING_SPACE.test(part) && (!code || part.trim() === '')) tokens.push({ kind: 'space', text: part, run, start });
        else tokens.push({ kind: 'word', text: part, run, start });
      }
    }
    this.#unspaced = mostlyUnspaced(paragraphText);
    const { levels, paragraphLevel } = paragraphLevels(paragraphText);
    this.#paragraphLevel = paragraphLevel;
    // a paragraph all at level 0 (most) shares one array of zeros per word length
    const allLeftToRight = paragraphLevel === 0 && !levels.some((level) => level !== 0);
    const levelsOf = (token: { readonly text: string; readonly start: number }) => (allLeftToRight ? zeros(token.text.length) : Array.from(levels.subarray(token.start, token.start + token.text.length)));
    // The last word of the paragraph, and of a line a hard break ends, is never hyphenated:
    // its tail would stand alone on the last line ("Inter-/fax.").
    const final = new Set<number>();
    let closing = true;
    for (let index = tokens.length - 1; index >= 0; index--) {
      const token = tokens[index] as Token;
      if (token.kind === 'break') closing = true;
      else if (token.kind === 'space') closing = false;
      else if (closing) final.add(index);
    }
    let pendingSpace: { readonly text: string; readonly run: InlineRun; readonly level: number } | null = null;
    let atLineStart = true;
    for (const [index, token] of tokens.entries()) {
      if (token.kind === 'space') {
        if (code && atLineStart) {
          // Indentation of code is content: kept as a box so the line break does not eat it.
          this.#word(token.text, levelsOf(token), token.run, false);
          continue;
        }
        if (!atLineStart) pendingSpace ??= { text: token.text, run: token.run, level: levels[token.start] ?? paragraphLevel };
        continue;
      }
      if (token.kind === 'break') {
        pendingSpace = null;
        // As TeX ends a paragraph: no break before the fill glue, so no empty line after a break.
        this.#items.push({ kind: 'penalty', width: 0, penalty: FORBIDDEN, flagged: false, piece: null });
        this.#items.push({ kind: 'glue', width: 0, stretch: FILL, shrink: 0, piece: null });
        this.#items.push({ kind: 'penalty', width: 0, penalty: FORCED, flagged: false, piece: null });
        atLineStart = true;
        continue;
      }
      if (pendingSpace) {
        this.#space(pendingSpace.text, pendingSpace.run, token.run, pendingSpace.level);
        pendingSpace = null;
      }
      this.#word(token.text, levelsOf(token), token.run, final.has(index));
      atLineStart = false;
    }
    // The last line may end short, except in balanced text, where it is measured like the rest.
    this.#items.push({ kind: 'penalty', width: 0, penalty: FORBIDDEN, flagged: false, piece: null });
    this.#items.push({ kind: 'glue', width: 0, stretch: this.#options.align === 'balanced' ? 0 : FILL, shrink: 0, piece: null });
    this.#items.push({ kind: 'penalty', width: 0, penalty: FORCED, flagged: false, piece: null });
  }

  #space(text: string, run: InlineRun, nextRun: InlineRun, level: number): void {
    const style = run.style;
    const face = this.#setter.chain(style, this.#options.lang).primary;
    const code = this.#options.align === 'code';
    const spaces = code ? text : ' ';
    const shaped = face.shape(spaces, level % 2 === 1 ? 'rtl' : 'ltr');
    const size = style.size;
    const tracking = (style.tracking ?? 0) * size;
    const width = shaped.advance * face.unitScale * size + tracking * shaped.glyphs.length;
    const link = run.link !== null && run.link === nextRun.link ? run.link : null;
    const piece: Piece = { face, size, color: style.color, tracking, glyphs: shaped.glyphs, width, level, link };
    const justify = this.#options.align === 'justify';
    const spacing = this.#library.theme.typesetting.space;
    this.#items.push({ kind: 'glue', width, stretch: justify ? width * spacing.stretch : 0, shrink: justify ? width * spacing.shrink : 0, piece });
  }

  /**
   * Adds one word (no breaking spaces inside; `levels` the bidi level of each of its UTF-16
   * code units) as boxes, with the breaks it allows between them; a `final` word (the last of
   * a paragraph) has no hyphen breaks.
   */
  #word(raw: string, levels: readonly number[], run: InlineRun, final: boolean): void {
    const plan = this.#setter.wordPlan(raw, levels, run.style, this.#options, final, this.#previousFace, () => this.#plan(raw, levels, run.style, final));
    if (run.link === null) {
      for (const item of plan.items) this.#items.push(item);
    } else {
      for (const item of plan.items) this.#items.push(item.kind === 'glue' || !item.piece ? item : { ...item, piece: { ...item.piece, link: run.link } });
    }
    for (const [script, count] of plan.scripts) this.#scriptCounts.set(script, (this.#scriptCounts.get(script) ?? 0) + count);
    for (const cluster of plan.missing) this.#missing.add(cluster);
    if (plan.lastFace) this.#previousFace = plan.lastFace;
  }

  /** How a word is set, independent of where it appears (see ParagraphSetter.wordPlan). */
  #plan(raw: string, rawLevels: readonly number[], style: TextStyle, final: boolean): WordPlan {
    const lang = this.#options.lang;
    const chain = this.#setter.chain(style, lang);
    const breaks = new Map<number, BreakKind>();
    // Soft hyphens and zero-width spaces in the source are break hints, not characters to draw.
    let text = '';
    let levels: number[] = [];
    let rawOffset = 0;
    for (const character of raw) {
      if (character === '\u00AD') {
        if (!final) breaks.set(text.length, 'hyphen');
      } else if (character === '\u200B') {
        breaks.set(text.length, 'zero');
      } else {
        text += character;
        for (let unit = 0; unit < character.length; unit++) levels.push(rawLevels[rawOffset] ?? 0);
      }
      rawOffset += character.length;
    }
    if (style.uppercase) {
      const upper = text.toLocaleUpperCase(lang);
      if (upper.length === text.length) {
        text = upper;
      } else {
        // A letter became several (ß → SS): capitalised one by one, each keeps its level.
        const byLetter: number[] = [];
        let capitals = '';
        let offset = 0;
        for (const character of text) {
          const capital = character.toLocaleUpperCase(lang);
          capitals += capital;
          for (let unit = 0; unit < capital.length; unit++) byLetter.push(levels[offset] ?? 0);
          offset += character.length;
        }
        text = capitals;
        levels = byLetter;
      }
    }
    const code = this.#options.align === 'code';
    const balanced = this.#options.align === 'balanced';
    // An address breaks where Chicago says, never at a hyphenation point or after its hyphens.
    const address = !code && ADDRESS.test(text);
    if (address) for (const offset of addressBreaks(text)) breaks.set(offset, 'address');
    if (this.#options.hyphenate && !final && !code && !address && !style.uppercase && style.family !== 'mono') {
      for (const offset of this.#library.hyphenation.breaks(lang, text)) if (!breaks.has(offset)) breaks.set(offset, 'hyphen');
    }
    if (!code && UNSPACED.test(text)) {
      for (const offset of this.#setter.unspacedWordBreaks(text, lang)) if (!breaks.has(offset)) breaks.set(offset, 'word');
    }
    // segmentsOf, not segment(): V8's segmenter is quadratic in the length of one long word
    const graphemes = [...segmentsOf(this.#library.graphemes, text)];
    for (let index = 0; index < graphemes.length - 1; index++) {
      const character = (graphemes[index] as Segment).segment;
      const next = graphemes[index + 1] as Segment;
      if (!code && !address && (EXPLICIT_HYPHENS.has(character) || DASHES.has(character))) {
        const previous = graphemes[index - 1];
        // After a hyphen between letters or digits (18-month), or after a dash.
        if (DASHES.has(character) || (!final && previous && LETTER_OR_DIGIT.test(previous.segment) && LETTER_OR_DIGIT.test(next.segment))) breaks.set(next.index, 'explicit');
      }
      // A headline breaks at an ideographic space or after 、。 when that costs little, rather
      // than inside a word (日銀、追加利上げを決 | 定　政策金利): a break between two
      // characters of a phrase costs there. In running text any break is as good.
      if (this.#ideographicBreak(character, next.segment)) breaks.set(next.index, balanced && !CJK_PHRASE_END.test(character) ? 'headlineIdeographic' : 'ideographic');
    }

    // Font per grapheme, grouped into spans of one face and one bidi level.
    const scripts = new Map<string, number>();
    const missing: string[] = [];
    let previousFace = this.#previousFace;
    const spans: { face: Face | null; level: number; start: number; end: number }[] = [];
    for (const grapheme of graphemes) {
      const cluster = grapheme.segment;
      const face = this.#library.faceFor(cluster, chain, previousFace);
      const script = this.#library.scriptOf(cluster.codePointAt(0) ?? 0x20);
      // A cluster's marks take its base's level (UAX #9 rule W1).
      const level = levels[grapheme.index] ?? 0;
      if (script !== 'Common') scripts.set(script, (scripts.get(script) ?? 0) + 1);
      if (!face) missing.push(cluster);
      else previousFace = face;
      const last = spans.at(-1);
      if (last && face !== null && last.face === face && last.level === level) last.end = grapheme.index + cluster.length;
      else spans.push({ face, level, start: grapheme.index, end: grapheme.index + cluster.length });
    }

    const items: Item[] = [];
    const size = style.size;
    const offsets = [...breaks.keys()].sort((a, b) => a - b);
    for (const span of spans) {
      const spanText = text.slice(span.start, span.end);
      // A tracked style (a kicker, a dateline) letter-spaces only scripts of separate letters.
      const tracking = SPACEABLE.test(spanText) ? (style.tracking ?? 0) * size : 0;
      const inner = offsets.filter((offset) => offset > span.start && offset < span.end);
      const direction = span.level % 2 === 1 ? 'rtl' : 'ltr';
      const segments = span.face ? this.#shapeSegments(span.face, spanText, inner.map((offset) => offset - span.start), direction, tracking > 0) : [this.#standIn(style, spanText)];
      const face = span.face ?? this.#library.face('serif', style);
      for (let index = 0; index < segments.length; index++) {
        const segment = segments[index] as { glyphs: readonly ShapedGlyph[]; rtl: boolean; text: string };
        let advance = 0;
        for (const glyph of segment.glyphs) advance += glyph.advance;
        const width = advance * face.unitScale * size + tracking * segment.glyphs.length;
        items.push({ kind: 'box', width, piece: { face, size, color: style.color, tracking, glyphs: segment.glyphs, width, level: span.level, link: null } });
        const offset = inner[index];
        if (offset !== undefined) items.push(this.#break(breaks.get(offset) ?? 'zero', face, style, span.level));
      }
      if (span.end < text.length && breaks.has(span.end)) items.push(this.#break(breaks.get(span.end) ?? 'zero', face, style, span.level));
    }
    return { items, scripts: [...scripts], missing, lastFace: previousFace === this.#previousFace ? null : previousFace };
  }

  #ideographic(cluster: string): boolean {
    const codePoint = cluster.codePointAt(0) ?? 0x20;
    const script = this.#library.scriptOf(codePoint);
    return IDEOGRAPHIC.has(script) || (codePoint >= 0x3000 && codePoint <= 0x303f) || (codePoint >= 0xff00 && codePoint <= 0xffef);
  }

  /**
   * Chinese and Japanese break between any two characters (and between one and a Latin word),
   * except before closing and after opening punctuation. Korean breaks at its spaces.
   */
  #ideographicBreak(before: string, after: string): boolean {
    const ideographicBefore = this.#ideographic(before);
    const ideographicAfter = this.#ideographic(after);
    if (!ideographicBefore && !ideographicAfter) return false;
    if (!(ideographicBefore || LETTER_OR_DIGIT.test(before)) || !(ideographicAfter || LETTER_OR_DIGIT.test(after))) return false;
    return !NO_BREAK_BEFORE.test(after) && !NO_BREAK_AFTER.test(before);
  }

  /** Glyphs of a span cut at `cuts`; a ligature across a cut is given up, as TeX does. */
  #shapeSegments(face: Face, text: string, cuts: readonly number[], direction: 'ltr' | 'rtl', letterSpaced: boolean): { glyphs: readonly ShapedGlyph[]; rtl: boolean; text: string }[] {
    const shaped = face.shape(text, direction, letterSpaced);
    if (cuts.length === 0) return [{ glyphs: shaped.glyphs, rtl: shaped.rtl, text }];
    const bounds = [0, ...cuts, text.length];
    const boundaries = glyphBoundaries(shaped);
    if (shaped.rtl || !cuts.every((cut) => boundaries.has(cut))) {
      return bounds.slice(1).map((end, index) => {
        const part = text.slice(bounds[index], end);
        const partShaped = face.shape(part, direction, letterSpaced);
        return { glyphs: partShaped.glyphs, rtl: partShaped.rtl, text: part };
      });
    }
    const segments: { glyphs: ShapedGlyph[]; rtl: boolean; text: string }[] = [];
    let current: ShapedGlyph[] = [];
    let offset = 0;
    let cut = 1;
    for (const glyph of shaped.glyphs) {
      if (glyph.text !== '' && offset >= (bounds[cut] ?? Number.POSITIVE_INFINITY)) {
        segments.push({ glyphs: current, rtl: false, text: text.slice(bounds[cut - 1], bounds[cut]) });
        current = [];
        cut++;
      }
      current.push(glyph);
      offset += glyph.text.length;
    }
    segments.push({ glyphs: current, rtl: false, text: text.slice(bounds[cut - 1]) });
    return segments;
  }

  /** What is drawn for characters no font has: the theme's stand-in glyph, mapped to the real text. */
  #standIn(style: TextStyle, text: string): { glyphs: readonly ShapedGlyph[]; rtl: boolean; text: string } {
    const face = this.#library.face('serif', style);
    const standIn = face.shape(this.#library.theme.fonts.missingGlyph).glyphs[0];
    if (!standIn || standIn.id === 0) throw new Error(`the stand-in ${JSON.stringify(this.#library.theme.fonts.missingGlyph)} is not in ${face.file}`);
    const glyphs = [...segmentsOf(this.#library.graphemes, text)].map((grapheme) => ({ ...standIn, text: grapheme.segment }));
    return { glyphs, rtl: false, text };
  }

  #break(kind: BreakKind, face: Face, style: TextStyle, level: number): Item {
    const penalties = this.#library.theme.typesetting.penalties;
    switch (kind) {
      case 'hyphen': {
        const shaped = face.shape('-');
        const hyphen = shaped.glyphs.map((glyph) => ({ ...glyph, text: '\u00AD' }));
        const tracking = (style.tracking ?? 0) * style.size;
        const width = shaped.advance * face.unitScale * style.size + tracking * hyphen.length;
        // Drawn as U+00AD, the code a line-end hyphen of layout has (PDF 14.8.2.2.3): text
        // extraction and reflow know to join the word again.
        const piece: Piece = { face, size: style.size, color: style.color, tracking, glyphs: hyphen, width, level, link: null };
        return { kind: 'penalty', width, penalty: penalties.hyphen, flagged: true, piece };
      }
      case 'explicit':
        return { kind: 'penalty', width: 0, penalty: penalties.explicitHyphen, flagged: true, piece: null };
      case 'headlineIdeographic':
        return { kind: 'penalty', width: 0, penalty: penalties.headlineIdeographic, flagged: false, piece: null };
      case 'address':
        return { kind: 'penalty', width: 0, penalty: penalties.address, flagged: false, piece: null };
      // A justified line's slack is spread over these breaks as well as its spaces (CJK spreads
      // it between characters; a Thai phrase in a justified paragraph of another script).
      case 'ideographic':
      case 'word':
        return { kind: 'glue', width: 0, stretch: style.size * 0.1, shrink: 0, piece: null };
      case 'zero':
        return { kind: 'glue', width: 0, stretch: 0, shrink: 0, piece: null };
    }
  }
}

/**
 * A run of boxes with no break between them that is wider than a line (a 5,000-character
 * token, a long URL) gets a break opportunity between every pair of grapheme clusters, at a
 * high cost, so it wraps rather than overflowing the page.
 */
function splitOverlongWords(items: Item[], measure: number, emergencyPenalty: number): void {
  let index = 0;
  while (index < items.length) {
    if (items[index]?.kind !== 'box') {
      index++;
      continue;
    }
    let end = index;
    let width = 0;
    while (end < items.length && items[end]?.kind === 'box') {
      width += (items[end] as BoxItem).width;
      end++;
    }
    if (width <= measure) {
      index = end;
      continue;
    }
    const replacement: Item[] = [];
    for (let boxIndex = index; boxIndex < end; boxIndex++) {
      const box = items[boxIndex] as BoxItem;
      if (!box.piece) {
        replacement.push(box);
        continue;
      }
      for (const cluster of clusters(box.piece)) {
        if (replacement.length > 0 && replacement.at(-1)?.kind === 'box') replacement.push({ kind: 'penalty', width: 0, penalty: emergencyPenalty, flagged: false, piece: null });
        replacement.push({ kind: 'box', width: cluster.width, piece: cluster });
      }
    }
    items.splice(index, end - index, ...replacement);
    index += replacement.length;
  }
}

/** A piece cut into its clusters: a glyph with the zero-advance marks that follow it. */
function clusters(piece: Piece): Piece[] {
  const out: Piece[] = [];
  const unit = piece.face.unitScale * piece.size;
  let current: ShapedGlyph[] = [];
  const flush = () => {
    if (current.length === 0) return;
    const width = current.reduce((sum, glyph) => sum + glyph.advance, 0) * unit + piece.tracking * current.length;
    out.push({ ...piece, glyphs: current, width });
    current = [];
  };
  for (const glyph of piece.glyphs) {
    if (glyph.advance !== 0 && current.length > 0) flush();
    current.push(glyph);
  }
  flush();
  // Right-to-left pieces are in visual order: their logical clusters run from the right.
  return piece.level % 2 === 1 ? out.reverse() : out;
}

/** Positions the elements of one broken line. */
function layOutLine(items: readonly Item[], line: BrokenLine, options: ParagraphOptions, rtl: boolean, ragged: boolean): LaidLine {
  const breakItem = items[line.end];
  let last = line.end - 1;
  // Glue before the break (trailing space) is not drawn.
  while (last >= line.start && items[last]?.kind !== 'box') last--;
  const parts: { piece: Piece | null; width: number; level: number }[] = [];
  const paragraphLevel = rtl ? 1 : 0;
  for (let index = line.start; index <= last; index++) {
    const item = items[index] as Item;
    if (item.kind === 'penalty') continue;
    let width = item.width;
    if (item.kind === 'glue' && !ragged) width += line.ratio >= 0 ? line.ratio * item.stretch : line.ratio * item.shrink;
    if (item.kind === 'glue' && item.stretch >= FILL) width = item.width;
    // Space with nothing drawn (an indent, a break between ideographs) goes with what is before
    // it, so it never splits a run of a higher level in two.
    parts.push({ piece: item.piece, width, level: item.piece?.level ?? parts.at(-1)?.level ?? paragraphLevel });
  }
  if (breakItem?.kind === 'penalty' && breakItem.piece) parts.push({ piece: breakItem.piece, width: breakItem.width, level: breakItem.piece.level });
  let bidi = rtl;
  for (const part of parts) if (part.level > 0) bidi = true;
  const positions = new Array<number>(parts.length);
  if (!bidi) {
    // Left to right only (nearly every line): logical order is visual order.
    let x = 0;
    for (let index = 0; index < parts.length; index++) {
      positions[index] = x;
      x += (parts[index] as { width: number }).width;
    }
  } else {
    // Visual order: reverse runs from the highest level down (UBA rule L2). Trailing spaces,
    // which rule L1 would put at the paragraph's level, are not drawn.
    const visual = parts.map((_, index) => index);
    const maxLevel = Math.max(paragraphLevel, ...parts.map((part) => part.level));
    for (let level = maxLevel; level >= 1; level--) {
      let start = 0;
      while (start < visual.length) {
        if ((parts[visual[start] as number]?.level ?? 0) < level) {
          start++;
          continue;
        }
        let end = start;
        while (end < visual.length && (parts[visual[end] as number]?.level ?? 0) >= level) end++;
        visual.splice(start, end - start, ...visual.slice(start, end).reverse());
        start = end;
      }
    }
    const total = parts.reduce((sum, part) => sum + part.width, 0);
    let x = rtl ? Math.max(0, options.measure - total) : 0;
    for (const index of visual) {
      positions[index] = x;
      x += (parts[index] as { width: number }).width;
    }
  }
  const elements: LineElement[] = [];
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index] as { piece: Piece | null; width: number };
    if (part.piece && part.piece.glyphs.length > 0) elements.push({ piece: part.piece, x: positions[index] ?? 0, width: part.width });
  }
  return { elements, hyphenated: breakItem?.kind === 'penalty' && breakItem.flagged };
}
