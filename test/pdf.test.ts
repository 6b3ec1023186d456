/**
 * The print edition, read back with a real PDF reader (pdfjs-dist): every paragraph in reading
 * order, metadata and XMP (escaped), fonts embedded, tagging, bookmarks and links, byte-identical
 * rebuilds, hostile text (emoji, Arabic, CJK, a 5,000-character token, a 2 MB article), and the
 * typesetting rules (Knuth–Plass, widows, orphans, headings) on the layout itself.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { JSDOM } from 'jsdom';
import { toString as mdastToString } from 'mdast-util-to-string';
import type { RootContent } from 'mdast';
import { getDocument, OPS, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { artifactGlyphs } from './pdf-reading.ts';
import { textSetBlock } from './set-blocks.ts';
import type { Article } from '../pipeline/model/article.ts';
import { readArticle } from '../pipeline/model/article.ts';
import { Diagnostics, GalleyError } from '../pipeline/model/diagnostics.ts';
import { pdfSettings, siteSettings, type SiteSettings } from '../pipeline/model/site.ts';
import { relatedLinks } from '../pipeline/outputs/article-view.ts';
import { loadPdfFonts, renderPdf, warmUpPdf, type PdfFonts } from '../pipeline/outputs/pdf/pdf.ts';
import { breakLines, FILL, FORBIDDEN, FORCED, type Breakable } from '../pipeline/outputs/pdf/line-breaking.ts';
import { paginate, textFrame, type SetBlock } from '../pipeline/outputs/pdf/layout.ts';
import { ParagraphSetter, type Alignment, type LaidLine } from '../pipeline/outputs/pdf/paragraph.ts';
import { xmpDescriptions } from '../pipeline/outputs/pdf/document.ts';
import { pdfTheme, type TextStyle } from '../templates/pdf-theme.ts';
import { WORKER_STAGE } from '../pipeline/outputs/pdf/pool-size.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'pdf');
const PAGE_URL = 'https://example.org/news/articles/story/';

const site = siteSettings({ title: 'The Harbour Gazette', description: 'Test edition', baseUrl: 'https://example.org/news/' });

// One font set for the file, as a worker has: loading it per test would hide cache bugs.
const fonts: PdfFonts = loadPdfFonts();

// ---- scaffolding ------------------------------------------------------------------------

function articleFrom(markdown: string, file = '/content/articles/probe.md'): Article {
  const diagnostics = new Diagnostics();
  const article = readArticle(file, Buffer.from(markdown), site, diagnostics);
  if (!article) throw new Error(`fixture ${file} does not read as an article`);
  return article;
}

function fixture(name: string): Article {
  const file = path.join(FIXTURES, name);
  return articleFrom(fs.readFileSync(file, 'utf8'), file);
}

function probe(title: string, paragraphs: readonly string[], frontMatter = ''): Article {
  return articleFrom(`---\ntitle: ${JSON.stringify(title)}\ndate: 2023-09-11T10:00:00Z\n${frontMatter}---\n\n${paragraphs.join('\n\n')}\n`);
}

/** The article's PDF as an edition of it alone makes it (its related items linked by their own URLs only). */
async function render(article: Article, settings: SiteSettings = site, pdfFonts: PdfFonts = fonts) {
  return renderPdf(article, { site: settings, pageUrl: PAGE_URL, related: relatedLinks(article, { site: settings, articles: [article] }), fonts: pdfFonts });
}

async function open(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
  return getDocument({ data: bytes.slice(), verbosity: 0 }).promise;
}

/** The text of a page as a reader extracts it (marked content is followed, artifacts skipped). */
async function pageText(doc: PDFDocumentProxy, number: number): Promise<string> {
  const page = await doc.getPage(number);
  const text = await page.getTextContent({ includeMarkedContent: true });
  let content = '';
  let inArtifact = 0;
  for (const item of text.items) {
    if ('str' in item) {
      if (inArtifact === 0) content += item.str + (item.hasEOL ? '\n' : '');
    } else if (item.type === 'beginMarkedContentProps' || item.type === 'beginMarkedContent') {
      // pdf.js sets `tag` on marked-content items; its declarations leave it out.
      const tag = (item as typeof item & { tag?: string }).tag;
      if (tag === 'Artifact' || inArtifact > 0) inArtifact++;
      else if (content && !content.endsWith('\n')) content += '\n';
    } else if (item.type === 'endMarkedContent' && inArtifact > 0) {
      inArtifact--;
    }
  }
  return content;
}

/** Every text item of a page, artifacts included: what pdftotext and copy-paste see. */
async function allText(doc: PDFDocumentProxy, number: number): Promise<string> {
  const text = await (await doc.getPage(number)).getTextContent();
  return text.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join('');
}

async function documentText(doc: PDFDocumentProxy): Promise<string> {
  let text = '';
  for (let number = 1; number <= doc.numPages; number++) text += `${await pageText(doc, number)}\n`;
  return text;
}

/**
 * Without whitespace: pdf.js drops the soft hyphens of hyphenated line ends, so a word broken
 * across lines comes back as two. Everything else (letters, punctuation, quotes, diacritics,
 * emoji) must match exactly.
 */
const compact = (text: string) => text.replace(/[\s\u00AD]+/g, '');

/** The source text of each body block, in order. */
function sourceParagraphs(article: Article): string[] {
  return article.body.children.flatMap((node: RootContent) => {
    if (node.type === 'list') return node.children.map((item) => mdastToString(item));
    if (node.type === 'thematicBreak') return [];
    return [mdastToString(node)];
  });
}

/** Asserts each expected text appears in `haystack`, in order. */
function assertInOrder(haystack: string, expected: readonly string[], what: string): void {
  const squeezed = compact(haystack);
  let cursor = 0;
  for (const text of expected) {
    const at = squeezed.indexOf(compact(text), cursor);
    assert.ok(at >= 0, `${what}: ${JSON.stringify(text.slice(0, 80))} not found after position ${cursor}`);
    cursor = at + compact(text).length;
  }
}

async function fontsOf(doc: PDFDocumentProxy): Promise<{ name: string; embedded: boolean }[]> {
  const found = new Map<string, boolean>();
  for (let number = 1; number <= doc.numPages; number++) {
    const page = await doc.getPage(number);
    const operators = await page.getOperatorList();
    operators.fnArray.forEach((fn, index) => {
      if (fn !== OPS.setFont) return;
      const id = (operators.argsArray[index] as [string])[0];
      // pdf.js's loaded font: `missingFile` is true when the PDF does not embed the font program.
      const font = page.commonObjs.get(id) as { name: string; missingFile: boolean };
      found.set(font.name, !font.missingFile);
    });
  }
  return [...found].map(([name, embedded]) => ({ name, embedded }));
}

