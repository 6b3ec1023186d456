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
import type { Article } from '../article.ts';
import type { SiteSettings } from '../site.ts';
import { GalleyError } from '../errors.ts';
import { pdfTheme, type PdfTheme } from '../../templates/pdf-theme.ts';
import { articleBlocks } from './pdf/blocks.ts';
import { GalleyPdfDocument, type DocumentMetadata } from './pdf/document.ts';
import { DocumentPainter, runningHeader } from './pdf/draw.ts';
import { describeCharacters, FontLibrary } from './pdf/fonts.ts';
import { paginate, setBlocks, structureLanguages } from './pdf/layout.ts';
import { ParagraphSetter } from './pdf/paragraph.ts';

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

export async function renderPdf(article: Article, options: { site: SiteSettings; pageUrl: string; fonts: PdfFonts }): Promise<PdfRenderResult> {
  try {
    await options.fonts.library.hyphenation.prepare(article.lang);
    return await render(article, options.site, options.pageUrl, options.fonts.library);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new GalleyError(`PDF: ${reason}`, 'pdf', article.sourcePath, undefined, { cause: error });
  }
}

async function render(article: Article, site: SiteSettings, pageUrl: string, library: FontLibrary): Promise<PdfRenderResult> {
  const theme = library.theme;
  const paper = theme.paper[site.paper];
  const [width, height] = paper.size;
  const { margins } = paper;
  const measure = width - margins.left - margins.right;
  const lang = article.lang;

  const setter = new ParagraphSetter(library);
  const document = articleBlocks(article, site, pageUrl, theme);
  const sets = setBlocks(document.blocks, setter, theme, measure, lang);
  const pages = paginate(sets, { top: margins.top, bottom: height - margins.bottom }, theme);
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

  const painter = new DocumentPainter(doc, theme, { width, height, left: margins.left, measure }, document.root, structureLanguages(sets));
  painter.paint(pages, {
    header: header.line,
    footer: (page, count) => setter.setLine([{ text: `page ${page} of ${count}`, style: footerStyle, link: null }], lang),
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
