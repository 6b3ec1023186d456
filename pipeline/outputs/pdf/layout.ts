/**
 * Blocks → lines → pages. Every block is set into lines first; pages are then filled line by
 * line with the rules of a well-made page: no heading last on a page, no paragraph starting
 * with a single line at the foot of a page (orphan) or ending with one at the head of the
 * next (widow), no page ending in a hyphen, space between blocks collapsing (the larger wins)
 * and vanishing at page tops, and no last page holding a few lines alone (composePages).
 */
import type { Paper, PdfTheme } from '../../../templates/pdf-theme.ts';
import type { ArticleDocument, Block, StructNode, TextBlock } from './blocks.ts';
import type { LaidLine, ParagraphOptions, ParagraphSetter } from './paragraph.ts';
import type { SetBlock } from './set-block.ts';
import { isRightToLeft } from '../../model/lang.ts';
import { setTable } from './table.ts';
import { setImage } from './image.ts';

/**
 * Where text goes on a page: one column, as wide as the theme's measure, centred. Every block
 * is set to `measure` (less its own indent); a block that is not text (a table, a figure)
 * takes its width from here too.
 */
export interface TextFrame {
  /** The page's width and height. */
  readonly width: number;
  readonly height: number;
  /** The column's left edge, from the page's left edge. */
  readonly left: number;
  /** The column's width. */
  readonly measure: number;
  /** The top of the first line and the lowest a line may reach, from the page's top. */
  readonly top: number;
  readonly bottom: number;
}

export function textFrame(paper: Paper): TextFrame {
  const [width, height] = paper.size;
  const measure = Math.min(paper.measure, width);
  return { width, height, left: (width - measure) / 2, measure, top: paper.margins.top, bottom: height - paper.margins.bottom };
}

export type { SetBlock } from './set-block.ts';

/** Languages guessed from the script a paragraph is written in, for its structure element. */
const SCRIPT_LANGUAGES: Readonly<Record<string, string>> = {
  Arabic: 'ar',
  Hebrew: 'he',
  Han: 'zh',
  Hangul: 'ko',
  Hiragana: 'ja',
  Katakana: 'ja',
  Greek: 'el',
  Thai: 'th',
  Devanagari: 'hi',
  Armenian: 'hy',
  Georgian: 'ka',
};

export function setBlocks(blocks: readonly Block[], setter: ParagraphSetter, theme: PdfTheme, measure: number, lang: string): SetBlock[] {
  const articleScript = scriptOfLanguage(lang);
  return blocks.flatMap((block): SetBlock | SetBlock[] => {
    if (block.kind === 'table') return setTable(block, setter, theme, measure, lang, isRightToLeft(lang));
    if (block.kind === 'image') return setImage(block, measure, isRightToLeft(lang));
    if (block.kind === 'rule') {
      return { block, lines: [], lineHeight: block.thickness, baseline: 0, ascent: 0, descent: 0, left: 0, label: null, lang: null, lineCount: 1 };
    }
    const width = measure - block.indent;
    const laid = setter.set(block.runs, paragraphOptions(block, measure, lang));
    const face = setter.chain(block.style, lang).primary;
    const size = block.style.size;
    const ascent = face.ascent * size;
    const descent = face.descent * size;
    const leading = block.style.leading;
    let label: SetBlock['label'] = null;
    if (block.label) {
      const set = setter.setLine(block.label.runs, lang);
      // Hung in the indent, right-aligned a third of an em before the text (left of it when RTL).
      const gap = size / 3;
      label = { line: set.line, left: laid.rtl ? block.indent + width + gap : block.indent - gap - set.width };
    }
    const guessed = SCRIPT_LANGUAGES[laid.script];
    return {
      block,
      lines: laid.lines,
      lineHeight: leading,
      // The line's ascent and descent centred in the leading.
      baseline: (leading - (ascent + descent)) / 2 + ascent,
      ascent,
      descent,
      left: block.indent,
      label,
      lang: guessed && laid.script !== articleScript ? guessed : null,
      lineCount: laid.lines.length,
    };
  });
}

function paragraphOptions(block: TextBlock, measure: number, lang: string): ParagraphOptions {
  return { lang, align: block.align, measure: measure - block.indent, firstIndent: block.firstIndent, hyphenate: block.hyphenate };
}

/**
 * A justified paragraph set one line shorter (ParagraphSetter.tighten), or null when it is not
 * one or cannot be.
 */
export function tightenBlock(set: SetBlock, setter: ParagraphSetter, measure: number, lang: string): SetBlock | null {
  const block = set.block;
  if (block.kind !== 'text' || block.align !== 'justify' || set.lineCount < 2) return null;
  const laid = setter.tighten(block.runs, paragraphOptions(block, measure, lang), set.lineCount);
  return laid ? { ...set, lines: laid.lines, lineCount: laid.lines.length } : null;
}

function scriptOfLanguage(lang: string): string {
  const primary = (lang.split('-')[0] ?? '').toLowerCase();
  const entry = Object.entries(SCRIPT_LANGUAGES).find(([, code]) => code === primary);
  return entry ? entry[0] : 'Latin';
}

