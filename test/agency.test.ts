/**
 * Agency formats in (ninjs 1.x and 2.x, NITF, NewsML-G2), as a newsroom meets them: raw files
 * dropped into `raw/`, the real build command, then the page as a reader sees it, the feed as a
 * feed parser reads it and the PDF's text as pdf.js extracts it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { JSDOM } from 'jsdom';
import YAML from 'yaml';
import { parseFeed } from '@rowanmanning/feed-parser';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { tempContent } from './helpers.ts';
import { splitFrontMatter } from '../pipeline/model/article.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const FIXTURES = path.join(import.meta.dirname, 'fixtures');

/** Every file under a fixture's `content/`, as tempContent takes them. */
function fixtureFiles(name: string): Record<string, Uint8Array> {
  const dir = path.join(FIXTURES, name, 'content');
  const files: Record<string, Uint8Array> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) files[path.relative(dir, path.join(entry.parentPath, entry.name))] = fs.readFileSync(path.join(entry.parentPath, entry.name));
  }
  return files;
}

interface Site {
  readonly content: string;
  readonly out: string;
  build(extra?: string[], env?: Record<string, string>): { status: number | null; stdout: string; stderr: string };
}

/** A content folder with its own output folder and cache, built with the real command. */
function site(files: Record<string, string | Uint8Array>): Site {
  const content = tempContent(files);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-agency-'));
  const out = path.join(root, 'dist');
  return {
    content,
    out,
    build(extra = [], env = {}) {
      const result = spawnSync(process.execPath, [path.join(ROOT, 'pipeline', 'cli', 'launch.mjs'), 'cli', '--content', content, '--out', out, '--base-url', 'https://example.org/news/', ...extra], {
        cwd: ROOT,
        env: { ...process.env, CI: '1', SOURCE_DATE_EPOCH: '1735689600', GALLEY_CACHE_DIR: path.join(root, 'cache'), ...env },
        encoding: 'utf8',
        timeout: 120_000,
      });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    },
  };
}

/** The front-matter and body of the source ingest wrote for a raw file. */
function sourceFor(content: string, raw: string): { data: Record<string, unknown>; body: string; file: string } {
  const dir = path.join(content, 'articles');
  for (const name of fs.readdirSync(dir)) {
    const split = splitFrontMatter(fs.readFileSync(path.join(dir, name), 'utf8'));
    const data = YAML.parse(split.frontMatter ?? '') as Record<string, unknown>;
    if (data.source === raw) return { data, body: split.body, file: path.join(dir, name) };
  }
  throw new Error(`no source claims ${raw}`);
}

/** The article page of a slug as a reader sees it. */
function page(out: string, slug: string): Document {
  return new JSDOM(fs.readFileSync(path.join(out, 'articles', slug, 'index.html'), 'utf8')).window.document;
}

/** The text of an element, whitespace folded. */
const text = (element: Element | null | undefined) => (element?.textContent ?? '').replace(/\s+/g, ' ').trim();

async function pdfText(out: string, slug: string): Promise<string> {
  const bytes = new Uint8Array(fs.readFileSync(path.join(out, 'articles', slug, `${slug}.pdf`)));
  const doc = await getDocument({ data: bytes, verbosity: 0 }).promise;
  let all = '';
  for (let number = 1; number <= doc.numPages; number++) {
    const content = await (await doc.getPage(number)).getTextContent();
    all += content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : ' ') : '')).join('');
  }
  await doc.destroy();
  // words hyphenated across lines come back in two pieces: compare without whitespace and soft hyphens
  return all;
}

const compact = (value: string) => value.replace(/[\s\u00AD-]+/g, '');

/** Every file of an edition, as text (binary PDFs decoded too: their text streams are compressed, so also checked through pdf.js). */
function everyOutput(out: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(out, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) files[path.relative(out, path.join(entry.parentPath, entry.name))] = fs.readFileSync(path.join(entry.parentPath, entry.name), 'latin1');
  }
  return files;
}

// One build of every format side by side, as a newsroom with several agencies has it.
const formats = site(fixtureFiles('agency-formats'));
const run = formats.build();

test('agency formats: every raw file is recognised by its content and published; the build says so', () => {
  assert.is(run.status, 0, run.stderr);
  for (const raw of ['raw/ap-bridge-ninjs1.json', 'raw/dpa-handball-ninjs2.json', 'raw/cafe-nitf-latin1.xml', 'raw/ap-wildfire-g2-nitf.xml', 'raw/reuters-message-g2-xhtml.xml#1', 'raw/reuters-message-g2-xhtml.xml#2']) assert.match(run.stdout, new RegExp(`ingested {2}${raw.replace(/\./g, '\\.')} → `));
});

