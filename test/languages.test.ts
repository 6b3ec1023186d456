/**
 * Every language a newsroom publishes in: labels from the catalogue of the article's language
 * (the site's on site pages), dates in the site's time zone, per-language typography, and the
 * feeds carrying each item's language and credit. One real build (the command a newsroom runs)
 * of a small multilingual edition; the page read as text through jsdom, the feeds through a
 * feed reader's parser, the PDFs through pdf.js.
 */
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { JSDOM } from 'jsdom';
import { parseFeed } from '@rowanmanning/feed-parser';
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { artifactGlyphs } from './pdf-reading.ts';
import { messages, prepareContent, tempContent } from './helpers.ts';
import { galley } from './command.ts';
import { CATALOGUES, en } from '../templates/messages/catalogue.ts';
import { labelsFor } from '../templates/labels.ts';
import { typesetText } from '../pipeline/model/typography.ts';
import { smarten } from '../pipeline/model/markdown.ts';

function source(fields: string, body: string): string {
  return `---\n${fields.trim()}\n---\n\n${body.trim()}\n`;
}

/** `count` words of running text, for a reading time. */
function words(count: number, word: string): string {
  return Array.from({ length: count }, () => word).join(' ');
}

const FILES: Record<string, string> = {
  'site.yaml': 'title: Galley Wire\nlanguage: en\ntimeZone: Europe/Paris\nbaseUrl: https://example.org/news/\n',
  // filed at 00:30 in Paris on the 14th: 22:30 UTC on the 13th
  'articles/accord.md': source(
    'title: "L\'accord : un « tournant » ?"\ndate: 2023-09-13T22:30:00Z\nlang: fr\nauthor: Marie Dupont\ntags: [Climat, Europe]\nrelated:\n  - title: Le sommet de Bruxelles',
    `Les négociateurs ont obtenu des "garanties" sur le financement : c'est une première ! ${Array.from({ length: 30 }, () => 'Le ministre a salué un accord « historique » ; les ONG restent prudentes : "pourquoi pas ?"').join(' ')}\n\n« Nous avons obtenu des garanties sur le financement », a déclaré la ministre.\n\nAvec AFP.`,
  ),
  'articles/bahn.md': source('title: Bahn streicht Verbindungen\ndate: 2023-09-12T10:00:00Z\nlang: de\nauthor: Hans Müller\ntags: [Verkehr]', 'Die Bahn nannte die Lage "angespannt". Ein Sprecher sagte: "Wir sprechen von \'erheblichen\' Einschränkungen."\n\nMit Material von dpa'),
  'articles/polska.md': source('title: Wiadomość\ndate: 2023-09-11T10:00:00Z\nlang: pl\nauthor: Jan Kowalski', words(1150, 'tekst')),
  'articles/basque.md': source('title: Euskal albistea\ndate: 2023-09-10T10:00:00Z\nlang: eu', 'Testu laburra.'),
  // raw wire copy, each closing with its agency's credit in its language
  'raw/greve.txt': 'Title: Grève à la SNCF\nLang: fr\nDate: 2023-09-08T10:00:00Z\n\nLa grève a commencé lundi matin dans toute la France.\n\nAvec AFP.\n',
  'raw/streik.txt': 'Title: Streik bei der Bahn\nLang: de\nDate: 2023-09-07T10:00:00Z\n\nDer Streik begann am Montagmorgen.\n\nMit Material von dpa\n',
  'raw/huelga.txt': 'Title: Huelga en Renfe\nLang: es\nDate: 2023-09-06T10:00:00Z\n\nLa huelga comenzó el lunes por la mañana.\n\nCon información de EFE\n',
  'raw/strike.txt': 'Title: Rail strike begins\nDate: 2023-09-05T10:00:00Z\n\nThe strike began on Monday morning.\n\n(Reuters)\n',
  'raw/markets.txt': 'Title: Stocks rally\nDate: 2023-09-04T10:00:00Z\n\nStocks rallied on Monday.\n\nReporting by Jane Doe; Editing by John Smith\n',
  'articles/english.md': source('title: Harbour reopens\ndate: 2023-09-09T10:00:00Z\nauthor: Jane Doe', 'The harbour reopened on Tuesday.\n\n(Reuters)'),
};

const content = tempContent(FILES);
const out = `${content}-out`;
const run = galley(['--content', content, '--out', out], { GALLEY_CACHE_DIR: `${content}-cache` });

function page(file: string): Document {
  return new JSDOM(fs.readFileSync(path.join(out, file), 'utf8'), { url: 'https://example.org/news/' }).window.document;
}

