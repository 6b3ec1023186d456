/**
 * The bench's results as Markdown (to paste into the README or a closing note): per size, a
 * table of the archive-scale issue's targets with each measured value and ✓/✗, then the
 * measurements that have no target, then a summary over all sizes.
 */
import type { FloorRun, Run } from './galley.ts';
import type { FileChanges } from './snapshot.ts';

/** A rebuild after a change, with what it did to the output folder. */
export interface Rebuild extends Run {
  /** What was changed, for the reader: "raw/article-1001.txt added". */
  readonly what: string;
  readonly files: FileChanges;
}

export interface SizeResult {
  readonly articles: number;
  readonly formats: readonly string[];
  /** Why there is none, when skipped. */
  readonly floor: FloorRun | string;
  /** Cold build from raw copy with `formats`, own empty cache. */
  readonly cold: Run & { readonly files: number };
  readonly noChange: Rebuild;
  /** One arrival, `--rebuilds` times (each of a new newest article), in the order made. */
  readonly arrivals: readonly Rebuild[];
  /** One correction, `--rebuilds` times (each of another old article), each after an arrival. */
  readonly corrections: readonly Rebuild[];
  /** The earlier tables' "one edit": a sentence appended to the middle source by name. */
  readonly edit: Rebuild;
  /** A new site description in site.yaml: every page and feed made again, sources and PDFs from the cache. */
  readonly described: Rebuild;
  /** Cold `--formats html,feeds` build from the Markdown sources alone: Hugo's input. */
  readonly webFromMarkdown: Run;
  /** Cold `--formats html,feeds` build from raw copy (ingest included). */
  readonly webFromRaw: Run;
  /** Hugo's cold build of the same Markdown, or why there is none. */
  readonly hugo: { readonly ms: number; readonly cpuMs: number } | string;
  /** Bytes of the front page, the subscription feeds and one topic's (the largest), from the cold build. */
  readonly bytes: readonly { readonly file: string; readonly bytes: number }[];
}

interface Tier {
  readonly size: number;
  /** One arrival, one correction: seconds, less than. */
  readonly changeS: number;
  readonly noChangeS: number;
  readonly peakMb: number;
  /** Cold web + feeds over Hugo's same work; null where the target is linearity instead. */
  readonly hugoRatio: number | null;
}

/** The issue's targets, by column. */
const TIERS: readonly Tier[] = [
  { size: 1_000, changeS: 1.5, noChangeS: 1, peakMb: 400, hugoRatio: 1.5 },
  { size: 10_000, changeS: 2, noChangeS: 2, peakMb: 600, hugoRatio: 1.5 },
  { size: 100_000, changeS: 3, noChangeS: 5, peakMb: 1024, hugoRatio: null },
];
const FILES_TOUCHED = 40;
/** At 100,000: the cold web + feeds build at most this many times the one at 1,000. */
const LINEAR = 110;

/** The column a size is held to: the first at least as large (sizes between are held to the larger). */
function tierFor(articles: number): Tier {
  return TIERS.find((tier) => articles <= tier.size) ?? TIERS.at(-1)!;
}

const count = (n: number) => n.toLocaleString('en');
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
/** Wall time, and the CPU time beside it (less inflated than wall time on a busy machine). */
const timed = (run: { readonly ms: number; readonly cpuMs: number }) => `${seconds(run.ms)}${Number.isNaN(run.cpuMs) ? '' : ` (cpu ${seconds(run.cpuMs)})`}`;
const mark = (ok: boolean) => (ok ? '✓' : '✗');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const stages = (run: Run) => Object.entries(run.stages).map(([stage, ms]) => `${stage} ${count(ms)} ms`).join(', ') + (run.parsed === undefined ? '' : `; ${count(run.parsed)} source${run.parsed === 1 ? '' : 's'} parsed`);

interface Row {
  readonly what: string;
  readonly measured: string;
  readonly target: string;
  /** null: no target at this size. */
  readonly met: boolean | null;
}

function touchedText(files: FileChanges): string {
  return `${files.touched} (${files.changed.length} changed, ${files.added.length} added, ${files.removed.length} removed)`;
}

