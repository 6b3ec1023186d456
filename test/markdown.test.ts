/**
 * Markdown that editors write by hand: GFM tables, footnotes and pictures, through the real
 * build command. The page is read as Chromium shows it (the table's cells, the notes, each
 * picture loaded at its stated size, the page never scrolling sideways on a phone), the PDF
 * through pdf.js (its text, its structure tree, the pictures painted), the feeds through a feed
 * reader's parser (the table and absolute picture URLs in the content); a missing picture, a
 * path out of the content folder and an edited picture through the build's exit code, messages
 * and output folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { HtmlValidate } from 'html-validate';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chromium, dumpDom } from './chromium.ts';
import { parseFeed } from '@rowanmanning/feed-parser';
import { getDocument, OPS, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { assertAsClean, site, tree } from './command.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'markdown');
const JPEG = fs.readFileSync(path.join(FIXTURES, 'harbour.jpg'));
const PNG = fs.readFileSync(path.join(FIXTURES, 'chart.png'));
const EDITED_JPEG = fs.readFileSync(path.join(FIXTURES, 'harbour-edited.jpg'));

const HARBOUR = `---
title: Harbour traffic doubles in a year
date: 2024-03-01T08:00:00Z
author: Desk
tags: [Economy]
---

Container traffic through the port doubled last year, the authority said,[^report] with most of the growth in the second half.

![Cranes over the container terminal at dusk](harbour.jpg "The container terminal at dusk")

| Quarter | Containers (TEU) | Change |
|:--------|-----------------:|:------:|
| Q1      | 12,400           | +4 %   |
| Q2      | 13,100           | +6 %   |
| Q3      | 21,900           | +67 %  |

The authority expects the trend to continue.[^forecast] Fees rose ~5 % to ~7 %, and ~~12 %~~ 14 % of ships waited.

![Bar chart of monthly traffic](media/chart.png)

| Port | Jan | Feb | Mar | Apr | May | Jun | Jul | Aug | Sep | Oct | Nov | Dec |
|------|----:|----:|----:|----:|----:|----:|----:|----:|----:|----:|----:|----:|
| Northhaven container terminal | 1,204,511 | 1,198,002 | 1,250,870 | 1,301,455 | 1,288,100 | 1,345,990 | 1,402,311 | 1,398,760 | 1,420,005 | 1,455,870 | 1,470,220 | 1,501,900 |

<img src="x.jpg" onerror="alert(1)">

[^report]: Annual report of the Harbour Authority, published on 28 February.
[^forecast]: The forecast assumes no new tariffs.
`;

/** A second article with footnotes labelled alike, so a feed holds two bodies with notes. */
const FERRY = `---
title: Ferry timetable changes
date: 2024-02-20T08:00:00Z
author: Desk
---

The winter timetable ends in March.[^report]

[^report]: Timetable notice of the ferry company.
`;

function edition(extra: Record<string, string | Uint8Array> = {}) {
  return site({
    'site.yaml': 'title: The Harbour Times\nlanguage: en\n',
    'articles/harbour-figures.md': HARBOUR,
    'articles/harbour.jpg': JPEG,
    'media/chart.png': PNG,
    'articles/ferry.md': FERRY,
    ...extra,
  });
}

const built = edition();
const run = built.build();

/** The head of a baseline JPEG of `width`×`height` pixels in `components` colours (APP0, then the frame header SOF0): what the build reads of it. */
function jpegHead(width: number, height: number, components: number): Buffer {
  const app0 = [0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00];
  const sof = [0xff, 0xc0, 0x00, 8 + 3 * components, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, components];
  for (let id = 1; id <= components; id++) sof.push(id, 0x11, 0x00);
  return Buffer.from([0xff, 0xd8, ...app0, ...sof, 0xff, 0xd9]);
}