const squash = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();

async function pdf(slug: string): Promise<PDFDocumentProxy> {
  const data = new Uint8Array(fs.readFileSync(path.join(out, 'articles', slug, `${slug}.pdf`)));
  return getDocument({ data, verbosity: 0 }).promise;
}

const glyphs = (text: string) => text.replace(/\s/g, '').length;

/** The text of every page as a reader copies it. */
async function pdfText(doc: PDFDocumentProxy): Promise<string> {
  let text = '';
  for (let number = 1; number <= doc.numPages; number++) {
    const items = (await (await doc.getPage(number)).getTextContent()).items;
    text += items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join('') + '\n';
  }
  return text;
}

test('the build succeeds and says once that a language has no labels', () => {
  assert.is(run.status, 0, run.stderr);
  const notices = run.stderr.split('\n').filter((line) => line.includes('no interface labels'));
  assert.is(notices.length, 1, run.stderr);
  assert.match(notices[0]!, '“eu”');
});

test('every catalogue gives every message, with the placeholders English has', () => {
  assert.ok(['en', 'fr', 'de', 'es', 'it', 'pt', 'nl', 'sv', 'nb', 'da', 'pl', 'ar', 'he', 'zh', 'ja', 'ko', 'ru', 'uk', 'tr', 'el', 'cs', 'ro', 'hu', 'fi', 'vi', 'id', 'hi', 'th'].every((lang) => lang in CATALOGUES));
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
  for (const [lang, messages] of Object.entries(CATALOGUES)) {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const ours = messages[key];
      const theirs = en[key];
      if (typeof theirs === 'string') assert.equal(placeholders(ours as string), placeholders(theirs), `${lang}.${key}`);
      else for (const form of Object.values(ours)) assert.equal(placeholders(form as string), ['n'].filter(() => !(lang === 'ar' || lang === 'he') || /\{n\}/.test(form as string)), `${lang}.${key}`);
    }
  }
});

test('reading time takes the plural form of the language', () => {
  assert.is(labelsFor('en').readingTime(1), '1 min read');
  assert.is(labelsFor('de').readingTime(1), '1 Minute Lesezeit');
  assert.is(labelsFor('de').readingTime(2), '2 Minuten Lesezeit');
  assert.is(labelsFor('pl').readingTime(2), '2 minuty czytania');
  assert.is(labelsFor('pl').readingTime(5), '5 minut czytania');
  assert.is(labelsFor('fr-CA').readingTime(2), '2 min de lecture');
  assert.is(labelsFor('cs').readingTime(1), '1 minuta čtení');
  assert.is(labelsFor('cs').readingTime(3), '3 minuty čtení');
  assert.is(labelsFor('cs').readingTime(5), '5 minut čtení');
  assert.is(labelsFor('ro').readingTime(2), '2 minute de lectură');
  assert.is(labelsFor('ro').readingTime(20), '20 de minute de lectură');
  assert.is(labelsFor('el').readingTime(1), '1 λεπτό ανάγνωσης');
  assert.is(labelsFor('el').readingTime(4), '4 λεπτά ανάγνωσης');
  assert.is(labelsFor('ru-RU').readingTime(21), '21 мин чтения');
  assert.is(labelsFor('xx-unknown').readingTime(2), '2 min read');
});

test('a French article page: French labels, dated the 14th in Paris', () => {
  const document = page('articles/accord/index.html');
  assert.is(document.documentElement.lang, 'fr');
  const meta = squash(document.querySelector('.story-meta')!.textContent);
  assert.ok(meta.startsWith('Par Marie Dupont'), meta);
  assert.match(meta, '14 septembre 2023 · 2 min de lecture');
  assert.match(meta, /Télécharger le PDF \(PDF, \d+ Ko\)/);
  assert.is(document.querySelector('.story-meta time')!.getAttribute('datetime'), '2023-09-13T22:30:00Z', 'the machine date stays UTC');
  assert.is(squash(document.querySelector('.related h2')!.textContent), 'À lire aussi');
  assert.is(squash(document.querySelector('.tags h2')!.textContent), 'Thèmes');
  assert.is(squash(document.querySelector('.skip-link')!.textContent), 'Aller au contenu');
  const nav = document.querySelector('.feed-nav')!;
  assert.equal([nav.querySelector('a')!.textContent, nav.querySelector('a')!.getAttribute('href')], ['S’abonner', '../../feeds/']);
  assert.is(nav.getAttribute('lang'), 'fr', 'the labels inside the English masthead are marked French');
  assert.is(document.querySelector('body > header')!.getAttribute('lang'), 'en', 'the masthead (the site’s name) stays the site’s');
  assert.not.match(squash(document.body.textContent), /\b(By|min read|Download PDF|Subscribe|Topics|Related)\b/);
});