test('ninjs 1.x: headline, byline with the job title apart, dateline, subjects by name, the XHTML body with its structure', async () => {
  const { data, body } = sourceFor(formats.content, 'raw/ap-bridge-ninjs1.json');
  assert.is(data.title, 'River bridge reopens after two-year repair');
  assert.is(data.author, 'Jane O\'Neill');
  assert.is(data.authorTitle, 'Associated Press Writer');
  assert.is(data.dateline, 'PITTSBURGH');
  assert.equal(data.tags, ['Transportation', 'Infrastructure'], 'names, never codes');
  assert.is(data.lang, 'en');
  assert.is(data.guid, 'http://example.org/ninjs/bridge-reopens-3f2a');
  assert.is(data.version, 1);
  assert.is(data.credit, 'The Associated Press');
  assert.is(data.date, '2024-09-10T14:05:00Z');
  assert.not.match(body, 'Plain rendition', 'the XHTML rendition is richer than body_text');

  const doc = page(formats.out, 'river-bridge-reopens-after-two-year-repair');
  assert.is(text(doc.querySelector('h1')), 'River bridge reopens after two-year repair');
  const article = doc.querySelector('.story-body')!;
  assert.is(text(article.querySelector('h2')), 'Ahead of schedule');
  assert.equal([...article.querySelectorAll('ul li')].map(text), ['Two lanes open in each direction.', 'The footpath opens next week.']);
  assert.is(text(article.querySelector('blockquote')), 'It is good to have our bridge back.');
  assert.is(article.querySelector('a[href="https://example.org/dot"]')?.textContent, 'transport department');
  assert.match(text(article), 'Crews finished the deck three months early, according to the transport department.');
  const html = fs.readFileSync(path.join(formats.out, 'articles', 'river-bridge-reopens-after-two-year-repair', 'index.html'), 'utf8');
  assert.not.match(html, /javascript:|onclick|SCRIPT-MARKER|alert\(/, 'nothing from the wire becomes live markup');

  const pdf = compact(await pdfText(formats.out, 'river-bridge-reopens-after-two-year-repair'));
  for (const paragraph of ['The Smithfield Street Bridge reopened to traffic on Tuesday', 'Ahead of schedule', 'Two lanes open in each direction.', 'It is good to have our bridge back.']) {
    assert.ok(pdf.includes(compact(paragraph)), `PDF has “${paragraph}”`);
  }

  const feed = parseFeed(fs.readFileSync(path.join(formats.out, 'feed.xml'), 'utf8'));
  const item = feed.items.find((entry) => entry.title === 'River bridge reopens after two-year repair');
  assert.ok(item, 'the article is in the RSS feed');
  assert.is(item!.url, 'https://example.org/news/articles/river-bridge-reopens-after-two-year-repair/');
  assert.match(item!.content ?? '', 'Ahead of schedule');
});

test('ninjs 2.x: the main headline, the richest rendition (HTML over plain text; PDF unusable), a non-English item', async () => {
  const { data, body } = sourceFor(formats.content, 'raw/dpa-handball-ninjs2.json');
  assert.is(data.title, 'Handballer gewinnen «Krimi» in Kiel');
  assert.is(data.author, 'Maria Müller');
  assert.is(data.authorTitle, 'dpa-Korrespondentin');
  assert.is(data.lang, 'de');
  assert.equal(data.tags, ['Handball', 'Sport']);
  assert.is(data.summary, 'Die Handballer des THW Kiel haben ein spannendes Heimspiel knapp gewonnen.');
  assert.is(data.version, 2);
  assert.is(data.date, '2024-09-11T06:30:00Z');
  assert.not.match(body, 'Nur Text');

  const doc = page(formats.out, 'handballer-gewinnen-krimi-in-kiel');
  assert.is(doc.documentElement.getAttribute('lang'), 'de');
  assert.is(text(doc.querySelector('.story-body h2')), 'Entscheidung in letzter Sekunde');
  assert.equal([...doc.querySelectorAll('.story-body ol li')].map(text), ['Erste Halbzeit: 15:16', 'Zweite Halbzeit: 16:14']);
  const pdf = compact(await pdfText(formats.out, 'handballer-gewinnen-krimi-in-kiel'));
  assert.ok(pdf.includes(compact('Der Siegtreffer fiel drei Sekunden vor dem Ende.')), 'PDF has the body');

  const atom = parseFeed(fs.readFileSync(path.join(formats.out, 'atom.xml'), 'utf8'));
  const entry = atom.items.find((item) => item.title === 'Handballer gewinnen «Krimi» in Kiel');
  assert.ok(entry, 'the article is in the Atom feed');
  assert.is(entry!.updated?.toISOString(), '2024-09-11T07:10:00.000Z', 'a version 2 item is updated at its version time');
});

test('NITF in ISO-8859-1 with numeric character references: the text decoded, subheads, quotes, lists; ed-msg and note left out', async () => {
  const { data, body } = sourceFor(formats.content, 'raw/cafe-nitf-latin1.xml');
  assert.is(data.title, 'Le café du port rouvre après l’incendie');
  assert.is(data.author, 'Amélie Durand');
  assert.is(data.authorTitle, 'correspondante régionale');
  assert.is(data.dateline, 'MARSEILLE');
  assert.is(data.lang, 'fr');
  assert.is(data.guid, 'nitf-example-cafe-2024-0912');
  assert.is(data.credit, 'Agence Exemple');
  assert.equal(data.tags, ['Culture', 'Marseille']);
  assert.is(data.date, '2024-09-12T08:15:00Z');
  assert.is(data.summary, 'Le café historique du Vieux-Port a rouvert jeudi, six mois après un incendie.');
  assert.not.match(body, /&#|Légende/, 'references decoded, media captions dropped');

  const doc = page(formats.out, 'le-cafe-du-port-rouvre-apres-l-incendie');
  assert.is(doc.documentElement.getAttribute('lang'), 'fr');
  const story = doc.querySelector('.story-body')!;
  // the item's dateline runs into the lede, in the language's style
  assert.is(text(story.querySelector('p .dateline-run-in')), 'MARSEILLE');
  assert.is(text(story.querySelector('p')), 'MARSEILLE — Le café historique du Vieux-Port a rouvert ses portes jeudi matin, six mois après l’incendie qui l’avait dévasté.');
  assert.equal([text(doc.querySelector('.byline .author')), text(doc.querySelector('.byline .author-title'))], ['Amélie Durand', 'correspondante régionale']);
  assert.is(text(story.querySelector('h2')), 'Une clientèle fidèle');
  assert.match(text(story.querySelector('blockquote')), 'Nous avons tout reconstruit à l’identique.');
  assert.equal([...story.querySelectorAll('ul li')].map(text), ['Terrasse agrandie', 'Cuisine rénovée']);
  const pdf = compact(await pdfText(formats.out, 'le-cafe-du-port-rouvre-apres-l-incendie'));
  assert.ok(pdf.includes(compact('Les habitués étaient au rendez-vous dès 7 heures — certains depuis quarante ans.')), 'PDF has the decoded text');
});

test('NewsML-G2 news item with an NITF body: metadata from contentMeta, the body from inlineXML', async () => {
  const { data } = sourceFor(formats.content, 'raw/ap-wildfire-g2-nitf.xml');
  assert.is(data.title, 'Thousands evacuated as wildfire spreads east of Los Angeles');
  assert.is(data.author, 'Mark Santos');
  assert.is(data.authorTitle, 'Example Press Writer');
  assert.is(data.dateline, 'LOS ANGELES');
  assert.equal(data.tags, ['environment', 'wildfire'], 'subject names; a subject with a code only is left out');
  assert.is(data.lang, 'en-US');
  assert.is(data.guid, 'urn:newsml:example.org:20240913:wildfire-evacuations');
  assert.is(data.version, 3);
  assert.is(data.credit, 'Example Press');
  assert.is(data.date, '2024-09-13T15:00:00Z');
  assert.is(data.updated, '2024-09-13T17:45:00Z');
  const story = page(formats.out, 'thousands-evacuated-as-wildfire-spreads-east-of-los-angeles').querySelector('.story-body')!;
  assert.is(text(story.querySelector('h2')), 'Winds expected to ease');
  assert.is(text(story.querySelector('em')), 'crews');
  assert.equal([...story.querySelectorAll('ol li')].map(text), ['Evacuation centres are open in Pomona.', 'Highway 57 is closed in both directions.']);
  const json = JSON.parse(fs.readFileSync(path.join(formats.out, 'feed.json'), 'utf8')) as { items: { title: string; date_modified?: string; content_html?: string }[] };
  const item = json.items.find((entry) => entry.title === 'Thousands evacuated as wildfire spreads east of Los Angeles');
  assert.ok(item, 'in the JSON Feed');
  assert.match(item!.content_html ?? '', 'Winds expected to ease');
  assert.is(new Date(item!.date_modified ?? '').toISOString(), '2024-09-13T17:45:00.000Z');
  const pdf = compact(await pdfText(formats.out, 'thousands-evacuated-as-wildfire-spreads-east-of-los-angeles'));
  assert.ok(pdf.includes(compact('Forecasters said winds would ease by Saturday')), 'PDF has the body');
});

test('NewsML-G2 news message: one article per text item (pictures skipped), XHTML bodies sanitised, a Spanish item in Spanish', () => {
  const spanish = sourceFor(formats.content, 'raw/reuters-message-g2-xhtml.xml#1');
  assert.is(spanish.data.title, 'El banco central mantiene los tipos de interés');
  assert.is(spanish.data.author, 'Lucía Gómez');
  assert.is(spanish.data.lang, 'es');
  assert.equal(spanish.data.tags, ['economía, negocios y finanzas'], 'the subject name in the item’s language');
  assert.is(spanish.data.dateline, 'Madrid');
  const english = sourceFor(formats.content, 'raw/reuters-message-g2-xhtml.xml#2');
  assert.is(english.data.author, 'Tom Lee');
  assert.is(english.data.dateline, 'ROTTERDAM, Sept 14 (Example Wire)');
  assert.not.ok(fs.readdirSync(path.join(formats.content, 'articles')).some((name) => /photo/.test(name)), 'the picture item is not an article');

  const doc = page(formats.out, 'el-banco-central-mantiene-los-tipos-de-interes');
  assert.is(doc.documentElement.getAttribute('lang'), 'es');
  const story = doc.querySelector('.story-body')!;
  assert.is(text(story.querySelector('h2')), 'Inflación a la baja');
  assert.is(text(story.querySelector('blockquote')), 'La economía se mantiene sólida.');
  assert.match(text(story), 'La inflación bajó por tercer mes consecutivo.');
  const html = fs.readFileSync(path.join(formats.out, 'articles', 'el-banco-central-mantiene-los-tipos-de-interes', 'index.html'), 'utf8');
  assert.not.match(html, /javascript:|onmouseover|SCRIPT-MARKER/);
  const feed = parseFeed(fs.readFileSync(path.join(formats.out, 'feed.xml'), 'utf8'));
  assert.ok(feed.items.some((item) => item.title === 'Port strike ends after three days'), 'both text items are in the feed');
});

test('kills, withholds, embargoes and expiry: held back from every output, each reported by name; --future does not lift an embargo', () => {
  const files = fixtureFiles('agency-holds');
  const { 'raw/b-harbour-kill.xml': kill, ...beforeKill } = files;
  const holds = site(beforeKill);
  const first = holds.build();
  assert.is(first.status, 0, first.stderr);
  assert.ok(fs.existsSync(path.join(holds.out, 'articles', 'crane-collapses-at-container-harbour', 'index.html')), 'the story is published before the kill');

  // the kill arrives as a later version of the same item
  fs.writeFileSync(path.join(holds.content, 'raw', 'b-harbour-kill.xml'), kill!);
  const second = holds.build(['--future']);
  assert.is(second.status, 0, second.stderr);
  // the story's source was not edited, so the kill (version 2) replaced it in place
  assert.match(second.stderr, /articles\/crane-collapses-at-container-harbour\.md: notice: updated to version 2 of the agency's item from raw\/b-harbour-kill\.xml/);
  assert.match(second.stderr, /articles\/crane-collapses-at-container-harbour\.md: notice: “KILL: Crane collapses at container harbour” is withdrawn: the agency marked it canceled/);
  assert.match(second.stderr, /minister-resigns-over-expenses\.md: notice: “Minister resigns over expenses” is withdrawn: the agency marked it withheld/);
  assert.match(second.stderr, /study-finds-coffee-drinkers-sleep-less\.md: notice: “Study finds coffee drinkers sleep less” is under embargo until 2030-01-01T00:00:00Z/);
  assert.match(second.stderr, /road-closed-for-marathon-on-sunday\.md: notice: “Road closed for marathon on Sunday” expired at 2024-10-05T09:00:00Z/);
  assert.match(second.stdout, /1 article published/);

  const outputs = everyOutput(holds.out);
  assert.ok(Object.keys(outputs).some((file) => file.startsWith('articles/new-library-opens-in-the-old-station/')), 'the usable article is published');
  for (const [file, content] of Object.entries(outputs)) {
    assert.not.match(content, /KILLED-STORY|WITHHELD-STORY|EMBARGO-STORY|EXPIRED-STORY|Crane collapses|Minister resigns|coffee drinkers|marathon/, `${file} still shows a held-back article`);
  }
  const feed = parseFeed(fs.readFileSync(path.join(holds.out, 'feed.xml'), 'utf8'));
  assert.equal(feed.items.map((item) => item.title), ['New library opens in the old station']);
});

test('a later version of a published item is kept beside it for review, with a warning on every build; neither is dropped', () => {
  const item = (version: string, sentence: string) =>
    JSON.stringify({ uri: 'urn:example:budget-vote', version, firstcreated: '2024-11-01T09:00:00Z', versioncreated: `2024-11-01T1${version}:00:00Z`, headlines: [{ value: 'Council approves the budget' }], bodies: [{ contenttype: 'text/plain', value: sentence }] });
  const versions = site({ 'raw/budget.json': item('1', 'The council approved the budget by 30 votes to 12.') });
  assert.is(versions.build().status, 0);
  // an editor works on the story
  const edited = path.join(versions.content, 'articles', 'council-approves-the-budget.md');
  fs.writeFileSync(edited, fs.readFileSync(edited, 'utf8').replace(/30 votes to 12\.\n$/, '30 votes to 12, after a long debate.\n'));
  fs.writeFileSync(path.join(versions.content, 'raw', 'budget-v2.json'), item('2', 'The council approved the budget by 31 votes to 11, correcting an earlier count.'));
  for (const attempt of [1, 2]) {
    const run = versions.build();
    assert.is(run.status, 0, run.stderr);
    assert.match(run.stderr, /articles\/council-approves-the-budget-2\.md: warning: “Council approves the budget” \(version 2\) is a later version of council-approves-the-budget\.md, which stays published: review the two/, `build ${attempt} says so`);
  }
  const story = page(versions.out, 'council-approves-the-budget').querySelector('.story-body')!;
  assert.is(text(story), 'The council approved the budget by 30 votes to 12, after a long debate.', 'the editor’s text stays');
  assert.not.ok(fs.existsSync(path.join(versions.out, 'articles', 'council-approves-the-budget-2')), 'the later version is not published on its own');
  assert.match(fs.readFileSync(path.join(versions.content, 'articles', 'council-approves-the-budget-2.md'), 'utf8'), '31 votes to 11', 'the later version is there for review');
});

test('a corrected version of an unedited item replaces it: dated correction note on the page and in the PDF, JSON-LD correction and dateModified, feed updated', async () => {
  const item = (version: string, time: string, body: string, extra: Record<string, unknown> = {}) =>
    `<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:example:bridge-toll" version="${version}" standard="NewsML-G2" standardversion="2.33">
  <itemMeta><itemClass qcode="ninat:text"/><firstCreated>2024-11-02T08:00:00Z</firstCreated><versionCreated>${time}</versionCreated><pubStatus qcode="stat:usable"/>${extra.signal ? '<signal qcode="sig:correction"/>' : ''}</itemMeta>
  <contentMeta><headline>Bridge toll to rise in January</headline>${extra.note ? `<description role="drol:correction">${extra.note}</description>` : ''}</contentMeta>
  <contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body><p>${body}</p></body></html></inlineXML></contentSet>
</newsItem>
`;
  const corrected = site({ 'raw/toll-v1.xml': item('1', '2024-11-02T08:00:00Z', 'The toll will rise to 4 euros in January.') });
  assert.is(corrected.build().status, 0);
  const sourceFile = path.join(corrected.content, 'articles', 'bridge-toll-to-rise-in-january.md');
  fs.writeFileSync(path.join(corrected.content, 'raw', 'toll-v2.xml'), item('2', '2024-11-03T10:30:00Z', 'The toll will rise to 3.50 euros in January.', { signal: true, note: 'An earlier version gave the new toll as 4 euros.' }));
  const run = corrected.build();
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stderr, /bridge-toll-to-rise-in-january\.md: notice: updated to version 2 of the agency's item from raw\/toll-v2\.xml/);
  assert.equal(fs.readdirSync(path.join(corrected.content, 'articles')), ['bridge-toll-to-rise-in-january.md'], 'replaced in place, nothing beside it');
  const { data } = sourceFor(corrected.content, 'raw/toll-v2.xml');
  assert.is(data.version, 2);
  assert.is(data.updated, '2024-11-03T10:30:00Z');
  assert.is(data.correction, 'An earlier version gave the new toll as 4 euros.');
  assert.ok(fs.existsSync(sourceFile));

  const doc = page(corrected.out, 'bridge-toll-to-rise-in-january');
  const story = text(doc.querySelector('.story-body'));
  assert.match(story, 'The toll will rise to 3.50 euros in January.');
  assert.not.match(story, 'rise to 4 euros in January');
  assert.match(story, 'Correction (November 3, 2024): An earlier version gave the new toll as 4 euros.');
  const jsonLd = JSON.parse(doc.querySelector('script[type="application/ld+json"]')?.textContent ?? '{}') as Record<string, unknown>;
  assert.is(jsonLd.dateModified, '2024-11-03T10:30:00Z');
  assert.equal(jsonLd.correction, { '@type': 'CorrectionComment', text: 'An earlier version gave the new toll as 4 euros.', datePublished: '2024-11-03T10:30:00Z' });
  const pdf = compact(await pdfText(corrected.out, 'bridge-toll-to-rise-in-january'));
  assert.ok(pdf.includes(compact('Correction (November 3, 2024): An earlier version gave the new toll as 4 euros.')), 'the PDF shows the correction');
  const atom = parseFeed(fs.readFileSync(path.join(corrected.out, 'atom.xml'), 'utf8'));
  assert.is(atom.items[0]?.updated?.toISOString(), '2024-11-03T10:30:00.000Z');

  // the first version's raw file is still there: it never comes back
  const again = corrected.build();
  assert.is(again.status, 0, again.stderr);
  assert.equal(fs.readdirSync(path.join(corrected.content, 'articles')), ['bridge-toll-to-rise-in-january.md']);
  assert.match(text(page(corrected.out, 'bridge-toll-to-rise-in-january').querySelector('.story-body')), '3.50 euros');
});

test('two versions of one item arriving in the same build: the later one is the article', () => {
  const item = (version: string, sentence: string) =>
    JSON.stringify({ uri: 'urn:example:ferry-strike', version, firstcreated: '2024-11-04T09:00:00Z', versioncreated: `2024-11-04T1${version}:00:00Z`, headlines: [{ value: 'Ferry crews call a strike' }], bodies: [{ contenttype: 'text/plain', value: sentence }] });
  const both = site({ 'raw/ferry-1.json': item('1', 'Ferry crews called a one-day strike.'), 'raw/ferry-2.json': item('2', 'Ferry crews called a two-day strike.') });
  const run = both.build();
  assert.is(run.status, 0, run.stderr);
  assert.equal(fs.readdirSync(path.join(both.content, 'articles')), ['ferry-crews-call-a-strike.md']);
  assert.is(text(page(both.out, 'ferry-crews-call-a-strike').querySelector('.story-body')), 'Ferry crews called a two-day strike.');
  assert.not.match(run.stderr, /warning/);
});

test('pictures and other non-text items in a feed are passed over with a notice, not an error', () => {
  const feed = site({
    'raw/photo.json': JSON.stringify({ uri: 'urn:example:photo-1', type: 'picture', headlines: [{ value: 'Harbour at dawn' }], renditions: { original: { href: 'https://example.org/p.jpg' } } }),
    'raw/pictures.xml': '<?xml version="1.0"?>\n<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet><newsItem guid="p1" version="1"><itemMeta><itemClass qcode="ninat:picture"/></itemMeta></newsItem></itemSet></newsMessage>\n',
    'raw/story.json': JSON.stringify({ uri: 'urn:example:story-1', type: 'text', firstcreated: '2024-11-05T09:00:00Z', headlines: [{ value: 'Harbour reopens' }], bodies: [{ contenttype: 'text/plain', value: 'The harbour reopened on Tuesday.' }] }),
  });
  const run = feed.build();
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stderr, /raw\/photo\.json: notice: photo\.json: a ninjs picture item is not an article; passed over/);
  assert.match(run.stderr, /raw\/pictures\.xml: notice: pictures\.xml: the NewsML-G2 newsMessage holds no text item/);
  assert.match(run.stdout, /1 article published/);
});

test('non-public notes (ninjs ednote and notes) reach no output at all', () => {
  const outputs = everyOutput(formats.out);
  assert.ok(Object.keys(outputs).length > 10);
  for (const [file, content] of Object.entries(outputs)) {
    assert.not.match(content, /SECRET-/, `${file} carries a non-public note`);
  }
  for (const name of fs.readdirSync(path.join(formats.content, 'articles'))) {
    assert.not.match(fs.readFileSync(path.join(formats.content, 'articles', name), 'utf8'), /SECRET-/, `the source ${name} carries a non-public note`);
  }
});

test('bad XML: not well-formed is an error with line and column; an unknown encoding and a root Galley does not read are named', () => {
  const bad = site({
    'raw/broken.xml': '<?xml version="1.0"?>\n<nitf>\n  <body><p>Unclosed</body>\n</nitf>\n',
    'raw/rss.xml': '<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>\n',
    'raw/ebcdic.xml': '<?xml version="1.0" encoding="x-no-such-charset"?>\n<nitf/>\n',
  });
  const result = bad.build();
  assert.is(result.status, 1);
  assert.match(result.stderr, /raw\/broken\.xml:3:\d+: error: broken\.xml is not well-formed XML/);
  assert.match(result.stderr, /raw\/rss\.xml:1:1: error: rss\.xml is XML with the root element <rss>/);
  assert.match(result.stderr, /raw\/ebcdic\.xml:1:1: error: ebcdic\.xml declares the encoding "x-no-such-charset"/);
});

test('bad ninjs: each problem names the file and the JSON pointer of the value at fault', () => {
  const bad = site({
    'raw/broken.json': '{\n  "uri": "x",\n  "headlines": [ { "value": "Fine" } ],\n  "bodies": [ { "contenttype": "text/plain", "value": 42 } ],\n  "versioncreated": "yesterday",\n  "pubstatus": "killed"\n}\n',
    'raw/syntax.json': '{\n  "headline": "x",\n  "body_text": "y"\n  "language": "en"\n}\n',
    'raw/not-ninjs.json': '{ "hello": "world" }\n',
  });
  const result = bad.build();
  assert.is(result.status, 1);
  assert.match(result.stderr, /raw\/broken\.json: error: broken\.json ninjs 2\.x: value must be text \(at \/bodies\/0\/value\)/);
  assert.match(result.stderr, /raw\/broken\.json: error: broken\.json ninjs 2\.x: "yesterday" is not a date-time .* \(at \/versioncreated\)/);
  assert.match(result.stderr, /raw\/broken\.json: error: broken\.json ninjs 2\.x: pubstatus "killed" is not one of usable, withheld, canceled \(at \/pubstatus\)/);
  assert.match(result.stderr, /raw\/syntax\.json:4:3: error: syntax\.json is not valid JSON/);
  assert.match(result.stderr, /raw\/not-ninjs\.json: error: not-ninjs\.json is JSON but not ninjs/);
  assert.not.ok(fs.existsSync(bad.out), 'nothing published');
});

test('ninjs 3.x spells its fields in camelCase: a canceled item is withdrawn, the version time dates it, an NITF body is read as NITF', () => {
  const nitf = '<?xml version="1.0" encoding="UTF-8"?>\n<nitf><head><title>Tour measures</title></head><body><body.head><hedline><hl1>Tour measures</hl1></hedline><byline>By DopingWatch</byline></body.head><body.content><block><p lede="true">The authority announced new measures on Monday.</p><p>Testing starts before the race.</p></block></body.content></body></nitf>';
  const item = (uri: string, status: string) => JSON.stringify({ uri, standard: { name: 'ninjs', version: '3.0' }, type: 'text', versionCreated: '2023-10-08T02:34:03+02:00', pubStatus: status, headlines: [{ role: 'main', value: `Tour measures ${uri}` }], bodies: [{ role: 'nitf', contentType: 'text/vnd.IPTC.NITF', value: nitf }, { contentType: 'text/plain', value: 'Testing starts before the race.' }], language: 'en', located: 'Oslo, Norway' });
  const feed = site({ 'raw/usable.json': item('urn:example:tour-1', 'usable'), 'raw/killed.json': item('urn:example:tour-2', 'canceled') });
  const result = feed.build();
  assert.is(result.status, 0, result.stderr);
  assert.match(result.stdout, /1 article published/);
  assert.match(result.stderr, /is withdrawn: the agency marked it canceled/);
  const { data, body } = sourceFor(feed.content, 'raw/usable.json');
  assert.is(data.date, '2023-10-08T00:34:03Z', 'the version time, not the time of ingest');
  assert.is(data.dateline, 'Oslo, Norway');
  // the NITF rendition is the richest: its body.content, without the head's headline and byline
  assert.is(body.trim(), 'The authority announced new measures on Monday.\n\nTesting starts before the race.');
  const killed = sourceFor(feed.content, 'raw/killed.json');
  assert.is(killed.data.status, 'canceled');
  assert.not.ok(fs.existsSync(path.join(feed.out, 'articles', String(killed.data.slug))), 'no page for the canceled item');
});

test('NITF: the management status as an attribute of docdata holds an item back, baselang gives its language', () => {
  const doc = (id: string, status: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<nitf baselang="nb-NO"><head><docdata management-status="${status}"><doc-id id-string="${id}"/><date.issue norm="20240102T101500Z"/></docdata></head><body><body.head><hedline><hl1>Rådhuset ${id}</hl1></hedline></body.head><body.content><p>Bystyret møttes tirsdag.</p></body.content></body></nitf>\n`;
  const feed = site({ 'raw/a-usable.xml': doc('a', 'usable'), 'raw/b-canceled.xml': doc('b', 'canceled'), 'raw/c-embargoed.xml': doc('c', 'embargoed') });
  const result = feed.build();
  assert.is(result.status, 0, result.stderr);
  assert.match(result.stdout, /1 article published/);
  assert.is(sourceFor(feed.content, 'raw/a-usable.xml').data.lang, 'nb-NO');
  assert.is(sourceFor(feed.content, 'raw/b-canceled.xml').data.status, 'canceled');
  // embargoed with no release date says nothing of when: held as withheld
  assert.is(sourceFor(feed.content, 'raw/c-embargoed.xml').data.status, 'withheld');
  const published = fs.readdirSync(path.join(feed.out, 'articles'));
  assert.equal(published, [String(sourceFor(feed.content, 'raw/a-usable.xml').data.slug)]);
});

test('NewsML-G2 as agencies send it: text loose in the XHTML body, a filing time in the dateline field, a page <header> repeating the headline', () => {
  const g2 = (body: string, dateline: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:example:${dateline.length}" version="1"><itemMeta><itemClass qcode="ninat:text"/><versionCreated>2018-01-03T20:13:08Z</versionCreated><pubStatus qcode="stat:usable"/></itemMeta><contentMeta><headline>Eintracht in London</headline><dateline>${dateline}</dateline><language tag="de"/></contentMeta><contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><head><title/></head><body>${body}</body></html></inlineXML></contentSet></newsItem>\n`;
  const feed = site({
    'raw/loose.xml': g2('Jan 3 (OPTA) - Results and fixtures\n  for the league on Wednesday.', '2018-01-03 20:13:08\n GMT+00:00'),
    'raw/header.xml': g2('<header><ul class="slugline"><li>Fußball</li></ul><p>11.10.2022 11:14</p><h1>Eintracht in London</h1></header><section><p><span class="dateline">London <span class="credit">(dpa)</span> - </span>2019 gab es Tränen in der Kurve.</p></section>', 'London (dpa) -'),
  });
  const result = feed.build();
  assert.is(result.status, 0, result.stderr);
  const loose = sourceFor(feed.content, 'raw/loose.xml');
  assert.is(loose.data.summary, 'Results and fixtures for the league on Wednesday.');
  assert.is(loose.data.dateline, 'Jan 3 (OPTA)', 'the lede gives the dateline; the filing time is no dateline');
  const header = sourceFor(feed.content, 'raw/header.xml');
  assert.is(header.data.dateline, 'London (dpa)');
  assert.is(header.body.trim(), '2019 gab es Tränen in der Kurve.', 'no slugline, filing time or repeated headline in the body');
  assert.is(text(page(feed.out, String(header.data.slug)).querySelector('article h1')), 'Eintracht in London');
});

test('a NewsML-G2 package is passed over with a notice; plain text wrapped in <p> with indented paragraphs reads as paragraphs; an <h1> repeating the headline goes', () => {
  const feed = site({
    'raw/package.xml': '<?xml version="1.0"?>\n<packageItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:example:pkg" version="1"><itemMeta><itemClass qcode="ninat:composite"/></itemMeta></packageItem>\n',
    'raw/ansa.xml': '<?xml version="1.0"?>\n<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:example:ansa" version="1"><itemMeta><itemClass qcode="ninat:text"/><versionCreated>2017-10-11T09:41:00Z</versionCreated></itemMeta><contentMeta><headline>Declaration unacceptable</headline></contentMeta><contentSet><inlineData contenttype="text/plain"><![CDATA[\n<p>\n            \n            Italian Foreign Minister Angelino\nAlfano has said the declaration is\nunacceptable.\n   "Unacceptable declaration,"\nAlfano said.\n          </p>]]></inlineData></contentSet></newsItem>\n',
    'raw/tt.json': JSON.stringify({ uri: 'urn:example:tt', type: 'text', versioncreated: '2021-05-26T11:40:18Z', headlines: [{ value: 'Militärövning i jätteformat' }], bodies: [{ contenttype: 'text/html', value: '<h1>Militärövning i jätteformat</h1><p>Pandemin satte stopp för övningen.</p>' }] }),
  });
  const result = feed.build();
  assert.is(result.status, 0, result.stderr);
  assert.match(result.stderr, /raw\/package\.xml: notice: package\.xml: a NewsML-G2 packageItem is not an article; passed over/);
  assert.match(result.stdout, /2 articles published/);
  const ansa = sourceFor(feed.content, 'raw/ansa.xml');
  assert.is(ansa.data.summary, 'Italian Foreign Minister Angelino Alfano has said the declaration is unacceptable.');
  assert.is(ansa.body.trim(), 'Italian Foreign Minister Angelino Alfano has said the declaration is unacceptable.\n\n“Unacceptable declaration,” Alfano said.');
  assert.is(sourceFor(feed.content, 'raw/tt.json').body.trim(), 'Pandemin satte stopp för övningen.');
});

test('bylines and subjects as real feeds write them: an agency after the comma is no job title, desk initials no author, 1.x byline in a 2.x item, subjects once whatever their case; a link showing its address keeps it', () => {
  const feed = site({
    'raw/dpa.json': JSON.stringify({ uri: 'urn:example:dpa-1', type: 'text', versioncreated: '2024-11-05T09:00:00Z', language: 'de', by: 'Von Christian Hollmann, dpa', headlines: [{ value: 'Hafen wieder offen' }], subjects: [{ name: 'Government' }, { name: 'GOVERNMENT' }, { name: 'Ports' }], bodies: [{ contenttype: 'text/html', value: '<p>Der Hafen ist wieder offen, sagte die Behörde am Dienstag.</p><p>Mehr: <a href="https://example.org/s--obour8aD--">https://example.org/s--obour8aD--</a></p>' }] }),
    'raw/old-byline.json': JSON.stringify({ uri: 'urn:example:byline-1', type: 'text', versioncreated: '2024-11-05T10:00:00Z', byline: 'By JANE DOE', headlines: [{ value: 'Harbour reopens' }], bodies: [{ contenttype: 'text/plain', value: 'The harbour reopened on Tuesday.' }] }),
    'raw/efe.xml': '<?xml version="1.0" encoding="UTF-8"?>\n<nitf><head><docdata><doc-id id-string="efe-1"/><date.issue norm="20240102T101500Z"/></docdata></head><body><body.head><hedline><hl1>Cabinet changes announced</hl1></hedline><byline>gr/bp</byline></body.head><body.content><p>The president announced changes on Tuesday.</p></body.content></body></nitf>\n',
  });
  const result = feed.build();
  assert.is(result.status, 0, result.stderr);
  const dpa = sourceFor(feed.content, 'raw/dpa.json');
  assert.is(dpa.data.author, 'Christian Hollmann');
  assert.is(dpa.data.authorTitle, undefined, 'dpa is the credit, not a job title');
  assert.equal(dpa.data.tags, ['Government', 'Ports']);
  assert.match(dpa.body, /<https:\/\/example\.org\/s--obour8aD-->/, "the address as written, no dashes");
  assert.is(sourceFor(feed.content, 'raw/old-byline.json').data.author, 'Jane Doe');
  assert.is(sourceFor(feed.content, 'raw/efe.xml').data.author, 'Staff', 'desk initials name no author');
});

test.run();
