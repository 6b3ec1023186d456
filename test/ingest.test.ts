/**
 * Ingest: raw wire copy → Markdown source. Golden fixtures per behaviour
 * (test/fixtures/ingest/<behaviour>/input.txt → expected.md; UPDATE=1 rewrites them), then the
 * rules one by one, then every bad input with the message it must print.
 */
import fs from 'node:fs';
import v8 from 'node:v8';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import { toString } from 'mdast-util-to-string';
import YAML from 'yaml';
import { tempContent, prepareContent, messages, golden, TEST_NOW } from './helpers.ts';
import { splitFrontMatter } from '../pipeline/model/article.ts';
import { typesetText } from '../pipeline/model/typography.ts';
import { parseMarkdown } from '../pipeline/model/markdown.ts';
import { readWireText, unwrap } from '../pipeline/ingest/wire-text.ts';
import { structure } from '../pipeline/ingest/structure.ts';
import { deriveHeadline } from '../pipeline/ingest/headline.ts';
import { ingestRawFolder } from '../pipeline/ingest/index.ts';
import { loadSiteSettings } from '../pipeline/model/site.ts';
import { Diagnostics } from '../pipeline/model/diagnostics.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'ingest');

/** Ingests one raw text alone in a content folder; returns the source written and the run. */
function ingest(raw: string | Uint8Array, name = 'story.txt') {
  const dir = tempContent({ [`raw/${name}`]: raw });
  const report = prepareContent(dir);
  const written = report.ingested[0];
  const markdown = written ? fs.readFileSync(written.markdown, 'utf8') : null;
  const split = markdown ? splitFrontMatter(markdown) : null;
  return { dir, report, markdown, data: split?.frontMatter ? YAML.parse(split.frontMatter) : null, body: split?.body ?? '', log: messages(report, dir) };
}

/** Paragraph texts as a Markdown reader sees them. */
function paragraphsOf(markdown: string): string[] {
  const tree = unified().use(remarkParse).parse(markdown);
  return tree.children.map((node) => toString(node));
}

for (const behaviour of fs.readdirSync(FIXTURES).sort()) {
  test(`fixture ${behaviour}: raw text becomes the expected Markdown source`, () => {
    const { markdown, report } = ingest(fs.readFileSync(path.join(FIXTURES, behaviour, 'input.txt')), `${behaviour}.txt`);
    assert.ok(report.ok, report.diagnostics.format());
    assert.ok(markdown, 'a source was written');
    assert.fixture(markdown!, golden(path.join(FIXTURES, behaviour, 'expected.md'), markdown!));
  });
}

test('the sample article: every paragraph, related line and credit in its place', () => {
  const { data, body } = ingest(fs.readFileSync(path.join(FIXTURES, 'sample-article', 'input.txt')));
  const paragraphs = paragraphsOf(body);
  assert.is(paragraphs.length, 15);
  assert.is(paragraphs[0], 'North Korean leader Kim Jong Un will visit Russia “in the coming days” after receiving an invite from Russian President Vladimir Putin, the Kremlin confirmed Monday.');
  assert.is(paragraphs[4], '“[South Korea’s] intelligence authorities believe the train presumed to be carrying Kim Jong Un is moving to Vladivostok,” a South Korean government official told the Yonhap news agency.');
  assert.is(paragraphs[14], 'In July 2023, Putin hailed Pyongyang’s “firm support for special military operations against Ukraine.”');
  assert.not.ok(paragraphs.some((p) => /Related article|contributed reporting/.test(p)), 'related and credit lines are not body paragraphs');
  assert.equal(data.related, [{ title: 'U.S. Says Shoigu Looking for Weapons in North Korea' }]);
  assert.is(data.credit, 'AFP contributed reporting.');
  assert.is(data.title, 'North Korean leader Kim Jong Un will visit Russia “in the coming days”');
  assert.is(data.summary, paragraphs[0]);
  assert.is(data.date, '2024-06-01T12:00:00Z');
  assert.is(data.source, 'raw/story.txt');
  assert.is(data.author, 'Staff');
  assert.is(data.lang, 'en');
  assert.is(data.words, 368);
  assert.is(data.readingMinutes, 2);
});

test('a derived headline is announced so an editor can check it', () => {
  const { log } = ingest('The central bank held rates steady on Thursday, as expected by most economists polled beforehand.\n');
  assert.equal(log, ['raw/story.txt: notice: no Title: headline derived from the lede, check it: "The central bank held rates steady on Thursday" [headline]']);
});

