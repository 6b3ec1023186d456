/**
 * `npm run build -- [--content DIR] [--out DIR] [--base-url URL] [--drafts] [--future]`
 * Exit codes: 0 published, 1 content errors (located messages on stderr), 2 usage errors.
 */
import { build, type PublishReport } from './build.ts';
import type { BuildOptions } from './context.ts';
import { displayPath } from './diagnostics.ts';
import { USAGE, UsageError, parseBuildArgs } from './args.ts';

function summary(report: PublishReport, seconds: string): string {
  const warnings = report.diagnostics.count('warning');
  const held = report.drafts.length + report.future.length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `galley: ${plural(report.published.length, 'article')} published (${report.rendered} PDFs rendered, ${report.reused} unchanged), ${report.ingested.length} ingested, ${held} held back (${report.drafts.length} drafts, ${report.future.length} future), ${plural(warnings, 'warning')}, ${seconds} s`;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let options: BuildOptions;
  try {
    options = parseBuildArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`galley: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  const started = performance.now();
  // a live counter only for a person watching a terminal; logs and CI get the summary alone
  const live = process.stderr.isTTY && !process.env.CI;
  const report = await build(options, {
    onArticle(done, total, article) {
      if (live) process.stderr.write(`\r\x1b[K[${done}/${total}] ${article.slug.slice(0, 60)}`);
    },
  });
  if (live) process.stderr.write('\r\x1b[K');
  for (const item of report.ingested) process.stdout.write(`ingested  ${item.raw} → ${displayPath(item.markdown)}\n`);
  const messages = report.diagnostics.format();
  if (messages) process.stderr.write(`${messages}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (!report.ok) {
    const errors = report.diagnostics.count('error');
    process.stderr.write(`galley: ${errors} error${errors === 1 ? '' : 's'}; nothing published, ${displayPath(options.outDir)} is unchanged (${seconds} s)\n`);
    return 1;
  }
  process.stdout.write(`${summary(report, seconds)}\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
