/**
 * `npm run bench [-- --sizes 1000,10000] [--formats html,feeds] [--rebuilds 3] [--skip-floor] [--no-hugo]`:
 * Galley's build as a newsroom runs it, each build a whole process, on a synthetic corpus
 * (bench/corpus.ts), against the targets of the archive-scale issue. For each size:
 *
 * - the floor (bench/floor.ts): the bare libraries doing the build's work in one process;
 * - a cold build from raw copy (own empty cache), then on the same workbench a no-change
 *   rebuild, one arrival (a new raw file, the newest article) and one correction (a sentence of
 *   an article from the oldest tenth changed in its Markdown source) in turn, `--rebuilds` times
 *   each (default 3: a single rebuild of a few seconds moves by a tenth and more with what else
 *   the machine runs; the median is held to the target, every time is shown), and one edit (the
 *   earlier tables': a sentence appended to the middle source by name) and a new site
 *   description (every page made again), each with the files of the output folder it changed,
 *   added and removed;
 * - cold `--formats html,feeds` builds from the Markdown sources alone (Hugo's input) and from
 *   raw copy, and Hugo doing the same work from the same Markdown (bench/hugo.ts).
 *
 * `--queue` measures the build with BullMQ workers instead (bench/queue.ts; sizes default 1000).
 *
 * Output is Markdown (bench/report.ts). Ratios measured in one run are what to compare: the
 * machine is shared and noisy.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { articleDate, syntheticArticle, syntheticCorpus } from './corpus.ts';
import { floor, galley, markdownWorkbench, rawWorkbench, type Run, type Workbench } from './galley.ts';
import { buildHugo, checkHugoOutput, hugoVersion, writeHugoSite } from './hugo.ts';
import { sizeReport, summary, type Rebuild, type SizeResult } from './report.ts';
import { compare, snapshot, type Snapshot } from './snapshot.ts';

const FAMILIES = ['pdf', 'html', 'feeds'] as const;
const WEB = ['html', 'feeds'] as const;
/** Above this many articles the floor's one feed of every article would not fit in a string. */
const FLOOR_MAX = 10_000;

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000' },
    formats: { type: 'string', default: FAMILIES.join(',') },
    'skip-floor': { type: 'boolean', default: false },
    'no-hugo': { type: 'boolean', default: false },
    queue: { type: 'boolean', default: false },
    rebuilds: { type: 'string', default: '3' },
  },
});
const rebuilds = Number(values.rebuilds);
if (!Number.isInteger(rebuilds) || rebuilds < 1) throw new Error(`--rebuilds takes a whole number, 1 or more: not ${values.rebuilds}`);
// smallest first, so the 100,000 result can be set against the 1,000 one
const sizes = values.sizes
  .split(',')
  .map((size) => Number(size.replace(/_/g, '')))
  .sort((a, b) => a - b);
if (!sizes.length || sizes.some((size) => !Number.isInteger(size) || size < 10)) throw new Error(`--sizes takes whole numbers of articles, 10 or more: not ${values.sizes}`);
const asked = values.formats.split(',').map((format) => format.trim());
if (asked.some((format) => !(FAMILIES as readonly string[]).includes(format))) throw new Error(`--formats takes a list of ${FAMILIES.join(', ')}: not ${values.formats}`);
const formats = FAMILIES.filter((family) => asked.includes(family));
const webOnly = formats.join(',') === WEB.join(',');

/** A change to the content folder: what it was, and the output file it must change (an edited article's page). */
interface Change {
  readonly what: string;
  readonly page?: string;
}

/** Rebuilds `bench` after `change`, and compares the output folder with `before`. */
function rebuild(bench: Workbench, before: Snapshot, change: () => Change): { rebuild: Rebuild; after: Snapshot } {
  const { what, page } = change();
  const run = galley(bench, formats);
  const after = snapshot(bench.out);
  const files = compare(before, after);
  if (page && !files.changed.includes(page)) throw new Error(`${what}: the rebuild did not change ${page}`);
  return { rebuild: { ...run, what, files }, after };
}

/** The output page of the source `articles/NAME.md` (ingest names a source by its slug). */
const pageOf = (name: string) => `articles/${name.replace(/\.md$/, '')}/index.html`;

