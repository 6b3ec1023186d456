/**
 * The print edition as a paper sets it (issue 15): a measure of 55–75 characters, no last page
 * with a handful of lines on it, and hyphens where a reader expects them (never in the last
 * word of a paragraph, in an English name, or across a page break). Articles of many lengths
 * are built with the real command, on A4 and on Letter, and their PDFs read back with pdf.js:
 * every line of the body is found in the source text, in order, so where each line breaks (in a
 * word, between words, at the end of a paragraph or a page) is known exactly. The rules of the
 * layout itself (fitting on fewer pages, moving lines over, hyphens at a page's foot) are tested
 * on made-up blocks below.
 */
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { site } from './command.ts';
import { textSetBlock } from './set-blocks.ts';
import { pdfTheme } from '../templates/pdf-theme.ts';
import { composePages, paginate, textFrame, type SetBlock, type TextFrame } from '../pipeline/outputs/pdf/layout.ts';
import { breakLines, breakLinesWithin, FILL, FORBIDDEN, FORCED, type Breakable } from '../pipeline/outputs/pdf/line-breaking.ts';

// ---- the articles ---------------------------------------------------------------------------

/** A small deterministic random number generator (mulberry32), so the articles never change. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

// Wire copy with many long words (hyphenation points), long names, and paragraphs that end in
// a long word. No quotes, apostrophes or dashes: the source text is then exactly the PDF's.
const ENGLISH = [
  'Officials in Vladivostok confirmed that the delegation from Novosibirsk would arrive on Tuesday for negotiations about infrastructure.',
  'The spokesperson for Interfax said the announcement had been coordinated with representatives of the Mediterranean shipping consortium.',
  'Analysts at the Massachusetts Institute of Technology described the agreement as extraordinarily complicated and politically unprecedented.',
  'Christopher Alexandrov, who chairs the committee in Yekaterinburg, said the investigation would continue throughout the administration.',
  'Residents of Kaliningrad reported considerable disruption to transportation, electricity and telecommunications.',
  'The Montenegrin government published a comprehensive assessment of the environmental consequences.',
  'According to Bartholomew Fitzgerald, the negotiations in Constantinople had been characterised by misunderstandings and disagreements.',
  'International observers questioned whether the commitments were enforceable under the existing constitutional arrangements.',
  'The ministry of communications announced that the reconstruction of the harbour would require significant additional appropriations.',
  'Representatives from Rotterdam, Gothenburg and Antwerp attended the conference, which focused on decarbonisation and competitiveness.',
  'Economists warned that the unemployment figures underestimated the difficulties facing manufacturers in the northeastern provinces.',
  'Independent journalists were permitted to accompany the delegation, an arrangement the organisers called unprecedented.',
  'Negotiators from Kazakhstan and Azerbaijan requested clarification of the transitional provisions before signing the memorandum.',
  'The parliamentary committee recommended strengthening the regulatory framework governing pharmaceutical manufacturing.',
  'Alexandra Montgomery, an economist in Philadelphia, said the announcement reflected growing uncertainty about international cooperation.',
  'Demonstrators gathered outside the headquarters of Gazprombank in Petersburg to protest against the privatisation.',
  'The chairwoman acknowledged that implementation of the recommendations would be administratively challenging.',
  'Shipments of agricultural machinery through Novorossiysk increased considerably during the second quarter, according to preliminary statistics.',
  'Ships were waiting at anchor.',
  'The talks resumed on Friday morning and lasted until well after midnight.',
];

// German capitalises every noun: its capitalised words are hyphenated like any other.
const GERMAN = [
  'Die Bundesregierung hat am Dienstag eine Verlängerung der Übergangsregelungen für Energieversorgungsunternehmen beschlossen.',
  'Nach Angaben des Wirtschaftsministeriums sollen die Investitionen in die Verkehrsinfrastruktur deutlich steigen.',
  'Die Gewerkschaften kritisierten die Entscheidung als Verhandlungsergebnis ohne ausreichende Arbeitnehmerbeteiligung.',
  'Vertreter der Landesregierungen forderten eine gerechtere Verteilung der Steuereinnahmen zwischen Bund und Kommunen.',
  'Die Verbraucherschutzorganisationen begrüßten die Ankündigung, warnten aber vor steigenden Versicherungsbeiträgen.',
  'Im Bundestag wird die Gesetzesvorlage voraussichtlich nach der Sommerpause in zweiter Lesung beraten.',
  'Die Wettbewerbsbehörde prüft derzeit, ob die Zusammenarbeit der Unternehmen mit dem Kartellrecht vereinbar ist.',
  'Nach Einschätzung der Sachverständigen bleibt die Wirtschaftsentwicklung in den kommenden Monaten unsicher.',
];

// French capitalises names only, as English does.
const FRENCH = [
  'Les représentants de Montpellier et de Strasbourg ont annoncé mardi la conclusion des négociations sur les infrastructures.',
  'Selon Christophe Delacroix, le gouvernement souhaite renforcer considérablement la coopération internationale.',
  'Les habitants de Valenciennes et de Châteauroux ont constaté des perturbations importantes dans les transports.',
  'La Commission européenne a publié une évaluation approfondie des conséquences environnementales.',
  'Les économistes estiment que les statistiques officielles sous-estiment les difficultés des entreprises industrielles.',
  'Le ministre de Clermont-Ferrand a reconnu que la réorganisation administrative serait particulièrement compliquée.',
];

interface Probe {
  readonly slug: string;
  readonly lang: string;
  readonly paragraphs: readonly string[];
}

/** Paragraphs of two to four sentences of `pool`, until the text holds at least `words` words. */
function paragraphsOf(pool: readonly string[], words: number, seed: number): string[] {
  const next = random(seed);
  const paragraphs: string[] = [];
  let count = 0;
  while (count < words) {
    const sentences: string[] = [];
    const length = 2 + Math.floor(next() * 3);
    for (let index = 0; index < length && count < words; index++) {
      const sentence = pool[Math.floor(next() * pool.length)] as string;
      sentences.push(sentence);
      count += sentence.split(' ').length;
    }
    paragraphs.push(sentences.join(' '));
  }
  return paragraphs;
}