test('headlines are cut at a clause boundary, never mid-word', () => {
  assert.is(deriveHeadline('North Korean leader Kim Jong Un will visit Russia “in the coming days” after receiving an invite from Russian President Vladimir Putin, the Kremlin confirmed Monday.'), 'North Korean leader Kim Jong Un will visit Russia “in the coming days”');
  assert.is(deriveHeadline('The U.S. Army said on Tuesday that it would withdraw troops. Later text.'), 'The U.S. Army said on Tuesday that it would withdraw troops');
  const long = 'Supercalifragilistic '.repeat(10).trim();
  const headline = deriveHeadline(long);
  assert.ok(headline.length <= 90, headline);
  assert.ok(headline.endsWith('Supercalifragilistic…'), headline);
  // never leaving a guillemet open
  const french = deriveHeadline('Le gouvernement français a présenté mercredi un plan de 12 milliards d’euros pour « accélérer la transition écologique » dans les transports et le logement, a annoncé la ministre.', 'fr');
  assert.not.match(french, /«/, french);
  // Chinese and Japanese characters are set twice as wide: 90 of them would fill two lines
  const chinese = deriveHeadline('上海市统计局3日发布数据显示，今年前11个月上海GDP同比增长5.2%，其中第三产业增加值占比超过75%，高于全国平均水平，显示出上海“国际经济中心”地位进一步巩固。', 'zh');
  assert.is(chinese, '上海市统计局3日发布数据显示，今年前11个月上海GDP同比增长5.2%', 'cut at the ideographic comma');
});

test('header: only known keys at the very top make a header; values are honoured', () => {
  const { data, body } = ingest(fs.readFileSync(path.join(FIXTURES, 'header-block', 'input.txt')));
  assert.is(data.title, 'Markets rally as “inflation” cools');
  assert.is(data.author, 'Jane Doe');
  assert.is(data.date, '2024-03-05T13:30:00Z');
  assert.equal(data.tags, ['economy', 'markets', 'inflation']);
  assert.is(data.slug, 'markets-rally');
  assert.is(data.summary, 'Stocks rose after data showed prices cooling.');
  assert.is(data.lang, 'en-GB');
  assert.equal(paragraphsOf(body), ['Stocks rose on Tuesday after data showed inflation cooling for a third month.', 'Analysts said the rally may not last.']);

  const notHeader = ingest(fs.readFileSync(path.join(FIXTURES, 'first-line-not-a-header', 'input.txt')));
  assert.equal(paragraphsOf(notHeader.body), [
    'Washington: the State Department said on Friday it would review the decision. Title: this line is body text too, since the block is not all header keys',
    'http://example.com/a-link-on-its-own-line: not a key',
    'Officials ended the briefing with a line ending in a colon:',
  ]);
});

test('header: indented continuation lines belong to the key above; unknown keys are warnings and the known keys still count', () => {
  const { data, body, log, report } = ingest(fs.readFileSync(path.join(FIXTURES, 'wrapped-header', 'input.txt')));
  assert.ok(report.ok, report.diagnostics.format());
  assert.is(data.title, 'Harbour reopens after the storm');
  assert.is(data.date, '2024-05-02T09:00:00Z');
  assert.is(data.summary, 'Ferries sailed again on Thursday, two days after the storm closed the port and cut power to the old town.');
  assert.equal(data.tags, ['weather', 'shipping']);
  assert.equal(paragraphsOf(body), ['Ferries left the harbour on Thursday morning for the first time since the storm.', 'The port authority said repairs to the breakwater would take weeks.']);
  assert.equal(log, [
    'raw/story.txt:2:1: warning: unknown header key "Slugline" is ignored (known keys: Title, Author, Date, Tags, Slug, Summary, Lang) [header]',
    'raw/story.txt:3:1: warning: unknown header key "Byline" is ignored (known keys: Title, Author, Date, Tags, Slug, Summary, Lang) [header]',
  ]);
});

test('header: a first paragraph that reads like a header but cannot be read is an error, not a headline', () => {
  const { report, log, markdown } = ingest('Title: Kim to visit Russia\nSummary: The Kremlin confirmed\nthe visit on Monday.\nDate: 2023-09-11\n\nKim Jong Un will visit Russia.\n');
  assert.not.ok(report.ok);
  assert.is(markdown, null);
  assert.equal(log, ['raw/story.txt:3:1: error: story.txt: the header block cannot be read: line 3 is neither `Key: value` nor an indented continuation (to continue Summary:, indent it); end the header with a blank line before the text [header]']);
  // one unknown key line alone is a lede with a colon, as before
  const lede = ingest('Washington: the State Department said on Friday it would review the decision.\n');
  assert.ok(lede.report.ok);
  assert.equal(lede.log.filter((line) => /header/.test(line)), []);
  assert.equal(paragraphsOf(lede.body), ['Washington: the State Department said on Friday it would review the decision.']);
});