/** Every article is published, none held back or lost: the measurements are of the whole corpus. */
function checkPublished(files: Snapshot, expected: number, when: string): void {
  const pages = [...files.keys()].filter((file) => /^articles\/[^/]+\/index\.html$/.test(file)).length;
  if (pages !== expected) throw new Error(`${when}: ${pages} article pages in the output folder, not ${expected}`);
}

/** The newsroom's commonest change: one more story arrives as wire copy, the newest one (`newest`, the corpus article's number). */
function arrive(bench: Workbench, newest: number): Change {
  const arrival = syntheticArticle(newest);
  fs.writeFileSync(path.join(bench.content, 'raw', arrival.name), arrival.text);
  return { what: `one arrival (raw/${arrival.name}, the newest)` };
}

/**
 * A correction of an old article: the first sentence of its body changed in its Markdown source.
 * The `nth` correction (from 0) is of the (5 + nth)th oldest article (or the newest of the oldest
 * tenth, if that is older): corpus article N is titled "…, report N", so its source is
 * `articles/…-report-N.md`.
 */
function correct(bench: Workbench, articles: number, nth: number): Change {
  const number = Math.max(1, Math.min(5 + nth, Math.floor(articles / 10)));
  const dir = path.join(bench.content, 'articles');
  const name = fs.readdirSync(dir).find((file) => file.endsWith(`-report-${number}.md`));
  const file = path.join(dir, name ?? `(no source ending in -report-${number}.md)`);
  const text = fs.readFileSync(file, 'utf8');
  if (!name || !text.includes(`source: raw/${syntheticArticle(number).name}`)) throw new Error(`${file} is not the source of corpus article ${number}`);
  const bodyStart = text.indexOf('\n---\n', 4) + 5;
  const body = text.slice(bodyStart).replace(/\.(\s)/, ', the benchmark corrects.$1');
  fs.writeFileSync(file, text.slice(0, bodyStart) + body);
  return { what: `one correction (articles/${name}: corpus article ${number} of ${articles}, first sentence changed)`, page: pageOf(name) };
}

/** The earlier tables' "one edit": a sentence appended to the middle source by file name. */
function editMiddle(bench: Workbench): Change {
  const dir = path.join(bench.content, 'articles');
  const names = fs.readdirSync(dir).sort();
  const name = names[Math.floor(names.length / 2)]!;
  fs.appendFileSync(path.join(dir, name), '\nOne more sentence, added by the benchmark.\n');
  return { what: `one edit (articles/${name}, the middle source by name: a sentence appended)`, page: pageOf(name) };
}

/**
 * A new site description, which every page shows: every page and feed is made again, from the
 * articles and PDFs the cache holds (no source parsed, no PDF rendered). The workbench has no
 * site.yaml of its own (written, never overwritten).
 */
function describeSite(bench: Workbench): Change {
  fs.writeFileSync(path.join(bench.content, 'site.yaml'), 'description: News from the benchmark’s wire, described anew.\n', { flag: 'wx' });
  return { what: 'a new site description (site.yaml: every page and feed made again)', page: 'index.html' };
}

/** Bytes of the front page, the site's three subscription feeds, and those of the topic with the largest RSS feed. */
function feedBytes(out: string): { file: string; bytes: number }[] {
  const size = (file: string) => ({ file, bytes: fs.statSync(path.join(out, file)).size });
  const topics = fs
    .readdirSync(path.join(out, 'tags'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(out, 'tags', entry.name, 'feed.xml')))
    .map((entry) => size(`tags/${entry.name}/feed.xml`));
  const largest = path.dirname(topics.reduce((a, b) => (b.bytes > a.bytes ? b : a)).file);
  return ['index.html', 'feed.xml', 'atom.xml', 'feed.json', `${largest}/feed.xml`, `${largest}/atom.xml`, `${largest}/feed.json`].map(size);
}

function measureFloor(dir: string, articles: number, now: Date): SizeResult['floor'] {
  if (values['skip-floor']) return 'skipped (--skip-floor)';
  if (articles > FLOOR_MAX) return `skipped above ${FLOOR_MAX.toLocaleString('en')} articles (its one feed of every article would not fit in a string)`;
  const bench = rawWorkbench(path.join(dir, 'floor'), syntheticCorpus(articles), now);
  const run = floor(bench, formats);
  fs.rmSync(path.join(dir, 'floor'), { recursive: true, force: true });
  return run;
}