/** Lines `from` (inclusive) to `to` (exclusive) of a set block, with the top of the first. */
export interface Placement {
  readonly set: SetBlock;
  readonly from: number;
  readonly to: number;
  readonly top: number;
  /** A running head set again (see SetBlock.runningHead): drawn as an artifact. */
  readonly repeated?: true;
}

export interface PageLayout {
  readonly placements: readonly Placement[];
}

export interface Frame {
  readonly top: number;
  readonly bottom: number;
}

/** How many blocks a chain of keep-with-next blocks may hold before it is cut. */
const KEEP_CHAIN_LIMIT = 16;

const FULL_PAGES: ReadonlyMap<number, number> = new Map();

/**
 * Fills pages with the lines of `sets`, in order. `bottoms` ends some pages (by index) higher
 * than the frame does, to move lines over to the next.
 */
export function paginate(sets: readonly SetBlock[], frame: Frame, theme: PdfTheme, bottoms: ReadonlyMap<number, number> = FULL_PAGES): PageLayout[] {
  const { orphans, widows, keepWithHeading } = theme.typesetting;
  const pages: PageLayout[] = [];
  let placements: Placement[] = [];
  let y = frame.top;
  let bottom = bottoms.get(0) ?? frame.bottom;
  let previousAfter = 0;
  // a running head set again counts as nothing yet on the page: the block under it is still first
  const atTop = () => placements.every((placement) => placement.repeated === true);
  const newPage = () => {
    pages.push({ placements });
    placements = [];
    y = frame.top;
    bottom = bottoms.get(pages.length) ?? frame.bottom;
    previousAfter = 0;
  };
  const room = frame.bottom - frame.top;
  // Lines of what follows a heading that must share its page (headings chain).
  const keepHeight = (index: number, depth: number): number => {
    const next = sets[index];
    if (!next || depth > KEEP_CHAIN_LIMIT) return 0;
    const spacing = next.block.spacing.before;
    if (next.block.keepWithNext) return spacing + next.lineCount * next.lineHeight + keepHeight(index + 1, depth + 1);
    return spacing + Math.min(keepWithHeading, next.lineCount) * next.lineHeight;
  };

  sets.forEach((set, index) => {
    const block = set.block;
    const height = set.lineHeight;
    let gap = atTop() ? 0 : Math.max(previousAfter, block.spacing.before);
    if (block.keepWithNext && !atTop()) {
      const need = gap + set.lineCount * height + keepHeight(index + 1, 0);
      // Unless the heading and its company would not fit on any page.
      if (y + need > bottom && need <= room) {
        newPage();
        gap = 0;
      }
    }
    let line = 0;
    while (line < set.lineCount) {
      if (atTop() && set.runningHead) {
        const head = set.runningHead;
        placements.push({ set: head, from: 0, to: head.lineCount, top: y, repeated: true });
        y += head.lineCount * head.lineHeight;
        gap = Math.max(head.block.spacing.after, block.spacing.before);
      }
      const top = y + gap;
      const fit = Math.floor((bottom - top) / height + 1e-6);
      const remaining = set.lineCount - line;
      if (fit >= remaining) {
        placements.push({ set, from: line, to: set.lineCount, top });
        y = top + remaining * height;
        line = set.lineCount;
        break;
      }
      let take = Math.max(0, fit);
      if (take > 0 && remaining - take < widows) take = remaining - widows;
      take = clearOfHyphens(set, line, take);
      if (line === 0 && take < orphans && !atTop()) take = 0;
      if (take <= 0) {
        if (!atTop()) {
          newPage();
          gap = 0;
          continue;
        }
        // A page that cannot hold the minimum (or a line taller than the page): set what fits.
        take = Math.max(1, fit);
        take = clearOfHyphens(set, line, take) || take;
      }
      placements.push({ set, from: line, to: line + take, top });
      line += take;
      newPage();
      gap = 0;
    }
    previousAfter = block.spacing.after;
  });
  if (placements.length > 0 || pages.length === 0) pages.push({ placements });
  return pages;
}

/**
 * The article's pages, the last one made right: when fewer than the theme's `minBodyLines`
 * lines of the body would stand on it (two lines and the end matter overleaf), small
 * adjustments are tried to fit the article on one page fewer (the end matter's spacing closed
 * up, then a few paragraphs set a line shorter by `tighten`); failing that, the page before
 * ends early so that lines of the body move over to the last. Pagination is cheap next to
 * setting paragraphs: the tries paginate again, and only the paragraphs tightened are set again.
 */
export function composePages(sets: readonly SetBlock[], frame: TextFrame, theme: PdfTheme, body: ArticleDocument['body'], tighten: (set: SetBlock) => SetBlock | null): PageLayout[] {
  const rule = theme.typesetting.lastPage;
  const pages = paginate(sets, frame, theme);
  if (!strandsLastPage(pages, sets, body, rule.minBodyLines)) return pages;
  const fewer = onFewerPages(sets, pages.length, frame, theme, body, tighten);
  if (fewer && !strandsLastPage(fewer.pages, fewer.sets, body, rule.minBodyLines)) return fewer.pages;
  const base = fewer ?? { sets, pages };
  return withFullerLastPage(base.sets, base.pages, frame, theme, body) ?? base.pages;
}