/** One build of the other cases: a long table, remote, WebP and CMYK pictures, notes in German and Arabic. */
const PORT_ROWS = Array.from({ length: 90 }, (_, index) => `| Port ${index + 1} | ${(index + 1) * 1000} |`).join('\n');
const varia = site({
  'site.yaml': 'title: The Harbour Times\nlanguage: en\n',
  'articles/ports.md': `---\ntitle: Every port\ndate: 2024-03-01T08:00:00Z\n---\n\nThe list.\n\n| Harbour | Containers |\n|---|---:|\n${PORT_ROWS}\n`,
  'articles/remote.md': '---\ntitle: Remote\ndate: 2024-03-01T08:00:00Z\n---\n\nText.\n\n![The agency photo](https://agency.example/photo.jpg)\n\n![A tiny WebP](tiny.webp)\n\n![An odd name](<media/Fotó 1 (copy) #2.png>)\n',
  'media/Fotó 1 (copy) #2.png': PNG,
  'media/tiny.webp': Buffer.from('UklGRiQAAABXRUJQVlA4IBgAAAAwAQCdASoBAAEAAwA0JaQAA3AA/vuUAAA=', 'base64'),
  'articles/print.md': '---\ntitle: Print\ndate: 2024-03-01T08:00:00Z\n---\n\nText.\n\n![The press hall](press.jpg)\n',
  'articles/press.jpg': jpegHead(40, 30, 4),
  'articles/hafen.md': '---\ntitle: Hafen verdoppelt Umschlag\ndate: 2024-03-01T08:00:00Z\nlang: de\n---\n\nDer Umschlag hat sich verdoppelt.[^1]\n\n| Quartal | Container |\n|---|---:|\n| Q1 | 12.400 |\n\n[^1]: Jahresbericht der Hafenbehörde.\n',
  'articles/port.md': '---\ntitle: حركة الحاويات تتضاعف\ndate: 2024-03-02T08:00:00Z\nlang: ar\n---\n\nتضاعفت حركة الحاويات.[^1]\n\n| الربع | الحاويات |\n|---|---:|\n| الأول | 12,400 |\n\n[^1]: التقرير السنوي لهيئة الميناء.\n',
});
const variaRun = varia.build();
const articleDir = path.join(built.out, 'articles', 'harbour-figures');

/** The published pictures of the edition, by their name before the hash (`harbour` → `media/harbour.HASH.jpg`). */
function published(out: string): Record<string, string> {
  const folder = path.join(out, 'media');
  if (!fs.existsSync(folder)) return {};
  return Object.fromEntries(fs.readdirSync(folder).map((name) => [name.split('.')[0]!, `media/${name}`]));
}

test('the build publishes the article and each picture once, under a name carrying the hash of its bytes; its page is valid HTML', async () => {
  assert.is(run.status, 0, run.stderr);
  const pictures = published(built.out);
  assert.equal(Object.keys(pictures).sort(), ['chart', 'harbour']);
  assert.match(pictures.harbour!, /^media\/harbour\.[0-9a-f]{16}\.jpg$/);
  assert.match(pictures.chart!, /^media\/chart\.[0-9a-f]{16}\.png$/);
  assert.equal(fs.readFileSync(path.join(built.out, pictures.harbour!)), JPEG, 'the bytes as the content folder holds them');
  assert.equal(fs.readFileSync(path.join(built.out, pictures.chart!)), PNG);
  // the first picture is the article's card picture, and the NewsArticle's images
  const page = fs.readFileSync(path.join(articleDir, 'index.html'), 'utf8');
  // strikethrough takes two tildes: one is "about"
  assert.match(page, 'Fees rose ~5 % to ~7 %, and <del>12 %</del> 14 % of ships waited.');
  assert.ok(page.includes(`<meta property="og:image" content="https://example.org/news/${pictures.harbour}">`));
  const jsonLd = JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page)![1]!) as { image: { url: string; width: number; height: number }[] };
  assert.equal(jsonLd.image.map((image) => [image.url, image.width, image.height]), [[`https://example.org/news/${pictures.harbour}`, 96, 60], [`https://example.org/news/${pictures.chart}`, 80, 50]]);
  // html-validate's recommended rules, as html.test.ts checks every page (headlines run long)
  const validator = new HtmlValidate({ extends: ['html-validate:recommended'], rules: { 'long-title': 'off' } });
  const report = await validator.validateString(page);
  assert.equal(report.results.flatMap((result) => result.messages.map((message) => `${message.line}:${message.column} ${message.ruleId}: ${message.message}`)), []);
});

