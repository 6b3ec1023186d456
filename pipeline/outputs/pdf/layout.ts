/**
 * Blocks → lines → pages. Every block is set into lines first; pages are then filled line by
 * line with the rules of a well-made page: no heading last on a page, no paragraph starting
 * with a single line at the foot of a page (orphan) or ending with one at the head of the
 * next (widow), space between blocks collapsing (the larger wins) and vanishing at page tops.
 */
import type { PdfTheme } from '../../../templates/pdf-theme.ts';
import type { Block, StructNode } from './blocks.ts';
import type { ParagraphSetter } from './paragraph.ts';
import type { SetBlock } from './set-block.ts';
import { isRightToLeft } from '../../model/lang.ts';
import { setTable } from './table.ts';
import { setImage } from './image.ts';

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
    const laid = setter.set(block.runs, { lang, align: block.align, measure: width, firstIndent: block.firstIndent, hyphenate: block.hyphenate });
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

export function paginate(sets: readonly SetBlock[], frame: Frame, theme: PdfTheme): PageLayout[] {
  const { orphans, widows, keepWithHeading } = theme.typesetting;
  const pages: PageLayout[] = [];
  let placements: Placement[] = [];
  let y = frame.top;
  let previousAfter = 0;
  // a running head set again counts as nothing yet on the page: the block under it is still first
  const atTop = () => placements.every((placement) => placement.repeated === true);
  const newPage = () => {
    pages.push({ placements });
    placements = [];
    y = frame.top;
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
      if (y + need > frame.bottom && need <= room) {
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
      const fit = Math.floor((frame.bottom - top) / height + 1e-6);
      const remaining = set.lineCount - line;
      if (fit >= remaining) {
        placements.push({ set, from: line, to: set.lineCount, top });
        y = top + remaining * height;
        line = set.lineCount;
        break;
      }
      let take = Math.max(0, fit);
      if (line === 0 && take < orphans && !atTop()) take = 0;
      if (take > 0 && remaining - take < widows) {
        take = remaining - widows;
        if (line === 0 && take < orphans && !atTop()) take = 0;
      }
      if (take <= 0) {
        if (!atTop()) {
          newPage();
          gap = 0;
          continue;
        }
        // A page that cannot hold the minimum (or a line taller than the page): set what fits.
        take = Math.max(1, fit);
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

/** Structure nodes whose language differs from the document's. */
export function structureLanguages(sets: readonly SetBlock[]): Map<StructNode, string> {
  const languages = new Map<StructNode, string>();
  for (const set of sets) if (set.lang && set.block.kind === 'text' && set.block.struct) languages.set(set.block.struct, set.lang);
  return languages;
}
