/**
 * The output registry and the facts outputs read: every published file is of a kind the
 * registry declares, every declared kind is made by one output module, and an output that reads
 * a PDF size it did not declare fails at once instead of leaving an enclosure out.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DeclaredPdfSizes } from '../pipeline/engine/pdf-sizes.ts';
import type { Article } from '../pipeline/model/article.ts';
import { ARTICLE_OUTPUTS, LIST_OUTPUTS, outputsFor } from '../pipeline/outputs/outputs.ts';
import { OUTPUTS, OUTPUT_FAMILIES, type OutputFormat } from '../pipeline/outputs/registry.ts';
import { galley, ROOT } from './helpers.ts';

test('every kind of output in the registry is made by exactly one output (the PDF by the engine’s queue)', async () => {
  const made: OutputFormat[] = [OUTPUTS.articlePdf];
  for (const output of await outputsFor(ARTICLE_OUTPUTS, OUTPUT_FAMILIES)) made.push(output.format);
  for (const output of await outputsFor(LIST_OUTPUTS, OUTPUT_FAMILIES)) made.push(...output.formats);
  assert.equal(made.map((format) => format.name).sort(), Object.values(OUTPUTS).map((format) => format.name).sort());
});

test('every file a build publishes is of a kind the registry declares, with the media type it is linked with', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'galley-outputs-')), 'dist');
  const run = galley(['--content', path.join(ROOT, 'content'), '--out', out, '--base-url', 'https://example.org/'], { GALLEY_CACHE_DIR: path.join(path.dirname(out), 'cache') });
  assert.is(run.status, 0, run.stderr);
  const files = fs.readdirSync(out, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => path.relative(out, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
  const slugs = fs.readdirSync(path.join(out, 'articles'));
  const topics = fs.readdirSync(path.join(out, 'tags'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  const declared = new Map<string, OutputFormat>();
  for (const format of Object.values(OUTPUTS)) {
    const names = format.scope === 'article' ? slugs : format.scope === 'topic' ? topics : [''];
    // parts are numbered from 1; one that is not in parts ignores the number
    for (const name of names) for (let part = 1; part <= (format.asNeeded ? 100 : 1); part++) declared.set(format.path(name, part), format);
  }
  assert.equal(files.filter((file) => !declared.has(file)), [], 'no file of an undeclared kind');
  assert.equal([...declared].filter(([file, format]) => !format.asNeeded && !files.includes(file)).map(([file]) => file).sort(), [], 'every declared file is made (those made as needed aside)');
  const page = fs.readFileSync(path.join(out, OUTPUTS.articlePage.path(slugs[0]!)), 'utf8');
  for (const format of [OUTPUTS.rss, OUTPUTS.atom, OUTPUTS.jsonFeed]) assert.match(page, `<link rel="alternate" type="${format.mediaType}"`);
  assert.match(page, `type="${OUTPUTS.articlePdf.mediaType}"`);
  assert.match(fs.readFileSync(path.join(out, OUTPUTS.rss.path('')), 'utf8'), `type="${OUTPUTS.articlePdf.mediaType}"`);
});

const article = (slug: string) => ({ slug }) as Article;

test('an output reads the PDF sizes it declared, and reading any other is an error naming both', () => {
  const sizes = new DeclaredPdfSizes([
    ['one', 100],
    ['two', 200],
  ]);
  assert.is(
    sizes.reading('feed.xml', [article('one')], () => sizes.get('one')),
    100,
  );
  assert.throws(() => sizes.reading('feed.xml', [article('one')], () => sizes.get('two')), /feed\.xml read the PDF size of “two” without declaring it/);
  assert.throws(() => sizes.get('one'), /read the PDF size of “one” without declaring it/, 'nothing is readable outside an output');
  assert.ok(sizes.known([article('one'), article('two')]));
  assert.not.ok(sizes.known([article('three')]));
});

test.run();