interface Seen {
  readonly cells: string[][];
  readonly notes: string;
  readonly calls: string[];
  readonly images: { src: string; alt: string; naturalWidth: number; width: string | null; height: string | null; caption: string | null }[];
  readonly regions: { label: string | null; tag: string; tabIndex: number; scrolls: boolean }[];
  readonly pageScrollsSideways: boolean;
  readonly text: string;
  /** What axe-core finds wrong, contrast included (Chromium lays the page out). */
  readonly violations: string[];
}

/** What Chromium shows of the published page at `width` pixels: read by a script run once the page (pictures included) has loaded. */
async function inChromium(page: string, width: number, scheme: 'light' | 'dark' = 'light'): Promise<Seen> {
  const probe = page.replace(/\.html$/, `.probe-${width}-${scheme}.html`);
  const axeScript = pathToFileURL(createRequire(import.meta.url).resolve('axe-core/axe.min.js')).href;
  const script = `<script src="${axeScript}"></script><script>addEventListener('load', async () => {
    const violations = (await axe.run(document)).violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', '));
    const body = document.querySelector('.story-body');
    const result = {
      cells: [...body.querySelectorAll('table tr')].map((row) => [...row.cells].map((cell) => cell.innerText.trim())),
      notes: body.querySelector('section.footnotes')?.innerText ?? '',
      calls: [...body.querySelectorAll('sup a')].map((a) => a.innerText),
      images: [...body.querySelectorAll('img')].map((img) => ({ src: img.currentSrc, alt: img.alt, naturalWidth: img.naturalWidth, width: img.getAttribute('width'), height: img.getAttribute('height'), caption: img.closest('figure')?.querySelector('figcaption')?.innerText ?? null })),
      regions: [...body.querySelectorAll('.table-scroll')].map((region) => ({ label: region.getAttribute('aria-label'), tag: region.localName, tabIndex: region.tabIndex, scrolls: region.scrollWidth > region.clientWidth })),
      pageScrollsSideways: document.documentElement.scrollWidth > innerWidth,
      text: document.body.innerText,
      violations,
    };
    const out = document.createElement('pre');
    out.id = 'probe-result';
    out.textContent = JSON.stringify(result);
    document.body.append(out);
  });</script>`;
  fs.writeFileSync(probe, fs.readFileSync(page, 'utf8').replace('</body>', `${script}</body>`));
  try {
    const stdout = await dumpDom(probe, { width, dark: scheme === 'dark' });
    const found = /<pre id="probe-result">([\s\S]*?)<\/pre>/.exec(stdout);
    if (!found) throw new Error(`the probe did not finish in Chromium on ${page}`);
    const json = found[1]!.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&amp;', '&');
    return JSON.parse(json) as Seen;
  } finally {
    fs.rmSync(probe, { force: true });
  }
}

