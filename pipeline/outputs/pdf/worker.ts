/**
 * A PDF worker thread: loads the fonts once, warms up when there is time, then renders the jobs
 * piscina hands it.
 */
import os from 'node:os';
import { workerData } from 'node:worker_threads';
import { loadPdfFonts, renderPdfJob, warmUpPdf, type PdfFonts, type PdfJobResult } from './pdf.ts';
import type { PdfJob, PdfWorkerData } from './pool.ts';
import { WORKER_STAGE } from './pool-size.ts';

const { stage, language, warmedUp: warmedUpCount } = workerData as PdfWorkerData;

// The build's main thread comes first: it reads, keys and lays out the edition, and every output
// waits on it, while a PDF renders whenever a core is free. At equal priority a rebuild's one PDF
// (and its warm-up) took a core from the main thread, the survey of the spare and V8's
// collectors. Lowered for this thread alone: on Linux a priority is a thread's; elsewhere it
// would be the whole process's.
if (process.platform === 'linux') {
  try {
    os.setPriority(0, 10);
  } catch {
    // a sandbox that forbids it leaves the thread as it was
  }
}

// One font set per worker thread, loaded as the worker starts (before its first job arrives):
// the point of a long-lived worker.
const fonts: PdfFonts = loadPdfFonts();

/**
 * The language to warm up in, once the pool is told it; null when a job was handed out first
 * (the job then does the first-use work itself, and a warm-up would only delay it).
 */
async function warmUpLanguage(): Promise<string | null> {
  for (;;) {
    const now = Atomics.load(stage, 0);
    if (now === WORKER_STAGE.job) return null;
    if (now === WORKER_STAGE.language) return Buffer.from(language).toString('utf8').replace(/\0+$/, '');
    const waiting = Atomics.waitAsync(stage, 0, now);
    if (waiting.async) await waiting.value;
  }
}

/**
 * Whether this worker warmed up all the way. The first render in a fresh thread costs several
 * times a warm one; the warm-up does that work while the build is still reading its sources,
 * and only until the pool hands out a job: it then stops after the step it is in (~30 ms), and
 * the job finds what was done.
 */
export const warmedUp: Promise<boolean> = warmUpLanguage().then(async (lang) => {
  const done = lang !== null && (await warmUpPdf(fonts, lang, () => Atomics.load(stage, 0) === WORKER_STAGE.job));
  if (done) Atomics.add(warmedUpCount, 0, 1);
  return done;
});

/**
 * The handler, ready at once so that piscina can hand this worker a job as soon as it has one
 * (it does so from the main thread, which then may be busy for a while); a job waits for the
 * warm-up step under way to end, so a warm-up never runs alongside a job.
 */
export default async function renderJob(job: PdfJob): Promise<PdfJobResult> {
  await warmedUp;
  return renderPdfJob(job, fonts);
}