test('unwrapping: CRLF, BOM, whitespace-only lines, runs of spaces, CJK joins', () => {
  const { data, body } = ingest(fs.readFileSync(path.join(FIXTURES, 'crlf-and-bom', 'input.txt')));
  assert.is(data.title, 'Windows line endings');
  assert.equal(paragraphsOf(body), ['A paragraph written on Windows with CRLF line ends.', 'Another paragraph with runs of spaces.']);
  assert.is(unwrap(['朝鲜领导人', '访问俄罗斯。']), '朝鲜领导人访问俄罗斯。');
  assert.is(unwrap(['대통령의', '초청으로']), '대통령의 초청으로');
  assert.is(unwrap(['  leading', 'and trailing   ', '  spaces  ']), 'leading and trailing spaces');
});

test('lists: "- " blocks, and runs of them, become one list', () => {
  const { body } = ingest(fs.readFileSync(path.join(FIXTURES, 'bullet-list', 'input.txt')));
  const tree = unified().use(remarkParse).parse(body);
  assert.equal(tree.children.map((node) => node.type), ['paragraph', 'list', 'paragraph']);
  const list = tree.children[1]!;
  assert.equal(list.type === 'list' ? list.children.map((item) => toString(item)) : [], [
    'The train left Pyongyang on Sunday.',
    'It was seen near the border on Monday.',
    'Russian officials have not confirmed the route.',
  ]);
});

test('lists: "* " and "• " blocks too, one marker a block; a line starting with "*" in running text stays text', () => {
  const { body } = ingest('Title: Pensions\n\nThe reform in figures:\n\n* Minimum rise: 2.8%\n* Non-contributory pensions: 9%\n\n• Gender gap supplement: 35 euros\n\n*Correction* appended below.\nSecond line.\n');
  const tree = unified().use(remarkParse).parse(body);
  assert.equal(tree.children.map((node) => node.type), ['paragraph', 'list', 'paragraph']);
  const list = tree.children[1]!;
  assert.equal(list.type === 'list' ? list.children.map((item) => toString(item)) : [], ['Minimum rise: 2.8%', 'Non-contributory pensions: 9%', 'Gender gap supplement: 35 euros']);
  assert.is(toString(tree.children[2]!), '*Correction* appended below. Second line.');
});

test('related lines anywhere and closing credits go to front-matter', () => {
  const { data, body } = ingest(fs.readFileSync(path.join(FIXTURES, 'related-and-credit', 'input.txt')));
  assert.equal(data.related, [{ title: 'Earlier tremors rattled the region', url: 'https://example.com/earlier' }, { title: 'How early warning systems work' }]);
  assert.is(data.credit, 'Reporting by Jane Doe; Editing by John Roe Some information for this report was provided by AP.');
  assert.equal(paragraphsOf(body), ['A strong earthquake struck off the coast on Tuesday, officials said.', 'Residents were told to move to higher ground.']);
  for (const credit of ['AFP contributed reporting.', 'Reuters contributed to this report.', 'The Associated Press contributed to this report.', 'With AFP']) {
    assert.is(structure(readWireText(`Body text here.\n\n${credit}\n`).blocks).credit, credit, credit);
  }
  // a sentence that merely mentions reporting stays in the body
  assert.is(structure(readWireText('Body.\n\nThe agency said reporting by journalists was restricted in the area for weeks.\n').blocks).credit, null);
});

test('Markdown and HTML specials in wire copy read back as the same literal text', () => {
  const raw = fs.readFileSync(path.join(FIXTURES, 'markdown-specials', 'input.txt'), 'utf8');
  const { body, data } = ingest(raw);
  assert.is(data.title, '<script>alert(1)</script> & “quotes” <b>');
  const expected = raw.split('\n\n').slice(1).map((block) => block.replace(/\s*\n\s*/g, ' ').trim()).filter(Boolean);
  const tree = unified().use(remarkParse).parse(body);
  // no Markdown construct survives: only paragraphs of plain text
  assert.equal(tree.children.map((node) => node.type), expected.map(() => 'paragraph'));
  // typography is the only change: curly quotes, and `--` set as a dash
  const plain = (text: string) => text.replace(/[“”]/g, '"').replace(/[‘’]/g, "'").replace(/—/g, '--');
  assert.equal(paragraphsOf(body).map(plain), expected);
});

