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
  const lines = fs.readFileSync(path.join(ROOT, 'pipeline', 'engine', 'build.ts'), 'utf8').split('\n').length;
  assert.ok(lines < 250, `pipeline/engine/build.ts has ${lines} lines`);
});

test.run();