function measureHugo(dir: string, markdown: Workbench, articles: number): SizeResult['hugo'] {
  if (values['no-hugo']) return 'Hugo skipped (--no-hugo)';
  if (!hugoVersion()) return 'Hugo not installed: no comparison';
  const site = path.join(dir, 'hugo');
  writeHugoSite(site, path.join(markdown.content, 'articles'));
  const run = buildHugo(site);
  checkHugoOutput(site, articles);
  fs.rmSync(site, { recursive: true, force: true });
  return run;
}

/** Everything for one size; each workbench is removed once measured (100,000 articles take gigabytes). */
function measure(articles: number, dir: string): SizeResult {
  // a day after the arriving article: every article is due
  const now = new Date(articleDate(articles + 1).getTime() + 86_400_000);
  const floorRun = measureFloor(dir, articles, now);

  const site = rawWorkbench(path.join(dir, 'galley'), syntheticCorpus(articles), now);
  const cold = galley(site, formats);
  const built = snapshot(site.out);
  checkPublished(built, articles, 'cold build');
  const bytes = feedBytes(site.out);
  // the Markdown sources as ingest wrote them, before any change: the input of Hugo and of the web build from Markdown
  const markdown = markdownWorkbench(site, path.join(dir, 'web-md'));
  const noChange = rebuild(site, built, () => ({ what: 'no-change rebuild' }));
  const arrivals: Rebuild[] = [];
  const corrections: Rebuild[] = [];
  let after = noChange.after;
  for (let nth = 0; nth < rebuilds; nth++) {
    const arrival = rebuild(site, after, () => arrive(site, articles + 1 + nth));
    checkPublished(arrival.after, articles + 1 + nth, 'after the arrival');
    arrivals.push(arrival.rebuild);
    const correction = rebuild(site, arrival.after, () => correct(site, articles, nth));
    corrections.push(correction.rebuild);
    after = correction.after;
  }
  const edit = rebuild(site, after, () => editMiddle(site));
  const described = rebuild(site, edit.after, () => describeSite(site));
  fs.rmSync(path.join(dir, 'galley'), { recursive: true, force: true });

  const webFromMarkdown = galley(markdown, WEB);
  fs.rmSync(markdown.out, { recursive: true, force: true });
  fs.rmSync(markdown.cache, { recursive: true, force: true });
  const hugo = measureHugo(dir, markdown, articles);
  fs.rmSync(path.join(dir, 'web-md'), { recursive: true, force: true });

  let webFromRaw: Run = cold;
  if (!webOnly) {
    webFromRaw = galley(rawWorkbench(path.join(dir, 'web'), syntheticCorpus(articles), now), WEB);
    fs.rmSync(path.join(dir, 'web'), { recursive: true, force: true });
  }
  return { articles, formats, floor: floorRun, cold: { ...cold, files: built.size }, noChange: noChange.rebuild, arrivals, corrections, edit: edit.rebuild, described: described.rebuild, webFromMarkdown, webFromRaw, hugo, bytes };
}

function measureAll(): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-bench-'));
  try {
    const load = os.loadavg().map((average) => average.toFixed(1)).join(' ');
    process.stdout.write(`# galley bench\n\n${os.availableParallelism()} cores, Node ${process.version}, ${hugoVersion()?.split(' ').slice(0, 2).join(' ') ?? 'no Hugo'}, ${new Date().toISOString().slice(0, 10)}, load average at start ${load}; sizes ${sizes.join(', ')}, --formats ${formats.join(',')}\n\n`);
    const results: SizeResult[] = [];
    for (const articles of sizes) {
      const result = measure(articles, path.join(work, String(articles)));
      results.push(result);
      process.stdout.write(`${sizeReport(result, results.find((other) => other.articles === 1000))}\n`);
    }
    process.stdout.write(summary(results));
    process.stdout.write(`\nLoad average at the end: ${os.loadavg().map((average) => average.toFixed(1)).join(' ')} (${os.availableParallelism()} cores): compare ratios from one run, and wall against CPU time.\n`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (values.queue) {
  const { queueBench } = await import('./queue.ts');
  await queueBench(process.argv.some((arg) => arg.startsWith('--sizes')) ? sizes : [1000]);
} else measureAll();