const LENGTHS = Array.from({ length: 16 }, (_, index) => 300 + index * 10);
// Shorter ones, around the length that fills a page: some overrun it by a little.
const SHORT = Array.from({ length: 11 }, (_, index) => 120 + index * 8);
const PROBES: readonly Probe[] = [
  ...LENGTHS.map((words) => ({ slug: `english-${words}`, lang: 'en', paragraphs: paragraphsOf(ENGLISH, words, words) })),
  ...SHORT.map((words) => ({ slug: `short-${words}`, lang: 'en', paragraphs: paragraphsOf(ENGLISH, words, words) })),
  { slug: 'english-long', lang: 'en', paragraphs: paragraphsOf(ENGLISH, 3000, 1) },
  { slug: 'german', lang: 'de', paragraphs: paragraphsOf(GERMAN, 900, 2) },
  { slug: 'french', lang: 'fr', paragraphs: paragraphsOf(FRENCH, 900, 3) },
];

function markdown(probe: Probe): string {
  const front = [
    `title: Print edition probe ${probe.slug}`,
    `slug: ${probe.slug}`,
    'date: 2023-09-11T10:00:00Z',
    `lang: ${probe.lang}`,
    'author: Galley Wire staff',
    'summary: A standfirst of one sentence that says what happened and why it matters.',
    'credit: Agencies contributed reporting.',
    'tags: [World, Economy]',
    'related:',
    '  - title: An earlier report on the same negotiations',
  ];
  return `---\n${front.join('\n')}\n---\n\n${probe.paragraphs.join('\n\n')}\n`;
}

type Paper = 'A4' | 'Letter';

/** Builds every probe with the real command on `paper`; the PDFs by slug. */
function build(paper: Paper): Map<string, Uint8Array> {
  const files: Record<string, string> = { 'site.yaml': `title: Galley Wire\nlanguage: en\npaper: ${paper}\n` };
  for (const probe of PROBES) files[`articles/${probe.slug}.md`] = markdown(probe);
  const edition = site(files);
  const run = edition.build();
  assert.is(run.status, 0, run.stderr);
  return new Map(PROBES.map((probe) => [probe.slug, new Uint8Array(fs.readFileSync(path.join(edition.out, 'articles', probe.slug, `${probe.slug}.pdf`)))]));
}

const editions = new Map<Paper, Map<string, Uint8Array>>();
function pdfs(paper: Paper): Map<string, Uint8Array> {
  let built = editions.get(paper);
  if (!built) {
    built = build(paper);
    editions.set(paper, built);
  }
  return built;
}

