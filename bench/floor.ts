/**
 * The floor: the bare libraries doing a build's work in one process, fonts loaded once, no
 * orchestration — unified for the HTML, PDFKit for the PDFs, `feed` for the three feeds, plain
 * writes of the files. Galley's cold build is reported as a ratio to this, measured in the
 * same run. Usage: node --import tsx bench/floor.ts CONTENT_DIR OUT_DIR [FORMATS] → JSON timings
 * on stdout; FORMATS as Galley's `--formats` (default pdf,html,feeds): without pdf, no PDFs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { Feed } from 'feed';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';

const require = createRequire(import.meta.url);
const [contentDir, outDir, formats = 'pdf,html,feeds'] = process.argv.slice(2) as [string, string, string?];
const withPdf = formats.split(',').includes('pdf');

interface Plain {
  readonly slug: string;
  readonly title: string;
  readonly date: Date;
  readonly paragraphs: string[];
}

/** The raw files, split the simplest way (not timed: ingest has no bare-library equivalent). */
function read(): Plain[] {
  const dir = path.join(contentDir, 'raw');
  return fs.readdirSync(dir).sort().map((name) => {
    const [header = '', ...blocks] = fs.readFileSync(path.join(dir, name), 'utf8').split(/\n\s*\n/);
    const field = (key: string) => new RegExp(`^${key}: (.*)$`, 'm').exec(header)?.[1] ?? '';
    return { slug: name.replace(/\.txt$/, ''), title: field('Title'), date: new Date(field('Date')), paragraphs: blocks.map((b) => b.replace(/\s+/g, ' ').trim()).filter(Boolean) };
  });
}

const articles = read();
fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });
const timings = { html: 0, pdf: 0, feeds: 0, write: 0 };
const started = performance.now();

// fonts once, as the floor allows
const fontDir = path.dirname(require.resolve('dejavu-fonts-ttf/package.json'));
const regular = fs.readFileSync(path.join(fontDir, 'ttf', 'DejaVuSerif.ttf'));
const bold = fs.readFileSync(path.join(fontDir, 'ttf', 'DejaVuSerif-Bold.ttf'));

const processor = unified().use(remarkParse).use(remarkRehype).use(rehypeStringify);
const bodies = new Map<string, string>();
for (const article of articles) {
  let t = performance.now();
  const html = String(processor.processSync(article.paragraphs.join('\n\n')));
  bodies.set(article.slug, html);
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${article.title}</title></head><body><h1>${article.title}</h1>${html}</body></html>`;
  timings.html += performance.now() - t;

  t = performance.now();
  const pdf = !withPdf ? null : await new Promise<Buffer>((resolve) => {
    const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: article.title, CreationDate: article.date } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.registerFont('body', regular);
    doc.registerFont('bold', bold);
    doc.font('bold').fontSize(20).text(article.title);
    doc.font('body').fontSize(10.5);
    for (const paragraph of article.paragraphs) doc.text(paragraph, { align: 'justify', paragraphGap: 6 });
    doc.end();
  });
  timings.pdf += performance.now() - t;

  t = performance.now();
  fs.mkdirSync(path.join(outDir, article.slug), { recursive: true });
  fs.writeFileSync(path.join(outDir, article.slug, 'index.html'), page);
  if (pdf) fs.writeFileSync(path.join(outDir, article.slug, `${article.slug}.pdf`), pdf);
  timings.write += performance.now() - t;
}

let t = performance.now();
const feed = new Feed({ title: 'Floor', id: 'https://example.org/', link: 'https://example.org/', copyright: '', updated: articles[0]?.date ?? new Date(0) });
for (const article of articles) {
  feed.addItem({ title: article.title, id: `https://example.org/${article.slug}/`, link: `https://example.org/${article.slug}/`, date: article.date, content: bodies.get(article.slug) ?? '' });
}
const rss = feed.rss2();
const atom = feed.atom1();
const json = feed.json1();
timings.feeds += performance.now() - t;
t = performance.now();
fs.writeFileSync(path.join(outDir, 'feed.xml'), rss);
fs.writeFileSync(path.join(outDir, 'atom.xml'), atom);
fs.writeFileSync(path.join(outDir, 'feed.json'), json);
timings.write += performance.now() - t;

process.stdout.write(`${JSON.stringify({ articles: articles.length, totalMs: performance.now() - started, ...timings })}\n`);