test('typographic quotes: straight and curly quotes come out curly and consistent', () => {
  const { body } = ingest(fs.readFileSync(path.join(FIXTURES, 'hard-wrapped-quote', 'input.txt')));
  assert.equal(paragraphsOf(body), [
    '“We will not back down,” she said. ‘Never,’ he added, quoting the “old guard’s” motto — and then… silence.',
    'He said: “It’s over” — and left.',
  ]);
});

test('bad raw input: each names the file and says what is wrong', () => {
  const cases: [string, string | Uint8Array, string][] = [
    ['empty', '', 'raw/empty.txt: error: empty.txt is empty: there is no article to publish [raw-text]'],
    ['blank', '  \n\t\n \r\n', 'raw/blank.txt: error: blank.txt holds only whitespace: there is no article to publish [raw-text]'],
    ['nul', Buffer.from('Title: x\n\nText\u0000more\n'), 'raw/nul.txt:3:5: error: nul.txt contains NUL bytes: this is a binary file, not a text article [raw-text]'],
    ['latin1', Buffer.from([0x41, 0x0a, 0x42, 0x43, 0xe9, 0x20, 0x44, 0x0a]), 'raw/latin1.txt:2:3: error: latin1.txt is not valid UTF-8 (bytes e9 20 44 0a at byte 4); re-save the file as UTF-8 [raw-text]'],
    ['baddate', 'Title: x\nDate: 31/02/2023 25:61\n\nText.\n', 'raw/baddate.txt:2:7: error: Date "31/02/2023 25:61" is not a date (write 2023-09-11, 2023-09-11T08:00:00Z or Mon, 11 Sep 2023 08:00:00 GMT) [header]'],
    ['nonexistent', 'Title: x\nDate: 2023-02-30\n\nText.\n', 'raw/nonexistent.txt:2:7: error: Date "2023-02-30" is not a date (write 2023-09-11, 2023-09-11T08:00:00Z or Mon, 11 Sep 2023 08:00:00 GMT) [header]'],
    ['badlang', 'Title: x\nLang: klingonese\n\nText.\n', 'raw/badlang.txt:2:7: error: Lang "klingonese" is not a known language tag (BCP 47, e.g. en, fr, pt-BR) [header]'],
    ['headeronly', 'Title: x\nDate: 2023-02-03\n', 'raw/headeronly.txt: error: headeronly.txt has no body text after its header block [raw-text]'],
  ];
  for (const [name, raw, expected] of cases) {
    const { report, log, markdown } = ingest(raw, `${name}.txt`);
    assert.not.ok(report.ok, name);
    assert.is(markdown, null, `${name}: no source written`);
    assert.equal(log, [expected], name);
  }
});

test('dates: ISO with offsets, RFC 2822 and month names are read in UTC; no date → now', () => {
  const dateOf = (value: string) => ingest(`Date: ${value}\n\nText.\n`).data.date;
  assert.is(dateOf('2023-09-11'), '2023-09-11T00:00:00Z');
  assert.is(dateOf('2023-09-11T08:00:00+09:00'), '2023-09-10T23:00:00Z');
  assert.is(dateOf('Mon, 11 Sep 2023 08:00:00 GMT'), '2023-09-11T08:00:00Z');
  assert.is(dateOf('September 11, 2023'), '2023-09-11T00:00:00Z');
  assert.is(ingest('Text.\n').data.date, TEST_NOW.toISOString().replace('.000Z', 'Z'));
});

test('slugs: a Slug header is sanitised, never a path', () => {
  const { data, report, dir, log } = ingest('Title: Traversal\nSlug: ../../etc/passwd\n\nText.\n');
  assert.is(data.slug, 'etc-passwd');
  assert.is(report.ingested[0]!.markdown, path.join(dir, 'articles', 'etc-passwd.md'));
  assert.equal(log, ['raw/story.txt:2:7: notice: Slug "../../etc/passwd" is not a safe URL segment; using “etc-passwd” [slug]']);
  assert.is(ingest('Title: 金正恩将访问俄罗斯\n\n朝鲜。\n', 'cjk-story.txt').data.slug, 'cjk-story');
  assert.is(ingest('Title: Łódź: Tiếng Việt, Ελληνικά\n\nText.\n').data.slug, 'lodz-tieng-viet-ellinika');
});