// ---- reading the body back --------------------------------------------------------------------

interface TextLine {
  readonly text: string;
  readonly x: number;
  /** The right edge of its last item. */
  readonly right: number;
  /** The baseline, from the page's foot (PDF space), in quarter points. */
  readonly y: number;
}

/**
 * The lines of a page, top to bottom, as text items grouped by their baseline; items on one
 * baseline further apart than two ems are in different columns, and so different lines.
 */
async function pageLines(doc: PDFDocumentProxy, number: number): Promise<TextLine[]> {
  const items = (await (await doc.getPage(number)).getTextContent()).items.flatMap((item) => ('str' in item && item.str !== '' ? [{ str: item.str, x: item.transform[4] ?? 0, y: item.transform[5] ?? 0, width: item.width, size: Math.hypot(item.transform[2] ?? 0, item.transform[3] ?? 0) }] : []));
  const rows = new Map<number, typeof items>();
  for (const item of items) {
    const key = Math.round(item.y * 4);
    rows.set(key, [...(rows.get(key) ?? []), item]);
  }
  const lines: TextLine[] = [];
  for (const [key, row] of rows) {
    row.sort((a, b) => a.x - b.x);
    let current: { text: string; x: number; right: number; size: number } | null = null;
    for (const item of row) {
      if (current && item.x - current.right > 2 * Math.max(item.size, current.size)) {
        lines.push({ text: current.text, x: current.x, right: current.right, y: key });
        current = null;
      }
      if (current) {
        current.text += item.str;
        current.right = item.x + item.width;
      } else {
        current = { text: item.str, x: item.x, right: item.x + item.width, size: item.size };
      }
    }
    if (current) lines.push({ text: current.text, x: current.x, right: current.right, y: key });
  }
  // Top to bottom (PDF space grows upwards), then column by column.
  lines.sort((a, b) => b.y - a.y || a.x - b.x);
  return lines;
}

