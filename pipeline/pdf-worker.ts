/**
 * A PDF worker thread: loads the fonts once, then renders the jobs piscina hands it.
 */
import { loadPdfFonts, renderPdf, type PdfFonts, type PdfRenderResult } from './outputs/pdf.ts';
import type { PdfJob } from './pdf-pool.ts';

// One font set per worker thread, loaded as the worker starts (before its first job arrives):
// the point of a long-lived worker.
const fonts: PdfFonts = loadPdfFonts();

export default function renderJob(job: PdfJob): Promise<PdfRenderResult> {
  return renderPdf(job.article, { site: job.site, pageUrl: job.pageUrl, fonts });
}
