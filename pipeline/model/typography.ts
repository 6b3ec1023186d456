/**
 * Quotation marks and spacing by language, after remark-smartypants (which knows English only):
 * French « guillemets » with narrow no-break spaces (U+202F) inside and before ; : ! ?, German
 * „…“ and ‚…‘, Spanish, Italian, European Portuguese, Norwegian and Greek «…», Polish, Romanian and Hungarian „…”
 * (their inner marks differ), Swedish ”…”.
 *
 * Every quotation mark is decided again from its context, whatever form it came in (straight,
 * English curly from smartypants or an older ingest, or the language's own), so the pass is
 * idempotent and a source typed either way reads the same: a mark after a space, the start of
 * the block or an opening bracket opens; any other closes. Quotes nest: the language's outer
 * marks at the first level, its inner marks inside them (and for single-quote pairs). An
 * apostrophe (a single mark between letters, or one that closes no open single quote) is always
 * ’. Languages without an entry keep smartypants' English marks.
 *
 * The text of a block (a paragraph, a heading, a table cell) is read across its inline nodes
 * (emphasis, links), so a quote opened in one and closed in another pairs up; code is never
 * touched.
 */
import type { Root, Text, Parent } from 'mdast';
import { visit, SKIP } from 'unist-util-visit';

/** U+202F NARROW NO-BREAK SPACE: French typography's thin space, which no line breaks at. */
export const NNBSP = '\u202F';

interface QuoteStyle {
  readonly outer: readonly [string, string];
  readonly inner: readonly [string, string];
  /** French spacing: NNBSP inside guillemets and before ; : ! ? */
  readonly frenchSpacing: boolean;
}

const GUILLEMETS: QuoteStyle = { outer: ['«', '»'], inner: ['“', '”'], frenchSpacing: false };
const GERMAN: QuoteStyle = { outer: ['„', '“'], inner: ['‚', '‘'], frenchSpacing: false };

/** By language (and, where a region writes otherwise, by language-region), after CLDR. */
const STYLES: Readonly<Record<string, QuoteStyle>> = {
  fr: { outer: ['«', '»'], inner: ['“', '”'], frenchSpacing: true },
  // Swiss French sets no space inside guillemets; the spacing before ; : ! ? stays
  'fr-CH': { outer: ['«', '»'], inner: ['‹', '›'], frenchSpacing: true },
  de: GERMAN,
  'de-CH': { outer: ['«', '»'], inner: ['‹', '›'], frenchSpacing: false },
  'de-LI': { outer: ['«', '»'], inner: ['‹', '›'], frenchSpacing: false },
  es: GUILLEMETS,
  it: GUILLEMETS,
  'pt-PT': GUILLEMETS,
  ca: GUILLEMETS,
  nb: { outer: ['«', '»'], inner: ['‘', '’'], frenchSpacing: false },
  nn: { outer: ['«', '»'], inner: ['‘', '’'], frenchSpacing: false },
  no: { outer: ['«', '»'], inner: ['‘', '’'], frenchSpacing: false },
  pl: { outer: ['„', '”'], inner: ['«', '»'], frenchSpacing: false },
  cs: GERMAN,
  sk: GERMAN,
  ru: { outer: ['«', '»'], inner: ['„', '“'], frenchSpacing: false },
  uk: { outer: ['«', '»'], inner: ['„', '“'], frenchSpacing: false },
  el: GUILLEMETS,
  ro: { outer: ['„', '”'], inner: ['«', '»'], frenchSpacing: false },
  hu: { outer: ['„', '”'], inner: ['»', '«'], frenchSpacing: false },
  sv: { outer: ['”', '”'], inner: ['’', '’'], frenchSpacing: false },
  fi: { outer: ['”', '”'], inner: ['’', '’'], frenchSpacing: false },
};

/** The quote style of a language, or null when smartypants' English marks are its own. */
export function quoteStyle(lang: string): QuoteStyle | null {
  const [language = '', ...rest] = lang.split('-');
  const region = rest.find((part) => /^[A-Za-z]{2}$/.test(part));
  const base = language.toLowerCase();
  return (region ? STYLES[`${base}-${region.toUpperCase()}`] : undefined) ?? STYLES[base] ?? null;
}