test('a German article page is German; a Polish one counts its minutes in Polish', () => {
  const bahn = squash(page('articles/bahn/index.html').querySelector('.story-meta')!.textContent);
  assert.ok(bahn.startsWith('Von Hans Müller 12. September 2023 · 1 Minute Lesezeit PDF herunterladen'), bahn);
  const polska = squash(page('articles/polska/index.html').querySelector('.story-meta')!.textContent);
  assert.ok(polska.startsWith('Autor: Jan Kowalski 11 września 2023 · 5 minut czytania Pobierz PDF'), polska);
});

test('an article in a language without labels reads English', () => {
  const basque = page('articles/basque/index.html');
  assert.is(basque.documentElement.lang, 'eu');
  assert.ok(squash(basque.querySelector('.story-meta')!.textContent).startsWith('By Staff September 10, 2023 · 1 min read Download PDF'));
});

test('site pages are in the site’s language, dates in its time zone', () => {
  const front = page('index.html');
  const teasers = [...front.querySelectorAll('.teaser-meta')].map((meta) => squash(meta.textContent));
  assert.ok(teasers[0]!.startsWith('Marie Dupont · September 14, 2023 · 2 min read · PDF,'), teasers[0]);
  assert.is(squash(front.querySelector('.edition-date')!.textContent), 'September 14, 2023');
  assert.is(squash(front.querySelector('.feed-nav a')!.textContent), 'Subscribe');
  const topic = page('tags/climat/index.html');
  assert.is(squash(topic.querySelector('.topic-header .kicker')!.textContent), 'Topic');
});