/** A line of the body, where it is in the source text and on which page. */
interface BodyLine {
  readonly page: number;
  readonly y: number;
  readonly right: number;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const normal = (text: string) => text.replace(/\u00AD/g, '').replace(/\s+/g, ' ').trim();

/**
 * Every line of the body, found in the source text in order: a line that continues the text
 * where the previous one stopped (after a space, or right there when a word was broken) is the
 * body's; the headline, byline, furniture and end matter are not. Fails unless the whole body
 * is found.
 */
async function bodyLines(doc: PDFDocumentProxy, source: string): Promise<BodyLine[]> {
  const found: BodyLine[] = [];
  let cursor = 0;
  for (let number = 1; number <= doc.numPages; number++) {
    for (const line of await pageLines(doc, number)) {
      const text = normal(line.text);
      const start = source[cursor] === ' ' ? cursor + 1 : cursor;
      if (text === '' || !source.startsWith(text, start)) continue;
      found.push({ page: number, y: line.y, right: line.right, text, start, end: start + text.length });
      cursor = start + text.length;
    }
  }
  assert.is(cursor, source.length, `the whole body is read back in order (stopped at ${JSON.stringify(source.slice(cursor, cursor + 60))})`);
  return found;
}

const LETTER = /\p{L}/u;

/** The line ends inside a word, where a hyphen was drawn: letters on both sides. */
function hyphenates(source: string, line: BodyLine): boolean {
  return LETTER.test(source[line.end - 1] ?? '') && LETTER.test(source[line.end] ?? '');
}

/** The line ends inside a word: hyphenated, or after the hyphen of a compound (cost-/cutting). */
function breaksWord(source: string, line: BodyLine): boolean {
  return hyphenates(source, line) || (source[line.end - 1] === '-' && LETTER.test(source[line.end] ?? ''));
}

/** The word of the source around `offset`. */
function wordAt(source: string, offset: number): string {
  let start = offset;
  let end = offset;
  while (start > 0 && /[\p{L}-]/u.test(source[start - 1] ?? '')) start--;
  while (end < source.length && /[\p{L}-]/u.test(source[end] ?? '')) end++;
  return source.slice(start, end);
}

interface Reading {
  readonly probe: Probe;
  readonly doc: PDFDocumentProxy;
  readonly source: string;
  readonly lines: readonly BodyLine[];
  /** Offsets in `source` where paragraphs end. */
  readonly paragraphEnds: ReadonlySet<number>;
}

const readings = new Map<string, Promise<Reading>>();

async function read(paper: Paper, probe: Probe): Promise<Reading> {
  const key = `${paper}/${probe.slug}`;
  let reading = readings.get(key);
  if (!reading) {
    reading = readAgain(paper, probe);
    readings.set(key, reading);
  }
  return reading;
}

async function readAgain(paper: Paper, probe: Probe): Promise<Reading> {
  const bytes = pdfs(paper).get(probe.slug) as Uint8Array;
  const doc = await getDocument({ data: bytes.slice(), verbosity: 0 }).promise;
  const source = probe.paragraphs.map(normal).join(' ');
  const paragraphEnds = new Set<number>();
  let offset = -1;
  for (const paragraph of probe.paragraphs) {
    offset += normal(paragraph).length + 1;
    paragraphEnds.add(offset);
  }
  return { probe, doc, source, lines: await bodyLines(doc, source), paragraphEnds };
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

// ---- measure ----------------------------------------------------------------------------------

for (const paper of ['A4', 'Letter'] as const) {
  test(`measure (${paper}): body lines of a long English article run to a median of 55–75 characters`, async () => {
    const { lines } = await read(paper, PROBES.find((probe) => probe.slug === 'english-long') as Probe);
    assert.ok(lines.length > 200, `${lines.length} lines`);
    const characters = median(lines.map((line) => line.text.length));
    assert.ok(characters >= 55 && characters <= 75, `median ${characters} characters per line`);
  });
}

test('measure: every line of a paragraph but its last is justified to the measure, none a word alone', async () => {
  for (const paper of ['A4', 'Letter'] as const) {
    const frame = textFrame(pdfTheme.paper[paper]);
    for (const probe of PROBES) {
      const { source, lines, paragraphEnds } = await read(paper, probe);
      for (const line of lines) {
        if (paragraphEnds.has(line.end)) continue;
        // pdf.js leaves out the hyphen of a broken word (U+00AD), its width too: half an em.
        const hyphen = hyphenates(source, line) ? pdfTheme.styles.body.size / 2 : 0;
        assert.ok(Math.abs(line.right + hyphen / 2 - (frame.left + frame.measure)) < 1 + hyphen / 2, `${paper} ${probe.slug}: ${JSON.stringify(line.text)} ends at ${line.right.toFixed(1)}, the measure at ${(frame.left + frame.measure).toFixed(1)}`);
      }
    }
  }
});

// ---- the last page ------------------------------------------------------------------------------

for (const paper of ['A4', 'Letter'] as const) {
  test(`last page (${paper}): an article of 300 to 450 words fits one page, or its last page holds six lines of the body or more`, async () => {
    const outcomes: string[] = [];
    for (const probe of PROBES) {
      const { doc, lines } = await read(paper, probe);
      const last = lines.filter((line) => line.page === doc.numPages).length;
      outcomes.push(`${probe.slug}: ${doc.numPages} pages, ${last} lines on the last`);
      assert.ok(doc.numPages === 1 || last >= pdfTheme.typesetting.lastPage.minBodyLines, outcomes.at(-1));
    }
    // The series is not all on one page: the rule was put to work.
    assert.ok(outcomes.some((outcome) => !outcome.includes(': 1 pages')), outcomes.join('\n'));
  });

  test(`last page (${paper}): an article that overruns its page by a little is fitted on it, its end matter closed up`, async () => {
    /** From the last line of the body down to the credit, the end matter's first line, in points. */
    const endGaps = new Map<string, { pages: number; gap: number }>();
    for (const probe of PROBES) {
      const { doc, lines } = await read(paper, probe);
      const credit = (await pageLines(doc, doc.numPages)).find((line) => normal(line.text) === 'Agencies contributed reporting.');
      assert.ok(credit, `${probe.slug}: the credit is on the last page`);
      endGaps.set(probe.slug, { pages: doc.numPages, gap: Math.round(((lines.at(-1)?.y ?? 0) - credit.y) / 4) });
    }
    // The end matter's spacing as most articles have it.
    const counts = new Map<number, number>();
    for (const { gap } of endGaps.values()) counts.set(gap, (counts.get(gap) ?? 0) + 1);
    const regular = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
    const summary = [...endGaps].map(([slug, { pages, gap }]) => `${slug}: ${pages} pages, ${gap} pt`).join('\n');
    const fitted = [...endGaps].filter(([slug, { pages, gap }]) => slug.startsWith('short-') && pages === 1 && gap < regular);
    assert.ok(fitted.length > 0, `a short article fitted on one page with its end matter closer than ${regular} points:\n${summary}`);
    // Fitted only when it nearly fits: the shortest stand as they are, the longest take two pages.
    assert.is(endGaps.get(`short-${SHORT[0]}`)?.gap, regular, summary);
    assert.is(endGaps.get(`short-${SHORT.at(-1)}`)?.pages, 2, summary);
  });
}

// ---- hyphenation --------------------------------------------------------------------------------

for (const paper of ['A4', 'Letter'] as const) {
  test(`hyphenation (${paper}): never in the last word of a paragraph, nor across a page break`, async () => {
    let broken = 0;
    let pageEnds = 0;
    for (const probe of PROBES) {
      const { source, lines, paragraphEnds } = await read(paper, probe);
      lines.forEach((line, index) => {
        const next = lines[index + 1];
        if (!next) return;
        if (breaksWord(source, line)) {
          broken++;
          // The rest of the word, on the next line, is not all the paragraph has left.
          assert.not.ok(paragraphEnds.has(next.end) && !next.text.includes(' '), `${probe.slug}: the last word of a paragraph is broken: ${JSON.stringify(line.text.slice(-20))} / ${JSON.stringify(next.text)}`);
        }
        if (next.page !== line.page) {
          pageEnds++;
          assert.not.ok(breaksWord(source, line), `${probe.slug}: page ${line.page} ends inside ${JSON.stringify(wordAt(source, line.end))}`);
        }
      });
    }
    assert.ok(broken > 100, `${broken} words broken at line ends: the text is hyphenated`);
    assert.ok(pageEnds > 20, `${pageEnds} page breaks in the body`);
  });

  test(`hyphenation (${paper}): no name is hyphenated in English or French; German hyphenates its capitalised nouns`, async () => {
    const capitalisedBreaks = async (slug: string) => {
      const { source, lines } = await read(paper, PROBES.find((probe) => probe.slug === slug) as Probe);
      const hyphenated = lines.filter((line) => hyphenates(source, line));
      return { all: hyphenated.length, capitalised: hyphenated.filter((line) => /^\p{Lu}/u.test(wordAt(source, line.end))).map((line) => wordAt(source, line.end)) };
    };
    for (const slug of ['english-long', 'french']) {
      const breaks = await capitalisedBreaks(slug);
      assert.ok(breaks.all > 20, `${slug}: ${breaks.all} words broken`);
      assert.equal(breaks.capitalised, [], `${slug}: names broken`);
    }
    const german = await capitalisedBreaks('german');
    assert.ok(german.capitalised.length > 5, `German nouns broken: ${german.capitalised.join(', ')}`);
  });
}

// ---- the rules of the layout, on made-up blocks -------------------------------------------------


/** Pages of ten 10-point lines; the theme's body leading is what lines move over by. */
const THEME = { ...pdfTheme, styles: { ...pdfTheme.styles, body: { ...pdfTheme.styles.body, leading: 10 } } };
const FRAME: TextFrame = { width: 100, height: 100, left: 0, measure: 100, top: 0, bottom: 100 };
const never = () => null;

/** Pages as `[index of the block in sets, lines on the page]` pairs (a block respaced or reset is still itself). */
function shape(pages: ReturnType<typeof paginate>, sets: readonly SetBlock[]): [number, number][][] {
  const struct = (set: SetBlock) => (set.block.kind === 'text' ? set.block.struct : null);
  return pages.map((page) => page.placements.map((placement) => [sets.findIndex((set) => struct(set) === struct(placement.set)), placement.to - placement.from] as [number, number]));
}

test('layout: a page never ends with a hyphenated line; the line goes over with the rest', () => {
  // 14 lines: 10 would fit, but lines 9 and 10 end in hyphens, so 8 stay.
  const sets = [textSetBlock(14, { hyphenated: [8, 9] })];
  assert.equal(shape(paginate(sets, FRAME, THEME), sets), [[[0, 8]], [[0, 6]]]);
  // Not at the cost of an orphan: a paragraph whose only lines that fit end in hyphens goes over whole.
  const orphan = [textSetBlock(8), textSetBlock(5, { hyphenated: [0, 1] })];
  assert.equal(shape(paginate(orphan, FRAME, THEME), orphan), [[[0, 8]], [[1, 5]]]);
});

test('layout: end matter that overruns a page by a little fits once its spacing closes up', () => {
  // 8 lines of body, the end matter (a line, 14 points below) overruns by 4 points.
  const sets = [textSetBlock(8), textSetBlock(1, { before: 14 })];
  const body = { start: 0, end: 1 };
  assert.is(paginate(sets, FRAME, THEME).length, 2);
  const pages = composePages(sets, FRAME, THEME, body, never);
  assert.equal(shape(pages, sets), [[[0, 8], [1, 1]]]);
});

test('layout: a paragraph set a line shorter pulls an overrun back onto the page; only as many as needed', () => {
  const sets = [textSetBlock(3), textSetBlock(3), textSetBlock(3), textSetBlock(1, { before: 4 })];
  const body = { start: 0, end: 3 };
  const tightened: number[] = [];
  const tighten = (set: SetBlock) => {
    tightened.push(sets.indexOf(set));
    return { ...set, lines: set.lines.slice(1), lineCount: set.lineCount - 1 };
  };
  const pages = composePages(sets, FRAME, THEME, body, tighten);
  assert.is(pages.length, 1);
  assert.is(tightened.length, 1, 'one paragraph tightened');
});

test('layout: a last page with fewer than six lines of the body takes lines from the page before', () => {
  // Pages of ten lines: 20 lines of body would fill two, and the end matter stand alone on a third.
  const sets = [textSetBlock(4), textSetBlock(4), textSetBlock(4), textSetBlock(4), textSetBlock(4), textSetBlock(1)];
  const natural = paginate(sets, FRAME, THEME);
  assert.equal(shape(natural, sets), [[[0, 4], [1, 4], [2, 2]], [[2, 2], [3, 4], [4, 4]], [[5, 1]]]);
  const pages = composePages(sets, FRAME, THEME, { start: 0, end: 5 }, never);
  assert.is(pages.length, 3);
  const last = shape(pages, sets).at(-1) ?? [];
  const bodyLines = last.filter(([index]) => index < 5).reduce((sum, [, count]) => sum + count, 0);
  assert.ok(bodyLines >= 6, `${bodyLines} lines of the body on the last page: ${JSON.stringify(shape(pages, sets))}`);
  assert.equal(shape(pages, sets)[0], [[0, 4], [1, 4], [2, 2]], 'the first page stays as it was');
});

// ---- a paragraph a line shorter -----------------------------------------------------------------

/** Words of `width` points, with spaces of 6 that stretch by 3.6 and shrink by 2.5. */
function words(count: number, width: number): Breakable[] {
  const items: Breakable[] = [];
  for (let index = 0; index < count; index++) {
    if (index > 0) items.push({ kind: 'glue', width: 6, stretch: 3.6, shrink: 2.5 });
    items.push({ kind: 'box', width });
  }
  items.push({ kind: 'penalty', width: 0, penalty: FORBIDDEN, flagged: false }, { kind: 'glue', width: 0, stretch: FILL, shrink: 0 }, { kind: 'penalty', width: 0, penalty: FORCED, flagged: false });
  return items;
}

const BREAKING = { measure: () => 300, tolerance: pdfTheme.typesetting.tolerance, raggedStretch: 0, lineDemerits: 10, consecutiveFlagged: 3000, finalHyphen: 5000, fitnessMismatch: 100 };

test('Knuth–Plass within a line count: one line fewer when the spaces can shrink that far, null when not', () => {
  // 17 words of 30 points: eight to a line, a little loose, and one word on a third line is
  // best; nine to a line fit only with the spaces shrunk nearly all they can.
  const items = words(17, 30);
  const best = breakLines(items, BREAKING);
  assert.is(best.length, 3);
  const shorter = breakLinesWithin(items, BREAKING, 2);
  assert.ok(shorter, 'two lines');
  assert.is(shorter.length, 2);
  for (const line of shorter) assert.ok(line.ratio >= -1, `no line shrinks past its spaces (${line.ratio})`);
  assert.is(breakLinesWithin(items, BREAKING, 1), null, 'not on one line');
});

test.run();
