/**
 * A PDF worker thread: loads the fonts once, then renders the jobs piscina hands it.
 */
import { loadPdfFonts, renderPdf, type PdfFonts, type PdfRenderResult } from './outputs/pdf.ts';
import type { PdfJob } from './pdf-pool.ts';

// One font set per worker thread, loaded on its first job: the point of a long-lived worker.
let fonts: PdfFonts | null = null;

export default function renderJob(job: PdfJob): Promise<PdfRenderResult> {
  fonts ??= loadPdfFonts();
  return renderPdf(job.article, { site: job.site, pageUrl: job.pageUrl, fonts });
}