/** Lines of the body on the last page. */
function bodyLinesOnLastPage(pages: readonly PageLayout[], sets: readonly SetBlock[], body: ArticleDocument['body']): number {
  const bodySets = new Set(sets.slice(body.start, body.end));
  let lines = 0;
  for (const placement of pages.at(-1)?.placements ?? []) if (placement.set.block.kind === 'text' && bodySets.has(placement.set)) lines += placement.to - placement.from;
  return lines;
}

function strandsLastPage(pages: readonly PageLayout[], sets: readonly SetBlock[], body: ArticleDocument['body'], minBodyLines: number): boolean {
  return pages.length > 1 && bodyLinesOnLastPage(pages, sets, body) < minBodyLines;
}

/** The sets and their pages on fewer than `count` pages after small adjustments, or null. */
function onFewerPages(sets: readonly SetBlock[], count: number, frame: TextFrame, theme: PdfTheme, body: ArticleDocument['body'], tighten: (set: SetBlock) => SetBlock | null): { sets: readonly SetBlock[]; pages: PageLayout[] } | null {
  const { endMatterSpacing, tightenedParagraphs } = theme.typesetting.lastPage;
  let current: readonly SetBlock[] = sets.map((set, index) => (index >= body.end ? respaced(set, endMatterSpacing) : set));
  let pages = paginate(current, frame, theme);
  if (pages.length < count) return { sets: current, pages };
  // The paragraphs whose last line is shortest first: the least to pull back.
  const candidates: { index: number; fill: number }[] = [];
  for (let index = body.start; index < body.end; index++) {
    const set = sets[index] as SetBlock;
    if (set.block.kind !== 'text' || set.block.align !== 'justify' || set.lineCount < 2) continue;
    const last = set.lines[set.lineCount - 1] as LaidLine;
    candidates.push({ index, fill: lineWidth(last) / Math.max(1, frame.measure - set.left) });
  }
  candidates.sort((a, b) => a.fill - b.fill || a.index - b.index);
  let tightened = 0;
  // A paragraph that cannot lose a line costs a try: a few, not one per paragraph.
  for (const { index } of candidates.slice(0, tightenedParagraphs * 4)) {
    if (tightened >= tightenedParagraphs) break;
    const tight = tighten(sets[index] as SetBlock);
    if (!tight) continue;
    tightened++;
    current = current.with(index, tight);
    pages = paginate(current, frame, theme);
    if (pages.length < count) return { sets: current, pages };
  }
  return null;
}

function respaced(set: SetBlock, factor: number): SetBlock {
  const { spacing } = set.block;
  return { ...set, block: { ...set.block, spacing: { before: spacing.before * factor, after: spacing.after * factor } } };
}

function lineWidth(line: LaidLine): number {
  let left = Number.POSITIVE_INFINITY;
  let right = 0;
  for (const element of line.elements) {
    left = Math.min(left, element.x);
    right = Math.max(right, element.x + element.width);
  }
  return Math.max(0, right - Math.min(left, right));
}

/**
 * The pages with the one before the last ending early, by as few lines as give the last page
 * its `minBodyLines` of the body, or null when no such ending does (within three times that).
 */
function withFullerLastPage(sets: readonly SetBlock[], pages: readonly PageLayout[], frame: TextFrame, theme: PdfTheme, body: ArticleDocument['body']): PageLayout[] | null {
  const { minBodyLines } = theme.typesetting.lastPage;
  const leading = theme.styles.body.leading;
  const before = pages.length - 2;
  // Where the text of that page ends now (it may end above the frame's bottom already).
  let end = frame.top;
  for (const placement of pages[before]?.placements ?? []) end = Math.max(end, placement.top + (placement.to - placement.from) * placement.set.lineHeight);
  for (let lines = minBodyLines - bodyLinesOnLastPage(pages, sets, body); lines <= minBodyLines * 3; lines++) {
    const bottom = end - lines * leading;
    if (bottom <= frame.top) break;
    const shorter = paginate(sets, frame, theme, new Map([[before, bottom]]));
    if (shorter.length !== pages.length) break;
    if (bodyLinesOnLastPage(shorter, sets, body) >= minBodyLines) return shorter;
  }
  return null;
}

/**
 * How many of the `take` lines from `from` go on this page so that the last does not end in a
 * hyphen (a word is never split across pages): `take` or fewer, 0 when every one of them does.
 */
function clearOfHyphens(set: SetBlock, from: number, take: number): number {
  let clear = take;
  while (clear > 0 && set.lines[from + clear - 1]?.hyphenated) clear--;
  return clear;
}

/** Structure nodes whose language differs from the document's. */
export function structureLanguages(sets: readonly SetBlock[]): Map<StructNode, string> {
  const languages = new Map<StructNode, string>();
  for (const set of sets) if (set.lang && set.block.kind === 'text' && set.block.struct) languages.set(set.block.struct, set.lang);
  return languages;
}
