/**
 * A PDF worker thread: loads the fonts once, warms up when there is time, then renders the jobs
 * piscina hands it.
 */
import { workerData } from 'node:worker_threads';
import { loadPdfFonts, renderPdfJob, warmUpPdf, type PdfFonts, type PdfJobResult } from './outputs/pdf.ts';
import type { PdfJob, PdfWorkerData } from './pdf-pool.ts';

const { lang, stage } = workerData as PdfWorkerData;

// One font set per worker thread, loaded as the worker starts (before its first job arrives):
// the point of a long-lived worker.
const fonts: PdfFonts = loadPdfFonts();

/**
 * Whether this worker warmed up all the way. The first render in a fresh thread costs several
 * times a warm one; the warm-up does that work while the build is still reading its sources,
 * and only until the pool hands out a job: it then stops after the step it is in (~30 ms), and
 * the job finds what was done.
 */
export const warmedUp: Promise<boolean> = Promise.resolve().then(() => warmUpPdf(fonts, lang, () => Atomics.load(stage, 0) !== 0));

function renderJob(job: PdfJob): Promise<PdfJobResult> {
  return renderPdfJob(job, fonts);
}

// The handler, once the warm-up is over: piscina gives a worker jobs only when the promise it
// exports resolves, so a warm-up never runs alongside a job.
export default warmedUp.then(() => renderJob);
