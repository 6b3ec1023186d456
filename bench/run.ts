/**
 * `npm run bench [-- --sizes 100,1000]`: Galley's build speed, measured as whole processes
 * against the floor measured in the same run (the bare libraries doing the same work in one
 * process, bench/floor.ts), and against Hugo when it is installed. Ratios, not absolute
 * times, are what to compare: the machine is shared and noisy.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { syntheticCorpus, writeCorpus } from './corpus.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { sizes: { type: 'string', default: '100,1000' } } });
const sizes = values.sizes.split(',').map(Number).filter((n) => n > 0);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-bench-'));

interface Run {
  readonly ms: number;
  readonly stages: Record<string, number>;
  readonly peakMb: number;
}

/** One Galley build as a whole process; stage times and peak RSS from its --timings line. */
function galley(content: string, out: string, cacheDir: string, extra: string[] = []): Run {
  const started = performance.now();
  const result = spawnSync(process.execPath, [path.join(ROOT, 'pipeline', 'cli', 'launch.mjs'), 'cli', '--content', content, '--out', out, '--base-url', 'https://bench.example/', '--timings', ...extra], {
    cwd: ROOT,
    env: { ...process.env, GALLEY_CACHE_DIR: cacheDir, CI: '1' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`galley build failed (${result.status}):\n${result.stderr.slice(-2000)}`);
  const line = /galley timings: (.*); peak RSS (\d+) MB/.exec(result.stderr);
  const stages: Record<string, number> = {};
  for (const part of (line?.[1] ?? '').split(', ')) {
    const [stage, value] = part.split(' ');
    if (stage && value) stages[stage] = Number(value);
  }
  return { ms, stages, peakMb: Number(line?.[2] ?? NaN) };
}

function floor(content: string, out: string): { ms: number; inProcess: Record<string, number> } {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'floor.ts'), content, out], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`floor failed:\n${result.stderr.slice(-2000)}`);
  return { ms, inProcess: JSON.parse(result.stdout) as Record<string, number> };
}

