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
/** Clause punctuation: a headline can end before it. */
const CLAUSE_PUNCTUATION = /\s*(?:[,;:]|\s[—–-]{1,2})\s/g;

/** A headline must not open a quotation or parenthesis it does not close. */
function balanced(text: string): boolean {
  const count = (pattern: RegExp) => (text.match(pattern) ?? []).length;
  return count(/“/g) === count(/”/g) && count(/\(/g) === count(/\)/g) && count(/"/g) % 2 === 0;
}

function cuts(sentence: string, pattern: RegExp): string[] {
  return [...sentence.matchAll(pattern)].map((match) => sentence.slice(0, match.index).trim());
}

/** The headline derived from the lede paragraph. */
export function deriveHeadline(lede: string, lang = 'en'): string {
  const sentence = firstSentence(lede, lang).replace(/[.。!?！？]+$/u, '').trim();
  if ([...sentence].length <= MAX_HEADLINE_LENGTH) return sentence;
  const fits = (cut: string) => cut.length >= MIN_HEADLINE_LENGTH && cut.length <= MAX_HEADLINE_LENGTH && balanced(cut);
  const longest = (candidates: string[]) => candidates.filter(fits).sort((a, b) => b.length - a.length)[0];
  // Only a cut within the headline's length can fit, so only the sentence's head is cut (with
  // room for the words a cut looks at after it): every cut of a whole long sentence is a copy
  // of its start, quadratic in memory (a 200,000-word lede took gigabytes).
  const head = sentence.slice(0, MAX_HEADLINE_LENGTH * 2);
  const atPunctuation = longest(cuts(head, CLAUSE_PUNCTUATION));
  const atWord = longest(cuts(head, CLAUSE_WORDS));
  // a cut at punctuation reads best, unless a clause word gives a much fuller headline
  const clause = atPunctuation && (!atWord || atPunctuation.length >= atWord.length - 20) ? atPunctuation : atWord;
  if (clause) return clause.replace(/[,;:—–-]+$/, '').trim();
  // no clause boundary: the longest run of whole words that fits, marked as cut
  const words = head.split(/\s+/);
  let headline = '';
  for (const word of words) {
    if ([...`${headline} ${word}`].length > MAX_HEADLINE_LENGTH - 1) break;
    headline = headline ? `${headline} ${word}` : word;
  }
  // a single word longer than a headline (a URL, an unbroken token): cut by characters
  if (!headline) headline = [...head].slice(0, MAX_HEADLINE_LENGTH - 1).join('');
  return `${headline.replace(/[,;:—–-]+$/, '')}…`;
}

export { deriveSummary, MAX_SUMMARY_LENGTH } from '../model/lede.ts';