test('slugs: two articles with one headline get distinct slugs and a notice', () => {
  const dir = tempContent({
    'raw/a.txt': 'Title: Same Headline\n\nStory A.\n',
    'raw/b.txt': 'Title: Same Headline\n\nStory B.\n',
  });
  const report = prepareContent(dir);
  assert.ok(report.ok);
  assert.equal(report.published.map((article) => article.slug).sort(), ['same-headline', 'same-headline-2']);
  assert.equal(messages(report, dir), ['raw/b.txt: notice: slug “same-headline” is taken by another article; this one is “same-headline-2” [slug]']);
});

test('an existing source is never overwritten: a person’s edits win, on every later build', () => {
  const dir = tempContent({ 'raw/story.txt': 'Title: Original\n\nOriginal text.\n' });
  const first = prepareContent(dir);
  const source = first.ingested[0]!.markdown;
  const edited = fs.readFileSync(source, 'utf8').replace(/Original text\.\n$/, 'Edited by a person.\n');
  fs.writeFileSync(source, edited);
  fs.writeFileSync(path.join(dir, 'raw', 'story.txt'), 'Title: Original\n\nThe wire sent a correction.\n');
  const second = prepareContent(dir);
  assert.equal(second.ingested, []);
  assert.is(fs.readFileSync(source, 'utf8'), edited);
  assert.equal(fs.readdirSync(path.join(dir, 'articles')), ['original.md']);
  assert.is(toString(second.published[0]!.body), 'Edited by a person.');
});

test('a hand-written source in articles/ is an article too', () => {
  const dir = tempContent({ 'articles/notes.md': '---\ntitle: Editor’s notes\ndate: 2024-01-05\n---\n\nWritten by *hand*.\n' });
  const report = prepareContent(dir);
  assert.ok(report.ok);
  const [article] = report.published;
  assert.is(article!.slug, 'notes');
  assert.is(article!.summary, 'Written by hand.');
  assert.is(article!.author, 'Staff');
});

test('ingest pauses after each raw file, the source written from it already handed on (a build takes in what its readers made meanwhile)', () => {
  const story = (n: number) => `Vienna talks resume, report ${n}\n\nVIENNA (Reuters) - Talks resumed on ${n} March, officials said on Monday.\n\nThey said more talks would follow.\n`;
  const dir = tempContent({ 'raw/a.txt': story(1), 'raw/b.txt': story(2), 'raw/c.txt': story(3) });
  const diagnostics = new Diagnostics();
  const site = loadSiteSettings(dir, diagnostics);
  assert.ok(site, diagnostics.format());
  const handed: string[] = [];
  const steps = ingestRawFolder({ contentDir: dir, site, now: TEST_NOW, claimed: new Set(), takenSlugs: new Set(), diagnostics, onWritten: (item) => handed.push(item.raw) });
  const seen: string[][] = [];
  for (let step = steps.next(); !step.done; step = steps.next()) seen.push([...handed]);
  assert.equal(seen, [['raw/a.txt'], ['raw/a.txt', 'raw/b.txt'], ['raw/a.txt', 'raw/b.txt', 'raw/c.txt']]);
  assert.is(diagnostics.count('error'), 0, diagnostics.format());
});

test('the articles a build holds keep each string that can be in one byte a character, whatever else the source holds', () => {
  // V8's serialisation tags a string by its form: `"` one byte a character, `c` two (after any padding)
  const form = (text: string) => ({ '"': 'one byte', c: 'two bytes' })[String.fromCharCode(v8.serialize(text).subarray(2).find((byte) => byte !== 0)!)];
  const dir = tempContent({
    'articles/harbour-reopens.md': [
      '---',
      'title: Harbour reopens after storm',
      'date: 2023-09-11T08:00:00Z',
      'author: Port Reporter',
      'tags: [ports, weather]',
      'credit: AFP contributed reporting.',
      'related:',
      '  - title: Storm closes harbour',
      '---',
      '',
      'The harbour “reopened” on Monday, its master said.',
      '',
    ].join('\n'),
  });
  const report = prepareContent(dir);
  assert.ok(report.ok);
  const [article] = report.published;
  // the source decodes two bytes a character (its curly quotes); what is Latin-1 of it is kept in one
  for (const text of [article!.slug, article!.title, article!.author, article!.credit!, article!.tags[0]!, article!.lang, article!.related[0]!.title]) assert.is(form(text), 'one byte', text);
  assert.is(article!.summary, 'The harbour “reopened” on Monday, its master said.');
  assert.is(form(article!.summary), 'two bytes');
  assert.equal([article!.slug, article!.title, article!.date.toISOString(), article!.related], ['harbour-reopens', 'Harbour reopens after storm', '2023-09-11T08:00:00.000Z', [{ title: 'Storm closes harbour', url: null }]]);
});