/** The rebuild of median time (of an even number, the slower of the middle two). */
function median(rebuilds: readonly Rebuild[]): Rebuild {
  const sorted = [...rebuilds].sort((a, b) => a.ms - b.ms);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The rebuild that touched the most files. */
function mostTouching(rebuilds: readonly Rebuild[]): Rebuild {
  return rebuilds.reduce((a, b) => (b.files.touched > a.files.touched ? b : a));
}

/** The median time, and every time in the order measured when there are several. */
function medianText(rebuilds: readonly Rebuild[]): string {
  const middle = seconds(median(rebuilds).ms);
  return rebuilds.length === 1 ? middle : `${middle} (median of ${rebuilds.length}: ${rebuilds.map((rebuild) => seconds(rebuild.ms)).join(', ')})`;
}

/** Files touched by the rebuild that touched the most, and of how many when there are several. */
function mostTouchedText(rebuilds: readonly Rebuild[]): string {
  const most = touchedText(mostTouching(rebuilds).files);
  return rebuilds.length === 1 ? most : `${most}, the most of ${rebuilds.length}`;
}

function peak(result: SizeResult): { mb: number; build: string } {
  const builds: [string, Run][] = [
    ['cold build', result.cold],
    ['no-change rebuild', result.noChange],
    ...result.arrivals.map((run): [string, Run] => ['arrival', run]),
    ...result.corrections.map((run): [string, Run] => ['correction', run]),
    ['edit', result.edit],
    ['new site description', result.described],
    ['cold web + feeds from Markdown', result.webFromMarkdown],
    ['cold web + feeds from raw copy', result.webFromRaw],
  ];
  const [build, run] = builds.reduce((a, b) => (b[1].peakMb > a[1].peakMb ? b : a));
  return { mb: run.peakMb, build };
}

/** The rows of the issue's targets table for one size. `oneThousand`: the 1,000 result of this run, if any. */
export function targetRows(result: SizeResult, oneThousand: SizeResult | undefined): Row[] {
  const tier = tierFor(result.articles);
  const rows: Row[] = [
    { what: 'files touched by one arrival', measured: mostTouchedText(result.arrivals), target: `≤ ${FILES_TOUCHED}`, met: mostTouching(result.arrivals).files.touched <= FILES_TOUCHED },
    { what: 'files touched by one correction', measured: mostTouchedText(result.corrections), target: `≤ ${FILES_TOUCHED}`, met: mostTouching(result.corrections).files.touched <= FILES_TOUCHED },
    { what: 'one arrival', measured: medianText(result.arrivals), target: `< ${tier.changeS} s`, met: median(result.arrivals).ms < tier.changeS * 1000 },
    { what: 'one correction', measured: medianText(result.corrections), target: `< ${tier.changeS} s`, met: median(result.corrections).ms < tier.changeS * 1000 },
    { what: 'no-change rebuild', measured: `${seconds(result.noChange.ms)}, ${result.noChange.files.touched} files touched`, target: `< ${tier.noChangeS} s`, met: result.noChange.ms < tier.noChangeS * 1000 },
  ];
  const highest = peak(result);
  rows.push({ what: 'peak RSS', measured: `${count(highest.mb)} MB (${highest.build})`, target: `< ${tier.peakMb >= 1024 ? `${tier.peakMb / 1024} GB` : `${tier.peakMb} MB`}`, met: highest.mb < tier.peakMb });
  return [...rows, ...scaleRows(result, tier, oneThousand)];
}

/** Cold web + feeds from Markdown: against Hugo at 1,000 and 10,000, against 1,000 at 100,000. */
function scaleRows(result: SizeResult, tier: Tier, oneThousand: SizeResult | undefined): Row[] {
  const web = result.webFromMarkdown.ms;
  const hugo = result.hugo;
  const rows: Row[] = [];
  const hugoTarget = tier.hugoRatio === null ? '— (no target at this size)' : `≤ ${tier.hugoRatio}×`;
  if (typeof hugo === 'string') rows.push({ what: 'cold web + feeds vs Hugo, same work', measured: `${seconds(web)}; ${hugo}`, target: hugoTarget, met: null });
  else {
    const ratio = web / hugo.ms;
    rows.push({ what: 'cold web + feeds vs Hugo, same work', measured: `${seconds(web)} / ${seconds(hugo.ms)} = ${ratio.toFixed(2)}×`, target: hugoTarget, met: tier.hugoRatio === null ? null : ratio <= tier.hugoRatio });
  }
  if (tier.hugoRatio === null) {
    const base = oneThousand?.webFromMarkdown.ms;
    rows.push({
      what: 'cold web + feeds, linear',
      measured: base === undefined ? 'not measured: add 1000 to --sizes' : `${seconds(web)} / ${seconds(base)} at 1,000 = ${(web / base).toFixed(1)}×`,
      target: `≤ ${LINEAR}× the 1,000 time`,
      met: base === undefined ? null : web / base <= LINEAR,
    });
  }
  return rows;
}

/** Measurements without a target: the earlier tables' lines and the bytes. */
function otherRows(result: SizeResult): [string, string][] {
  const n = result.articles;
  const perArticle = (ms: number) => `${(ms / n).toFixed(1)} ms/article`;
  const rows: [string, string][] = [];
  const floor = result.floor;
  const floorText = typeof floor === 'string' ? floor : `${timed(floor)} whole process; in-process ${Object.entries(floor.inProcess).filter(([kind]) => result.formats.includes(kind)).map(([kind, ms]) => `${kind} ${perArticle(ms)}`).join(', ')}`;
  rows.push([`floor (bare libraries, one process, ${result.formats.join(', ')})`, floorText]);
  rows.push([`cold build (${result.formats.join(', ')}) from raw copy`, `${timed(result.cold)}, ${perArticle(result.cold.ms)}${typeof floor === 'string' ? '' : ` = ${(result.cold.ms / floor.ms).toFixed(2)}× the floor`}, peak RSS ${count(result.cold.peakMb)} MB, ${count(result.cold.files)} files; ${stages(result.cold)}`]);
  rows.push(['no-change rebuild', `${timed(result.noChange)}, peak RSS ${count(result.noChange.peakMb)} MB; ${stages(result.noChange)}`]);
  for (const rebuild of [...result.arrivals, ...result.corrections, result.edit, result.described]) {
    rows.push([rebuild.what, `${timed(rebuild)}, peak RSS ${count(rebuild.peakMb)} MB, files ${touchedText(rebuild.files)}; ${stages(rebuild)}`]);
  }
  const hugo = result.hugo;
  const versusHugo = (run: Run) => (typeof hugo === 'string' ? '' : ` = ${(run.ms / hugo.ms).toFixed(2)}× Hugo${Number.isNaN(run.cpuMs) ? '' : ` (cpu ${(run.cpuMs / hugo.cpuMs).toFixed(2)}×)`}`);
  rows.push(['cold web + feeds from the Markdown sources', `${timed(result.webFromMarkdown)}${versusHugo(result.webFromMarkdown)}, peak RSS ${count(result.webFromMarkdown.peakMb)} MB; ${stages(result.webFromMarkdown)}`]);
  rows.push(['cold web + feeds from raw copy (ingest included, which Hugo cannot do)', `${timed(result.webFromRaw)}${versusHugo(result.webFromRaw)}, peak RSS ${count(result.webFromRaw.peakMb)} MB`]);
  rows.push(['Hugo, same Markdown, same work (bench/hugo.ts)', typeof result.hugo === 'string' ? result.hugo : timed(result.hugo)]);
  rows.push(['bytes, cold build', result.bytes.map(({ file, bytes }) => `${file} ${kb(bytes)}`).join(', ')]);
  return rows;
}

function details(title: string, rebuild: Rebuild): string {
  const list = (label: string, files: readonly string[]) => (files.length ? `${label}: ${files.join(', ')}\n` : '');
  return `<details><summary>${title}: ${rebuild.files.touched} files</summary>\n\n${list('changed', rebuild.files.changed)}${list('added', rebuild.files.added)}${list('removed', rebuild.files.removed)}\n</details>\n`;
}

export function sizeReport(result: SizeResult, oneThousand: SizeResult | undefined): string {
  const tier = tierFor(result.articles);
  const lines = [`## ${count(result.articles)} articles (--formats ${result.formats.join(',')}; targets for ${count(tier.size)})`, ''];
  lines.push('| target | measured | target value | |', '| --- | --- | --- | --- |');
  for (const row of targetRows(result, oneThousand)) lines.push(`| ${row.what} | ${row.measured} | ${row.target} | ${row.met === null ? '—' : mark(row.met)} |`);
  lines.push('', '| measurement | result |', '| --- | --- |');
  for (const [what, measured] of otherRows(result)) lines.push(`| ${what} | ${measured} |`);
  const [arrival, correction] = [mostTouching(result.arrivals), mostTouching(result.corrections)];
  lines.push('', details(arrival.what, arrival), details(correction.what, correction));
  return `${lines.join('\n')}\n`;
}

export function summary(results: readonly SizeResult[]): string {
  const lines = ['## Summary', ''];
  for (const result of results) {
    const oneThousand = results.find((other) => other.articles === 1000);
    const rows = targetRows(result, oneThousand).filter((row) => row.met !== null);
    const missed = rows.filter((row) => !row.met);
    lines.push(`- ${count(result.articles)} articles: ${rows.length - missed.length} of ${rows.length} targets met${missed.length ? `; not met: ${missed.map((row) => `${row.what} (${row.measured}; target ${row.target})`).join('; ')}` : ''}.`);
  }
  return `${lines.join('\n')}\n`;
}
