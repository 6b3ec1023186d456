/**
 * Knuth–Plass line breaking (Knuth & Plass, "Breaking paragraphs into lines", 1981): chooses
 * the breaks of a whole paragraph at once, so justified lines are evenly spaced instead of the
 * first lines being tight and a later one gappy, as first-fit breaking leaves them.
 *
 * The paragraph is a list of boxes (fixed width), glue (space that stretches and shrinks) and
 * penalties (places where a break costs something, e.g. a hyphen). Four passes: a strict one,
 * a looser one, one that lets every line stretch by an emergency stretch beyond its spaces
 * (TeX's \emergencystretch: a narrow measure with words that may not be hyphenated, such as
 * names, sometimes has no line within the tolerance), and an emergency one that accepts any
 * line that is not overfull; callers make sure no single box is wider than the line, so the
 * emergency pass always succeeds.
 */

export interface BreakableBox {
  readonly kind: 'box';
  readonly width: number;
}
export interface BreakableGlue {
  readonly kind: 'glue';
  readonly width: number;
  readonly stretch: number;
  readonly shrink: number;
}
export interface BreakablePenalty {
  readonly kind: 'penalty';
  readonly width: number;
  readonly penalty: number;
  readonly flagged: boolean;
}
export type Breakable = BreakableBox | BreakableGlue | BreakablePenalty;

/** A penalty this high forbids a break; this low forces one (TeX's ±10000). */
export const FORBIDDEN = 10_000;
export const FORCED = -10_000;
/** Stretch of the glue that fills the last line: infinite for all practical purposes. */
export const FILL = 1e7;

export interface LineBreakParameters {
  /** Width available to line `index` (0-based). */
  readonly measure: (index: number) => number;
  /** Largest stretch ratio accepted by the first and the second pass. */
  readonly tolerance: readonly [number, number];
  /** Stretch every line has beyond its glue: > 0 sets ragged lines (glue is then not stretched). */
  readonly raggedStretch: number;
  /**
   * Stretch every line is allowed beyond its glue in the third pass, to find lines when none
   * is within the tolerance: a line of a few long words is then set loose (its spaces
   * stretched past the tolerance) rather than a word alone on a line. 0: no such pass.
   */
  readonly emergencyStretch?: number;
  readonly lineDemerits: number;
  readonly consecutiveFlagged: number;
  /** Extra demerits when the next-to-last line ends with a hyphen (TeX's finalhyphendemerits). */
  readonly finalHyphen: number;
  readonly fitnessMismatch: number;
}

export interface BrokenLine {
  /** Index of the first item on the line. */
  readonly start: number;
  /** Index of the item the line breaks at (glue or penalty; the items.length - 1 forced break ends the last). */
  readonly end: number;
  /** How much the line's glue stretches (> 0) or shrinks (< 0), as a fraction of what it can. */
  readonly ratio: number;
}

interface Node {
  readonly position: number;
  readonly line: number;
  readonly fitness: number;
  readonly width: number;
  readonly stretch: number;
  readonly shrink: number;
  readonly demerits: number;
  readonly ratio: number;
  readonly flagged: boolean;
  readonly previous: Node | null;
}

const UNDERFULL = Number.POSITIVE_INFINITY;

/** Breaks `items` into lines; the last item must be a forced break. */
export function breakLines(items: readonly Breakable[], parameters: LineBreakParameters): BrokenLine[] {
  const { sumWidth, sumStretch, sumShrink } = sums(items);
  const background = parameters.emergencyStretch ?? 0;
  const passes: readonly Pass[] = [
    { tolerance: parameters.tolerance[0], emergency: false, background: 0 },
    { tolerance: parameters.tolerance[1], emergency: false, background: 0 },
    ...(background > 0 ? [{ tolerance: parameters.tolerance[1], emergency: false, background }] : []),
    { tolerance: UNDERFULL, emergency: true, background: 0 },
  ];
  for (const pass of passes) {
    const result = attempt(items, parameters, pass, Number.POSITIVE_INFINITY, sumWidth, sumStretch, sumShrink);
    if (result) return result;
  }
  return firstFit(items, parameters, sumWidth);
}

/**
 * The best breaks of `items` into at most `maxLines` lines (TeX's \looseness, made a bound),
 * or null when no such breaking keeps every line within the tolerance. Only the strict and the
 * loose pass: a paragraph is not made worse than loose to save a line.
 */