function parseXml(xml: string): Document {
  const document = new new JSDOM('').window.DOMParser().parseFromString(xml, 'application/xml');
  const error = document.getElementsByTagName('parsererror')[0];
  if (error) throw new Error(`XMP is not well-formed XML: ${error.textContent}`);
  return document;
}

/** Document information (pdf.js types it as Object) and the raw XMP packet. */
async function metadataOf(doc: PDFDocumentProxy): Promise<{ info: Record<string, unknown>; xmp: string }> {
  const { info, metadata } = await doc.getMetadata();
  return { info: info as Record<string, unknown>, xmp: String(metadata?.getRaw() ?? '') };
}

const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const DC = 'http://purl.org/dc/elements/1.1/';

// ---- the whole article, in reading order ------------------------------------------------------

test('every paragraph, heading, list item, quote and code line is in the text, in reading order', async () => {
  const article = fixture('rich-article.md');
  const { bytes, warnings } = await render(article);
  assert.equal(warnings, []);
  const doc = await open(bytes);
  const text = await documentText(doc);
  assertInOrder(text, [article.title, article.summary, ...sourceParagraphs(article), 'Reuters contributed reporting.', PAGE_URL, 'Copenhagen’s harbour after dark', 'An article without a link'], 'reading order');
  // Words keep their spaces on a line (only soft-hyphen line ends are joined above); the phrase
  // may run over a line end, which extracts as a line break.
  assert.ok(text.replaceAll('\n', ' ').includes('the consortium will operate the bridge and the tunnel'), 'spaces between words survive');
});

test('curly quotes, dashes and diacritics come back as the same characters, none replaced', async () => {
  const article = fixture('rich-article.md');
  const doc = await open((await render(article)).bytes);
  const text = await documentText(doc);
  const source = [article.title, article.summary, ...sourceParagraphs(article)].join('\n');
  for (const character of new Set(source)) {
    if ((character.codePointAt(0) ?? 0) <= 0x7e || /\s/u.test(character)) continue;
    const want = source.split(character).length - 1;
    const got = text.split(character).length - 1;
    assert.ok(got >= want, `${JSON.stringify(character)} U+${(character.codePointAt(0) ?? 0).toString(16)}: ${got} in the PDF, ${want} in the source`);
  }
  assert.not.match(text, /[\uFFFD\u25A1]/u, 'no replacement characters');
});

test('a standfirst that only repeats the lede is printed once; a written one is printed', async () => {
  const lede = 'Officials confirmed the visit on Monday after weeks of speculation.';
  const count = (text: string, what: string) => compact(text).split(compact(what)).length - 1;
  const wire = await documentText(await open((await render(probe('Visit confirmed', [lede, 'More text.'], `summary: ${JSON.stringify(lede)}\n`))).bytes));
  assert.is(count(wire, lede), 1);
  const written = 'A standfirst the editor wrote, distinct from the lede.';
  const edited = await documentText(await open((await render(probe('Visit confirmed', [lede, 'More text.'], `summary: ${JSON.stringify(written)}\n`))).bytes));
  assert.is(count(edited, written), 1);
  assert.is(count(edited, lede), 1);
});

test('page furniture is drawn, marked as artifacts, and never interrupts the text: header from page 2, page n of N', async () => {
  const sentence = 'It fills the page with ordinary prose, long enough to wrap across several lines of the measure.';
  // Paragraphs of six lines or so: one of them has to be split across the page break.
  const long = probe('Furniture probe', Array.from({ length: 14 }, (_, index) => `Paragraph ${index + 1}. ${sentence} ${sentence} ${sentence} ${sentence} ${sentence}`));
  const doc = await open((await render(long)).bytes);
  assert.ok(doc.numPages >= 2, `${doc.numPages} pages`);
  const glyphs = (text: string) => text.replace(/\s/g, '').length;
  const header = glyphs('The Harbour Gazette · Furniture probe');
  const footer = (page: number) => glyphs(`page ${page} of ${doc.numPages}`);
  const first = await artifactGlyphs(doc, 1);
  assert.ok(first.includes(glyphs('THE HARBOUR GAZETTE')), `page 1 paints the masthead (${first})`);
  assert.ok(first.includes(footer(1)), `page 1 paints its footer (${first})`);
  assert.not.ok(first.some((count) => count >= header), `no running header on page 1 (${first})`);
  const second = await artifactGlyphs(doc, 2);
  assert.ok(second.includes(header + footer(2)), `page 2 paints the running header and its footer (${second})`);
  // Outlines, not text: a paragraph that crosses a page reads on without furniture in it.
  const pages: string[] = [];
  for (let number = 1; number <= doc.numPages; number++) pages.push(await allText(doc, number));
  const all = pages.join('');
  assert.not.match(all, /page \d+ of/);
  assert.not.match(all, 'Harbour Gazette');
  const paragraphs = long.body.children.map((node) => mdastToString(node));
  const crossing = paragraphs.filter((paragraph) => !pages.some((page) => compact(page).includes(compact(paragraph))));
  assert.ok(crossing.length > 0, 'some paragraph crosses a page break');
  for (const paragraph of crossing) assert.ok(compact(all).includes(compact(paragraph)), `${paragraph.slice(0, 20)}… extracts in one piece`);
});

// ---- metadata -------------------------------------------------------------------------------

test('document information and XMP carry title, author, subject, keywords, dates and language', async () => {
  const article = fixture('rich-article.md');
  const doc = await open((await render(article)).bytes);
  const { info, xmp: packet } = await metadataOf(doc);
  assert.is(info.Title, article.title);
  assert.is(info.Author, 'Zoë Ångström-Łukasiewicz');
  assert.is(info.Subject, article.summary);
  assert.is(info.Keywords, 'Business, Scandinavia');
  assert.is(info.CreationDate, 'D:20240305093000Z');
  assert.is(info.ModDate, 'D:20240306180000Z');
  assert.is(info.Language, 'en');
  const xmp = parseXml(packet);
  const title = xmp.getElementsByTagNameNS(DC, 'title')[0]?.getElementsByTagNameNS(RDF, 'li')[0]?.textContent;
  assert.is(title, article.title);
  assert.is(xmp.getElementsByTagNameNS('http://www.aiim.org/pdfa/ns/id/', 'part')[0]?.textContent, '2');
  assert.is(xmp.getElementsByTagNameNS('http://www.aiim.org/pdfa/ns/id/', 'conformance')[0]?.textContent, 'B');
  assert.is(xmp.getElementsByTagNameNS('http://www.aiim.org/pdfua/ns/id/', 'part')[0]?.textContent, '1');
  assert.is(xmp.getElementsByTagNameNS('http://ns.adobe.com/xap/1.0/', 'CreateDate')[0]?.textContent, '2024-03-05T09:30:00Z');
});