if (chromium) {
  test('in Chromium: the table’s cells, the notes with their calls, each picture loaded at the size the page states; no axe violations (contrast included)', async () => {
    assert.is(run.status, 0, run.stderr);
    const seen = await inChromium(path.join(articleDir, 'index.html'), 1280);
    assert.equal(seen.violations, []);
    assert.equal(seen.cells.slice(0, 4), [
      ['Quarter', 'Containers (TEU)', 'Change'],
      ['Q1', '12,400', '+4 %'],
      ['Q2', '13,100', '+6 %'],
      ['Q3', '21,900', '+67 %'],
    ]);
    assert.equal(seen.calls, ['1', '2'], 'the calls, numbered in order');
    // the heading is set in capitals (innerText gives the text as shown)
    assert.match(seen.notes, /^NOTES\n/, 'the notes under their heading');
    assert.match(seen.notes, 'Annual report of the Harbour Authority, published on 28 February.');
    assert.match(seen.notes, 'The forecast assumes no new tariffs.');
    assert.ok(seen.notes.indexOf('Annual report') < seen.notes.indexOf('The forecast'), 'in the order they are called');
    const pictures = published(built.out);
    assert.equal(
      seen.images.map((image) => ({ ...image, src: image.src.replace(/^.*\/dist\//, '') })),
      [
        { src: pictures.harbour!, alt: 'Cranes over the container terminal at dusk', naturalWidth: 96, width: '96', height: '60', caption: 'The container terminal at dusk' },
        { src: pictures.chart!, alt: 'Bar chart of monthly traffic', naturalWidth: 80, width: '80', height: '50', caption: null },
      ],
    );
    assert.ok(seen.text.includes('<img src="x.jpg" onerror="alert(1)">'), 'raw HTML is shown as the text it is');
  });

  test('in Chromium on a phone, dark: a wide table scrolls in a named, focusable region; the page does not scroll sideways; no axe violations', async () => {
    const seen = await inChromium(path.join(articleDir, 'index.html'), 390, 'dark');
    assert.equal(seen.violations, []);
    // a section with a name is a region landmark
    assert.equal(seen.regions.map((region) => [region.tag, region.label, region.tabIndex]), [['section', 'Table 1', 0], ['section', 'Table 2', 0]]);
    assert.ok(seen.regions[1]!.scrolls, 'the wide table scrolls within its region');
    assert.not.ok(seen.pageScrollsSideways, 'the page itself fits the phone');
  });
} else if (process.env.GALLEY_REQUIRE_CHROMIUM) {
  test('Chromium is installed for the page checks', () => {
    assert.unreachable('chromium not found on PATH');
  });
} else {
  console.warn('markdown.test.ts: chromium not installed; the page checks did not run');
}

async function pdf(file: string): Promise<PDFDocumentProxy> {
  return getDocument({ data: new Uint8Array(fs.readFileSync(file)), verbosity: 0 }).promise;
}

async function pdfText(doc: PDFDocumentProxy): Promise<string> {
  const pages: string[] = [];
  for (let number = 1; number <= doc.numPages; number++) {
    const content = await (await doc.getPage(number)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? `${item.str}${item.hasEOL ? '\n' : ''}` : '')).join(''));
  }
  return pages.join('\n');
}

interface StructNode {
  readonly role?: string;
  readonly alt?: string;
  readonly children?: StructNode[];
}

/** The structure tree's elements, as `Role` or `Role(alt)`, depth first. */
async function roles(doc: PDFDocumentProxy): Promise<string[]> {
  const found: string[] = [];
  const walk = (node: StructNode) => {
    if (node.role) found.push(node.alt ? `${node.role}(${node.alt})` : node.role);
    for (const child of node.children ?? []) walk(child);
  };
  for (let number = 1; number <= doc.numPages; number++) walk((await (await doc.getPage(number)).getStructTree()) as StructNode);
  return found;
}

test('the PDF: the table’s cells in reading order, tagged as a table; the footnote calls and notes; both pictures painted as Figures', async () => {
  assert.is(run.status, 0, run.stderr);
  const doc = await pdf(path.join(articleDir, 'harbour-figures.pdf'));
  const text = (await pdfText(doc)).replace(/\s+/g, ' ');
  assert.match(text, 'Quarter Containers (TEU) Change Q1 12,400 +4 % Q2 13,100 +6 % Q3 21,900 +67 %');
  assert.match(text, 'the authority said,¹ with most of the growth');
  assert.match(text, 'to continue.²');
  assert.match(text, 'Notes 1. Annual report of the Harbour Authority, published on 28 February. 2. The forecast assumes no new tariffs.'.replace('Notes', 'NOTES'));
  assert.match(text, 'The container terminal at dusk', 'the caption');
  const tags = await roles(doc);
  for (const role of ['Table', 'TR', 'TH', 'TD', 'Caption']) assert.ok(tags.includes(role), `${role} in ${tags.join(' ')}`);
  assert.is(tags.filter((role) => role === 'TH').length, 3 + 13, 'each header cell of both tables, once');
  assert.ok(tags.includes('Figure(Cranes over the container terminal at dusk)'), tags.join(' '));
  assert.ok(tags.includes('Figure(Bar chart of monthly traffic)'), tags.join(' '));
  let painted = 0;
  for (let number = 1; number <= doc.numPages; number++) painted += (await (await doc.getPage(number)).getOperatorList()).fnArray.filter((fn) => fn === OPS.paintImageXObject).length;
  assert.is(painted, 2);
});

test('a table longer than a page: its header row is set again at the head of the next page, its rows all read once', async () => {
  assert.is(variaRun.status, 0, variaRun.stderr);
  const doc = await pdf(path.join(varia.out, 'articles', 'ports', 'ports.pdf'));
  assert.ok(doc.numPages >= 2);
  const text = (await pdfText(doc)).replace(/\s+/g, ' ');
  for (let index = 1; index <= 90; index++) assert.ok(text.includes(`Port ${index} ${index * 1000} `) || text.endsWith(`Port ${index} ${index * 1000}`) || text.includes(`Port ${index} ${index * 1000}`), `row ${index}`);
  // the repeated header is drawn as an artifact (outlines, not text): the text has it once, the structure tree too
  assert.is(text.split('Harbour Containers').length - 1, 1);
  const page2 = await doc.getPage(2);
  const operators = await page2.getOperatorList();
  const artifacts = operators.fnArray.filter((fn, index) => fn === OPS.beginMarkedContentProps && (operators.argsArray[index] as [string])[0] === 'Artifact').length;
  assert.ok(artifacts >= 3, 'page 2 carries the running header, the repeated table header and the footer as artifacts');
  const second = (await page2.getTextContent()).items.map((item) => ('str' in item ? item.str : '')).join(' ');
  assert.match(second, /^\s*Port \d+/, 'page 2’s text starts with a row (its header is an artifact)');
});

test('the feeds: the table and the notes in each item’s content, picture URLs absolute, note ids never alike across items', () => {
  assert.is(run.status, 0, run.stderr);
  const pictures = published(built.out);
  for (const file of ['feed.xml', 'atom.xml']) {
    const feed = parseFeed(fs.readFileSync(path.join(built.out, file), 'utf8'));
    const item = feed.items.find((entry) => entry.title === 'Harbour traffic doubles in a year')!;
    assert.ok(item, file);
    const content = item.content ?? '';
    assert.match(content, /<th[^>]*>Containers \(TEU\)<\/th>/, file);
    assert.match(content, /<td[^>]*>21,900<\/td>/, file);
    assert.ok(content.includes(`src="https://example.org/news/${pictures.harbour}"`), `${file}: ${content.slice(0, 400)}`);
    assert.ok(content.includes(`src="https://example.org/news/${pictures.chart}"`), file);
    assert.match(content, 'Annual report of the Harbour Authority');
  }
  const json = JSON.parse(fs.readFileSync(path.join(built.out, 'feed.json'), 'utf8')) as { items: { title: string; content_html: string }[] };
  const ids = json.items.map((item) => [...item.content_html.matchAll(/\bid="([^"]+)"/g)].map((found) => found[1]!));
  assert.is(ids.length, 2);
  assert.ok(ids.every((list) => list.length >= 2), 'both items have notes with ids');
  assert.equal(ids[0]!.filter((id) => ids[1]!.includes(id)), [], 'no id in both items');
  const all = ids.flat();
  assert.is(new Set(all).size, all.length, 'no id twice in the document');
});

test('a missing picture: the build fails naming the source, line and column; the edition is left as it was', () => {
  assert.is(run.status, 0, run.stderr);
  const before = tree(built.out);
  fs.writeFileSync(path.join(built.content, 'articles', 'missing.md'), '---\ntitle: Missing picture\ndate: 2024-03-02T08:00:00Z\n---\n\nText first.\n\nThen ![the quay](quay.jpg) in a sentence.\n');
  const result = built.build();
  fs.rmSync(path.join(built.content, 'articles', 'missing.md'));
  assert.is.not(result.status, 0);
  assert.match(result.stderr, /articles\/missing\.md:8:6: error: image “quay\.jpg” not found/);
  assert.equal(tree(built.out), before);
});

test('a picture path out of the content folder is refused, by `..`, absolute path or symbolic link, and nothing outside is read or published', () => {
  const secret = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'galley-secret-')), 'secret.png');
  fs.writeFileSync(secret, PNG);
  const escape = built;
  assert.is(run.status, 0, run.stderr);
  const before = tree(escape.out);
  const relative = path.relative(path.join(escape.content, 'articles'), secret);
  fs.symlinkSync(secret, path.join(escape.content, 'media', 'linked.png'));
  fs.writeFileSync(path.join(escape.content, 'articles', 'escape.md'), `---\ntitle: Escape\ndate: 2024-03-02T08:00:00Z\n---\n\n![up](${relative})\n\n![root](${secret})\n\n![link](linked.png)\n\n![passwd](../../../../../../etc/passwd)\n`);
  const result = escape.build();
  fs.rmSync(path.join(escape.content, 'media', 'linked.png'));
  fs.rmSync(path.join(escape.content, 'articles', 'escape.md'));
  assert.is.not(result.status, 0);
  assert.match(result.stderr, /escape\.md:6:1: error: image “[^”]*secret\.png” leads outside the content folder/);
  assert.match(result.stderr, /escape\.md:8:1: error: image “[^”]*secret\.png” is an absolute path/);
  assert.match(result.stderr, /escape\.md:10:1: error: image “linked\.png” is a symbolic link that leads outside the content folder/);
  assert.match(result.stderr, /escape\.md:12:1: error: image “\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd” leads outside the content folder/);
  assert.equal(tree(escape.out), before);
});