export function breakLinesWithin(items: readonly Breakable[], parameters: LineBreakParameters, maxLines: number): BrokenLine[] | null {
  const { sumWidth, sumStretch, sumShrink } = sums(items);
  for (const tolerance of parameters.tolerance) {
    const result = attempt(items, parameters, { tolerance, emergency: false, background: 0 }, maxLines, sumWidth, sumStretch, sumShrink);
    if (result) return result;
  }
  return null;
}

/**
 * A pass: the largest stretch ratio it accepts; whether it is the last resort (any line that
 * is not overfull); and the stretch it lets every line have beyond its glue.
 */
interface Pass {
  readonly tolerance: number;
  readonly emergency: boolean;
  readonly background: number;
}

function sums(items: readonly Breakable[]): { sumWidth: Float64Array; sumStretch: Float64Array; sumShrink: Float64Array } {
  const count = items.length;
  const sumWidth = new Float64Array(count + 1);
  const sumStretch = new Float64Array(count + 1);
  const sumShrink = new Float64Array(count + 1);
  for (let index = 0; index < count; index++) {
    const item = items[index] as Breakable;
    sumWidth[index + 1] = (sumWidth[index] ?? 0) + (item.kind === 'penalty' ? 0 : item.width);
    sumStretch[index + 1] = (sumStretch[index] ?? 0) + (item.kind === 'glue' ? item.stretch : 0);
    sumShrink[index + 1] = (sumShrink[index] ?? 0) + (item.kind === 'glue' ? item.shrink : 0);
  }
  return { sumWidth, sumStretch, sumShrink };
}

/**
 * One pass. With a finite `maxLines`, breaks that end different numbers of lines are kept
 * apart (as TeX does under \looseness), none past `maxLines`, so the best breaking within the
 * bound survives even where a longer one costs less.
 */
