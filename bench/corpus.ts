/**
 * A deterministic synthetic corpus in the shape of the sample article: raw wire copy of about
 * 700 words, header block (title, date, author, tags), hard-wrapped at ~78 columns, a
 * `Related article:` line mid-text and an agency credit at the end. Same seed, same bytes.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Small, fast, seedable PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SAMPLE = path.join(import.meta.dirname, '..', 'content', 'raw', 'kim-jong-un-russia-visit.txt');
const PLACES = ['Vladivostok', 'Pyongyang', 'Seoul', 'Tokyo', 'Beijing', 'Moscow', 'Kyiv', 'Warsaw', 'Hanoi', 'Reykjavík', 'Łódź', 'Athens'];
const SUBJECTS = ['talks', 'summit', 'visit', 'exercise', 'deal', 'forum', 'sanctions', 'election', 'strike', 'budget'];
const VERBS = ['begin', 'stall', 'resume', 'collapse', 'widen', 'close', 'open', 'advance'];
const TAGS = ['Asia', 'Europe', 'Diplomacy', 'Defence', 'Economy', 'Energy', 'Politics', 'Trade'];
const CREDITS = ['AFP contributed reporting.', 'Reuters contributed to this report.', 'Some information for this report was provided by AP.'];

function wrap(text: string, width = 78): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/** Body paragraphs of the sample (without its related and credit lines). */
function sampleParagraphs(): string[] {
  return fs
    .readFileSync(SAMPLE, 'utf8')
    .split(/\n\s*\n/)
    .map((block) => block.replace(/\s+/g, ' ').trim())
    .filter((block) => block && !/^Related article:/.test(block) && !/contributed reporting\.$/.test(block));
}

/** The date of corpus article `number` (1 is the oldest): an hour apart from 2023-01-01. */
export function articleDate(number: number): Date {
  return new Date(Date.UTC(2023, 0, 1) + (number - 1) * 3_600_000);
}

export interface RawArticle {
  readonly name: string;
  readonly text: string;
}

/**
 * The first `count` articles, oldest first, an hour apart from 2023-01-01 (100,000 of them span
 * eleven years). A generator: one article at a time, so 100,000 need not be held at once; the
 * articles depend on the ones before them (one PRNG), so article N is the same in every corpus
 * of N or more. Names are `article-0001.txt`…, wider past 9,999 and still unique.
 */
export function* syntheticCorpus(count: number, seed = 20230911): Generator<RawArticle> {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const paragraphs = sampleParagraphs();
  // each (paragraph, place) is localised, counted and wrapped once: the corpus is made of few of them
  const made = new Map<string, { readonly wrapped: string; readonly words: number }>();
  const paragraphIn = (paragraph: string, place: string) => {
    const key = `${place}\u0000${paragraph}`;
    let known = made.get(key);
    if (!known) {
      const text = paragraph.replace(/Vladivostok/g, place);
      known = { wrapped: wrap(text), words: text.split(' ').length };
      made.set(key, known);
    }
    return known;
  };
  for (let i = 0; i < count; i++) {
    const place = pick(PLACES);
    const title = `${place} ${pick(SUBJECTS)} ${pick(VERBS)} as officials meet, report ${i + 1}`;
    const body: string[] = [];
    let words = 0;
    while (words < 700) {
      const paragraph = paragraphIn(pick(paragraphs), place);
      body.push(paragraph.wrapped);
      words += paragraph.words;
    }
    body.splice(Math.min(6, body.length), 0, wrap(`Related article: ${pick(PLACES)} ${pick(SUBJECTS)} ${pick(VERBS)}`));
    body.push(wrap(pick(CREDITS)));
    const tags = [...new Set([pick(TAGS), pick(TAGS)])].join(', ');
    const header = [`Title: ${title}`, `Date: ${articleDate(i + 1).toISOString()}`, `Author: Bench Reporter ${(i % 7) + 1}`, `Tags: ${tags}`].join('\n');
    yield { name: `article-${String(i + 1).padStart(4, '0')}.txt`, text: `${header}\n\n${body.join('\n\n')}\n` };
  }
}

/** Article number `number` (1 is the oldest): what arrives after a corpus of `number - 1`. */
export function syntheticArticle(number: number, seed = 20230911): RawArticle {
  let last: RawArticle | undefined;
  for (const article of syntheticCorpus(number, seed)) last = article;
  if (!last) throw new Error(`no article number ${number}`);
  return last;
}

/** Writes the corpus into `contentDir/raw/`. */
export function writeCorpus(contentDir: string, articles: Iterable<RawArticle>): void {
  fs.mkdirSync(path.join(contentDir, 'raw'), { recursive: true });
  for (const article of articles) fs.writeFileSync(path.join(contentDir, 'raw', article.name), article.text);
}