test('an edited picture gets a new name; the page and the PDF show it; the old one is gone; an unchanged build changes nothing', async () => {
  const edited = edition();
  assert.is(edited.build().status, 0);
  const before = published(edited.out);
  const pdfBefore = fs.readFileSync(path.join(edited.out, 'articles', 'harbour-figures', 'harbour-figures.pdf'));
  fs.writeFileSync(path.join(edited.content, 'articles', 'harbour.jpg'), EDITED_JPEG);
  const result = edited.build();
  assert.is(result.status, 0, result.stderr);
  const after = published(edited.out);
  assert.is.not(after.harbour, before.harbour);
  assert.is(after.chart, before.chart, 'the other picture keeps its name');
  assert.equal(fs.readFileSync(path.join(edited.out, after.harbour!)), EDITED_JPEG);
  assert.not.ok(fs.existsSync(path.join(edited.out, before.harbour!)), 'the old file is gone from the edition');
  const page = fs.readFileSync(path.join(edited.out, 'articles', 'harbour-figures', 'index.html'), 'utf8');
  assert.ok(page.includes(`src="../../${after.harbour}"`));
  assert.not.ok(page.includes(before.harbour!));
  const pdfAfter = fs.readFileSync(path.join(edited.out, 'articles', 'harbour-figures', 'harbour-figures.pdf'));
  assert.not.equal(pdfAfter, pdfBefore, 'the PDF is made again with the new picture');
  assert.match(edited.build().stdout, /nothing changed/);
  // what the edit left is what a clean build makes, byte for byte (PDFs with their pictures too)
  assertAsClean(edited.out, edited.content, edited.root);
});

