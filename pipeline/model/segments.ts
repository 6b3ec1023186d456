/**
 * Intl.Segmenter in linear time. V8's segment iterator costs time in proportion to the whole
 * string at every step, so segmenting a long string is quadratic: a 40,000-character token took
 * 11 s to cut into graphemes, and a paragraph of many sentences likewise. So the text is
 * segmented a window at a time.
 *
 * Invariant: every segment given was found with at least MARGIN characters of the text after
 * it in view (or the text's end), and each window starts at a boundary found so, where the
 * segmentation restarts as it would have gone on: grapheme and sentence rules look back no
 * further than their own segment, and ahead no further than a few characters.
 */

const WINDOW = 1024;
const MARGIN = 128;

export interface Segment {
  readonly segment: string;
  /** UTF-16 offset in the whole text. */
  readonly index: number;
}

export function* segmentsOf(segmenter: Intl.Segmenter, text: string): Generator<Segment> {
  let start = 0;
  let window = WINDOW;
  while (start < text.length) {
    const end = Math.min(text.length, start + window);
    const last = end === text.length;
    let next = start;
    for (const { segment, index } of segmenter.segment(text.slice(start, end))) {
      // a segment that ends within the margin may be cut short by the window: taken in the next one
      if (!last && start + index + segment.length > end - MARGIN) break;
      yield { segment, index: start + index };
      next = start + index + segment.length;
    }
    if (last) return;
    // a single segment longer than the window (a letter with thousands of marks): a wider window
    if (next === start) window *= 2;
    else {
      start = next;
      window = WINDOW;
    }
  }
}
