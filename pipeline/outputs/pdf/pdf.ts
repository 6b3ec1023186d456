/**
 * The print edition: one typeset, tagged, archival PDF per article (PDFKit 0.20).
 *
 * Pure and deterministic: the same article and settings give the same bytes on any machine, in
 * any time zone, on any day. Nothing reads the clock or draws random numbers: the document's
 * dates come from the article and PDFKit derives the file identifier from them.
 *
 * The work: the article becomes blocks (blocks.ts); each block is set into lines with
 * hyphenation, font fallback and Knuth–Plass breaking (paragraph.ts); lines fill pages with
 * widow, orphan and heading rules (layout.ts); pages are drawn with every piece of content in
 * its structure element or marked as an artifact (draw.ts), into a PDF/A-2b and PDF/UA-1
 * document whose XMP is written escaped (document.ts), with fonts embedded so that the text
 * extracts back exactly (embedded-font.ts).
 */
import fs from 'node:fs';
import type { Paragraph, PhrasingContent, RootContent } from 'mdast';
import type { Article } from '../../model/article.ts';
import type { PdfSettings } from '../../model/site.ts';
import { GalleyError } from '../../model/errors.ts';
import { pdfTheme, type PdfTheme, type TextStyle } from '../../../templates/pdf-theme.ts';
import { BlockWriter } from './blocks.ts';
import { pdfArticle, pdfPageFooter } from '../../../templates/pdf-article.ts';
import { labelsFor } from '../../../templates/labels.ts';
import type { RelatedLink } from '../article-view.ts';
import { GalleyPdfDocument, type DocumentMetadata } from './document.ts';
import { DocumentPainter, runningHeader } from './draw.ts';
import { describeCharacters, FontLibrary } from './fonts.ts';
import { composePages, setBlocks, structureLanguages, textFrame, tightenBlock } from './layout.ts';
import { ParagraphSetter } from './paragraph.ts';

/** Fonts loaded once per process (per worker thread); opaque to callers. */
export interface PdfFonts {
  /** Font files, hyphenation patterns and the caches of shaped words. */
  readonly library: FontLibrary;
}

export interface PdfRenderResult {
  readonly bytes: Uint8Array;
  /** Problems that did not stop the PDF, e.g. characters no font can draw, named. */
  readonly warnings: readonly string[];
}

/** Names the program in the document information, as PDF/A asks. */
const CREATOR = 'Galley';
const PRODUCER = 'Galley print edition (PDFKit 0.20)';

/** Reads the text fonts (the CJK, Arabic, Hebrew and emoji fonts are read when first needed). */
export function loadPdfFonts(theme: PdfTheme = pdfTheme): PdfFonts {
  return { library: new FontLibrary(theme) };
}

/**
 * Does a fresh thread's first-use work ahead of its first job, and throws the results away. The
 * first render in a thread costs several times a warm one (docs/performance.md):
 * fontkit decodes each face's tables (cmap, GSUB, GPOS, glyf) on first use, V8 compiles the
 * shaping, line-breaking and PDF code, the hyphenation patterns of a language are imported and
 * built. All of that stays in `fonts` and the thread, so a job that follows pays only for itself.
 * `lang` is the language whose patterns are worth preparing (the site's, when known).
 *
 * In small steps (patterns, each text face, then a short article), with `stop` asked before
 * each: once a job waits, the warm-up ends after the step it is in, and the job finds whatever
 * was done by then. Resolves true when it got through every step; false when stopped, or when a
 * step failed, which is not reported: the first job does the same work and reports its own.
 *
 * It cannot change another PDF's bytes: what it leaves behind are caches keyed by their whole
 * input (shaped words, word plans, hyphenation breaks, decoded font tables), and every document
 * numbers and subsets its fonts itself (embedded-font.ts); test/pdf.test.ts compares PDFs made
 * with and without it.
 */
