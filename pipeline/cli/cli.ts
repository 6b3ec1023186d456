/**
 * `npm run build -- [--content DIR] [--out DIR] [--base-url URL] [--drafts] [--future]`
 * Exit codes: 0 published, 1 content errors (located messages on stderr), 2 usage errors.
 */
import type { PublishReport } from '../engine/build.ts';
import { displayPath, GalleyError } from '../model/diagnostics.ts';
import { fsReason, errnoCode } from '../model/errors.ts';
import { OutputBusy } from '../engine/publish.ts';
import { USAGE, UsageError, parseBuildArgs } from './args.ts';
import { mayUsePdfPool } from '../outputs/pdf/pool-size.ts';
import type { PdfRenderer } from '../outputs/pdf/pool.ts';
import type { CountingRenderer } from '../queue/renderers.ts';
import type { SharedCache } from '../queue/shared-cache.ts';
import type { SweepReport } from '../engine/cache-sweep.ts';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Where the rendered PDFs were made, when a queue or a shared cache took part: ` (3 on workers, 1 here, 2 from the shared cache)`. */
function where(counts: CountingRenderer['counts'] | undefined): string {
  if (!counts) return '';
  const parts = [counts.remote && `${counts.remote} on workers`, counts.local && `${counts.local} here`, counts.shared && `${counts.shared} from the shared cache`].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function summary(report: PublishReport, seconds: string, counts?: CountingRenderer['counts']): string {
  const { published, drafts, future, warnings } = report.counts;
  const work = report.unchanged ? 'nothing changed, edition kept' : `${report.rendered} PDFs rendered${where(counts)}, ${report.reused} unchanged`;
  return `galley: ${plural(published, 'article')} published (${work}), ${report.ingested.length} ingested, ${drafts + future} held back (${plural(drafts, 'draft')}, ${future} future), ${plural(warnings, 'warning')}, ${seconds} s`;
}

function sweepLine({ removed, bytes, forgotten, stopped }: SweepReport): string {
  const gone = forgotten ? `, and the records of ${plural(forgotten, 'output folder')} that no longer exist` : '';
  const end = stopped ? ' (stopped: another build is using the cache; the next one goes on)' : '';
  return `galley: cache swept: ${plural(removed, 'file')} no edition uses removed (${(bytes / 1024 / 1024).toFixed(1)} MB)${gone}${end}`;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let options: ReturnType<typeof parseBuildArgs>;
  try {
    options = parseBuildArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(error.showUsage ? `galley: ${error.message}\n\n${USAGE}\n` : `galley: ${error.message}\n`);
    return 2;
  }
  let shared: SharedCache | null = null;
  if (process.env.GALLEY_CACHE_URL) {
    try {
      shared = await (await import('../queue/shared-cache.ts')).sharedCacheFrom(process.env);
    } catch (error) {
      process.stderr.write(`galley: ${(error as Error).message}\n`);
      return 2;
    }
  }
  const started = performance.now();
  // The PDF workers start first, and the build's modules load after them (this module imports
  // little): a worker's start-up is most of what a one-article rebuild waits for. With a
  // queue, PDFs render elsewhere (or here only if no worker is there).
  const earlyWorkers = options.formats.includes('pdf') && !options.queue && mayUsePdfPool(options.contentDir) ? (await import('../outputs/pdf/pool.ts')).startPdfWorkersEarly() : null;
  let remote: CountingRenderer | null = null;
  const { queue } = options;
  const pdfRenderer =
    queue || shared
      ? async (jobs: number, language: string, fingerprint: string): Promise<PdfRenderer> => {
          const { countedLocal, queueRenderer, sharedCacheRenderer } = await import('../queue/renderers.ts');
          const { pdfRendererFor } = await import('../outputs/pdf/pool.ts');
          const local = () => pdfRendererFor(jobs, language, earlyWorkers);
          const notice = (message: string) => process.stderr.write(`galley: ${message}\n`);
          remote = queue ? await queueRenderer({ url: queue.url, fallback: queue.fallback, fingerprint, local, notice }) : countedLocal(local);
          if (shared) remote = sharedCacheRenderer(remote, shared, fingerprint, notice);
          return remote;
        }
      : undefined;
  const { build } = await import('../engine/build.ts');
  // a live counter only for a person watching a terminal; logs and CI get the summary alone
  const live = process.stderr.isTTY && !process.env.CI;
  let report: PublishReport;
  try {
    report = await build(options, {
      earlyWorkers,
      ...(pdfRenderer ? { pdfRenderer } : {}),
      onArticle(done, total, article) {
        if (live) process.stderr.write(`\r\x1b[K[${done}/${total}] ${article.slug.slice(0, 60)}`);
      },
    });
  } catch (error) {
    if (live) process.stderr.write('\r\x1b[K');
    if (error instanceof OutputBusy) {
      process.stderr.write(`galley: ${error.message}\n`);
      return 2;
    }
    // the environment (a full disk, a read-only folder) where nothing located it: one line, never a stack
    if (!(error instanceof GalleyError) && !errnoCode(error)) throw error;
    const file = error instanceof GalleyError ? error.file : (error as NodeJS.ErrnoException).path;
    const what = error instanceof GalleyError ? error.message : `could not ${(error as NodeJS.ErrnoException).syscall ?? 'use'} it: ${fsReason(error)}`;
    process.stderr.write(`${file ? `${displayPath(file)}: ` : ''}error: ${what}\ngalley: nothing published, ${displayPath(options.outDir)} is unchanged\n`);
    return 1;
  } finally {
    // workers the build did not take (nothing to render) would keep the process alive
    await earlyWorkers?.close();
    shared?.close();
  }
  if (live) process.stderr.write('\r\x1b[K');
  for (const item of report.ingested) process.stdout.write(`ingested  ${item.raw} → ${displayPath(item.markdown)}\n`);
  const messages = report.unchanged ? report.replayed : report.diagnostics.format();
  if (messages) process.stderr.write(`${messages}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (!report.ok) {
    const errors = report.diagnostics.count('error');
    process.stderr.write(`galley: ${errors} error${errors === 1 ? '' : 's'}; nothing published, ${displayPath(options.outDir)} is unchanged (${seconds} s)\n`);
    return 1;
  }
  process.stdout.write(`${summary(report, seconds, (remote as CountingRenderer | null)?.counts)}\n`);
  // a sweep that found nothing to do is not worth a line, unless it was asked for
  if (report.swept && (report.swept.removed || report.swept.forgotten || report.swept.stopped || options.sweepCache)) process.stdout.write(`${sweepLine(report.swept)}\n`);
  if (options.timings) {
    const stages = Object.entries(report.timings).map(([stage, ms]) => `${stage} ${ms.toFixed(0)} ms`).join(', ');
    const threads = report.readThreads && report.readThreads > 1 ? `; sources read on ${report.readThreads} threads` : '';
    const parsed = report.parsed === undefined ? '' : `; ${report.parsed} source${report.parsed === 1 ? '' : 's'} parsed, the rest taken from the cache`;
    process.stderr.write(`galley timings: ${stages}${threads}${parsed}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`);
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