test('a title full of markup and ampersands gives well-formed XMP with the title as text', async () => {
  const title = '<script>alert(1)</script> & "quotes" <b>';
  const article = probe(title, ['This article has an injection probe as its title. The body itself is harmless.'], 'author: "Q&A <desk>"\ntags: ["R&D", "<i>"]\n');
  const doc = await open((await render(article)).bytes);
  const { info, xmp: packet } = await metadataOf(doc);
  assert.is(info.Title, article.title);
  const xmp = parseXml(packet);
  assert.is(xmp.getElementsByTagNameNS(DC, 'title')[0]?.textContent, article.title);
  assert.is(xmp.getElementsByTagNameNS(DC, 'creator')[0]?.textContent, 'Q&A <desk>');
  assert.is(xmp.getElementsByTagNameNS('http://ns.adobe.com/pdf/1.3/', 'Keywords')[0]?.textContent, 'R&D, <i>');
  assert.match(compact(await documentText(doc)), compact(article.title), 'the headline shows the title as typed');
});

test('the XMP writer escapes what PDFKit’s pasted in raw, and drops characters XML cannot hold', () => {
  const xml = xmpDescriptions({
    title: 'A & B <c> \u0007bell',
    author: 'x',
    subject: 'y',
    keywords: [],
    lang: 'en',
    created: new Date('2020-01-01T00:00:00Z'),
    modified: new Date('2020-01-01T00:00:00Z'),
    creator: 'Galley',
    producer: 'Galley',
  });
  assert.match(xml, '<rdf:li xml:lang="x-default">A &amp; B &lt;c&gt; bell</rdf:li>');
  parseXml(`<rdf:RDF xmlns:rdf="${RDF}">${xml}</rdf:RDF>`);
});

test('Letter paper comes from the site settings, A4 otherwise', async () => {
  const article = probe('Paper probe', ['Short.']);
  const a4 = await (await open((await render(article)).bytes)).getPage(1);
  const letter = await (await open((await render(article, { ...site, paper: 'Letter' })).bytes)).getPage(1);
  assert.equal(a4.view.map(Math.round), [0, 0, 595, 842]);
  assert.equal(letter.view, [0, 0, 612, 792]);
});

// ---- fonts ----------------------------------------------------------------------------------

test('every font is embedded, and scripts DejaVu lacks fall back to Noto fonts', async () => {
  const article = probe('Scripts probe', [
    'Latin with Vietnamese (Nguyễn), Polish (Łódź) and Icelandic (Þórunn); Greek Ελληνικά; Cyrillic Кириллица.',
    'أعلن الكرملين يوم الاثنين أن الزعيم الكوري الشمالي كيم جونغ أون سيزور روسيا.',
    'שלום עולם',
    '朝鲜领导人金正恩将在未来几天内应俄罗斯总统普京的邀请访问俄罗斯。',
    '북한의 김정은 국무위원장이 러시아를 방문할 예정이라고 밝혔다.',
    'संसद का शीतकालीन सत्र बुधवार को शुरू हुआ।',
    'คณะรัฐมนตรีมีมติอนุมัติงบประมาณ',
    'Readers reacted 🎉',
  ]);
  const { bytes, warnings } = await render(article);
  assert.equal(warnings, []);
  const used = await fontsOf(await open(bytes));
  assert.ok(used.every((font) => font.embedded), `not embedded: ${used.filter((font) => !font.embedded).map((font) => font.name)}`);
  const families = used.map((font) => font.name.replace(/^[A-Z]{6}\+/, ''));
  for (const family of ['DejaVuSerifCondensed', 'NotoNaskhArabic-Regular', 'NotoSansHebrew-Regular', 'NotoSansDevanagari-Regular', 'NotoSansThai-Regular', 'NotoSansSC-Regular', 'NotoSansKR-Regular', 'NotoEmoji-Regular']) {
    assert.ok(families.includes(family), `${family} among ${families.join(', ')}`);
  }
});

test('emoji survive as characters: skin tones, flags and ZWJ families map back to their code points', async () => {
  const emoji = 'Readers reacted within minutes 🎉🚀 — some with a thumbs up 👍🏽, others with flags 🇰🇷 🇷🇺 and a family 👨‍👩‍👧‍👦 — before the thread was locked 🔒.';
  const doc = await open((await render(probe('Emoji paragraph probe', [emoji]))).bytes);
  const text = await documentText(doc);
  for (const sequence of ['🎉', '🚀', '👍🏽', '🇰🇷', '🇷🇺', '👨‍👩‍👧‍👦', '🔒']) assert.ok(text.includes(sequence), `${sequence} in the text`);
  assertInOrder(text, [emoji], 'emoji paragraph');
});

test('Arabic is shaped, set right to left, and extracts as its words', async () => {
  const arabic = 'أعلن الكرملين يوم الاثنين أن الزعيم الكوري الشمالي كيم جونغ أون سيزور روسيا خلال الأيام المقبلة بدعوة من الرئيس فلاديمير بوتين، وفق ما نقلته وكالات الأنباء.';
  const doc = await open((await render(probe('Arabic paragraph probe', ['An ordinary paragraph first.', arabic]))).bytes);
  const text = (await documentText(doc)).normalize('NFKC');
  // Extraction order of right-to-left text is the reader's business: compare word by word.
  const words = arabic.normalize('NFKC').split(/\s+/).map((word) => word.replace(/[،.]/g, ''));
  const missing = words.filter((word) => !text.includes(word) && !text.includes([...word].reverse().join('')));
  assert.equal(missing, []);
  // The paragraph's structure element says it is Arabic (the document is English).
  const tree = (await (await doc.getPage(1)).getStructTree()) as StructNodeJson;
  const languages = (tree.children?.[0]?.children ?? []).map((node) => node.lang ?? null);
  assert.equal(languages.filter(Boolean), ['ar']);
  // Right to left: the paragraph's first line ends at the right margin, its last line too.
  const page = await doc.getPage(1);
  const items = (await page.getTextContent()).items.filter((item): item is typeof item & { str: string; transform: number[]; width: number } => 'str' in item && /[\u0600-\u06FF]/u.test(item.str));
  const rightEdges = items.map((item) => (item.transform[4] ?? 0) + item.width);
  const frame = textFrame(pdfTheme.paper[site.paper]);
  const right = frame.left + frame.measure;
  assert.ok(Math.max(...rightEdges) > right - 2 && Math.max(...rightEdges) < right + 2, `Arabic lines end at the right margin (${Math.max(...rightEdges)} vs ${right})`);
});

