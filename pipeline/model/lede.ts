/**
 * The lede (an article's first paragraph), the summary made from it, and the rule every edition
 * follows about the standfirst. A module of its own, free of the parsing stack, since the PDF
 * workers need the rule too.
 */
import type { Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { splitDateline } from './dateline.ts';
import { sentencesOf } from './sentences.ts';

/**
 * The standfirst an edition sets between the headline and the lede: the summary, when it says
 * something the lede does not; else null, and the page opens with the lede alone.
 *
 * A summary says nothing the lede does not when its words are a run of the lede's words: the
 * lede itself (wire copy has no separate standfirst: its summary is the lede, word for word),
 * its first sentences (the summary ingest derives from a long lede), or the lede cut short with
 * "…" (summaries written before). Printed right above the lede, any of these reads the same
 * words twice. Words are compared without case, punctuation, spacing or Unicode form, and
 * without a dateline at the summary's head (a summary ingest wrote before datelines were taken
 * out of the lede still opens with one).
 */
export function standfirstOf(article: { readonly body: Root; readonly summary: string }): string | null {
  const first = lede(article.body);
  if (first === null) return article.summary;
  const split = splitDateline(article.summary);
  const text = split ? article.summary.slice(split.end) : article.summary;
  const summary = words(text);
  if (!summary) return null;
  // cut with "…", its last word may be cut too ("container term…"): a prefix of the lede's word
  const cut = /(?:…|\.\.\.)\s*$/u.test(text);
  return ` ${words(first)} `.includes(` ${summary}${cut ? '' : ' '}`) ? null : article.summary;
}

/** Letters and digits (with their marks) of a text, lower case, one space between runs. */
function words(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
    .trim();
}

/** The text of the first paragraph that has words (a picture's description is not a lede): the lede. */
export function lede(body: Root): string | null {
  for (const node of body.children) {
    if (node.type !== 'paragraph') continue;
    const text = toString(node, { includeImageAlt: false }).replace(/\s+/g, ' ').trim();
    if (text) return text;
  }
  return null;
}

/** A summary made from the lede is at most this long, unless its first sentence alone is longer. */
export const MAX_SUMMARY_LENGTH = 300;

/**
 * The summary of copy without one (lists, feeds, the meta description): the lede when it is
 * short, else its first whole sentences that fit in MAX_SUMMARY_LENGTH, at least one. Never cut
 * mid-sentence, so it needs no "…": what it says is whole, and the standfirst rule keeps it off
 * the article's own page, where the lede follows.
 */
export function deriveSummary(lede: string, lang = 'en'): string {
  const text = lede.replace(/\s+/g, ' ').trim();
  if (text.length <= MAX_SUMMARY_LENGTH) return text;
  let summary = '';
  sentencesOf(text, lang, (sentence) => {
    if (summary && (summary + sentence).trimEnd().length > MAX_SUMMARY_LENGTH) return true;
    summary += sentence;
    return summary.length >= MAX_SUMMARY_LENGTH;
  });
  return summary.trim() || text;
}
