/**
 * Command-line flags of the build, checked before anything runs: a bad flag or a dangerous
 * output folder is a usage error (exit 2), never a half-done build.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BuildOptions } from '../engine/context.ts';
import { OUTPUT_FAMILIES, type OutputFamily } from '../outputs/registry.ts';
import { sourceDateEpoch } from '../model/dates.ts';
import { checkOutputPath } from '../engine/publish.ts';
import { CACHE_DIR } from '../engine/project.ts';
import { redisTarget } from '../queue/redis-url.ts';

/** `--queue URL [--queue-fallback local]`. */
export interface QueueFlags {
  readonly url: string;
  /** Render here when no worker is connected (else the build fails). */
  readonly fallback: boolean;
}

export const USAGE = `usage: npm run build -- [--content DIR] [--out DIR] [--base-url URL] [--drafts] [--future]

  --content DIR    content folder: raw/*.txt, articles/*.md, site.yaml (default: content)
  --out DIR        output folder, replaced atomically on success (default: dist); a folder
                   that holds files but is not a Galley edition is refused
  --force          replace the output folder even when it is not a Galley edition
  --base-url URL   absolute URL the site is served at (default: SITE_URL, else site.yaml)
  --drafts         also publish articles marked draft: true
  --future         also publish articles dated in the future
  --formats LIST   make only some outputs, e.g. html,feeds (for measurements; default pdf,html,feeds)
  --timings        print the time of each stage and the peak memory
  --sweep-cache    remove the cached files no edition uses now (a build does it once a day)
  --queue URL      render the PDFs on workers (npm run worker) through BullMQ on the Redis at
                   redis://HOST:PORT[/DB]; the rest of the build runs here
  --queue-fallback local
                   with --queue: render here when no worker is connected (default: fail)

  GALLEY_CACHE_URL=s3://BUCKET/PREFIX (or a folder) shares rendered PDFs between machines`;

export class UsageError extends Error {
  /** False for a problem with a folder rather than with the flags: the usage text would only hide the one line that matters. */
  constructor(
    message: string,
    readonly showUsage = true,
  ) {
    super(message);
  }
}

const inside = (child: string, parent: string) => {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
};

/** Flags → build options; throws UsageError for anything a build must not start with. */
export function parseBuildArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): BuildOptions & { readonly timings: boolean; readonly queue: QueueFlags | null } {
  // --force is checked here, where the output folder is: the build never sees it
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
        formats: { type: 'string', default: OUTPUT_FAMILIES.join(',') },
        timings: { type: 'boolean', default: false },
        'sweep-cache': { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        queue: { type: 'string' },
        'queue-fallback': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const contentDir = path.resolve(values.content);
  if (!fs.existsSync(contentDir) || !fs.statSync(contentDir).isDirectory()) throw new UsageError(`content folder ${values.content} does not exist`);
  // a symbolic link is followed: the edition goes into the folder it names
  const checked = checkOutputPath(path.resolve(values.out), CACHE_DIR, values.force, values.out);
  const outDir = checked.outDir;
  // the output folder is replaced as a whole: it must never hold the content, the project, a home or the cache
  for (const precious of [contentDir, process.cwd(), os.homedir(), path.parse(outDir).root, CACHE_DIR]) {
    if (inside(precious, outDir)) throw new UsageError(`refusing to use ${values.out} as the output folder: it would replace ${precious}`);
  }
  if (inside(outDir, contentDir)) throw new UsageError(`the output folder ${values.out} must not be inside the content folder ${values.content}`);
  if (checked.problem) throw new UsageError(checked.problem, false);
  const formats = values.formats.split(',').map((format) => format.trim()).filter(Boolean);
  const unknown = formats.filter((format) => !(OUTPUT_FAMILIES as readonly string[]).includes(format));
  if (unknown.length || !formats.length) throw new UsageError(`--formats takes a list of ${OUTPUT_FAMILIES.join(', ')}; not ${unknown.join(', ') || 'nothing'}`);
  if (values['queue-fallback'] !== undefined && values['queue-fallback'] !== 'local') throw new UsageError(`--queue-fallback takes local; not ${values['queue-fallback']}`);
  if (values['queue-fallback'] !== undefined && values.queue === undefined) throw new UsageError('--queue-fallback goes with --queue');
  if (values.queue !== undefined) {
    try {
      redisTarget(values.queue);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  return {
    contentDir,
    outDir,
    baseUrl: values['base-url'] ?? env.SITE_URL ?? null,
    drafts: values.drafts,
    future: values.future,
    now: sourceDateEpoch(env) ?? new Date(),
    formats: OUTPUT_FAMILIES.filter((format) => formats.includes(format)) as OutputFamily[],
    timings: values.timings,
    sweepCache: values['sweep-cache'],
    queue: values.queue === undefined ? null : { url: values.queue, fallback: values['queue-fallback'] === 'local' },
  };
}