test('a remote picture is linked, never fetched, with a warning at its place; a WebP is on the page only; an odd file name is published under a safe one', () => {
  const result = variaRun;
  const remote = varia;
  assert.is(result.status, 0, result.stderr);
  assert.match(result.stderr, /remote\.md:8:1: warning: image “https:\/\/agency\.example\/photo\.jpg” is on another site/);
  assert.match(result.stderr, /remote\.md:10:1: warning: image “tiny\.webp” is WebP: the web page shows it, the PDF shows its description/);
  const page = fs.readFileSync(path.join(remote.out, 'articles', 'remote', 'index.html'), 'utf8');
  assert.match(page, '<a href="https://agency.example/photo.jpg">The agency photo</a>');
  assert.not.match(page, 'src="https://agency.example');
  assert.match(page, /<img src="\.\.\/\.\.\/media\/tiny\.[0-9a-f]{16}\.webp" alt="A tiny WebP" width="1" height="1"/);
  // a file name of any characters is published under a safe one
  const odd = /<img src="\.\.\/\.\.\/(media\/foto-1-copy-2\.[0-9a-f]{16}\.png)" alt="An odd name"/.exec(page);
  assert.ok(odd, page);
  assert.equal(fs.readFileSync(path.join(remote.out, odd[1]!)), PNG);
});

