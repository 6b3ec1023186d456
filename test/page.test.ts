/**
 * The page an article opens with: its dateline, its drop cap, its standfirst; and the feeds
 * page people are sent to. One real build (the command a newsroom runs) of wire copy and
 * Markdown sources; the pages read as Chromium gives their text (`innerText` and a selection,
 * what copy and screen readers get), the PDFs through pdf.js, the feeds through a feed reader's
 * parser.
 */
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chromium, dumpDom } from './chromium.ts';
import { JSDOM } from 'jsdom';
import { parse as parseYaml } from 'yaml';
import { parseFeed } from '@rowanmanning/feed-parser';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { tempContent } from './helpers.ts';
import { galley } from './command.ts';
import { splitDateline } from '../pipeline/model/dateline.ts';
import { deriveSummary } from '../pipeline/model/lede.ts';

function source(fields: string, body: string): string {
  return `---\n${fields.trim()}\n---\n\n${body.trim()}\n`;
}

const STORM_LEDE =
  'A storm hit the Gulf Coast on Monday, knocking out power to thousands of homes and flooding streets from Mobile to Biloxi. ' +
  'Officials said more rain was expected overnight, and schools in three counties will stay closed on Tuesday. ' +
  'The governor declared a state of emergency late in the evening, after the second levee gave way.';

const FILES: Record<string, string> = {
  // a French site: its own pages (the feeds page) speak French
  'site.yaml': 'title: Galley Wire\nlanguage: fr\nbaseUrl: https://example.org/news/\n',
  'raw/paris.txt': 'Title: Le président en visite à Marseille\nLang: fr\nDate: 2024-09-13T08:00:00Z\nTags: France\n\nPARIS (AFP) — Le président de la République s’est rendu mardi à\nMarseille pour inaugurer le nouveau port.\n\nIl a été accueilli par le maire.\n',
  'raw/new-orleans.txt': 'Title: Levees hold overnight\nLang: en\nDate: 2024-09-12T09:00:00Z\n\nNEW ORLEANS (Galley Wire) — Levees held overnight as the river crested,\nthe Army Corps of Engineers said.\n\nResidents began to return on Tuesday.\n',
  'raw/storm.txt': `Title: Gulf Coast braces for more rain\nLang: en\nDate: 2024-09-12T08:00:00Z\nTags: Weather\n\n${STORM_LEDE}\n\nForecasters said the storm would weaken by Wednesday.\n`,
  'raw/berlin.txt': 'Title: Regierung berät Haushalt\nLang: de\nDate: 2024-09-11T08:00:00Z\n\nBERLIN (dpa) - Die Bundesregierung hat am Mittwoch über den Haushalt beraten.\n\nEine Einigung gab es nicht.\n',
  'raw/madrid.txt': 'Title: El Gobierno aprueba el presupuesto\nLang: es\nDate: 2024-09-10T08:00:00Z\n\nMADRID, 5 oct (EFE).- El Gobierno aprobó este martes el proyecto de presupuestos.\n\nLa oposición lo rechazó.\n',
  'raw/washington.txt': 'Title: Senate passes the bill\nLang: en\nDate: 2024-09-09T08:00:00Z\n\nWASHINGTON — The Senate passed the bill late on Thursday.\n\nIt now goes to the House.\n',
  // agency copy: the item names its place, and the body opens with the agency's full dateline
  'raw/bridge.json': JSON.stringify({
    uri: 'http://example.org/ninjs/bridge-2024', type: 'text', version: '1', firstcreated: '2024-09-03T14:05:00Z', language: 'en',
    headline: 'River bridge reopens', byline: "By JANE O'NEILL, Associated Press Writer", located: 'PITTSBURGH',
    body_xhtml: '<div><p>PITTSBURGH (AP) — The Smithfield Street Bridge reopened to traffic on Tuesday.</p><p>Crews finished early.</p></div>',
  }),
  // openings that are not datelines stay the lede's own words
  'raw/officials.txt': 'Title: Port to reopen\nLang: en\nDate: 2024-09-08T08:00:00Z\n\nOfficials said — in a statement on Friday — that the port would reopen.\n\nShips were waiting offshore.\n',
  'raw/nato.txt': 'Title: Alliance meets\nLang: en\nDate: 2024-09-07T08:00:00Z\n\nNATO — the alliance of 32 countries — met in Brussels on Friday.\n\nMinisters agreed on a statement.\n',
  // a source ingested before datelines were recognised: the dateline still opens its lede, and its summary is that lede
  'articles/greve.md': source(
    'title: Grève à la SNCF\ndate: 2024-09-06T08:00:00Z\nlang: fr\nsummary: "PARIS (AFP) — Les syndicats de la SNCF ont appelé à la grève jeudi."',
    'PARIS (AFP) — Les syndicats de la SNCF ont appelé à la grève jeudi.\n\nLe trafic sera très perturbé.',
  ),
  // a standfirst the editor wrote, which says something the lede does not
  'articles/written.md': source(
    'title: Harbour reopens\ndate: 2024-09-05T08:00:00Z\nlang: en\nsummary: Ships are moving again after a week of closure.\nauthor: Jane Doe\nauthorTitle: Associated Press Writer',
    'The harbour authority said on Tuesday that the new container terminal would open next spring.\n\nDredging starts next month.',
  ),
  // a summary written before as the lede cut mid-word with "…": it adds nothing
  'articles/cut.md': source(
    'title: Terminal delayed\ndate: 2024-09-04T08:00:00Z\nlang: en\nsummary: The harbour authority said on Tuesday that the new container term…',
    'The harbour authority said on Tuesday that the new container terminal would open next spring, two years later than planned.\n\nMore text.',
  ),
};

