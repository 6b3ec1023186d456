/**
 * What a feed item shows beyond the article's body: the agency credit, set after the body as
 * the page sets it under the story (feed readers show content, not extra fields, so it is part
 * of the item's HTML).
 */
import { h } from 'hastscript';
import { toHtml } from 'hast-util-to-html';

/** `\n<p><em>Avec AFP.</em></p>` after the body, or nothing without a credit. */
export function feedCreditHtml(credit: string | null): string {
  return credit ? `\n${toHtml(h('p', h('em', credit)))}` : '';
}