export async function warmUpPdf(fonts: PdfFonts, lang = 'en', stop: () => boolean = () => false): Promise<boolean> {
  const { library } = fonts;
  const words = WARM_UP_TEXT.flatMap((paragraph) => paragraph.split(' '));
  const steps: (() => unknown)[] = [
    () => library.hyphenation.prepare(lang),
    () => words.forEach((word) => library.hyphenation.breaks(lang, word)),
    ...warmUpFaces(library.theme).map((style) => () => {
      const face = library.face(style.family, style);
      for (const word of words) face.shape(word);
    }),
    () => {
      const article = warmUpArticle(lang);
      return renderPdf(article, { site: WARM_UP_SITE, pageUrl: 'https://galley.invalid/warm-up/', related: article.related.map(({ title }) => ({ title, url: null })), fonts });
    },
  ];
  try {
    for (const step of steps) {
      if (stop()) return false;
      await step();
    }
    return true;
  } catch {
    return false;
  }
}

/** The text faces the theme's styles use, the body's first (with its emphasis and strong). */
function warmUpFaces(theme: PdfTheme): Pick<TextStyle, 'family' | 'bold' | 'italic'>[] {
  const { body, headings, ...others } = theme.styles;
  const styles = [body, { ...body, italic: true }, { ...body, bold: true }, ...headings, ...Object.values(others)];
  const faces = new Map(styles.map((style) => [`${style.family}/${style.bold}/${style.italic}`, style]));
  // the monospaced face is read on first use, and few articles use it
  return [...faces.values()].filter((style) => style.family !== 'mono');
}

/** Two paragraphs of wire copy: hyphenatable words, figures, curly quotes, a dash. */
const WARM_UP_TEXT = [
  'The harbour authority said on Tuesday that the new container terminal would open next spring, two years later than planned, after a dispute over dredging contracts delayed construction.',
  'Officials described the negotiations as “difficult but constructive” — a spokesperson declined to comment on the 1,250 jobs at stake, the environmental conditions attached to the permits or the published assessment.',
];

const WARM_UP_SITE: PdfSettings = { language: 'en', author: 'Staff', title: 'Galley', paper: 'A4', timeZone: 'UTC' };

/**
 * A short article with what nearly every article has: section, headline, standfirst, byline,
 * justified and hyphenated paragraphs with emphasis, strong and a link, credit, related article
 * and footer, in the text faces the theme loads up front. Short because a first render's cost
 * is mostly per thread, not per line: a longer body warms up no better. Nothing in
 * it reads a fallback font (CJK, Arabic, emoji) or the monospaced face, which few articles need.
 */
function warmUpArticle(lang: string): Article {
  const text = (value: string): PhrasingContent => ({ type: 'text', value });
  const paragraph = (...children: PhrasingContent[]): Paragraph => ({ type: 'paragraph', children });
  const [lede = '', second = ''] = WARM_UP_TEXT;
  const cut = second.indexOf('a spokesperson');
  const body: RootContent[] = [
    paragraph(text(lede)),
    paragraph(
      text(second.slice(0, cut)),
      { type: 'emphasis', children: [text('a spokesperson')] },
      text(' declined to comment on the '),
      { type: 'strong', children: [text('1,250 jobs')] },
      text(' at stake, the environmental conditions attached to the permits or '),
      { type: 'link', url: 'https://galley.invalid/report', children: [text('the published assessment')] },
      text('.'),
    ),
  ];
  const date = new Date(Date.UTC(2024, 0, 2, 9, 30));
  return {
    slug: 'warm-up',
    title: 'Harbour terminal opening delayed by two years as officials meet',
    date,
    updated: date,
    summary: 'The new terminal will open next spring, two years late, after a dispute over dredging contracts.',
    author: 'Galley Wire staff',
    tags: ['Economy', 'Trade'],
    lang,
    related: [{ title: 'Dockworkers consider strike over pay', url: null }],
    credit: 'Agencies contributed reporting.',
    draft: false,
    source: null,
    sourcePath: 'warm-up.md',
    words: 80,
    readingMinutes: 1,
    body: { type: 'root', children: body },
    hash: '',
  };
}

/**
 * A render as the build asks for it: with `file`, the PDF is written there by the thread that
 * made it and only its warnings come back. A 1,000-article build copied every PDF from its
 * worker to the main thread just to write it: ~70 MB of buffers waiting there for the collector,
 * a sixth of the build's peak memory.
 */