const content = tempContent(FILES);
const out = `${content}-out`;
const run = galley(['--content', content, '--out', out, '--base-url', 'https://example.org/news/'], { GALLEY_CACHE_DIR: `${content}-cache` });

const squash = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();

/** The front-matter of the source ingest wrote for `raw/NAME.txt`. */
function ingested(raw: string): { data: Record<string, unknown>; body: string } {
  for (const name of fs.readdirSync(path.join(content, 'articles'))) {
    const text = fs.readFileSync(path.join(content, 'articles', name), 'utf8');
    const [, yaml = '', body = ''] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text) ?? [];
    const data = parseYaml(yaml) as Record<string, unknown>;
    if (data.source === `raw/${raw}`) return { data, body: body.trim() };
  }
  throw new Error(`no source for raw/${raw}`);
}

/** The page at a site-relative URL path, as published. */
function page(urlPath: string): Document {
  const file = path.join(out, urlPath.endsWith('/') || urlPath === '' ? `${urlPath}index.html` : urlPath);
  return new JSDOM(fs.readFileSync(file, 'utf8'), { url: new URL(urlPath, 'https://example.org/news/').href }).window.document;
}

/** An article's page by its headline, found from the front page and its `next` links, as a reader finds it. */
function articleUrl(title: string): string {
  let at = '';
  for (let hops = 0; hops < 20; hops++) {
    const doc = page(at);
    const link = [...doc.querySelectorAll('main article h2 a')].find((anchor) => squash(anchor.textContent) === title);
    if (link) return new URL(link.getAttribute('href')!, new URL(at, 'https://example.org/news/')).pathname.replace(/^\/news\//, '');
    const next = doc.querySelector('a[rel="next"]')?.getAttribute('href');
    if (!next) break;
    at = new URL(next, new URL(at, 'https://example.org/news/')).pathname.replace(/^\/news\//, '');
  }
  throw new Error(`no article "${title}" reachable from the front page`);
}

/** The article's PDF, from its page's link, read with pdf.js as a reader copies it (every page). */
async function pdfText(urlPath: string): Promise<string> {
  const href = page(urlPath).querySelector('a[type="application/pdf"]')!.getAttribute('href')!;
  const file = path.join(out, new URL(href, new URL(urlPath, 'https://example.org/news/')).pathname.replace(/^\/news\//, ''));
  const doc = await getDocument({ data: new Uint8Array(fs.readFileSync(file)), verbosity: 0 }).promise;
  let text = '';
  for (let number = 1; number <= doc.numPages; number++) {
    const items = (await (await doc.getPage(number)).getTextContent()).items;
    text += `${items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join('')}\n`;
  }
  return text;
}

interface BrowserText {
  /** `document.body.innerText`. */
  readonly body: string;
  /** The story body's `innerText`, and the text of a selection of all of it (what copy gives). */
  readonly story: string;
  readonly selection: string;
}

/**
 * A published page as headless Chromium lays it out with its stylesheet: the text it gives. The
 * page is copied beside itself with a script that reports, so its links and stylesheet resolve.
 */
async function chromiumText(urlPath: string): Promise<BrowserText> {
  const file = path.join(out, urlPath, 'index.html');
  const tested = path.join(out, urlPath, 'chromium-text.html');
  const script = `<script>
    const story = document.querySelector('.story-body');
    const range = document.createRange();
    range.selectNodeContents(story);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    const result = { body: document.body.innerText, story: story.innerText, selection: getSelection().toString() };
    getSelection().removeAllRanges();
    const pre = document.createElement('pre');
    pre.id = 'chromium-text';
    pre.textContent = JSON.stringify(result);
    document.body.append(pre);
  </script>`;
  fs.writeFileSync(tested, fs.readFileSync(file, 'utf8').replace('</body>', `${script}</body>`));
  try {
    const result = new JSDOM(await dumpDom(tested, { timeBudgetMs: 5_000 })).window.document.getElementById('chromium-text');
    if (!result) throw new Error(`the text script did not run in Chromium on ${urlPath}`);
    return JSON.parse(result.textContent ?? '') as BrowserText;
  } finally {
    fs.rmSync(tested, { force: true });
  }
}

test('the build succeeds', () => {
  assert.is(run.status, 0, run.stderr);
});

// ---- datelines -----------------------------------------------------------------------------

test('ingest: a dateline at the head of wire copy becomes the dateline field, and the lede starts after it', () => {
  const expected: [string, string, string][] = [
    ['paris.txt', 'PARIS (AFP)', 'Le président de la République s’est rendu mardi à Marseille pour inaugurer le nouveau port.'],
    ['new-orleans.txt', 'NEW ORLEANS (Galley Wire)', 'Levees held overnight as the river crested, the Army Corps of Engineers said.'],
    ['berlin.txt', 'BERLIN (dpa)', 'Die Bundesregierung hat am Mittwoch über den Haushalt beraten.'],
    ['madrid.txt', 'MADRID, 5 oct (EFE)', 'El Gobierno aprobó este martes el proyecto de presupuestos.'],
    ['washington.txt', 'WASHINGTON', 'The Senate passed the bill late on Thursday.'],
  ];
  for (const [raw, dateline, lede] of expected) {
    const { data, body } = ingested(raw);
    assert.is(data.dateline, dateline, raw);
    assert.is(body.split('\n\n')[0], lede, raw);
    assert.is(data.summary, lede, `${raw}: the summary is the lede without its dateline`);
  }
  const bridge = ingested('bridge.json');
  assert.equal([bridge.data.dateline, bridge.data.authorTitle, bridge.body.split('\n\n')[0]], ['PITTSBURGH (AP)', 'Associated Press Writer', 'The Smithfield Street Bridge reopened to traffic on Tuesday.'], 'the body’s dateline, fuller than the item’s place');
  for (const raw of ['officials.txt', 'nato.txt', 'storm.txt']) {
    const { data, body } = ingested(raw);
    assert.is(data.dateline, undefined, `${raw}: not a dateline`);
    assert.ok(body.startsWith({ 'officials.txt': 'Officials said —', 'nato.txt': 'NATO — the alliance', 'storm.txt': 'A storm hit' }[raw]!), body);
  }
});

test('datelines are recognised in the forms agencies write them, in many languages and scripts; ordinary openings are not', () => {
  const datelines: [string, string][] = [
    ['NEW ORLEANS, La. (AP) — Officials said', 'NEW ORLEANS, La. (AP)'],
    ['PARIS, 13 septembre (AFP) - Le président', 'PARIS, 13 septembre (AFP)'],
    ['LONDON, Sept 13 (Reuters) - Britain said', 'LONDON, Sept 13 (Reuters)'],
    ['LONDON (Reuters) - Britain said', 'LONDON (Reuters)'],
    ['Madrid, 5 oct (EFE).- El Gobierno', 'Madrid, 5 oct (EFE)'],
    ['The Hague (Reuters) - Dutch voters', 'The Hague (Reuters)'],
    ['RIO DE JANEIRO (AFP) — O governo', 'RIO DE JANEIRO (AFP)'],
    ['SÃO PAULO (Reuters) - A Petrobras', 'SÃO PAULO (Reuters)'],
    ['WASHINGTON, D.C. — The Senate', 'WASHINGTON, D.C.'],
    ['МОСКВА, 13 сентября. /ТАСС/. Президент России', 'МОСКВА, 13 сентября. /ТАСС/'],
    ['ΑΘΗΝΑ (ΑΠΕ) - Η κυβέρνηση', 'ΑΘΗΝΑ (ΑΠΕ)'],
    ['بيروت (أ ف ب) - أعلن الجيش', 'بيروت (أ ف ب)'],
    ['ירושלים (רויטרס) - ראש הממשלה', 'ירושלים (רויטרס)'],
    ['新华社北京9月13日电（记者张三）中国国家主席', '新华社北京9月13日电（记者张三）'],
    ['【ワシントン共同】米政府は', '【ワシントン共同】'],
    // the reporter Yonhap names goes with the dateline, as Xinhua's does, not into the lede
    ['(서울=연합뉴스) 김철수 기자 = 정부는', '(서울=연합뉴스) 김철수 기자'],
    ['(서울=연합뉴스) 정부는', '(서울=연합뉴스)'],
    ['[東京 3日 ロイター] - 日銀は', '[東京 3日 ロイター]'],
    ['नयी दिल्ली, तीन दिसंबर (भाषा) सरकार ने बुधवार को', 'नयी दिल्ली, तीन दिसंबर (भाषा)'],
  ];
  for (const [text, dateline] of datelines) {
    const split = splitDateline(text);
    assert.is(split?.dateline, dateline, text);
    assert.not.match(text.slice(split!.end), /^[\s—–\-.]/u, `${text}: the lede starts after the separator`);
  }
  for (const text of [
    'A storm hit the coast on Monday.',
    'Officials said — in a statement — that the port would reopen.',
    'NATO — the alliance said on Friday',
    'NASA — The agency said',
    'A storm (the worst in years) — hit the coast',
    'He said (AFP) — The',
    'I — and many others — think so.',
    'Washington: the State Department said on Friday',
    'Stocks rose (AP) on Tuesday',
    'The President (Biden) — said',
    // no capitals in Arabic: an agency named mid-sentence, with no dash after it, is not a dateline
    'أعلن الجيش (أ ف ب) اللبناني الثلاثاء انتشاره',
  ]) {
    assert.is(splitDateline(text), null, text);
  }
});

test('the page shows the dateline as a dateline run into the lede, never as body text with a drop cap in it', async () => {
  for (const [title, dateline, lede] of [
    ['Le président en visite à Marseille', 'PARIS (AFP)', 'PARIS (AFP) — Le président de la République'],
    ['Levees hold overnight', 'NEW ORLEANS (Galley Wire)', 'NEW ORLEANS (Galley Wire) — Levees held overnight'],
    ['Regierung berät Haushalt', 'BERLIN (dpa)', 'BERLIN (dpa) – Die Bundesregierung'],
    ['River bridge reopens', 'PITTSBURGH (AP)', 'PITTSBURGH (AP) — The Smithfield Street Bridge'],
    // written by ingest before datelines were recognised: still no dateline inside the body
    ['Grève à la SNCF', 'PARIS (AFP)', 'PARIS (AFP) — Les syndicats de la SNCF'],
  ]) {
    const url = articleUrl(title!);
    const doc = page(url);
    const first = doc.querySelector('.story-body > p')!;
    assert.is(squash(first.querySelector('.dateline-run-in')?.textContent), dateline, title);
    assert.ok(squash(first.textContent).startsWith(lede!), squash(first.textContent));
    assert.is(doc.querySelector('.story-body .initial, .story-body .has-initial'), null, `${title}: no drop cap after a dateline`);
    assert.is(doc.querySelector('.standfirst'), null, `${title}: the summary is the lede: no standfirst`);
    const jsonLd = JSON.parse(doc.querySelector('script[type="application/ld+json"]')!.textContent!) as { dateline?: string };
    assert.is(jsonLd.dateline, dateline);
    // the PDF opens its lede with the same dateline (in capitals)
    assert.match(squash(await pdfText(url)), squash(lede!).toUpperCase().slice(0, dateline!.length));
    assert.match(squash(await pdfText(url)), squash(lede!).slice(dateline!.length));
  }
  if (!chromium) return;
  const paris = await chromiumText(articleUrl('Le président en visite à Marseille'));
  assert.ok(squash(paris.story).startsWith('PARIS (AFP) — Le président de la République s’est rendu mardi'), paris.story);
  assert.not.match(paris.body, /P ARIS|N EW/);
  const orleans = await chromiumText(articleUrl('Levees hold overnight'));
  assert.ok(squash(orleans.story).startsWith('NEW ORLEANS (Galley Wire) — Levees held overnight'), orleans.story);
  assert.not.match(orleans.body, /N EW ORLEANS/);
});

test('a one-letter first word keeps its space after the drop cap: "A storm", in the text Chromium gives and in the PDF', async () => {
  const url = articleUrl('Gulf Coast braces for more rain');
  const doc = page(url);
  assert.ok(doc.querySelector('.story-body > p.has-initial'), 'the lede has a drop cap');
  assert.ok(squash(await pdfText(url)).includes(squash(STORM_LEDE).slice(0, 60)), 'PDF: "A storm hit the Gulf Coast…"');
  if (!chromium) {
    if (process.env.GALLEY_REQUIRE_CHROMIUM) assert.unreachable('chromium not found on PATH');
    console.warn('page.test.ts: chromium not installed; the browser text was not read');
    return;
  }
  const text = await chromiumText(url);
  for (const [what, seen] of [['innerText', text.story], ['selection', text.selection]] as const) {
    assert.ok(squash(seen).startsWith('A storm hit the Gulf Coast on Monday'), `${what}: ${JSON.stringify(seen.slice(0, 60))}`);
    assert.not.match(seen, 'Astorm', what);
  }
  // no letter shown twice: the big letter is drawn, the text holds it once
  assert.is(squash(text.story).split('A storm hit the Gulf Coast').length, 2);
});

test('the byline carries the job title, on the page and in the PDF', async () => {
  const url = articleUrl('Harbour reopens');
  const byline = page(url).querySelector('.byline')!;
  assert.is(squash(byline.textContent), 'By Jane Doe, Associated Press Writer');
  assert.match(squash(await pdfText(url)), 'By Jane Doe, Associated Press Writer · ');
});

// ---- the standfirst ------------------------------------------------------------------------

test('standfirst: none when the summary only repeats the lede (whole, its first sentences, or cut with "…"); a written one is shown, on the page and in the PDF', async () => {
  // without a summary, ingest derives one from the lede: whole sentences, never cut mid-sentence
  const storm = ingested('storm.txt').data.summary as string;
  const [first, second] = STORM_LEDE.split(/(?<=\.) /);
  assert.is(storm, `${first} ${second}`);
  assert.ok(storm.length <= 300 && STORM_LEDE.length > 300);
  assert.is(deriveSummary(`${'Word '.repeat(80)}ends here. Short one.`), `${'Word '.repeat(80)}ends here.`, 'a long first sentence is kept whole');

  for (const title of ['Gulf Coast braces for more rain', 'Terminal delayed', 'Le président en visite à Marseille']) {
    const url = articleUrl(title);
    assert.is(page(url).querySelector('.standfirst'), null, title);
    const pdf = squash(await pdfText(url));
    const lede = squash(page(url).querySelector('.story-body > p')!.textContent).replace(/^PARIS \(AFP\) — /, '').slice(0, 50);
    assert.is(pdf.split(lede).length - 1, 1, `${title}: the PDF prints the lede's words once`);
  }
  const written = articleUrl('Harbour reopens');
  assert.is(squash(page(written).querySelector('.standfirst')!.textContent), 'Ships are moving again after a week of closure.');
  assert.match(squash(await pdfText(written)), 'Ships are moving again after a week of closure.');

  // the derived summary still serves the lists, the feeds and the meta description
  const front = page('');
  const teaser = [...front.querySelectorAll('main article')].find((article) => squash(article.querySelector('h2')!.textContent) === 'Gulf Coast braces for more rain')!;
  assert.is(squash(teaser.querySelector('.teaser-summary')!.textContent), storm);
  const rss = await parseFeed(fs.readFileSync(path.join(out, 'feed.xml'), 'utf8'));
  assert.is(rss.items.find((item) => item.title === 'Gulf Coast braces for more rain')!.description, storm);
});

// ---- the feeds page ------------------------------------------------------------------------

test('the feeds page: linked from the site’s pages, in the site’s language, listing feeds a feed reader accepts', async () => {
  const front = page('');
  const link = front.querySelector('.feed-nav a')!.getAttribute('href')!;
  assert.is(link, 'feeds/');
  assert.is(front.querySelector('.subscribe a')!.getAttribute('href'), 'feeds/');
  assert.is(page(articleUrl('Gulf Coast braces for more rain')).querySelector('.feed-nav a')!.getAttribute('href'), '../../feeds/');
  const feeds = page(link);
  assert.is(feeds.documentElement.lang, 'fr');
  assert.is(squash(feeds.querySelector('h1')!.textContent), 'Flux');
  assert.match(squash(feeds.querySelector('main')!.textContent), 'Collez-la dans votre lecteur de flux');
  // the edition's feeds: each address written out, each link a document a reader accepts
  const items = [...feeds.querySelectorAll('#feeds-all + ul li')];
  assert.equal(items.map((item) => squash(item.querySelector('code')!.textContent)), ['https://example.org/news/feed.xml', 'https://example.org/news/atom.xml', 'https://example.org/news/feed.json']);
  for (const item of items) {
    const url = new URL(item.querySelector('a')!.getAttribute('href')!, 'https://example.org/news/feeds/');
    assert.is(url.href, squash(item.querySelector('code')!.textContent));
    const text = fs.readFileSync(path.join(out, url.pathname.replace(/^\/news\//, '')), 'utf8');
    if (url.pathname.endsWith('.json')) {
      const json = JSON.parse(text) as { version: string; items: unknown[] };
      assert.is(json.version, 'https://jsonfeed.org/version/1.1');
      assert.is(json.items.length, 12);
    } else {
      assert.not.match(text, 'xml-stylesheet', `${url.pathname}: no XSLT`);
      const feed = await parseFeed(text);
      assert.is(feed.items.length, 12, url.pathname);
      assert.is(feed.self, url.href);
    }
  }
  // each topic's feeds, under the anchor its topic page links to
  const topic = page('tags/weather/');
  const topicLink = new URL(topic.querySelector('.topic-feeds a')!.getAttribute('href')!, 'https://example.org/news/tags/weather/');
  assert.is(topicLink.pathname + topicLink.hash, '/news/feeds/#topic-weather');
  const section = feeds.getElementById('topic-weather')!;
  assert.is(squash(section.querySelector('h3')!.textContent), 'Weather');
  for (const code of section.querySelectorAll('code')) {
    const file = path.join(out, new URL(code.textContent!).pathname.replace(/^\/news\//, ''));
    const text = fs.readFileSync(file, 'utf8');
    if (file.endsWith('.json')) assert.is((JSON.parse(text) as { items: unknown[] }).items.length, 1);
    else assert.equal((await parseFeed(text)).items.map((item) => item.title), ['Gulf Coast braces for more rain']);
  }
  assert.not.ok(fs.existsSync(path.join(out, 'feed.xsl')), 'no XSLT stylesheet is published');
});

test('the feeds carry the dateline at the head of the item’s content', async () => {
  const feed = await parseFeed(fs.readFileSync(path.join(out, 'atom.xml'), 'utf8'));
  const paris = feed.items.find((item) => item.title === 'Le président en visite à Marseille')!;
  const content = new JSDOM(paris.content ?? '').window.document;
  assert.ok(squash(content.querySelector('p')!.textContent).startsWith('PARIS (AFP) — Le président'), paris.content ?? '');
  assert.is(squash(content.querySelector('p b')!.textContent), 'PARIS (AFP)');
});

test.run();