test('the French PDF: French labels and dates, running footer in French', async () => {
  const text = await pdfText(await pdf('accord'));
  assert.match(text, 'Par Marie Dupont · 14 septembre 2023 · 2 min de lecture');
  assert.match(text, /Lire cet article en ligne\s:\s?https:\/\/example.org\/news\/articles\/accord\//);
  assert.match(text, /À lire aussi|À LIRE AUSSI/);
  assert.match(text, /Thèmes\s: Climat, Europe/);
  assert.not.match(text, /Read this article online|\bBy\b|min read|Topics|Related/i);
  const doc = await pdf('accord');
  assert.ok(doc.numPages >= 2, 'the article runs over a page');
  // page 1 paints its footer alone; the pages after it the running header (site · headline) with it
  const header = glyphs('Galley Wire · L’accord : un « tournant » ?');
  for (let number = 1; number <= doc.numPages; number++) {
    const footer = glyphs(`page ${number} sur ${doc.numPages}`);
    assert.ok((await artifactGlyphs(doc, number)).includes(number === 1 ? footer : header + footer), `page ${number} has its French footer`);
  }
});

test('the German PDF says Von, Seite … von', async () => {
  const text = await pdfText(await pdf('bahn'));
  assert.match(text, 'Von Hans Müller · 12. September 2023 · 1 Minute Lesezeit');
  assert.match(text, 'Diesen Artikel online lesen:');
  assert.ok((await artifactGlyphs(await pdf('bahn'), 1)).includes(glyphs('Seite 1 von 1')), 'the footer is German');
});

test('timeZone must be an IANA name: an error at its line otherwise', () => {
  for (const zone of ['Mars/Olympus', '+02:00']) {
    const dir = tempContent({ 'site.yaml': `title: Galley\ntimeZone: "${zone}"\n`, 'articles/a.md': source('title: A\ndate: 2023-09-11', 'Text.') });
    const report = prepareContent(dir);
    assert.not.ok(report.ok, zone);
    const lines = messages(report, dir);
    assert.ok(lines.some((line) => line.startsWith('site.yaml:2:') && line.includes('timeZone must be an IANA time zone name')), lines.join('\n'));
  }
  const dir = tempContent({ 'site.yaml': 'timeZone: europe/paris\n', 'articles/a.md': source('title: A\ndate: 2023-09-11', 'Text.') });
  assert.ok(prepareContent(dir).ok, 'a name in other letter case is the same zone');
});

test('feeds keep their standard dates: UTC instants, whatever the time zone', () => {
  const json = JSON.parse(fs.readFileSync(path.join(out, 'feed.json'), 'utf8')) as { items: { id: string; date_published: string }[] };
  assert.is(json.items.find((item) => item.id.endsWith('/accord/'))!.date_published, '2023-09-13T22:30:00.000Z');
  const rss = fs.readFileSync(path.join(out, 'feed.xml'), 'utf8');
  assert.match(rss, '<pubDate>Wed, 13 Sep 2023 22:30:00 GMT</pubDate>');
  const atom = parseFeed(fs.readFileSync(path.join(out, 'atom.xml'), 'utf8'));
  assert.is(atom.items.find((item) => item.url?.endsWith('/accord/'))!.published!.toISOString(), '2023-09-13T22:30:00.000Z');
});

const NNBSP = '\u202F';

test('French text: guillemets and a narrow no-break space inside them and before ; : ! ?', () => {
  const body = page('articles/accord/index.html').querySelector('.story-body')!.textContent!;
  assert.match(body, `des «${NNBSP}garanties${NNBSP}» sur le financement${NNBSP}: c’est une première${NNBSP}!`);
  assert.match(body, `accord «${NNBSP}historique${NNBSP}»${NNBSP}; les ONG restent prudentes${NNBSP}: «${NNBSP}pourquoi pas${NNBSP}?${NNBSP}»`);
  assert.not.match(body, /[“”"]/, 'no English or straight quotes are left');
  assert.not.match(body, /«[ \u00A0]|[ \u00A0][»;:!?]/, 'no ordinary space where a thin one belongs');
  const title = page('articles/accord/index.html').querySelector('h1')!.textContent!;
  assert.is(title, `L’accord${NNBSP}: un «${NNBSP}tournant${NNBSP}»${NNBSP}?`);
});

test('the French PDF never breaks a line inside guillemets or before ; : ! ?', async () => {
  const doc = await pdf('accord');
  const lines: string[] = [];
  for (let number = 1; number <= doc.numPages; number++) {
    let line = '';
    for (const item of (await (await doc.getPage(number)).getTextContent()).items) {
      if (!('str' in item)) continue;
      line += item.str;
      if (item.hasEOL) lines.push(line.trim()), (line = '');
    }
    lines.push(line.trim());
  }
  const guillemets = lines.filter((line) => line.includes('«'));
  assert.ok(guillemets.length > 20, `the article has its guillemets (${guillemets.length} lines)`);
  for (const line of lines) {
    assert.not.match(line, /«$/, `a line ends with an opening guillemet: ${line}`);
    assert.not.match(line, /^[»;:!?]/, `a line starts with a closing mark: ${line}`);
  }
});

test('German quotes „…“ and ‚…‘; Polish „…”; English stays English', () => {
  const bahn = page('articles/bahn/index.html').querySelector('.story-body')!.textContent!;
  assert.match(bahn, 'Die Bahn nannte die Lage „angespannt“. Ein Sprecher sagte: „Wir sprechen von ‚erheblichen‘ Einschränkungen.“');
  const english = page('articles/english/index.html').querySelector('.story-body')!.textContent!;
  assert.match(english, 'The harbour reopened');
  assert.is(typesetText('He said "it\'s the \'90s" and the students\' union agreed.', 'en'), 'He said "it\'s the \'90s" and the students\' union agreed.', 'English is smartypants’ alone');
  assert.is(smarten('Powiedział: "To jest \'ważne\' dla nas".', 'pl'), 'Powiedział: „To jest «ważne» dla nas”.');
  assert.is(smarten('Dijo que "la situación es \'grave\'" y se fue.', 'es'), 'Dijo que «la situación es “grave”» y se fue.');
  assert.is(smarten('Han sa "det er \'viktig\'" i går.', 'nb'), 'Han sa «det er ‘viktig’» i går.');
  assert.is(smarten('Ο υπουργός είπε "είναι \'σημαντικό\'" χθες.', 'el'), 'Ο υπουργός είπε «είναι “σημαντικό”» χθες.');
  assert.is(smarten('Ministrul a spus "este \'important\'" ieri.', 'ro'), 'Ministrul a spus „este «important»” ieri.');
  assert.is(smarten('A miniszter azt mondta: "ez \'fontos\'" tegnap.', 'hu'), 'A miniszter azt mondta: „ez »fontos«” tegnap.');
  // already set, the text does not change: the pass is idempotent
  const french = smarten('Il a dit « oui », puis "non" ; fin !', 'fr');
  assert.is(french, `Il a dit «${NNBSP}oui${NNBSP}», puis «${NNBSP}non${NNBSP}»${NNBSP}; fin${NNBSP}!`);
  assert.is(smarten(french, 'fr'), french);
  // URLs and times keep their colons
  assert.is(smarten('Voir https://example.org à 10:30.', 'fr'), 'Voir https://example.org à 10:30.');
});

function xml(file: string): Document {
  return new JSDOM(fs.readFileSync(path.join(out, file), 'utf8'), { contentType: 'application/xml' }).window.document;
}

/** Each article's language in a feed: null where it is the channel's (English). */
const LANGS: Readonly<Record<string, string | null>> = {
  accord: 'fr', bahn: 'de', polska: 'pl', basque: 'eu', english: null,
  'greve-a-la-sncf': 'fr', 'streik-bei-der-bahn': 'de', 'huelga-en-renfe': 'es', 'rail-strike-begins': null, 'stocks-rally': null,
};

test('feeds carry the language of each item that differs from the channel’s', () => {
  const DC = 'http://purl.org/dc/elements/1.1/';
  const ATOM = 'http://www.w3.org/2005/Atom';
  const XML = 'http://www.w3.org/XML/1998/namespace';
  const rss = xml('feed.xml');
  assert.is(rss.querySelector('channel > language')!.textContent, 'en');
  const rssLangs = Object.fromEntries([...rss.getElementsByTagName('item')].map((item) => [item.getElementsByTagName('link')[0]!.textContent!.split('/').at(-2), item.getElementsByTagNameNS(DC, 'language')[0]?.textContent ?? null]));
  assert.equal(rssLangs, LANGS);
  const atom = xml('atom.xml');
  const atomLangs = Object.fromEntries([...atom.getElementsByTagNameNS(ATOM, 'entry')].map((entry) => [entry.getElementsByTagNameNS(ATOM, 'id')[0]!.textContent!.split('/').at(-2), entry.getAttributeNS(XML, 'lang')]));
  assert.equal(atomLangs, LANGS);
  const json = JSON.parse(fs.readFileSync(path.join(out, 'feed.json'), 'utf8')) as { language: string; items: { id: string; language: string }[] };
  assert.is(json.language, 'en');
  assert.equal(Object.fromEntries(json.items.map((item) => [item.id.split('/').at(-2), item.language])), Object.fromEntries(Object.entries(LANGS).map(([slug, lang]) => [slug, lang ?? 'en'])));
  // a feed reader reads them all still
  for (const file of ['feed.xml', 'atom.xml', 'tags/climat/feed.xml', 'tags/climat/atom.xml']) assert.ok(parseFeed(fs.readFileSync(path.join(out, file), 'utf8')).items.length > 0, file);
});

test('a topic feed describes itself in the site’s language', () => {
  assert.is(xml('tags/climat/feed.xml').querySelector('channel > description')!.textContent, 'News from the wire, published with Galley. Articles tagged “Climat”.');
});

const CREDITS: Readonly<Record<string, string>> = {
  'greve-a-la-sncf': 'Avec AFP.',
  'streik-bei-der-bahn': 'Mit Material von dpa',
  'huelga-en-renfe': 'Con información de EFE',
  'rail-strike-begins': '(Reuters)',
  'stocks-rally': 'Reporting by Jane Doe; Editing by John Smith',
};

test('agency credits in every language are recognised at ingest: the page, the PDF and the feeds show them as credits', async () => {
  const json = JSON.parse(fs.readFileSync(path.join(out, 'feed.json'), 'utf8')) as { items: { id: string; content_html: string }[] };
  const rss = parseFeed(fs.readFileSync(path.join(out, 'feed.xml'), 'utf8'));
  const atom = parseFeed(fs.readFileSync(path.join(out, 'atom.xml'), 'utf8'));
  for (const [slug, credit] of Object.entries(CREDITS)) {
    const document = page(`articles/${slug}/index.html`);
    assert.is(squash(document.querySelector('.story-footer .credit')?.textContent), credit, slug);
    assert.not.match(squash(document.querySelector('.story-body')!.textContent), credit, `${slug}: the credit is not body text`);
    const text = await pdfText(await pdf(slug));
    assert.match(text.replace(/\s+/g, ' '), credit, `${slug}: the PDF's end matter`);
    const url = `https://example.org/news/articles/${slug}/`;
    const ending = `<p><em>${credit}</em></p>`;
    assert.ok(json.items.find((item) => item.id === url)!.content_html.endsWith(ending), `${slug}: JSON Feed`);
    assert.ok(rss.items.find((item) => item.url === url)!.content!.endsWith(ending), `${slug}: RSS`);
    assert.ok(atom.items.find((item) => item.url === url)!.content!.endsWith(ending), `${slug}: Atom`);
  }
});

test.run();
