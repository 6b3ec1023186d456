/**
 * The lede (an article's first paragraph) and the rule every edition follows about it. A module
 * of its own, free of the parsing stack, since the PDF workers need the rule too.
 */
import type { Root } from 'mdast';
import { toString } from 'mdast-util-to-string';

/**
 * Wire copy has no separate standfirst: its summary is the lede, word for word. Printing both
 * one above the other reads as a mistake, so every edition then opens with the lede alone.
 */
export function summaryRepeatsLede(article: { readonly body: Root; readonly summary: string }): boolean {
  const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
  const first = lede(article.body);
  return first !== null && squash(first) === squash(article.summary);
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