const DOUBLE = new Set(['"', '“', '”', '„', '«', '»']);
const SINGLE = new Set(["'", '‘', '’', '‚']);
/** Where a quotation mark after it opens: nothing, a space, an opening bracket or a dash. */
const OPENS_AFTER = /[\s([{\u2014\u2013/-]/u;
const LETTER = /[\p{L}\p{N}]/u;
const SPACE = /[ \u00A0\u202F\t]/;

/** Blocks whose text is one run of words. */
const BLOCKS = new Set(['paragraph', 'heading', 'tableCell']);

/**
 * Hebrew's gershayim and geresh: a double or single mark between two Hebrew letters marks an
 * acronym or an abbreviation (הלמ"ס, צה"ל, ג'ירפה), never a quotation, whatever form smartypants
 * gave it (”, ’): set as ״ and ׳, which no quotation pairing takes. In articles in Hebrew (and
 * Yiddish), and in any title or summary that has Hebrew letters.
 */
// before an acronym's last letter: one letter, then the word ends (ו"צה"ל": the first mark opens a quotation)
const GERSHAYIM = /(?<=\p{Script=Hebrew})["“”](?=\p{Script=Hebrew}(?!\p{Script=Hebrew}))/gu;
const GERESH = /(?<=\p{Script=Hebrew})['‘’](?=\p{Script=Hebrew})/gu;

function withHebrewMarks(value: string): string {
  return /\p{Script=Hebrew}/u.test(value) ? value.replace(GERSHAYIM, '\u05F4').replace(GERESH, '\u05F3') : value;
}

/** Sets the quotes and spaces of every block of `tree` for `lang`, in place. */
export function typesetTree(tree: Root, lang: string): Root {
  if (/^(?:he|yi)\b/i.test(lang)) {
    visit(tree, 'text', (text: Text) => {
      text.value = withHebrewMarks(text.value);
    });
  }
  const style = quoteStyle(lang);
  if (!style) return tree;
  visit(tree, (node) => {
    if (!BLOCKS.has(node.type)) return undefined;
    const texts: Text[] = [];
    visit(node as Parent, 'text', (text: Text) => {
      texts.push(text);
    });
    if (texts.some((text) => /["'“”„«»‘’‚;:!?]/.test(text.value))) typesetRun(texts, style);
    return SKIP;
  });
  return tree;
}

/** `text` as a block of its own in `lang`. */
export function typesetText(given: string, lang: string): string {
  const text = withHebrewMarks(given);
  const style = quoteStyle(lang);
  if (!style) return text;
  const node: Text = { type: 'text', value: text };
  typesetRun([node], style);
  return node.value;
}

/** One block's text nodes, in reading order: quotes paired across them. */
function typesetRun(texts: Text[], style: QuoteStyle): void {
  const source = texts.map((text) => [...text.value]);
  const flat = source.flat();
  const out: string[][] = texts.map(() => []);
  /** Open quotes, innermost last. */
  const open: ('double' | 'single')[] = [];
  const marks = new Set([...style.outer, ...style.inner]);
  let node = 0;
  const emit = (char: string) => out[node]!.push(char);
  /** The last character set so far, looking back into earlier nodes of the block. */
  const previous = () => {
    for (let index = node; index >= 0; index--) {
      const chars = out[index]!;
      if (chars.length) return chars[chars.length - 1]!;
    }
    return '';
  };
  /** Takes the spaces just set (across nodes) away: a thin space takes their place. */
  const dropSpaces = () => {
    for (let index = node; index >= 0; index--) {
      const chars = out[index]!;
      while (chars.length && SPACE.test(chars[chars.length - 1]!)) chars.pop();
      if (chars.length) return;
    }
  };
  let at = 0;
  for (node = 0; node < source.length; node++) {
    for (const char of source[node]!) {
      const before = flat[at - 1] ?? '';
      const after = flat[at + 1] ?? '';
      at++;
      // « and » in a language that does not quote with them (German's »…«) are the editor's
      const known = char === '«' || char === '»';
      if (DOUBLE.has(char) && (!known || marks.has(char))) {
        const opening = char === '«' ? true : char === '»' ? false : before === '' || OPENS_AFTER.test(before);
        if (opening) {
          const mark = open.length === 0 ? style.outer[0] : style.inner[0];
          open.push('double');
          emit(mark);
          if (style.frenchSpacing && mark === '«') emit(NNBSP);
        } else {
          // the innermost open double quote closes; a stray closer reads as the outer one
          const depth = open.lastIndexOf('double');
          const mark = depth > 0 ? style.inner[1] : style.outer[1];
          if (depth >= 0) open.splice(depth);
          if (style.frenchSpacing && mark === '»') {
            dropSpaces();
            emit(NNBSP);
          }
          emit(mark);
        }
        continue;
      }
      if (SINGLE.has(char)) {
        const betweenLetters = LETTER.test(before) && LETTER.test(after);
        const opensHere = !betweenLetters && (before === '' || OPENS_AFTER.test(before)) && LETTER.test(after) && char !== '’';
        const closesHere = !betweenLetters && open.at(-1) === 'single' && before !== '' && !SPACE.test(before);
        if (opensHere) {
          open.push('single');
          emit(style.inner[0]);
        } else if (closesHere) {
          open.pop();
          emit(style.inner[1]);
        } else {
          emit('’');
        }
        continue;
      }
      if (style.frenchSpacing && (char === ';' || char === ':' || char === '!' || char === '?')) {
        const prev = previous();
        if (SPACE.test(prev)) {
          dropSpaces();
          emit(NNBSP);
        } else if ((LETTER.test(prev) || prev === '»' || prev === ')' || prev === '”') && (after === '' || /[\s»”)]/.test(after) || /[!?]/.test(after))) {
          // none is added inside a URL or a time (10:30), nor between two marks (?!)
          emit(NNBSP);
        }
        emit(char);
        continue;
      }
      // the spaces after « were set as one thin space
      if (style.frenchSpacing && SPACE.test(char) && previous() === NNBSP && out.flat().lastIndexOf('«') >= 0 && lastNonSpace(out, node) === '«') continue;
      emit(char);
    }
  }
  texts.forEach((text, index) => {
    text.value = out[index]!.join('');
  });
}

/** The last character set before the trailing spaces. */
function lastNonSpace(out: string[][], node: number): string {
  for (let index = node; index >= 0; index--) {
    const chars = out[index]!;
    for (let at = chars.length - 1; at >= 0; at--) if (!SPACE.test(chars[at]!)) return chars[at]!;
  }
  return '';
}