export async function renderPdfJob(job: { readonly article: Article; readonly site: PdfSettings; readonly pageUrl: string; readonly related: readonly RelatedLink[]; readonly file?: string }, fonts: PdfFonts): Promise<PdfJobResult> {
  const made = await renderPdf(job.article, { site: job.site, pageUrl: job.pageUrl, related: job.related, fonts });
  if (job.file === undefined) return made;
  fs.writeFileSync(job.file, made.bytes);
  return { warnings: made.warnings };
}

/** What a job gives back: the PDF's bytes when the job named no file to write them to. */
export interface PdfJobResult {
  readonly bytes?: Uint8Array;
  readonly warnings: readonly string[];
}

/**
 * An article's PDF, made from `site`'s PdfSettings and nothing else of the site. `related`: its
 * related items as the edition links them (relatedLinks in article-view.ts).
 */
export async function renderPdf(article: Article, options: { site: PdfSettings; pageUrl: string; related: readonly RelatedLink[]; fonts: PdfFonts }): Promise<PdfRenderResult> {
  try {
    await options.fonts.library.hyphenation.prepare(article.lang);
    return await render(article, options.site, options.pageUrl, options.related, options.fonts.library);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new GalleyError(`PDF: ${reason}`, 'pdf', article.sourcePath, undefined, { cause: error });
  }
}

async function render(article: Article, site: PdfSettings, pageUrl: string, related: readonly RelatedLink[], library: FontLibrary): Promise<PdfRenderResult> {
  const theme = library.theme;
  const frame = textFrame(theme.paper[site.paper]);
  const { width, height, measure } = frame;
  const lang = article.lang;

  const setter = new ParagraphSetter(library);
  const page = new BlockWriter(theme, pageUrl, { images: article.images ?? [], frameHeight: frame.bottom - frame.top, notesLabel: labelsFor(lang).messages.footnotes });
  pdfArticle({ article, site, pageUrl, related }, page);
  const document = page.document();
  const sets = setBlocks(document.blocks, setter, theme, measure, lang);
  const pages = composePages(sets, frame, theme, document.body, (set) => tightenBlock(set, setter, measure, lang));
  const header = runningHeader(setter, site.title, article.title, theme.styles.runningHeader, theme, lang, measure);
  const footerStyle = theme.styles.footer;

  const metadata: DocumentMetadata = {
    title: article.title,
    author: article.author,
    subject: article.summary,
    keywords: article.tags,
    lang,
    created: article.date,
    modified: article.updated,
    creator: CREATOR,
    producer: PRODUCER,
  };
  const doc = new GalleyPdfDocument(
    {
      autoFirstPage: false,
      size: [width, height],
      margin: 0,
      pdfVersion: '1.7',
      compress: true,
      tagged: true,
      subset: 'PDF/A-2b',
      lang,
      displayTitle: true,
      info: {
        Title: metadata.title,
        Author: metadata.author,
        Subject: metadata.subject,
        // Absent rather than empty without tags: PDF/A pairs Keywords with pdf:Keywords in the XMP.
        ...(metadata.keywords.length > 0 ? { Keywords: metadata.keywords.join(', ') } : {}),
        CreationDate: metadata.created,
        ModDate: metadata.modified,
        Creator: CREATOR,
        Producer: PRODUCER,
      },
    },
    metadata,
  );
  const chunks: Uint8Array[] = [];
  doc.on('data', (chunk: Uint8Array) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  const painter = new DocumentPainter(doc, theme, frame, document.root, structureLanguages(sets));
  painter.paint(pages, {
    header: header.line,
    footer: (page, count) => setter.setLine([{ text: pdfPageFooter(lang, page, count), style: footerStyle, link: null }], lang),
  });
  for (const font of painter.fonts) font.embed();
  doc.end();
  await ended;

  const warnings: string[] = [];
  if (setter.missing.size > 0) {
    warnings.push(`no font can draw ${describeCharacters(setter.missing)}: drawn as ${theme.fonts.missingGlyph}, the PDF text keeps the characters`);
  }
  return { bytes: concat(chunks), warnings };
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