function attempt(
  items: readonly Breakable[],
  parameters: LineBreakParameters,
  { tolerance, emergency, background }: Pass,
  maxLines: number,
  sumWidth: Float64Array,
  sumStretch: Float64Array,
  sumShrink: Float64Array,
): BrokenLine[] | null {
  const count = items.length;
  const bounded = maxLines !== Number.POSITIVE_INFINITY;
  let active: Node[] = [{ position: 0, line: 0, fitness: 1, width: 0, stretch: 0, shrink: 0, demerits: 0, ratio: 0, flagged: false, previous: null }];

  for (let index = 0; index < count; index++) {
    const item = items[index] as Breakable;
    let breakable = false;
    if (item.kind === 'glue') breakable = index > 0 && items[index - 1]?.kind === 'box';
    else if (item.kind === 'penalty') breakable = item.penalty < FORBIDDEN;
    if (!breakable) continue;

    const penalty = item.kind === 'penalty' ? item.penalty : 0;
    const flagged = item.kind === 'penalty' && item.flagged;
    const extraWidth = item.kind === 'penalty' ? item.width : 0;
    // By fitness class; bounded, by fitness class and line number (a sparse array).
    const best: (Node | null | undefined)[] = bounded ? [] : [null, null, null, null];
    const survivors: Node[] = [];
    /** In the emergency pass, the least overfull line, for when no line fits at all. */
    let overfull: { node: Node; ratio: number } | null = null;

    for (const node of active) {
      const measure = parameters.measure(node.line);
      const width = (sumWidth[index] ?? 0) - node.width + extraWidth;
      let ratio: number;
      /** How far the line's own glue stretches, where the background stretch judged it. */
      let drawn: number | null = null;
      if (width < measure) {
        const stretch = (sumStretch[index] ?? 0) - node.stretch + parameters.raggedStretch;
        ratio = stretch + background > 0 ? (measure - width) / (stretch + background) : UNDERFULL;
        if (background > 0) drawn = stretch > 0 ? (measure - width) / stretch : 0;
      } else if (width > measure) {
        const shrink = (sumShrink[index] ?? 0) - node.shrink;
        ratio = shrink > 0 ? (measure - width) / shrink : Number.NEGATIVE_INFINITY;
      } else {
        ratio = 0;
      }
      // A node stays active while a later break could still give it a line that is not overfull.
      if (ratio >= -1 && penalty > FORCED) survivors.push(node);
      if (ratio < -1 && emergency && (!overfull || ratio > overfull.ratio)) overfull = { node, ratio };
      if (ratio < -1 || (ratio > tolerance && !emergency)) continue;
      if (node.line + 1 > maxLines) continue;

      // A line with nothing to stretch (a piece of a long token) is as bad as it is short, so
      // the emergency pass fills such lines rather than breaking them anywhere.
      const badness = ratio === UNDERFULL ? FORBIDDEN * Math.min(1, (measure - width) / measure) : Math.min(FORBIDDEN, 100 * Math.abs(ratio) ** 3);
      let demerits = (parameters.lineDemerits + badness) ** 2;
      if (penalty >= 0) demerits += penalty ** 2;
      else if (penalty > FORCED) demerits -= penalty ** 2;
      if (flagged && node.flagged) demerits += parameters.consecutiveFlagged;
      if (penalty <= FORCED && node.flagged && index === items.length - 1) demerits += parameters.finalHyphen;
      const fitness = ratio < -0.5 ? 0 : ratio <= 0.5 ? 1 : ratio <= 1 ? 2 : 3;
      if (Math.abs(fitness - node.fitness) > 1) demerits += parameters.fitnessMismatch;
      const total = node.demerits + demerits;
      const slot = bounded ? fitness + 4 * (node.line + 1) : fitness;
      const current = best[slot];
      if (!current || total < current.demerits) {
        best[slot] = { position: index, line: node.line + 1, fitness, width: 0, stretch: 0, shrink: 0, demerits: total, ratio: drawn ?? ratio, flagged, previous: node };
      }
    }

    active = survivors;
    const found = best.filter((node): node is Node => node !== null && node !== undefined);
    if (found.length === 0 && active.length === 0 && overfull) {
      // Nothing fits (a box wider than the line): set it overfull, as TeX does, rather than fail.
      const { node } = overfull;
      found.push({ position: index, line: node.line + 1, fitness: 0, width: 0, stretch: 0, shrink: 0, demerits: node.demerits + (parameters.lineDemerits + FORBIDDEN) ** 2, ratio: -1, flagged, previous: node });
    }
    if (found.length > 0) {
      // The next line starts after the glue and penalties that follow the break.
      let next = index + 1;
      while (next < count) {
        const following = items[next] as Breakable;
        if (following.kind === 'box' || (following.kind === 'penalty' && following.penalty <= FORCED)) break;
        next++;
      }
      for (const node of found) {
        active.push({ ...node, width: sumWidth[next] ?? 0, stretch: sumStretch[next] ?? 0, shrink: sumShrink[next] ?? 0 });
      }
    }
    if (active.length === 0) return null;
  }

  let last: Node | null = null;
  for (const node of active) if (node.position === count - 1 && (!last || node.demerits < last.demerits)) last = node;
  if (!last) return null;
  const lines: BrokenLine[] = [];
  for (let node: Node | null = last; node?.previous; node = node.previous) {
    lines.push({ start: 0, end: node.position, ratio: node.ratio });
  }
  lines.reverse();
  return lines.map((line, index) => ({ ...line, start: index === 0 ? 0 : lineStart(items, (lines[index - 1] as BrokenLine).end) }));
}

/** First item of the line after a break at `breakIndex`: discardable items are skipped. */
export function lineStart(items: readonly Breakable[], breakIndex: number): number {
  let next = breakIndex + 1;
  while (next < items.length) {
    const item = items[next] as Breakable;
    if (item.kind === 'box' || (item.kind === 'penalty' && item.penalty <= FORCED)) break;
    next++;
  }
  return next;
}

/** Last resort (cannot happen when every box fits a line): break as late as possible. */
function firstFit(items: readonly Breakable[], parameters: LineBreakParameters, sumWidth: Float64Array): BrokenLine[] {
  const lines: BrokenLine[] = [];
  let start = 0;
  let lastBreak = -1;
  for (let index = 0; index < items.length; index++) {
    const item = items[index] as Breakable;
    const breakable = (item.kind === 'glue' && items[index - 1]?.kind === 'box') || (item.kind === 'penalty' && item.penalty < FORBIDDEN);
    const forced = item.kind === 'penalty' && item.penalty <= FORCED;
    const width = (sumWidth[index] ?? 0) - (sumWidth[start] ?? 0);
    if (width > parameters.measure(lines.length) && lastBreak >= start) {
      lines.push({ start, end: lastBreak, ratio: 0 });
      start = lineStart(items, lastBreak);
      lastBreak = -1;
    }
    if (forced) {
      lines.push({ start, end: index, ratio: 0 });
      start = lineStart(items, index);
      lastBreak = -1;
    } else if (breakable) {
      lastBreak = index;
    }
  }
  return lines;
}
