/**
 * A dateline as the lede opens with it, on the page, in the feeds and in the PDF: a module of its
 * own, without the page templates' JSX, since the PDF workers use it too.
 */
import { labelsFor } from './labels.ts';

/** Han, kana and Hangul: datelines in these scripts end with their own mark, or get brackets. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * The dateline as the lede opens with it, and what separates it from the text: the language's
 * dash (catalogue: `datelineSeparator`). A dateline in Chinese, Japanese or Korean ends with its
 * agency's mark (`…电`, `【…】`, `(…)`) or is given brackets, and is followed by no dash.
 */
export function datelineRunIn(dateline: string, lang: string): { readonly text: string; readonly separator: string } {
  if (!CJK.test(dateline)) return { text: dateline, separator: labelsFor(lang).messages.datelineSeparator };
  const closed = /[】）)」』电]$/u.test(dateline);
  const hangul = /\p{Script=Hangul}/u.test(dateline);
  const text = closed ? dateline : hangul ? `(${dateline})` : `【${dateline}】`;
  return { text, separator: hangul ? ' ' : '' };
}