test('slugs as each language spells its letters, and none of a headline with no ASCII spelling; the language told from the text when no Lang says it', () => {
  const turkish = ingest('Title: Merkez Bankası politika faizini yüzde 42ye indirdi\n\nAnkara (AA) - Merkez Bankası Para Politikası Kurulu politika faizini yüzde 42ye indirdi ve piyasalar bu kararı olumlu karşıladı.\n', 'tr-aa.txt');
  assert.is(turkish.data.slug, 'merkez-bankasi-politika-faizini-yuzde-42ye-indirdi');
  assert.is(turkish.data.lang, 'tr');
  const german = ingest('Title: Österreichs Nationalrat beschließt Klimaschutzgesetz\n\nWIEN (APA) - Der Nationalrat hat am Mittwoch nach jahrelangen Verhandlungen das\nKlimaschutzgesetz beschlossen. Umweltschutzorganisationen sprachen von einem Meilenstein.\n', 'apa.txt');
  assert.is(german.data.slug, 'oesterreichs-nationalrat-beschliesst-klimaschutzgesetz');
  assert.is(german.data.lang, 'de');
  assert.match(german.log.join('\n'), /no Lang: the language is told from the text: de/);
  const greek = ingest('Title: Η Βουλή ψήφισε τον προϋπολογισμό του 2027\n\nΑΘΗΝΑ (ΑΠΕ-ΜΠΕ) - Η Βουλή ψήφισε αργά το βράδυ της Τετάρτης τον κρατικό προϋπολογισμό του 2027.\n', 'ana.txt');
  assert.is(greek.data.slug, 'i-bouli-psifise-ton-proypologismo-tou-2027', 'ου as ou, not oy');
  assert.is(greek.data.lang, 'el');
  const japanese = ingest('Title: 日銀、追加利上げを決定　政策金利0.75％に\n\n日銀は3日、金融政策決定会合を開き、政策金利を現在の0.5％から0.75％に引き上げることを決めた。\n', 'kyodo-0312.txt');
  assert.is(japanese.data.slug, 'kyodo-0312', 'the file name, not "0-75"');
  assert.is(japanese.data.lang, 'ja');
  const english = ingest('Title: Harbour reopens\n\nThe harbour reopened on Tuesday after the storm, the port authority said, and the first ferries sailed again before noon.\n');
  assert.is(english.data.lang, 'en', 'the site language, and no notice');
  assert.not.match(english.log.join('\n'), /told from the text/);
});

test("two apostrophes for a double quote (''…'') open and close by where they stand; Hebrew's gershayim are no quotation marks", () => {
  const hindi = ingest("Title: सरकार का बयान\nLang: hi\n\nमंत्री ने कहा, ''सरकार इस पर विचार कर रही है।'' उन्होंने और कुछ नहीं कहा।\n");
  assert.match(hindi.body, /कहा, “सरकार इस पर विचार कर रही है।” उन्होंने/);
  assert.is(typesetText('לפי נתוני הלמ”ס, הגירעון צפוי', 'he'), 'לפי נתוני הלמ״ס, הגירעון צפוי');
  assert.is(toString(parseMarkdown('דובר צה"ל אמר ש"המצב יציב"', 'he')), 'דובר צה״ל אמר ש”המצב יציב”', 'the gershayim before the last letter; the quotation stays a quotation');
});

test('a hyphen typed between spaces is the language’s spaced dash; hyphens in words and ranges stay', () => {
  const russian = ingest('Title: Форум открылся\nLang: ru\n\n«Это важный шаг», - заявил министр. Форум пройдет 3-5 декабря.\n');
  assert.match(russian.body, /«Это важный шаг», — заявил министр\. Форум пройдет 3-5 декабря\./);
  const german = ingest('Title: Haushalt beschlossen\nLang: de\n\nDie Opposition - vor allem die Grünen - stimmte dagegen.\n');
  assert.match(german.body, /Die Opposition – vor allem die Grünen – stimmte dagegen\./);
});

test.run();
