/**
 * How the lede opens: with its dateline as a run-in ("PARIS (AFP) — Le président…"), or, without
 * one, with a drop cap, as a newspaper sets it. One or the other, never both: a drop cap inside a
 * dateline reads "P ARIS".
 *
 * The drop cap is never `::first-letter`: Chromium lays a floated first letter out as a block
 * and drops the space after it, so the text a browser gives (selection, copy, `innerText`, screen
 * readers) read "Astorm" for "A storm" (and a floated element of the letter reads "A\nstorm").
 * The paragraph says which letter in `data-initial`, and its `::before` draws it big; the letter
 * itself stays in the text, in `<span class="initial">`, which style.css sets at no size.
 */
import type { Element, ElementContent, Root, Text } from 'hast';
import { datelineRunIn } from './dateline.ts';


/** Scripts whose letters stand apart and have capitals: a drop cap is theirs (not Arabic's joined letters, nor CJK's). */
const DROP_CAP_LETTER = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Armenian}\p{Nd}]\p{M}*/u;
/** Opening quotes and brackets a drop cap takes with its letter, as `::first-letter` did: “A, «L, (T. */
const OPENING_PUNCTUATION = /^[\p{Ps}\p{Pi}"'¿¡]*/u;

/**
 * The body with its lede opened: a dateline run-in (`<b class="dateline-run-in">`) at the head of
 * the first paragraph (or as a paragraph of its own before a body that opens otherwise), or, with
 * `dropCap` and no dateline, the first paragraph marked for a drop cap (`has-initial`,
 * `data-initial`) and its first letter in `<span class="initial">`. Changes `body` in place.
 */
export function openLede(body: Root, options: { readonly dateline: string | null; readonly lang: string; readonly dropCap: boolean }): void {
  const firstIndex = body.children.findIndex((node) => node.type === 'element');
  const first = body.children[firstIndex];
  const paragraph = first?.type === 'element' && first.tagName === 'p' ? first : null;
  if (options.dateline) {
    const { text, separator } = datelineRunIn(options.dateline, options.lang);
    const runIn = (<b class="dateline-run-in">{text}</b>) as Element;
    if (paragraph) paragraph.children.unshift(runIn, ...(separator ? [{ type: 'text', value: separator } as Text] : []));
    else body.children.splice(Math.max(0, firstIndex), 0, (<p class="dateline-alone">{runIn}</p>) as Element, { type: 'text', value: '\n' });
    return;
  }
  if (options.dropCap && paragraph) dropCap(paragraph);
}

/** The paragraph's first letter (with the opening quote before it) as its drop cap, when it is one a drop cap suits. */
function dropCap(paragraph: Element): void {
  const found = firstText(paragraph.children);
  if (!found) return;
  const { parent, index, node } = found;
  const opening = OPENING_PUNCTUATION.exec(node.value)![0];
  const letter = DROP_CAP_LETTER.exec(node.value.slice(opening.length))?.[0];
  if (!letter) return;
  const initial = (<span class="initial">{opening + letter}</span>) as Element;
  const classes = Array.isArray(paragraph.properties.className) ? paragraph.properties.className : [];
  paragraph.properties.className = [...classes, 'has-initial'];
  paragraph.properties.dataInitial = opening + letter;
  const rest = node.value.slice(opening.length + letter.length);
  parent.splice(index, 1, initial, ...(rest ? [{ type: 'text', value: rest } as Text] : []));
}

/** The first text of a paragraph, inside the inline elements it opens with (`<strong>`, `<em>`, `<a>`); null when something else comes first. */
function firstText(children: ElementContent[]): { parent: ElementContent[]; index: number; node: Text } | null {
  const index = children.findIndex((child) => child.type !== 'comment');
  const node = children[index];
  if (!node) return null;
  if (node.type === 'text') return node.value.trim() && node.value === node.value.trimStart() ? { parent: children, index, node } : null;
  if (node.type === 'element' && ['strong', 'em', 'b', 'i', 'a', 'span'].includes(node.tagName)) return firstText(node.children);
  return null;
}
