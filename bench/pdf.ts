/**
 * Warm render of an ~800-word article: Galley's PDF renderer against bare PDFKit setting the
 * same text (headline, standfirst, justified paragraphs in the same fonts), in the same run,
 * with fonts loaded once. The print edition issue asks Galley to stay within 1.3× of bare.
 *
 *   node --import tsx bench/pdf.ts [rounds]
 *
 * Not a test: timings depend on the machine. Prints the median of each and the ratio.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { Article } from '../pipeline/model/article.ts';
import { countWords, readArticle, readingMinutes } from '../pipeline/model/article.ts';
import { Diagnostics } from '../pipeline/model/diagnostics.ts';
import { parseMarkdown } from '../pipeline/model/markdown.ts';
import { loadPdfFonts, renderPdf } from '../pipeline/outputs/pdf/pdf.ts';
import { siteSettings } from '../pipeline/model/site.ts';
import { relatedLinks } from '../pipeline/outputs/article-view.ts';
import { pdfTheme } from '../templates/pdf-theme.ts';

const rounds = Number(process.argv[2] ?? 40);
const require = createRequire(import.meta.url);

const site = siteSettings({ title: 'Galley', description: 'Benchmark', baseUrl: 'https://example.org/' });

/** The sample article's body, paragraphs repeated in a different order until ~800 words. */
function benchmarkArticle(): Article {
  const file = new URL('../content/articles/north-korean-leader-kim-jong-un-will-visit-russia.md', import.meta.url);
  const sample = readArticle(file.pathname, fs.readFileSync(file), site, new Diagnostics());
  if (!sample) throw new Error(`${file.pathname} does not read as an article`);
  const paragraphs = fs
    .readFileSync(file, 'utf8')
    .split(/^---$/m)
    .slice(2)
    .join('---')
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean);
  const body: string[] = [];
  for (let round = 0; countWords(body.join(' ')) < 800; round++) {
    for (let index = 0; index < paragraphs.length && countWords(body.join(' ')) < 800; index++) {
      body.push(paragraphs[(index * 5 + round * 3) % paragraphs.length] as string);
    }
  }
  const markdown = body.join('\n\n');
  const words = countWords(markdown);
  return { ...sample, body: parseMarkdown(markdown), words, readingMinutes: readingMinutes(words) };
}

const article = benchmarkArticle();
const paragraphs = article.body.children.flatMap((node) => (node.type === 'paragraph' ? [node.children.map((child) => ('value' in child ? child.value : '')).join('')] : []));

const fontFile = (specifier: string) => fs.readFileSync(require.resolve(specifier));
const bareFonts = {
  regular: fontFile(pdfTheme.fonts.serif.regular),
  bold: fontFile(pdfTheme.fonts.serif.bold ?? pdfTheme.fonts.serif.regular),
  italic: fontFile(pdfTheme.fonts.serif.italic ?? pdfTheme.fonts.serif.regular),
};

/** What a bare PDFKit user writes: one text() call per block, PDFKit's own wrapping. */
function bare(source: Article = article, texts: readonly string[] = paragraphs): Promise<number> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margins: { top: 70, bottom: 74, left: 78, right: 78 }, info: { Title: source.title, CreationDate: source.date } });
    let bytes = 0;
    doc.on('data', (chunk: Uint8Array) => (bytes += chunk.length));
    doc.on('end', () => resolve(bytes));
    doc.on('error', reject);
    doc.font(bareFonts.bold).fontSize(25).text(source.title, { lineGap: 4 });
    doc.moveDown(0.5);
    doc.font(bareFonts.italic).fontSize(13).text(source.summary, { lineGap: 4 });
    doc.moveDown(0.5);
    doc.font(bareFonts.regular).fontSize(10.5);
    for (const paragraph of texts) doc.text(paragraph, { align: 'justify', lineGap: 2.4, indent: 12 });
    doc.end();
  });
}

async function time(run: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return samples;
}

const median = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/**
 * The article with every word changed (a suffix per round), so no word has been set before:
 * Galley's per-process caches of shaped and hyphenated words cannot help. Real articles share
 * most words with the ones before them, so this is the pessimistic figure.
 */
function unseen(round: number): { article: Article; paragraphs: string[] } {
  const suffix = `${String.fromCharCode(97 + (round % 26))}${String.fromCharCode(97 + (Math.floor(round / 26) % 26))}`;
  const change = (text: string) => text.replace(/\p{L}+/gu, (word) => `${word}${suffix}`);
  const changed = paragraphs.map(change);
  const body = parseMarkdown(changed.join('\n\n'));
  return { article: { ...article, title: change(article.title), summary: change(article.summary), body }, paragraphs: changed };
}

const fonts = loadPdfFonts();
const galley = () => renderPdf(article, { site, pageUrl: 'https://example.org/articles/bench/', related: relatedLinks(article, { site, articles: [article] }), fonts });
let unseenRound = 0;
const galleyUnseen = () => {
  const { article: next } = unseen(unseenRound++);
  return renderPdf(next, { site, pageUrl: 'https://example.org/articles/bench/', related: relatedLinks(next, { site, articles: [next] }), fonts });
};
let bareUnseenRound = 0;
const bareUnseen = () => {
  const { article: changed, paragraphs: changedParagraphs } = unseen(bareUnseenRound++);
  return bare(changed, changedParagraphs);
};

// Warm both up: JIT, font parsing, shaping caches (what a worker has after its first article).
await time(galley);
await time(bare);
await time(galleyUnseen);
// Interleaved rounds, so drift in machine load hits all alike.
const samples = { galley: [] as number[], bare: [] as number[], galleyUnseen: [] as number[], bareUnseen: [] as number[] };
for (let round = 0; round < 3; round++) {
  samples.galley.push(...(await time(galley)));
  samples.bare.push(...(await time(() => bare())));
  samples.galleyUnseen.push(...(await time(galleyUnseen)));
  samples.bareUnseen.push(...(await time(bareUnseen)));
}
const galleyMs = median(samples.galley);
const bareMs = median(samples.bare);
const galleyUnseenMs = median(samples.galleyUnseen);
const bareUnseenMs = median(samples.bareUnseen);
console.log(`article: ${article.words} words, ${paragraphs.length} paragraphs; ${rounds * 3} rounds each, medians`);
console.log(`bare PDFKit (text() per block, PDFKit wrapping):            ${bareMs.toFixed(1)} ms`);
console.log(`Galley renderPdf (tagged, PDF/A, hyphenated, Knuth–Plass):  ${galleyMs.toFixed(1)} ms`);
console.log(`ratio: ${(galleyMs / bareMs).toFixed(2)}× (target ≤ 1.3×)`);
console.log(`every word unseen (Galley's word caches cannot help): bare ${bareUnseenMs.toFixed(1)} ms, Galley ${galleyUnseenMs.toFixed(1)} ms, ratio ${(galleyUnseenMs / bareUnseenMs).toFixed(2)}×`);
