/**
 * `npm run build -- [--content DIR] [--out DIR] [--base-url URL] [--drafts] [--future]`
 * Exit codes: 0 published, 1 content errors (located messages on stderr), 2 usage errors.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { prepare } from './build.ts';
import { displayPath } from './diagnostics.ts';
import { sourceDateEpoch } from './dates.ts';

const USAGE = `usage: npm run build -- [--content DIR] [--out DIR] [--base-url URL] [--drafts] [--future]

  --content DIR    content folder: raw/*.txt, articles/*.md, site.yaml (default: content)
  --out DIR        output folder, replaced atomically on success (default: dist)
  --base-url URL   absolute URL the site is served at (default: SITE_URL, else site.yaml)
  --drafts         also publish articles marked draft: true
  --future         also publish articles dated in the future`;

function main(argv: string[]): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        content: { type: 'string', default: 'content' },
        out: { type: 'string', default: 'dist' },
        'base-url': { type: 'string' },
        drafts: { type: 'boolean', default: false },
        future: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    process.stderr.write(`galley: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const started = performance.now();
  const { report } = prepare({
    contentDir: path.resolve(values.content),
    outDir: path.resolve(values.out),
    baseUrl: values['base-url'] ?? process.env.SITE_URL ?? null,
    drafts: values.drafts,
    future: values.future,
    now: sourceDateEpoch() ?? new Date(),
  });
  for (const item of report.ingested) process.stdout.write(`ingested  ${item.raw} → ${displayPath(item.markdown)}\n`);
  const messages = report.diagnostics.format();
  if (messages) process.stderr.write(`${messages}\n`);
  for (const article of report.published) process.stdout.write(`article   ${article.slug}  (${article.words} words)\n`);
  const errors = report.diagnostics.count('error');
  const warnings = report.diagnostics.count('warning');
  const elapsed = ((performance.now() - started) / 1000).toFixed(2);
  if (!report.ok) {
    process.stderr.write(`galley: ${errors} error${errors === 1 ? '' : 's'}; nothing published (${elapsed} s)\n`);
    return 1;
  }
  process.stdout.write(
    `galley: ${report.published.length} published, ${report.ingested.length} ingested, ${report.drafts.length} drafts and ${report.future.length} future held back, ${warnings} warning${warnings === 1 ? '' : 's'} (${elapsed} s)\n`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
