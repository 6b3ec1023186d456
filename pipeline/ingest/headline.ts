/**
 * A headline for copy that came without one: the lede's first sentence, cut at a clause
 * boundary so that it fits a headline (at most ~90 characters), never mid-word.
 */
import { firstSentence } from '../model/sentences.ts';

export { firstSentence };

export const MAX_HEADLINE_LENGTH = 90;
/** A cut shorter than this says too little to be a headline. */
const MIN_HEADLINE_LENGTH = 30;

/** Words that open a subordinate clause or a trailing phrase: a headline can end before them. */
const CLAUSE_WORDS =
  /\s(?=(?:after|before|while|as|because|but|and|which|who|whom|when|where|since|although|though|despite|amid|following|according|saying|citing|until|unless|with|without|in|on|at|over|under|from|for|to|by|during|than|that)\s)/g;
/** Clause punctuation: a headline can end before it (Chinese and Japanese put no space after theirs). */
const CLAUSE_PUNCTUATION = /\s*(?:[,;:]|\s[—–-]{1,2})\s|(?=[，、；：])/g;

/** Brackets and quotation marks that open and close, in the languages' own forms. */
const PAIRS: readonly (readonly [RegExp, RegExp])[] = [[/\(/g, /\)/g], [/（/g, /）/g], [/«/g, /»/g], [/‹/g, /›/g], [/「/g, /」/g], [/『/g, /』/g], [/【/g, /】/g]];

/** A headline must not open a quotation or parenthesis it does not close. */
function balanced(text: string): boolean {
  const count = (pattern: RegExp) => (text.match(pattern) ?? []).length;
  // German and Polish open with „ (closing with “ or ”), English with “
  const curly = text.includes('„') ? count(/„/g) === count(/[“”]/g) : count(/“/g) === count(/”/g);
  return curly && PAIRS.every(([open, close]) => count(open) === count(close)) && count(/"/g) % 2 === 0;
}

/** Characters Chinese, Japanese and Korean set a full em wide. */
const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303F\uFF00-\uFF60]/u;

/** How long a headline reads, in narrow characters: a wide one counts two (90 of them would be twice the line). */
function width(text: string): number {
  let total = 0;
  for (const character of text) total += WIDE.test(character) ? 2 : 1;
  return total;
}

function cuts(sentence: string, pattern: RegExp): string[] {
  return [...sentence.matchAll(pattern)].map((match) => sentence.slice(0, match.index).trim());
}

/** The headline derived from the lede paragraph. */
export function deriveHeadline(lede: string, lang = 'en'): string {
  const sentence = firstSentence(lede, lang).replace(/[.。!?！？]+$/u, '').trim();
  if (width(sentence) <= MAX_HEADLINE_LENGTH) return sentence;
  const fits = (cut: string) => width(cut) >= MIN_HEADLINE_LENGTH && width(cut) <= MAX_HEADLINE_LENGTH && balanced(cut);
  const longest = (candidates: string[]) => candidates.filter(fits).sort((a, b) => b.length - a.length)[0];
  // Only a cut within the headline's length can fit, so only the sentence's head is cut (with
  // room for the words a cut looks at after it): every cut of a whole long sentence is a copy
  // of its start, quadratic in memory (a 200,000-word lede took gigabytes).
  const head = sentence.slice(0, MAX_HEADLINE_LENGTH * 2);
  const atPunctuation = longest(cuts(head, CLAUSE_PUNCTUATION));
  const atWord = longest(cuts(head, CLAUSE_WORDS));
  // a cut at punctuation reads best, unless a clause word gives a much fuller headline
  const clause = atPunctuation && (!atWord || atPunctuation.length >= atWord.length - 20) ? atPunctuation : atWord;
  if (clause) return clause.replace(/[,;:—–\-，、；：]+$/u, '').trim();
  // no clause boundary: the longest run of whole words that fits, marked as cut
  const words = head.split(/\s+/);
  let headline = '';
  for (const word of words) {
    if (width(`${headline} ${word}`) > MAX_HEADLINE_LENGTH - 1) break;
    headline = headline ? `${headline} ${word}` : word;
  }
  // a single word longer than a headline (a URL, an unbroken token, unspaced Chinese): cut by characters
  if (!headline) for (const character of head) {
    if (width(headline + character) > MAX_HEADLINE_LENGTH - 1) break;
    headline += character;
  }
  // and not after an opening mark it would leave open
  return `${headline.replace(/[,;:—–\-«„“‹「『(（\s]+$/u, '')}…`;
}

export { deriveSummary, MAX_SUMMARY_LENGTH } from '../model/lede.ts';