test('right to left, brackets are mirrored and neutrals and numbers go where the bidi algorithm puts them', () => {
  const { line } = new ParagraphSetter(fonts.library).setLine([{ text: 'ירושלים (רויטרס) לשנת 2027, בהיקף', style: pdfTheme.styles.body, link: null }], 'he');
  const drawn = [...line.elements].sort((a, b) => a.x - b.x).flatMap((element) => element.piece.glyphs.map((glyph) => ({ glyph, face: element.piece.face })));
  // Left to right as drawn, each glyph written as the character it stands for: the number reads
  // left to right, its comma after it on its left, the parenthesis that opens on the right.
  assert.is(drawn.map(({ glyph }) => glyph.text).join(''), 'ףקיהב ,2027 תנשל )סרטיור( םילשורי');
  const brackets = drawn.filter(({ glyph }) => glyph.text === '(' || glyph.text === ')');
  assert.is(brackets.length, 2);
  for (const { glyph, face } of brackets) {
    const image = face.font.glyphForCodePoint(glyph.text === '(' ? 0x29 : 0x28).id;
    assert.is(glyph.id, image, `${glyph.text} is drawn with the glyph of its mirror image`);
  }
});

test('each Arabic glyph maps back to its own letter, also where the font draws it as another letter and a mark', () => {
  // Noto Naskh draws إ as the glyph of ا with a hamza mark, ز as that of ر with a dot: those
  // glyphs must still map to إ and ز, or text extraction that orders glyphs by position (pdftotext,
  // search indexers, screen readers) reads اعإدة and الزوراء.
  const words = 'إعادة الوزراء';
  const { line } = new ParagraphSetter(fonts.library).setLine([{ text: words, style: pdfTheme.styles.body, link: null }], 'ar');
  const drawn = [...line.elements].sort((a, b) => a.x - b.x).flatMap((element) => element.piece.glyphs.map((glyph) => glyph.text));
  // Marks the font adds carry no text; every other glyph carries exactly its letter.
  assert.equal(drawn.filter((text) => text !== '').reverse(), [...words]);
});

test('an Arabic paragraph: the dateline in parentheses and the punctuation after numbers where Chromium sets them', async () => {
  const arabic = 'بيروت (أ ف ب) - أقرت الحكومة خطة بقيمة 3 مليارات دولار بحلول عام 2027، بحسب البنك الدولي (World Bank). وتراجعت الليرة منذ عام 2019.';
  const doc = await open((await render(probe('Arabic bidi probe', [arabic], 'lang: ar\n'))).bytes);
  // Drawn in logical order, so extraction gives back the words as written (the dateline's
  // hyphen set as a dash).
  const text = compact(await documentText(doc));
  for (const words of ['بيروت(أفب)—أقرت', 'عام2027،بحسب', 'عام2019.']) assert.ok(text.includes(words), `${words} in ${text}`);
  const items = (await (await doc.getPage(1)).getTextContent()).items.filter((item): item is typeof item & { str: string; transform: number[] } => 'str' in item && item.str.trim() !== '');
  const x = (text: string) => {
    const item = items.find((candidate) => candidate.str === text);
    if (!item) throw new Error(`no text item ${JSON.stringify(text)} among ${items.map((candidate) => candidate.str).join('|')}`);
    return item.transform[4] ?? 0;
  };
  // The sentence runs on to the left: a comma or full stop after a number stands on its left.
  assert.ok(x('،') < x('2027'), 'the comma is left of 2027');
  assert.ok(x('.') < x('2019'), 'the full stop is left of 2019');
  // The parenthesis that opens the English in the right-to-left sentence is on its right.
  assert.ok(x('(') > x('World Bank'), 'the opening parenthesis is right of the English');
});

test('Hindi and Thai are drawn in their Noto fonts, shaped, extract as written, and rebuild to the same bytes', async () => {
  // Conjuncts (त्र, क्ष, द्ध), a vowel sign drawn before its consonant (कि), Thai tone marks over vowels.
  const hindi = 'संसद का शीतकालीन सत्र शुरू हुआ और विपक्षी दलों ने हंगामा किया। जीडीपी की वृद्धि दर 6.8 प्रतिशत रहेगी।';
  const thai = 'คณะรัฐมนตรีมีมติอนุมัติงบประมาณกระตุ้นเศรษฐกิจ 150,000 ล้านบาท';
  const article = probe('Hindi and Thai probe', [hindi, thai]);
  const first = await render(article);
  assert.equal(first.warnings, [], 'no "no font can draw" warning');
  const doc = await open(first.bytes);
  const families = (await fontsOf(doc)).map((font) => font.name.replace(/^[A-Z]{6}\+/, ''));
  for (const family of ['NotoSansDevanagari-Regular', 'NotoSansThai-Regular']) assert.ok(families.includes(family), `${family} among ${families.join(', ')}`);
  assertInOrder(await documentText(doc), [hindi, thai], 'Hindi and Thai paragraphs');
  // The vowel sign of कि is drawn left of its consonant, yet maps back after it.
  const { line } = new ParagraphSetter(fonts.library).setLine([{ text: 'कि', style: pdfTheme.styles.body, link: null }], 'hi');
  assert.equal(line.elements.flatMap((element) => element.piece.glyphs.map((glyph) => glyph.text)).join(''), 'कि');
  const face = line.elements[0]!.piece.face;
  const glyphs = line.elements[0]!.piece.glyphs;
  assert.is(glyphs.length, 2);
  assert.is(glyphs[1]!.id, face.font.glyphForCodePoint(0x0915).id, 'क is drawn second, after its vowel sign ि (in the form the font picks for it)');
  assert.equal(Buffer.compare(Buffer.from((await render(article)).bytes), Buffer.from(first.bytes)), 0, 'a rebuild gives the same bytes');
});

test('Chinese breaks between characters and Korean at its spaces, both kept whole', async () => {
  const chinese = '朝鲜领导人金正恩将在未来几天内应俄罗斯总统普京的邀请访问俄罗斯，克里姆林宫周一证实了这一消息。';
  const korean = '북한의 김정은 국무위원장이 블라디미르 푸틴 러시아 대통령의 초청으로 며칠 안에 러시아를 방문할 예정이라고 크렘린궁이 월요일 밝혔다.';
  const doc = await open((await render(probe('CJK probe', [chinese, korean]))).bytes);
  const text = await documentText(doc);
  assertInOrder(text, [chinese, korean], 'CJK paragraphs');
  const lines = text.split('\n');
  const koreanLines = lines.filter((line) => /[\uAC00-\uD7AF]/u.test(line));
  assert.ok(koreanLines.length >= 2, 'the Korean paragraph wraps');
  for (const line of koreanLines) for (const word of line.trim().split(/\s+/)) assert.ok(korean.split(/\s+/).includes(word), `Korean word ${word} is whole`);
});