test('a CMYK JPEG is on the page only, with a warning: the PDF (PDF/A, in RGB) shows its description', async () => {
  const [cmyk, result] = [varia, variaRun];
  assert.is(result.status, 0, result.stderr);
  assert.match(result.stderr, /print\.md:8:1: warning: image “press\.jpg” is a CMYK JPEG/);
  assert.match(fs.readFileSync(path.join(cmyk.out, 'articles', 'print', 'index.html'), 'utf8'), /<img src="\.\.\/\.\.\/media\/press\.[0-9a-f]{16}\.jpg" alt="The press hall" width="40" height="30"/);
  const doc = await pdf(path.join(cmyk.out, 'articles', 'print', 'print.pdf'));
  const operators = await (await doc.getPage(1)).getOperatorList();
  assert.is(operators.fnArray.filter((fn) => fn === OPS.paintImageXObject).length, 0);
  assert.match(await pdfText(doc), 'The press hall');
});

test('in the article’s language: the notes’ heading and links back, the table’s region; right to left, the PDF’s columns run from the right', async () => {
  const languages = varia;
  const result = variaRun;
  assert.is(result.status, 0, result.stderr);
  const german = fs.readFileSync(path.join(languages.out, 'articles', 'hafen', 'index.html'), 'utf8');
  assert.match(german, /<h2 id="hafen-footnote-label"[^>]*>Anmerkungen<\/h2>/);
  assert.match(german, 'aria-label="Zurück zum Verweis 1"');
  assert.match(german, '<section class="table-scroll" tabindex="0" aria-label="Tabelle 1">');
  const germanPdf = (await pdfText(await pdf(path.join(languages.out, 'articles', 'hafen', 'hafen.pdf')))).replace(/\s+/g, ' ');
  assert.match(germanPdf, /Anmerkungen 1\. Jahresbericht der Hafenbehörde\./i);
  const arabic = fs.readFileSync(path.join(languages.out, 'articles', 'port', 'index.html'), 'utf8');
  // the note's item takes the page's direction (its number on the right), its paragraph its own
  assert.match(arabic, /<li id="port-fn-1">\s*<p dir="auto">التقرير السنوي/);
  const doc = await pdf(path.join(languages.out, 'articles', 'port', 'port.pdf'));
  const items = (await (await doc.getPage(1)).getTextContent()).items.filter((item) => 'str' in item && item.str.trim() !== '') as { str: string; transform: number[] }[];
  const x = (text: string) => items.find((item) => item.str.includes(text))!.transform[4]!;
  assert.ok(x('الربع') > x('الحاويات'), 'the first column is the rightmost');
});

test.run();
