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
import { EDITION_MARK } from '../pipeline/engine/publish.ts';
import type { Article } from '../pipeline/model/article.ts';
import { ARTICLE_OUTPUTS, LIST_OUTPUTS, outputsFor } from '../pipeline/outputs/outputs.ts';
import { OUTPUTS, OUTPUT_FAMILIES, type OutputFormat } from '../pipeline/outputs/registry.ts';
import { galley, ROOT } from './command.ts';

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
  const pictures = fs.existsSync(path.join(out, 'media')) ? fs.readdirSync(path.join(out, 'media')) : [];
  const declared = new Map<string, OutputFormat>();
  for (const format of Object.values(OUTPUTS)) {
    const names = format.scope === 'article' ? slugs : format.scope === 'topic' ? topics : format.scope === 'image' ? pictures : [''];
    // parts are numbered from 1; one that is not in parts ignores the number
    for (const name of names) for (let part = 1; part <= (format.asNeeded ? 100 : 1); part++) declared.set(format.path(name, part), format);
  }
  assert.equal(files.filter((file) => !declared.has(file) && file !== EDITION_MARK), [], 'no file of an undeclared kind (but the edition mark)');
  assert.equal([...declared].filter(([file, format]) => !format.asNeeded && !files.includes(file)).map(([file]) => file).sort(), [], 'every declared file is made (those made as needed aside)');
  const page = fs.readFileSync(path.join(out, OUTPUTS.articlePage.path(slugs[0]!)), 'utf8');
  for (const format of [OUTPUTS.rss, OUTPUTS.atom, OUTPUTS.jsonFeed]) assert.match(page, `<link rel="alternate" type="${format.mediaType}"`);
  assert.match(page, `type="${OUTPUTS.articlePdf.mediaType}"`);
  assert.match(fs.readFileSync(path.join(out, OUTPUTS.rss.path('')), 'utf8'), `type="${OUTPUTS.articlePdf.mediaType}"`);
});

test('the page and the PDF link a related article the same way: by title when it is published, never a javascript: URL', async () => {
  const { JSDOM } = await import('jsdom');
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const content = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-related-'));
  fs.mkdirSync(path.join(content, 'articles'));
  fs.writeFileSync(path.join(content, 'site.yaml'), 'title: The Daily\n');
  const write = (slug: string, title: string, date: string, related: string) =>
    fs.writeFileSync(path.join(content, 'articles', `${slug}.md`), `---\ntitle: ${title}\ndate: ${date}\nauthor: Desk\nrelated:\n${related}---\n\nText of ${title}.\n`);
  write('harbour', 'Harbour reopens after storm', '2024-03-01T08:00:00Z', '  - title: Storm closes the coast road\n');
  write('storm', 'Storm closes the coast road', '2024-02-28T08:00:00Z', '  - title: Not published anywhere\n  - title: Trick\n    url: "javascript:alert(1)"\n  - title: Agency story\n    url: https://agency.example/story\n');
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'galley-related-out-')), 'dist');
  const run = galley(['--content', content, '--out', out, '--base-url', 'https://example.org/news/'], { GALLEY_CACHE_DIR: path.join(path.dirname(out), 'cache') });
  assert.is(run.status, 0, run.stderr);

  const pageLinks = (slug: string) => {
    const url = `https://example.org/news/articles/${slug}/`;
    const document = new JSDOM(fs.readFileSync(path.join(out, 'articles', slug, 'index.html')), { url }).window.document;
    const heading = [...document.querySelectorAll('h2')].find((node) => /related/i.test(node.textContent ?? ''));
    assert.ok(heading, `${slug}: a related section`);
    const section = heading.closest('section, aside, nav') ?? heading.parentElement!;
    return [...section.querySelectorAll('li')].map((item) => [item.textContent!.trim(), item.querySelector('a')?.href ?? null]);
  };
  const pdfLinks = async (slug: string) => {
    const doc = await getDocument({ data: new Uint8Array(fs.readFileSync(path.join(out, 'articles', slug, `${slug}.pdf`))), verbosity: 0 }).promise;
    const urls: string[] = [];
    for (let number = 1; number <= doc.numPages; number++) {
      for (const annotation of (await (await doc.getPage(number)).getAnnotations()) as { subtype: string; url?: string }[]) if (annotation.subtype === 'Link' && annotation.url) urls.push(annotation.url);
    }
    return urls;
  };
  assert.equal(pageLinks('harbour'), [['Storm closes the coast road', 'https://example.org/news/articles/storm/']]);
  assert.ok((await pdfLinks('harbour')).includes('https://example.org/news/articles/storm/'), 'the PDF links the published article by its title too');
  assert.equal(pageLinks('storm'), [
    ['Not published anywhere', null],
    ['Trick', null],
    ['Agency story', 'https://agency.example/story'],
  ]);
  const stormPdf = await pdfLinks('storm');
  assert.ok(stormPdf.includes('https://agency.example/story'));
  assert.not.ok(stormPdf.some((url) => url.startsWith('javascript:')), 'no javascript: link in the PDF');
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