/** `text` set in `style` as a paragraph `measure` points wide: each line as the text its glyphs stand for. */
function setLines(text: string, lang: string, options: { align?: Alignment; measure?: number; style?: TextStyle; link?: string | null; hyphenate?: boolean } = {}): { readonly texts: string[]; readonly lines: readonly LaidLine[] } {
  const style = options.style ?? pdfTheme.styles.body;
  const paragraph = new ParagraphSetter(fonts.library).set([{ text, style, link: options.link ?? null }], { lang, align: options.align ?? 'justify', measure: options.measure ?? 200, firstIndent: 0, hyphenate: options.hyphenate ?? true });
  const texts = paragraph.lines.map((line) => line.elements.map((element) => element.piece.glyphs.map((glyph) => glyph.text).join('')).join(''));
  return { texts, lines: paragraph.lines };
}

/** The widest space between two neighbouring elements of a line, points. */
function widestGap(line: LaidLine): number {
  const elements = [...line.elements].sort((a, b) => a.x - b.x);
  let widest = 0;
  for (let index = 1; index < elements.length; index++) {
    const previous = elements[index - 1]!;
    const element = elements[index]!;
    const space = previous.piece.glyphs.every((glyph) => glyph.text.trim() === '') ? previous.width : 0;
    widest = Math.max(widest, element.x - (previous.x + previous.width) + space);
  }
  return widest;
}

test('Thai, written without spaces between words, breaks only between words and is set flush left, without gaps', () => {
  const thai = 'คณะรัฐมนตรีมีมติอนุมัติงบประมาณกระตุ้นเศรษฐกิจวงเงิน 150,000 ล้านบาท เพื่อช่วยเหลือผู้มีรายได้น้อยและเกษตรกรทั่วประเทศ นายกรัฐมนตรีกล่าวว่า “มาตรการนี้จะช่วยให้เศรษฐกิจฟื้นตัวได้เร็วขึ้น” โดยคาดว่าจะเริ่มโอนเงินได้ภายในเดือนมกราคม 2570';
  const { texts, lines } = setLines(thai, 'th', { measure: 200 });
  assert.ok(texts.length >= 4, `the paragraph wraps (${texts.length} lines)`);
  assert.is(texts.join(' ').replace(/\s+/g, ''), thai.replace(/\s+/g, ''), 'every character is drawn once, in order');
  // Every line ends where ICU's dictionary puts the end of a word (กระตุ้|นเศรษฐกิจ was set before).
  const wordEnds = new Set([...new Intl.Segmenter('th', { granularity: 'word' }).segment(thai.replace(/\s+/g, ''))].map(({ index, segment }) => index + segment.length));
  let offset = 0;
  for (const text of texts.slice(0, -1)) {
    offset += text.replace(/\s+/g, '').length;
    assert.ok(wordEnds.has(offset), `a line ends inside a word: ${text}`);
  }
  // Asked to justify, Thai is set flush left: its lines have no slack to spread but between
  // words it runs together, or over the one or two spaces that part its phrases.
  for (const [index, line] of lines.entries()) assert.ok(widestGap(line) < pdfTheme.styles.body.size * 0.5, `line ${index + 1} has a gap of ${widestGap(line).toFixed(1)} pt: ${texts[index]}`);
});

test('Chinese and Japanese still break between any two characters, never before closing punctuation', () => {
  const chinese = '上海市统计局3日发布数据显示，今年前11个月上海GDP同比增长5.2%，高于全国平均水平。';
  const { texts } = setLines(chinese, 'zh', { measure: 120 });
  assert.ok(texts.length >= 3, `the paragraph wraps (${texts.length} lines)`);
  assert.is(texts.join(''), chinese);
  for (const text of texts.slice(1)) assert.not.match(text, /^[，。、）」]/u, `no line starts with closing punctuation: ${text}`);
});

test('a tracked label letter-spaces Latin only: Arabic, Devanagari and Thai keep their letters joined and their marks in place', () => {
  const kicker = pdfTheme.styles.kicker;
  const untracked: TextStyle = { ...kicker, tracking: 0 };
  const drawn = (text: string, lang: string, style: TextStyle) => new ParagraphSetter(fonts.library).setLine([{ text, style, link: null }], lang).line.elements;
  for (const [text, lang] of [['لبنان', 'ar'], ['राजनीति', 'hi'], ['เศรษฐกิจ', 'th']] as const) {
    const tracked = drawn(text, lang, kicker);
    assert.ok(tracked.every((element) => element.piece.tracking === 0), `${text} is not letter-spaced`);
    // The same glyphs as without tracking: the shaper's joining forms and ligatures are kept.
    const ids = (elements: readonly { piece: { glyphs: readonly { id: number }[] } }[]) => elements.flatMap((element) => element.piece.glyphs.map((glyph) => glyph.id));
    assert.equal(ids(tracked), ids(drawn(text, lang, untracked)), `${text} is drawn with the glyphs it has untracked`);
  }
  const latin = drawn('ECONOMY', 'en', kicker);
  assert.ok(latin.every((element) => element.piece.tracking > 0), 'Latin capitals are still letter-spaced');
});

test('a dateline in capitals is set in small capitals; one in a script without case in bold at the body’s size, not spaced out', async () => {
  const body = pdfTheme.styles.body;
  const sizesOf = async (lede: string, lang: string, dateline: RegExp) => {
    const doc = await open((await render(probe('Dateline probe', [lede], `lang: ${lang}\n`))).bytes);
    const items = (await (await doc.getPage(1)).getTextContent()).items.filter((item): item is typeof item & { str: string; transform: number[] } => 'str' in item && dateline.test(item.str));
    assert.ok(items.length > 0, `the dateline ${dateline} is on the page`);
    return items.map((item) => Math.round(Math.hypot(item.transform[0] ?? 0, item.transform[1] ?? 0) * 100) / 100);
  };
  assert.equal([...new Set(await sizesOf('PARIS (AFP) — La dette publique française a atteint un record.', 'fr', /PARIS/))], [Math.round(body.size * 0.86 * 100) / 100]);
  for (const size of await sizesOf('กรุงเทพฯ (สำนักข่าวไทย) - คณะรัฐมนตรีมีมติอนุมัติงบประมาณกระตุ้นเศรษฐกิจ', 'th', /กรุงเทพฯ|สำนัก/)) assert.is(size, body.size);
  for (const size of await sizesOf('بيروت (أ ف ب) - أقرت الحكومة اللبنانية الأربعاء خطة للتعافي الاقتصادي.', 'ar', /بيروت/)) assert.is(size, body.size);
});

