/**
 * The shape of the code: no module imports itself back through others (an import circle makes
 * load order matter and hides which part depends on which), and the file that schedules a build
 * stays small enough to read at once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = path.resolve(import.meta.dirname, '..');

function modules(folder: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx|mjs)$/.test(entry.name))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
}

/**
 * Module → the project modules it imports, type-only imports included: a circle of types still
 * ties two modules together. Every import in the project names its file with its extension, so
 * a specifier resolves by joining paths.
 */
function importGraph(): Map<string, string[]> {
  const files = [...modules('pipeline'), ...modules('templates')];
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*'(\.{1,2}\/[^']+)'/gm), ...text.matchAll(/\bimport\(\s*'(\.{1,2}\/[^']+)'\s*\)/g)].map((match) => match[1]!);
    const targets = specifiers.map((specifier) => path.join(path.dirname(file), specifier));
    const unknown = targets.filter((target) => !known.has(target) && !/\.(json|cjs|css|xsl)$/.test(target));
    assert.equal(unknown, [], `${file} imports modules that are not there`);
    graph.set(file, [...new Set(targets.filter((target) => known.has(target)))]);
  }
  return graph;
}

/** Every import circle in the graph, each as the modules around it (Tarjan's strongly connected components). */
function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(node, Math.min(low.get(node)!, index.get(target)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

test('the circle finder finds a circle', () => {
  const graph = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a', 'd']],
    ['d', []],
  ]);
  assert.equal(circles(graph), [['a', 'b', 'c']]);
  assert.equal(circles(new Map([['a', ['b']], ['b', []]])), []);
});

test('no import circles in pipeline/ and templates/', () => {
  const graph = importGraph();
  assert.ok(graph.size > 50, `the graph has the project's modules (${graph.size})`);
  assert.equal(circles(graph), []);
});

test('the build scheduler is small enough to read at once', () => {
  for (const file of ['build.ts', 'make-edition.ts']) {
    const lines = fs.readFileSync(path.join(ROOT, 'pipeline', 'engine', file), 'utf8').split('\n').length;
    assert.ok(lines < 250, `pipeline/engine/${file} has ${lines} lines`);
  }
});

/** The project modules `entry` loads before it runs (static imports that are not type-only), and the npm packages they import. */
function loadedAtStart(entry: string): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (modules.has(file)) return;
    modules.add(file);
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    for (const match of text.matchAll(/^\s*(import|export)(?!\s+type\b)[^;]*?\bfrom\s*'([^']+)'|^\s*import\s*'([^']+)'/gm)) {
      const specifier = match[2] ?? match[3]!;
      if (specifier.startsWith('.')) visit(path.join(path.dirname(file), specifier));
      else if (!specifier.startsWith('node:')) packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
    }
  };
  visit(entry);
  return { modules, packages };
}

test('a build in which nothing changed loads no parser, template or PDF code', () => {
  // what `npm run build` loads up to the no-change check; the rest is imported once something changed
  const { modules, packages } = loadedAtStart('pipeline/cli/cli.ts');
  for (const { modules: more, packages: morePackages } of [loadedAtStart('pipeline/engine/build.ts')]) {
    for (const module of more) modules.add(module);
    for (const name of morePackages) packages.add(name);
  }
  assert.ok(modules.has('pipeline/engine/sources.ts') && modules.has('pipeline/engine/manifest.ts'), 'the check itself is loaded');
  assert.equal([...packages].filter((name) => !['vfile', 'vfile-message'].includes(name)).sort(), [], 'npm packages loaded before the check');
  const heavy = [...modules].filter((module) => /^(pipeline\/(ingest|outputs\/(web|feeds|pdf\/(?!pool-size))|model\/(article|markdown|site|slug))|templates\/)/.test(module));
  assert.equal(heavy, [], 'modules loaded before the check');
});

test('a build with no raw copy to ingest loads no agency reader', () => {
  const { modules, packages } = loadedAtStart('pipeline/engine/make-edition.ts');
  assert.ok(modules.has('pipeline/engine/prepare.ts'), 'the build reads its sources');
  assert.equal([...modules].filter((module) => module.startsWith('pipeline/ingest/')), []);
  assert.equal(['fast-xml-parser', 'hast-util-from-html', 'hast-util-to-mdast'].filter((name) => packages.has(name)), []);
});

test('a reading worker makes everything an article alone makes of the outputs', async () => {
  const { ARTICLE_OUTPUTS, LIST_OUTPUTS } = await import('../pipeline/outputs/outputs.ts');
  const { WORKER_OUTPUTS } = await import('../pipeline/engine/read-worker.ts');
  const articleOutputs = await Promise.all(ARTICLE_OUTPUTS.map((module) => module.load()));
  const withPieces = (await Promise.all(LIST_OUTPUTS.map((module) => module.load()))).filter((output) => output.articlePieces);
  assert.ok(withPieces.length > 0, 'the feeds make their items from an article alone');
  assert.equal(new Set(WORKER_OUTPUTS.article), new Set(articleOutputs), 'article outputs');
  assert.equal(new Set(WORKER_OUTPUTS.pieces), new Set(withPieces), 'list outputs with pieces of one article');
});

test.run();