/** Hugo building the same corpus to HTML and RSS, when `hugo` is on the PATH. */
function hugo(count: number, dir: string): number | null {
  if (spawnSync('hugo', ['version'], { encoding: 'utf8' }).status !== 0) return null;
  fs.mkdirSync(path.join(dir, 'content', 'posts'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'layouts', '_default'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'hugo.toml'), 'baseURL = "https://bench.example/"\ntitle = "Bench"\n');
  fs.writeFileSync(path.join(dir, 'layouts', '_default', 'single.html'), '<!doctype html><html lang="en"><head><title>{{ .Title }}</title></head><body><article><h1>{{ .Title }}</h1>{{ .Content }}</article></body></html>\n');
  fs.writeFileSync(path.join(dir, 'layouts', '_default', 'list.html'), '<!doctype html><html lang="en"><head><title>{{ .Title }}</title></head><body>{{ range .Pages }}<a href="{{ .Permalink }}">{{ .Title }}</a>{{ end }}</body></html>\n');
  for (const article of syntheticCorpus(count)) {
    const [header = '', ...body] = article.text.split('\n\n');
    const field = (key: string) => new RegExp(`^${key}: (.*)$`, 'm').exec(header)?.[1] ?? '';
    fs.writeFileSync(path.join(dir, 'content', 'posts', article.name.replace(/\.txt$/, '.md')), `---\ntitle: ${JSON.stringify(field('Title'))}\ndate: ${field('Date')}\n---\n\n${body.join('\n\n')}`);
  }
  const started = performance.now();
  const result = spawnSync('hugo', ['--quiet', '-d', path.join(dir, 'public')], { cwd: dir, encoding: 'utf8' });
  return result.status === 0 ? performance.now() - started : null;
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const perArticle = (ms: number, n: number) => `${(ms / n).toFixed(1)} ms/article`;

process.stdout.write(`galley bench — ${os.availableParallelism()} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
for (const n of sizes) {
  const dir = path.join(work, String(n));
  const corpus = syntheticCorpus(n);
  const fresh = (name: string) => {
    const content = path.join(dir, name, 'content');
    writeCorpus(content, corpus);
    return { content, out: path.join(dir, name, 'dist'), cache: path.join(dir, name, 'cache') };
  };

  const bare = floor(fresh('floor').content, path.join(dir, 'floor', 'dist'));
  const cold = fresh('galley');
  const full = galley(cold.content, cold.out, cold.cache);
  const noChange = galley(cold.content, cold.out, cold.cache);
  // the same corpus as Markdown sources (what Hugo reads), before the edit below
  const markdown = { content: path.join(dir, 'web-md', 'content'), out: path.join(dir, 'web-md', 'dist'), cache: path.join(dir, 'web-md', 'cache') };
  fs.cpSync(cold.content, markdown.content, { recursive: true });
  const articles = fs.readdirSync(path.join(cold.content, 'articles')).sort();
  fs.appendFileSync(path.join(cold.content, 'articles', articles[Math.floor(articles.length / 2)]!), '\nOne more sentence, added by the benchmark.\n');
  const oneEdit = galley(cold.content, cold.out, cold.cache);
  // the newsroom's commonest change: one more story arrives as wire copy (the newest one)
  const arrival = syntheticCorpus(n + 1).at(-1)!;
  fs.writeFileSync(path.join(cold.content, 'raw', arrival.name), arrival.text);
  const oneAdded = galley(cold.content, cold.out, cold.cache);
  const webFromMarkdown = galley(markdown.content, markdown.out, markdown.cache, ['--formats', 'html,feeds']);
  const web = fresh('web');
  const webOnly = galley(web.content, web.out, web.cache, ['--formats', 'html,feeds']);
  const hugoMs = hugo(n, path.join(dir, 'hugo'));

  process.stdout.write(`\n## ${n} articles\n`);
  process.stdout.write(`floor (bare unified + PDFKit + feed, one process): ${fmt(bare.ms)} whole process; in-process ${perArticle(bare.inProcess.pdf!, n)} PDF, ${perArticle(bare.inProcess.html!, n)} HTML, ${perArticle(bare.inProcess.feeds!, n)} feeds\n`);
  process.stdout.write(`galley cold full build: ${fmt(full.ms)} (${perArticle(full.ms, n)}), peak RSS ${full.peakMb} MB — ratio to floor ${(full.ms / bare.ms).toFixed(2)}×\n`);
  process.stdout.write(`  stages: ${Object.entries(full.stages).map(([stage, ms]) => `${stage} ${perArticle(ms, n)}`).join(', ')}\n`);
  process.stdout.write(`galley no-change rebuild: ${fmt(noChange.ms)}, peak RSS ${noChange.peakMb} MB\n`);
  process.stdout.write(`galley one article edited: ${fmt(oneEdit.ms)}, peak RSS ${oneEdit.peakMb} MB (stages: ${Object.entries(oneEdit.stages).map(([stage, ms]) => `${stage} ${ms} ms`).join(', ')})\n`);
  process.stdout.write(`galley one article added (raw copy ingested): ${fmt(oneAdded.ms)}, peak RSS ${oneAdded.peakMb} MB (stages: ${Object.entries(oneAdded.stages).map(([stage, ms]) => `${stage} ${ms} ms`).join(', ')})\n`);
  const versusHugo = (ms: number) => (hugoMs === null ? ' (hugo not installed: no comparison)' : ` — ratio to hugo ${(ms / hugoMs).toFixed(2)}×`);
  process.stdout.write(`hugo (HTML + RSS from Markdown): ${hugoMs === null ? 'not installed' : fmt(hugoMs)}\n`);
  process.stdout.write(`galley web + feeds only (--formats html,feeds), cold cache, from Markdown sources: ${fmt(webFromMarkdown.ms)}${versusHugo(webFromMarkdown.ms)} (stages: ${Object.entries(webFromMarkdown.stages).map(([stage, ms]) => `${stage} ${ms} ms`).join(', ')})\n`);
  process.stdout.write(`galley web + feeds only, cold cache, from raw copy (ingest included, which hugo cannot do): ${fmt(webOnly.ms)}${versusHugo(webOnly.ms)}\n`);
}
fs.rmSync(work, { recursive: true, force: true });