test('a number grouped with thin or narrow no-break spaces is never broken; a thin space between words still breaks', () => {
  const THIN = '\u2009';
  const NARROW = '\u202F';
  const french = `La dette publique française a atteint 3${THIN}300 milliards d’euros fin septembre, soit 113,7${NARROW}% du PIB. Les intérêts coûtent 54${THIN}000${THIN}000${THIN}000 € par an, et 12${NARROW}500${NARROW}000 habitants${THIN}paient.`;
  let brokeAtThinSpace = false;
  for (let measure = 90; measure <= 260; measure += 5) {
    const { texts } = setLines(french, 'fr', { measure, hyphenate: false });
    assert.is(texts.join(' ').replace(/[\s\u2009\u202F]+/g, ''), french.replace(/[\s\u2009\u202F]+/g, ''));
    const lines = texts.join('\n');
    assert.not.match(lines, /\d\n\d/u, `a number is broken at ${measure} pt:\n${lines}`);
    assert.not.match(lines, /\n%/u, `a percent sign begins a line at ${measure} pt`);
    if (/habitants\n/u.test(lines)) brokeAtThinSpace = true;
  }
  assert.ok(brokeAtThinSpace, 'a thin space between two words is still a place to break');
});

test('URLs and e-mail addresses break before a slash, a dot, ? or & (Chicago), never with a hyphen added', () => {
  const addresses = ['https://www.reuters.com/markets/?a=1&b=2', 'markets@reuters.com', 'https://example.test/articles/global-markets-stocks-slip-as-ecb-signals-pause-dollar-firm/'];
  const text = `A trader called it volatile; see ${addresses[0]} or mail ${addresses[1]} for details. Read this article online: ${addresses[2]}.`;
  let brokenAddresses = 0;
  for (let measure = 90; measure <= 240; measure += 6) {
    for (const link of [null, addresses[0]!]) {
      const { texts } = setLines(text, 'en', { measure, link });
      for (const [index, line] of texts.entries()) {
        const next = texts[index + 1];
        const inAddress = next !== undefined && addresses.some((address) => address.includes(`${line.split(' ').at(-1)}${next.split(' ')[0]}`));
        if (!inAddress) continue;
        brokenAddresses++;
        assert.not.match(line, /\u00AD$/u, `no hyphen is added inside an address: ${line}`);
        assert.ok(/^[/.,_?#%~@=&-]/u.test(next) || /(\/\/|[=&])$/u.test(line), `an address breaks before punctuation or after // = &: ${line} | ${next}`);
      }
      // (Words are hyphenated as usual: "de-tails".)
      assert.is(texts.join(' ').replace(/[\s\u00AD]+/g, ''), text.replace(/\s+/g, ''), 'every character once');
    }
  }
  assert.ok(brokenAddresses > 10, `addresses do break (${brokenAddresses} times)`);
});

test('a Japanese headline breaks at its ideographic space rather than inside a word; running text still breaks anywhere', () => {
  const headline = '日銀、追加利上げを決定\u3000政策金利0.75％に';
  const { texts } = setLines(headline, 'ja', { align: 'balanced', measure: 330, style: pdfTheme.styles.headline });
  assert.equal(texts.map((text) => text.trim()), ['日銀、追加利上げを決定', '政策金利0.75％に']);
  // In a justified paragraph the same words fill the line: 決 | 定 is as good a break as any.
  const body = setLines(`${headline.replace('\u3000', '')}。${headline.replace('\u3000', '')}。`, 'ja', { measure: 120 }).texts;
  assert.ok(body.slice(0, -1).every((text) => text.length >= 9), `running text fills its lines: ${body.join(' | ')}`);
});

test('a character no font has is reported by name, drawn as a stand-in, and kept in the text', async () => {
  const { bytes, warnings } = await render(probe('Missing glyph probe', ['An Egyptian hieroglyph 𓀀 between words.']));
  assert.is(warnings.length, 1);
  assert.match(warnings[0] ?? '', 'U+13000');
  assert.match(await documentText(await open(bytes)), 'hieroglyph 𓀀 between');
});

// ---- structure, bookmarks, links ------------------------------------------------------------

interface StructNodeJson {
  readonly role?: string;
  readonly lang?: string;
  readonly type?: string;
  readonly children?: readonly StructNodeJson[];
}

function roles(node: StructNodeJson, out: string[] = []): string[] {
  if (node.role) out.push(node.role);
  for (const child of node.children ?? []) roles(child, out);
  return out;
}

test('tagged: headings, paragraphs, lists, quotes, code and links in source order', async () => {
  const doc = await open((await render(fixture('rich-article.md'))).bytes);
  const { info } = await metadataOf(doc);
  assert.is(info.Language, 'en');
  // The elements of each page, page after page (no element of this article is split by its page break).
  const sequence: string[] = [];
  for (let number = 1; number <= doc.numPages; number++) {
    const tree = (await (await doc.getPage(number)).getStructTree()) as StructNodeJson;
    sequence.push(...roles(tree).filter((role) => ['H1', 'H2', 'H3', 'P', 'L', 'LI', 'Lbl', 'LBody', 'BlockQuote', 'Code', 'Link'].includes(role)));
  }
  // Kicker (the first tag), headline, standfirst, byline, then the body.
  const expected = ['P', 'H1', 'P', 'P', 'P', 'H2', 'P', 'Link', 'L', 'LI', 'Lbl', 'LBody', 'P', 'LI', 'Lbl', 'LBody', 'P', 'LI', 'Lbl', 'LBody', 'P', 'L', 'LI', 'Lbl', 'LBody', 'P', 'LI', 'Lbl', 'LBody', 'P', 'BlockQuote', 'P', 'H3', 'P', 'Code', 'P'];
  assert.equal(sequence.slice(0, expected.length), expected);
});

test('bookmarks follow the headings and open the whole page (Fit)', async () => {
  const article = fixture('rich-article.md');
  const doc = await open((await render(article)).bytes);
  const outline = (await doc.getOutline()) as { title: string; dest: unknown[]; items: { title: string; dest: unknown[]; items: { title: string }[] }[] }[];
  assert.is(outline.length, 1);
  assert.is(outline[0]?.title, article.title);
  assert.equal(outline[0]?.dest[1], { name: 'Fit' });
  assert.equal(outline[0]?.items.map((item) => item.title), ['What the deal covers', 'Related']);
  assert.equal(outline[0]?.items[0]?.items.map((item) => item.title), ['Numbers, dashes and diacritics']);
});

test('links are clickable, with their text as description, and the web page is linked', async () => {
  const doc = await open((await render(fixture('rich-article.md'))).bytes);
  const links: { url: string; contents: string }[] = [];
  for (let number = 1; number <= doc.numPages; number++) {
    for (const annotation of (await (await doc.getPage(number)).getAnnotations()) as { subtype: string; url?: string; contentsObj?: { str: string } }[]) {
      if (annotation.subtype === 'Link' && annotation.url) links.push({ url: annotation.url, contents: annotation.contentsObj?.str ?? '' });
    }
  }
  assert.ok(links.some((link) => link.url === 'https://example.org/documents/oresund-deal' && link.contents === 'published online'));
  assert.ok(links.some((link) => link.url === PAGE_URL));
  assert.ok(links.some((link) => link.url === 'https://example.org/articles/harbour/'));
});

// ---- reproducible ---------------------------------------------------------------------------

test('the same article gives the same bytes: twice, in another time zone, after other articles', async () => {
  const article = fixture('rich-article.md');
  const first = (await render(article)).bytes;
  const again = (await render(article)).bytes;
  assert.ok(Buffer.from(first).equals(Buffer.from(again)), 'two renders in a row');
  const zone = process.env.TZ;
  process.env.TZ = 'Pacific/Kiritimati';
  try {
    assert.ok(Buffer.from(first).equals(Buffer.from((await render(article)).bytes)), 'in UTC+14');
  } finally {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  }
  // A fresh worker that rendered something else first (different caches) writes the same file.
  const otherFonts = loadPdfFonts();
  await render(probe('Warm-up', ['Nguyễn 👍🏽 office fiancé 朝鲜 north, N\u00A0o\u00A0r\u00A0t\u00A0h.']), site, otherFonts);
  const elsewhere = (await render(article, site, otherFonts)).bytes;
  assert.ok(Buffer.from(first).equals(Buffer.from(elsewhere)), 'another font set with another history');
});

/** Articles whose PDFs a warm-up must not change: its own words and styles, other scripts, another language. */
function warmUpProbes(): Article[] {
  return [
    fixture('rich-article.md'),
    // the warm-up article's own sentences, set in the same styles: its cached word plans are met
    probe('Harbour terminal opening delayed by two years as officials meet', [
      'The harbour authority said on Tuesday that the new container terminal would open next spring, two years later than planned, after a dispute over dredging contracts delayed construction.',
      '## Unions wary of the timetable',
      '> We have heard these promises before, and every time the date has moved, the costs have grown and the jobs have waited.',
      '- Dredging resumes in March.\n- Cranes are delivered in the autumn.',
    ], 'tags: [Economy]\n'),
    probe('Scripts after a warm-up', ['Nguyễn 👍🏽 office fiancé 朝鲜 north, N\u00A0o\u00A0r\u00A0t\u00A0h.', 'أعلن الكرملين يوم الاثنين أن الزعيم الكوري الشمالي سيزور روسيا.', 'Der Hafenbetreiber kündigte die Verschiebung der Eröffnung an.']),
    probe('Eine Meldung auf Deutsch', ['Die Hafenbehörde teilte am Dienstag mit, dass das neue Containerterminal erst im kommenden Frühjahr eröffnet werde, zwei Jahre später als geplant.'], 'lang: de\n'),
  ];
}

test('a warm-up changes no byte of the PDFs rendered after it, in English or another language', async () => {
  assert.not.ok(await warmUpPdf(loadPdfFonts(), 'en', () => true), 'a warm-up told to stop says it did not finish');
  for (const lang of ['en', 'de']) {
    const cold = loadPdfFonts();
    const warm = loadPdfFonts();
    assert.ok(await warmUpPdf(warm, lang), `the warm-up in ${lang} gets through`);
    for (const article of warmUpProbes()) {
      const without = (await render(article, site, cold)).bytes;
      const after = (await render(article, site, warm)).bytes;
      assert.ok(Buffer.from(without).equals(Buffer.from(after)), `${article.title}: same bytes with and without a warm-up in ${lang}`);
    }
  }
});

/**
 * `articles` rendered in a fresh thread by the pool's worker module (outputs/pdf/worker.ts), the pool at
 * `stage` as it starts (PdfWorkerData): 0, no job handed out yet, it warms up; 1, a job waiting,
 * it does not.
 */
async function renderInFreshWorker(articles: readonly Article[], stage: 'language' | 'job'): Promise<{ warmedUp: boolean; pdfs: Uint8Array[] }> {
  const shared = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  shared[0] = WORKER_STAGE[stage];
  // the pool's language, as the pool writes it
  const language = new Uint8Array(new SharedArrayBuffer(64));
  language.set(Buffer.from('en'));
  // required through tsx, as piscina does in tests (a thread run from a string gets no --import)
  const script = `
    const { parentPort, workerData } = require('node:worker_threads');
    require(workerData.tsx).register();
    const worker = require(workerData.file);
    (async () => {
      const render = await worker.default;
      const pdfs = [];
      for (const [index, article] of workerData.articles.entries()) pdfs.push((await render({ article, site: workerData.site, pageUrl: workerData.pageUrl, related: workerData.related[index] })).bytes);
      parentPort.postMessage({ warmedUp: await worker.warmedUp, pdfs });
    })();`;
  const file = path.join(import.meta.dirname, '..', 'pipeline', 'outputs', 'pdf', 'worker.ts');
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');
  const warmedUp = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  // a job as the build sends it: of the site, what a PDF is made from; the related links made here
  const related = articles.map((article) => relatedLinks(article, { site, articles: [article] }));
  const worker = new Worker(script, { eval: true, workerData: { tsx, file, stage: shared, language, warmedUp, articles, site: pdfSettings(site), pageUrl: PAGE_URL, related } });
  try {
    const [result] = (await Promise.race([once(worker, 'message'), once(worker, 'error').then(([error]) => Promise.reject(error))])) as [{ warmedUp: boolean; pdfs: Uint8Array[] }];
    return result;
  } finally {
    await worker.terminate();
  }
}

test('a worker that warmed up as it started renders the same bytes as one that did not', async () => {
  const articles = warmUpProbes();
  const [warm, cold] = await Promise.all([renderInFreshWorker(articles, 'language'), renderInFreshWorker(articles, 'job')]);
  assert.ok(warm.warmedUp, 'a worker with time to spare warms up');
  assert.not.ok(cold.warmedUp, 'a worker with a job waiting does not');
  for (const [index, article] of articles.entries()) {
    assert.ok(Buffer.from(warm.pdfs[index]!).equals(Buffer.from(cold.pdfs[index]!)), `${article.title}: same bytes from both workers`);
    assert.ok(Buffer.from(warm.pdfs[index]!).equals(Buffer.from((await render(article)).bytes)), `${article.title}: same bytes as in this thread`);
  }
});

// ---- hostile sizes --------------------------------------------------------------------------

test('a 5,000-character token wraps inside the measure instead of overflowing or hanging', async () => {
  let token = '';
  while (token.length < 5000) token += 'Lorem0Ipsum1Dolor2Sit3Amet4Consectetur5Adipiscing6Elit7';
  token = token.slice(0, 5000);
  const started = performance.now();
  const { bytes } = await render(probe('Long unbroken line probe', [token, 'An ordinary paragraph after it.']));
  assert.ok(performance.now() - started < 10_000, 'renders in seconds');
  const doc = await open(bytes);
  const text = await documentText(doc);
  assertInOrder(text, [token, 'An ordinary paragraph after it.'], 'long token');
  const frame = textFrame(pdfTheme.paper.A4);
  const right = frame.left + frame.measure;
  for (let number = 1; number <= doc.numPages; number++) {
    for (const item of (await (await doc.getPage(number)).getTextContent()).items) {
      if (!('str' in item) || !item.str.includes('Lorem')) continue;
      assert.ok((item.transform[4] ?? 0) + item.width <= right + 0.5, `a line ends at ${(item.transform[4] ?? 0) + item.width}, past the margin at ${right}`);
    }
  }
});

test('a 2 MB article becomes hundreds of valid pages in reasonable time, its last paragraph on the last page', async () => {
  const paragraphs: string[] = [];
  let size = 0;
  for (let index = 0; size < 2 * 1024 * 1024; index++) {
    const paragraph = `Paragraph ${index + 1} of the very long article probe. Speculation had been mounting that Kim, who rarely leaves his country and had not traveled since the coronavirus pandemic, would meet Putin to discuss potential arms deals.`;
    paragraphs.push(paragraph);
    size += paragraph.length + 2;
  }
  paragraphs.push('Final paragraph of the very long article probe: end marker zulu-9f3c.');
  const article = probe('Very long article probe', paragraphs);
  const started = performance.now();
  const { bytes } = await render(article);
  const seconds = (performance.now() - started) / 1000;
  assert.ok(seconds < 60, `rendered in ${seconds.toFixed(1)} s`);
  const doc = await open(bytes);
  assert.ok(doc.numPages > 300, `${doc.numPages} pages`);
  const last = await pageText(doc, doc.numPages);
  assert.match(compact(last), compact('Final paragraph of the very long article probe: end marker zulu-9f3c.'));
  const middle = await pageText(doc, Math.floor(doc.numPages / 2));
  assert.match(middle, /Paragraph \d+ of the very long article probe\./);
});

// ---- errors ---------------------------------------------------------------------------------

test('a failure names the article’s source file', async () => {
  const article = { ...probe('Broken', ['Text.']), sourcePath: '/content/articles/broken.md', body: null } as unknown as Article;
  try {
    await render(article);
    assert.unreachable('a body that is not a tree cannot render');
  } catch (error) {
    assert.instance(error, GalleyError);
    assert.is((error as GalleyError).file, '/content/articles/broken.md');
    assert.is((error as GalleyError).stage, 'pdf');
  }
});

// ---- typesetting rules, on the layout itself ----------------------------------------------------

/** A paragraph of `words` boxes of `width` with interword glue, as Knuth and Plass describe it. */
function words(count: number, width: number, space = 4): Breakable[] {
  const items: Breakable[] = [];
  for (let index = 0; index < count; index++) {
    if (index > 0) items.push({ kind: 'glue', width: space, stretch: space * 0.6, shrink: space * 0.3 });
    items.push({ kind: 'box', width });
  }
  items.push({ kind: 'penalty', width: 0, penalty: FORBIDDEN, flagged: false }, { kind: 'glue', width: 0, stretch: FILL, shrink: 0 }, { kind: 'penalty', width: 0, penalty: FORCED, flagged: false });
  return items;
}

const BREAKING = { tolerance: pdfTheme.typesetting.tolerance, raggedStretch: 0, lineDemerits: 10, consecutiveFlagged: 3000, finalHyphen: 5000, fitnessMismatch: 100 };

test('Knuth–Plass: lines fill the measure, glue stretches within tolerance, the last line is loose', () => {
  const items = words(60, 30);
  const lines = breakLines(items, { ...BREAKING, measure: () => 300 });
  assert.ok(lines.length >= 6);
  for (const line of lines.slice(0, -1)) assert.ok(line.ratio >= -1 && line.ratio <= pdfTheme.typesetting.tolerance[1], `ratio ${line.ratio}`);
  assert.is(lines.at(-1)?.end, items.length - 1);
});

test('Knuth–Plass: a box wider than the line still gets a layout (emergency pass), never a hang', () => {
  const items: Breakable[] = [{ kind: 'box', width: 500 }, { kind: 'glue', width: 4, stretch: 2, shrink: 1 }, ...words(3, 30)];
  const lines = breakLines(items, { ...BREAKING, measure: () => 300 });
  assert.equal(lines.map((line) => line.end), [1, items.length - 1], 'the wide box alone on its line, then the rest');
});


/** Pages as `[block index, lines on the page]` pairs. */
function pagesOf(sets: SetBlock[], height: number): [number, number][][] {
  return paginate(sets, { top: 0, bottom: height }, pdfTheme).map((page) => page.placements.map((placement) => [sets.indexOf(placement.set), placement.to - placement.from] as [number, number]));
}

test('pages: no single line of a paragraph alone at the foot (orphan) or the head (widow) of a page', () => {
  // Ten lines per page. 9 lines, then a 5-line paragraph: one line would be left at the foot.
  assert.equal(pagesOf([textSetBlock(9), textSetBlock(5)], 100), [[[0, 9]], [[1, 5]]]);
  // 6 lines, then a 5-line paragraph: 4 fit, which would leave one line overleaf; 3 go over.
  assert.equal(pagesOf([textSetBlock(6), textSetBlock(5)], 100), [[[0, 6], [1, 3]], [[1, 2]]]);
  // A 2-line paragraph never splits.
  assert.equal(pagesOf([textSetBlock(9), textSetBlock(2)], 100), [[[0, 9]], [[1, 2]]]);
});

test('pages: a heading is never the last thing on a page; space vanishes at the top of a page', () => {
  const pages = paginate([textSetBlock(8), textSetBlock(1, { keepWithNext: true, before: 5 }), textSetBlock(4, { before: 3 })], { top: 0, bottom: 100 }, pdfTheme);
  assert.is(pages.length, 2);
  assert.is(pages[1]?.placements[0]?.set.lineCount, 1, 'the heading opens page 2');
  assert.is(pages[1]?.placements[0]?.top, 0, 'without its space above');
});

test.run();
