/**
 * The build engine, as an operator meets it: the real command in a child process, exit codes,
 * atomic publish, reproducibility across time zones, and rebuilds that match clean builds.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertAsClean, galley, ROOT, SECOND, site, tree } from './command.ts';
import { POOL_THRESHOLD } from '../pipeline/outputs/pdf/pool-size.ts';
import { listing } from './helpers.ts';
import { recordedListing } from '../pipeline/engine/manifest.ts';
import { artifactGlyphs } from './pdf-reading.ts';
import { OUTPUTS } from '../pipeline/outputs/registry.ts';

test('a build publishes every output and says what it did', () => {
  const { build, out } = site();
  const run = build();
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stdout, /ingested {2}raw\/kim\.txt → .*articles\/north-korean-leader-kim-jong-un-will-visit-russia\.md/);
  assert.match(run.stdout, /galley: 2 articles published \(2 PDFs rendered, 0 unchanged\), 2 ingested, 0 held back/);
  assert.match(run.stderr, /raw\/kim\.txt: notice: no Title: headline derived from the lede/);
  const files = Object.keys(tree(out)).sort();
  for (const expected of ['index.html', 'feed.xml', 'atom.xml', 'feed.json', 'style.css', 'articles/markets-rally-as-inflation-cools/index.html', 'articles/markets-rally-as-inflation-cools/markets-rally-as-inflation-cools.pdf', 'tags/economy/index.html']) {
    assert.ok(files.includes(expected), `${expected} published (got ${files.join(', ')})`);
  }
  assert.equal(fs.readdirSync(path.dirname(out)), ['dist'], 'no staging folder left beside the output');
});

test('a failed build leaves the previous edition exactly as it was, and names the file', () => {
  const { build, out, content } = site();
  assert.is(build().status, 0);
  const before = tree(out);
  fs.writeFileSync(path.join(content, 'raw', 'broken.txt'), Buffer.from([0x41, 0x42, 0xff, 0xfe, 0x0a]));
  fs.writeFileSync(path.join(content, 'articles', 'bad.md'), '---\ntitle: Bad\ndate: someday\nlang: xx\n---\n\nText.\n');
  const run = build();
  assert.is(run.status, 1);
  assert.match(run.stderr, /raw\/broken\.txt:1:3: error: broken\.txt is not valid UTF-8/);
  assert.match(run.stderr, /articles\/bad\.md:3:7: error: date "someday" is not a date/);
  assert.match(run.stderr, /articles\/bad\.md:4:7: error: lang "xx" is not a known language tag/);
  assert.match(run.stderr, /galley: 3 errors; nothing published/);
  assert.equal(tree(out), before);
  assert.equal(fs.readdirSync(path.dirname(out)), ['dist']);
});

test('usage errors exit 2 and touch nothing', () => {
  const { content, root } = site();
  const unknownFlag = galley(['--content', content, '--colour']);
  assert.is(unknownFlag.status, 2);
  assert.match(unknownFlag.stderr, /Unknown option '--colour'/);
  const outOverContent = galley(['--content', content, '--out', path.dirname(content)]);
  assert.is(outOverContent.status, 2);
  assert.match(outOverContent.stderr, /refusing to use .* as the output folder/);
  const missing = galley(['--content', path.join(root, 'nowhere')]);
  assert.is(missing.status, 2);
  assert.ok(fs.existsSync(content));
});

test('files no source produces any more disappear from the next edition', () => {
  const { build, out, content } = site();
  assert.is(build().status, 0);
  assert.ok(fs.existsSync(path.join(out, 'articles', 'markets-rally-as-inflation-cools', 'index.html')));
  fs.rmSync(path.join(content, 'raw', 'markets.txt'));
  fs.rmSync(path.join(content, 'articles', 'markets-rally-as-inflation-cools.md'));
  fs.writeFileSync(path.join(out, 'stray.txt'), 'not from any source');
  assert.is(build().status, 0);
  assert.not.ok(fs.existsSync(path.join(out, 'articles', 'markets-rally-as-inflation-cools')));
  assert.not.ok(fs.existsSync(path.join(out, 'tags', 'economy')));
  assert.not.ok(fs.existsSync(path.join(out, 'stray.txt')));
});

test('the same sources give byte-identical editions, whatever the time zone', () => {
  const first = site();
  assert.is(first.build([], { TZ: 'Pacific/Kiritimati' }).status, 0);
  // a second folder with the same sources, a cold cache of its own, the other side of the date line
  const second = site();
  fs.cpSync(path.join(first.content, 'articles'), path.join(second.content, 'articles'), { recursive: true });
  assert.is(second.build([], { TZ: 'Pacific/Pago_Pago' }).status, 0);
  assert.equal(tree(second.out), tree(first.out));
});

test('rebuilds: unchanged → kept as is; an edit → byte-identical to a clean build of the same sources', () => {
  const { build, out, content, root } = site();
  assert.is(build().status, 0);
  const before = tree(out);
  const again = build();
  assert.is(again.status, 0);
  assert.match(again.stdout, /nothing changed, edition kept/);
  assert.match(again.stderr, /raw\/kim\.txt: notice: no Title/, 'the messages of the kept build are told again');
  assert.equal(tree(out), before);

  const source = path.join(content, 'articles', 'markets-rally-as-inflation-cools.md');
  fs.appendFileSync(source, '\nAnalysts said the rally may not last.\n');
  const edited = build();
  assert.is(edited.status, 0);
  assert.match(edited.stdout, /1 PDFs rendered, 1 unchanged/);
  const page = fs.readFileSync(path.join(out, 'articles', 'markets-rally-as-inflation-cools', 'index.html'), 'utf8');
  assert.match(page, /Analysts said the rally may not last\./);
  assert.match(fs.readFileSync(path.join(out, 'feed.xml'), 'utf8'), /Analysts said the rally may not last\./);

  const clean = path.join(root, 'clean');
  const cleanBuild = galley(['--content', content, '--out', clean, '--base-url', 'https://example.org/news/'], { GALLEY_CACHE_DIR: path.join(root, 'cold-cache') });
  assert.is(cleanBuild.status, 0);
  assert.equal(tree(out), tree(clean));
});

test('the no-change check sees whatever was done to the output folder: each change gives an edition as published, then nothing changes', () => {
  const { build, out } = site();
  assert.is(build().status, 0);
  const published = tree(out);
  const article = path.join(out, 'articles', KIM);
  const page = path.join(article, 'index.html');
  const changes: Record<string, () => void> = {
    'a file added to an article folder': () => fs.writeFileSync(path.join(article, 'notes.txt'), 'by hand'),
    'a file removed': () => fs.rmSync(path.join(out, 'atom.xml')),
    'an empty folder added': () => fs.mkdirSync(path.join(out, 'tags', 'by-hand')),
    'a page rewritten in place to its size, its times set back': () => {
      const stat = fs.statSync(page);
      const text = fs.readFileSync(page, 'utf8');
      fs.writeFileSync(page, text.replace('<title>', '<TITLE>'));
      fs.utimesSync(page, stat.atime, stat.mtime);
    },
    'a page replaced by a link to a copy of it': () => {
      fs.copyFileSync(page, path.join(out, '..', 'copy.html'));
      fs.rmSync(page);
      fs.symlinkSync(path.join(out, '..', 'copy.html'), page);
    },
    'a folder renamed and back': () => {
      fs.renameSync(article, `${article}-x`);
      fs.renameSync(`${article}-x`, article);
    },
  };
  for (const [what, change] of Object.entries(changes)) {
    change();
    const rebuilt = build();
    assert.is(rebuilt.status, 0, rebuilt.stderr);
    assert.not.match(rebuilt.stdout, /nothing changed/, what);
    assert.equal(tree(out), published, what);
    assert.match(build().stdout, /nothing changed, edition kept/, `after: ${what}`);
  }
});

test('a large edition renders on the worker pool: a file saved unchanged → edition kept; an edit → one PDF, as a clean build makes it', () => {
  const files: Record<string, string> = {};
  for (let day = 1; day <= POOL_THRESHOLD; day++) {
    files[`articles/harbour-${day}.md`] = `---\ntitle: Harbour terminal update ${day}\ndate: 2024-03-0${day}T10:00:00Z\n---\n\nThe harbour authority said on day ${day} that the new terminal would open later than planned.\n`;
  }
  const { build, out, content, root } = site(files);
  const first = build();
  assert.is(first.status, 0, first.stderr);
  assert.match(first.stdout, new RegExp(`${POOL_THRESHOLD} PDFs rendered, 0 unchanged`));
  // a source saved again unchanged: only its time differs, so nothing is made again
  const later = new Date(Date.now() + 5_000);
  fs.utimesSync(path.join(content, 'articles', 'harbour-2.md'), later, later);
  const again = build();
  assert.is(again.status, 0, again.stderr);
  assert.match(again.stdout, /nothing changed, edition kept/);

  fs.appendFileSync(path.join(content, 'articles', 'harbour-1.md'), '\nDredging resumes in March.\n');
  const edited = build();
  assert.is(edited.status, 0, edited.stderr);
  assert.match(edited.stdout, new RegExp(`1 PDFs rendered, ${POOL_THRESHOLD - 1} unchanged`));
  const clean = path.join(root, 'clean');
  const cleanBuild = galley(['--content', content, '--out', clean, '--base-url', 'https://example.org/news/'], { GALLEY_CACHE_DIR: path.join(root, 'cold-cache') });
  assert.is(cleanBuild.status, 0, cleanBuild.stderr);
  assert.equal(tree(out), tree(clean));
});

test('a PDF made with a warning tells it again when a later build takes it from the cache', () => {
  const files: Record<string, string> = {};
  for (let day = 1; day <= POOL_THRESHOLD; day++) {
    files[`articles/harbour-${day}.md`] = `---\ntitle: Harbour terminal update ${day}\ndate: 2024-03-0${day}T10:00:00Z\n---\n\nThe harbour authority said on day ${day} that the new terminal would open later than planned.\n`;
  }
  // a character no font of the theme has: the PDF draws a stand-in and warns
  files['articles/harbour-2.md'] = files['articles/harbour-2.md']!.replace('planned.', 'planned \u{13000}.');
  const { build, content } = site(files);
  const first = build();
  assert.is(first.status, 0, first.stderr);
  assert.match(first.stderr, /harbour-2\.md.*no font can draw U\+13000/);
  assert.match(first.stdout, /1 warning/);
  // another article edited: harbour-2's PDF comes from the cache, and so does its warning
  fs.appendFileSync(path.join(content, 'articles', 'harbour-1.md'), '\nDredging resumes in March.\n');
  const second = build();
  assert.is(second.status, 0, second.stderr);
  assert.match(second.stdout, new RegExp(`1 PDFs rendered, ${POOL_THRESHOLD - 1} unchanged`));
  assert.match(second.stderr, /harbour-2\.md.*no font can draw U\+13000/);
  assert.match(second.stdout, /1 warning/);
});

test('a changed setting or template invalidates what depends on it', () => {
  const { build, out, content } = site();
  assert.is(build().status, 0);
  fs.writeFileSync(path.join(content, 'site.yaml'), 'title: The Other Gazette\n');
  const run = build();
  assert.is(run.status, 0);
  assert.match(run.stdout, /2 PDFs rendered, 0 unchanged/);
  assert.match(fs.readFileSync(path.join(out, 'index.html'), 'utf8'), /The Other Gazette/);
  assert.match(fs.readFileSync(path.join(out, 'feed.xml'), 'utf8'), /The Other Gazette/);
});

test('drafts and future articles are held back unless asked for', () => {
  const { build, out } = site({
    'articles/draft.md': '---\ntitle: Draft story\ndate: 2023-01-01\ndraft: true\n---\n\nNot yet.\n',
    'articles/later.md': '---\ntitle: Tomorrow’s story\ndate: 2099-01-01\n---\n\nNot yet either.\n',
    'articles/now.md': '---\ntitle: Today’s story\ndate: 2023-01-02\n---\n\nPublished.\n',
  });
  const run = build();
  assert.is(run.status, 0);
  assert.match(run.stdout, /1 article published .* 2 held back \(1 draft, 1 future\)/);
  assert.equal(fs.readdirSync(path.join(out, 'articles')).sort(), ['now']);
  assert.is(build(['--drafts', '--future']).status, 0);
  assert.equal(fs.readdirSync(path.join(out, 'articles')).sort(), ['draft', 'later', 'now']);
});

const KIM = 'north-korean-leader-kim-jong-un-will-visit-russia';
const MARKETS = 'markets-rally-as-inflation-cools';

/** The spares (folders) in a cache folder. */
function spareFolders(cache: string): string[] {
  return fs.readdirSync(path.join(cache, 'spare'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
}

test('a first edition leaves a spare, a copy of its files; the next build makes it over, as a clean build would', () => {
  const { build, out, content, root, cache } = site();
  assert.is(build().status, 0);
  assert.equal(fs.readdirSync(path.dirname(out)), ['dist'], 'no seed folder left beside the output');
  const spares = spareFolders(cache);
  assert.is(spares.length, 1, 'the first build kept a spare');
  const pdf = path.join(`${KIM}`, `${KIM}.pdf`);
  const spared = path.join(cache, 'spare', spares[0]!, 'articles', pdf);
  assert.equal(fs.readFileSync(spared), fs.readFileSync(path.join(out, 'articles', pdf)), 'the spare holds the edition’s files');
  assert.is.not(fs.statSync(spared).ino, fs.statSync(path.join(out, 'articles', pdf)).ino, 'copied, not linked');
  fs.appendFileSync(path.join(content, 'articles', `${MARKETS}.md`), '\nAnalysts said the rally may not last.\n');
  const edited = build();
  assert.is(edited.status, 0, edited.stderr);
  assertAsClean(out, content, root);
  assert.equal(fs.readdirSync(path.dirname(out)), ['dist']);
});

test('rebuilds make over the retired edition: files changed, replaced or added by hand do not survive; the manifest lists the folder', () => {
  const { build, out, content, root, cache } = site();
  assert.is(build().status, 0);
  const kimFolder = fs.statSync(path.join(out, 'articles', KIM)).ino;
  // by hand, in the published edition: a page edited in place, a PDF replaced, files and folders added
  fs.appendFileSync(path.join(out, 'index.html'), '<!-- edited by hand -->');
  const pdf = path.join(out, 'articles', KIM, `${KIM}.pdf`);
  fs.rmSync(pdf);
  fs.writeFileSync(pdf, 'not a PDF');
  fs.writeFileSync(path.join(out, 'articles', KIM, 'notes.txt'), 'by hand');
  fs.mkdirSync(path.join(out, 'drafts', 'old'), { recursive: true });
  fs.writeFileSync(path.join(out, 'drafts', 'old', 'index.html'), 'by hand');
  // the next build retires that edition as the spare; the one after makes it over
  const source = path.join(content, 'articles', `${MARKETS}.md`);
  for (const line of ['Analysts said the rally may not last.', 'Bond yields fell.']) {
    fs.appendFileSync(source, `\n${line}\n`);
    const run = build();
    assert.is(run.status, 0, run.stderr);
  }
  assert.is(fs.statSync(path.join(out, 'articles', KIM)).ino, kimFolder, 'the edition edited by hand was made over');
  assertAsClean(out, content, root);
  assert.equal(fs.readdirSync(path.dirname(out)), ['dist'], 'no staging folder left beside the output');
  assert.is(spareFolders(cache).length, 1, 'one spare');
  const editions = path.join(cache, 'editions');
  assert.equal(fs.readdirSync(editions).filter((name) => name.endsWith('.edition')).length, 1, 'one record of an edition');
  assert.equal(recordedListing(cache, out), listing(out), 'the recorded listing is the folder’s');
  assert.match(build().stdout, /nothing changed, edition kept/);
});

/** The cached file the spare's records say its copy at `relative` was made from. */
function spareCopyOf(cache: string, relative: string): string {
  const [spare] = spareFolders(cache);
  const records = JSON.parse(fs.readFileSync(path.join(cache, 'spare', `${spare}.json`), 'utf8')) as [number, number, number, string, string][];
  const copy = records.find((record) => record[4] === relative);
  assert.ok(copy, `the spare's records name the file it copied to ${relative}`);
  return copy[3];
}

test('a page the spare holds goes in without the cache; a copy touched in the spare is made good from the cache, or made again', () => {
  const { build, out, content, root, cache } = site();
  const page = `articles/${KIM}/index.html`;
  const source = path.join(content, 'articles', `${MARKETS}.md`);
  const spared = (relative: string) => path.join(cache, 'spare', spareFolders(cache)[0]!, relative);
  const edit = (line: string) => {
    fs.appendFileSync(source, `\n${line}\n`);
    const run = build();
    assert.is(run.status, 0, run.stderr);
  };
  assert.is(build().status, 0);
  // the unchanged article's page, whose copy the spare holds, touched there (same size, other bytes): copied again from the cache
  const cached = spareCopyOf(cache, page);
  assert.ok(fs.existsSync(cached));
  fs.writeFileSync(spared(page), Buffer.alloc(fs.statSync(spared(page)).size, 'x'));
  edit('Analysts said the rally may not last.');
  assertAsClean(out, content, root);
  // touched in the spare, and its cached file gone: made again
  assert.is(spareCopyOf(cache, page), cached, 'the page is as it was');
  fs.appendFileSync(spared(page), '<!-- edited in the spare -->');
  fs.rmSync(cached);
  edit('Bond yields fell.');
  assert.ok(fs.existsSync(cached), 'the page was made again, into the cache');
  assertAsClean(out, content, root);
  // untouched in the spare: its cached file is not needed, not looked at, not made again
  fs.rmSync(spareCopyOf(cache, page));
  edit('The dollar eased.');
  assert.not.ok(fs.existsSync(cached), 'the page was taken from the spare, not made again');
  assertAsClean(out, content, root);
  // every file of the spare touched (pages, PDFs, topic pages, feeds, sitemap): each made good
  for (const entry of fs.readdirSync(spared(''), { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) fs.writeFileSync(path.join(entry.parentPath, entry.name), Buffer.alloc(fs.statSync(path.join(entry.parentPath, entry.name)).size, 'x'));
  }
  edit('Oil prices steadied.');
  assertAsClean(out, content, root);
  assert.match(build().stdout, /nothing changed, edition kept/);
});

test('a rebuild from a spare after an article is removed: its folder and its topic are gone', () => {
  const { build, out, content, root } = site();
  assert.is(build().status, 0);
  fs.appendFileSync(path.join(content, 'articles', `${KIM}.md`), '\nThe visit was confirmed on Monday.\n');
  assert.is(build().status, 0);
  fs.rmSync(path.join(content, 'raw', 'markets.txt'));
  fs.rmSync(path.join(content, 'articles', `${MARKETS}.md`));
  const run = build();
  assert.is(run.status, 0, run.stderr);
  assert.not.ok(fs.existsSync(path.join(out, 'articles', MARKETS)));
  assert.not.ok(fs.existsSync(path.join(out, 'tags', 'economy')));
  assertAsClean(out, content, root);
});

test('nothing done to a published file reaches a later edition, and damaged cache entries are made again', () => {
  const { build, out, content, root, cache } = site();
  assert.is(build().status, 0);
  const clean = tree(out);
  // a deploy step that edits the published files in place
  const page = path.join(out, 'articles', KIM, 'index.html');
  const pdf = path.join(out, 'articles', KIM, `${KIM}.pdf`);
  fs.appendFileSync(page, '<!-- analytics -->');
  fs.appendFileSync(path.join(out, 'feed.xml'), 'x');
  fs.appendFileSync(pdf, 'x');
  const run = build();
  assert.is(run.status, 0, run.stderr);
  assert.equal(tree(out), clean, 'a rebuild publishes the edition as built, not as edited');
  fs.appendFileSync(path.join(out, 'feed.xml'), 'x');
  fs.rmSync(out, { recursive: true });
  assert.is(build().status, 0);
  assert.equal(tree(out), clean, 'a build into an empty folder publishes the edition as built');
  assert.not.match(fs.readFileSync(path.join(out, 'feed.xml'), 'utf8'), /x$/);

  // the cache's own files damaged (disk trouble, an interrupted copy): truncated, zero-filled, garbled
  const cached = fs.readdirSync(cache, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile() && /^[0-9a-f]{64}$/.test(entry.name)).map((entry) => path.join(entry.parentPath, entry.name));
  assert.ok(cached.length >= 6, `cached files: ${cached.length}`);
  cached.forEach((file, index) => {
    const bytes = fs.readFileSync(file);
    if (index % 3 === 0) fs.truncateSync(file, bytes.length >> 1);
    else if (index % 3 === 1) fs.writeFileSync(file, Buffer.alloc(bytes.length));
    else fs.writeFileSync(file, bytes.map((byte, at) => (at % 97 === 0 ? byte ^ 0x55 : byte)));
  });
  fs.rmSync(out, { recursive: true });
  const healed = build();
  assert.is(healed.status, 0, healed.stderr);
  assert.match(healed.stderr, /warning: this cached file was damaged; it is made again/);
  assert.equal(tree(out), clean, 'damaged entries are made again, never published');
  assertAsClean(out, content, root);
});

test('the published folder and everything in it can be read by others, on the first build and every rebuild', () => {
  const { build, out, content } = site();
  const modes = () => {
    const wrong: string[] = [];
    const check = (file: string, stat: fs.Stats) => {
      const needed = stat.isDirectory() ? 0o555 : 0o444;
      if ((stat.mode & needed & 0o055) !== (needed & 0o055)) wrong.push(`${path.relative(out, file) || '.'} ${(stat.mode & 0o777).toString(8)}`);
    };
    check(out, fs.statSync(out));
    for (const entry of fs.readdirSync(out, { withFileTypes: true, recursive: true })) check(path.join(entry.parentPath, entry.name), fs.statSync(path.join(entry.parentPath, entry.name)));
    return wrong;
  };
  assert.is(build().status, 0);
  assert.equal(modes(), [], 'first build');
  for (const line of ['One more line.', 'And another.', 'And a third.']) {
    fs.appendFileSync(path.join(content, 'articles', `${MARKETS}.md`), `\n${line}\n`);
    assert.is(build().status, 0);
    assert.equal(modes(), [], `rebuild (${line})`);
  }
});

// content errors stop a build before it takes the spare; a failure after it took it is in publish.test.ts
test('a failed build while a spare is kept leaves the edition as it was; the next build is as a clean one', () => {
  const { build, out, content, root, cache } = site();
  assert.is(build().status, 0);
  const source = path.join(content, 'articles', `${MARKETS}.md`);
  fs.appendFileSync(source, '\nAnalysts said the rally may not last.\n');
  assert.is(build().status, 0);
  const before = tree(out);
  fs.writeFileSync(path.join(content, 'articles', 'bad.md'), '---\ntitle: Bad\ndate: someday\n---\n\nText.\n');
  assert.is(build().status, 1);
  assert.equal(tree(out), before);
  assert.equal(fs.readdirSync(path.dirname(out)), ['dist']);
  assert.is(spareFolders(cache).length, 1, 'the spare is still there for the next build');
  fs.rmSync(path.join(content, 'articles', 'bad.md'));
  fs.appendFileSync(source, '\nBond yields fell.\n');
  assert.is(build().status, 0);
  assertAsClean(out, content, root);
});

// a cache on another file system (tmpfs) cannot take the retired edition by rename: it is deleted, as without a spare
const otherDevice = ['/dev/shm'].find((folder) => fs.existsSync(folder) && fs.statSync(folder).dev !== fs.statSync(os.tmpdir()).dev);
test('with the cache on another file system, rebuilds delete the retired edition and keep no spare', () => {
  if (!otherDevice) {
    console.log('  (skipped: no second file system beside the temporary folder)');
    return;
  }
  const { out, content, root } = site();
  const cache = fs.mkdtempSync(path.join(otherDevice, 'galley-cache-'));
  try {
    const build = () => galley(['--content', content, '--out', out, '--base-url', 'https://example.org/news/'], { GALLEY_CACHE_DIR: cache });
    assert.is(build().status, 0);
    fs.appendFileSync(path.join(content, 'articles', `${MARKETS}.md`), '\nAnalysts said the rally may not last.\n');
    const run = build();
    assert.is(run.status, 0, run.stderr);
    assert.equal(fs.readdirSync(path.join(cache, 'spare')), []);
    assert.equal(fs.readdirSync(path.dirname(out)), ['dist']);
    assertAsClean(out, content, root);
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
});

test('a change to a site setting makes again only what shows it: a feed limit or a page size only the lists; a description the pages too; no source is parsed, or PDF rendered, for these or the address', async () => {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const story = (slug: string, day: number, byline: string) =>
    `---\ntitle: Story ${slug}\ndate: 2024-03-0${day}T08:00:00Z\n${byline}tags: [Harbour]\n---\n\nThe harbour board met on day ${day} and agreed the plan.\n`;
  const files = { 'articles/one.md': story('one', 1, 'author: Desk\n'), 'articles/two.md': story('two', 2, 'author: Desk\n'), 'articles/three.md': story('three', 3, '') };
  const { content, out, root } = site(files);
  const cache = path.join(root, 'cache');
  const settings = (yaml: string) => fs.writeFileSync(path.join(content, 'site.yaml'), yaml);
  const build = (baseUrl = 'https://example.org/news/') => {
    const run = galley(['--content', content, '--out', out, '--base-url', baseUrl, '--timings'], { GALLEY_CACHE_DIR: cache });
    assert.is(run.status, 0, run.stderr);
    return { rendered: /\((\d+) PDFs rendered/.exec(run.stdout)?.[1], parsed: /(\d+) sources? parsed/.exec(run.stderr)?.[1] };
  };
  // article pages the cache has kept: each one made (again) under new inputs is one more
  const cachedPages = () => fs.readdirSync(path.join(cache, OUTPUTS.articlePage.name), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
  const pdfText = async (slug: string) => {
    const doc = await getDocument({ data: new Uint8Array(fs.readFileSync(path.join(out, 'articles', slug, `${slug}.pdf`))), verbosity: 0 }).promise;
    const page = await doc.getPage(1);
    const text = (await page.getTextContent()).items.map((item) => ('str' in item ? item.str : '')).join(' ');
    const links = ((await page.getAnnotations()) as { url?: string }[]).flatMap((annotation) => (annotation.url ? [annotation.url] : []));
    // the masthead is drawn as outlines: counted in glyphs, as test/pdf.test.ts reads it
    return { text, links, artifacts: await artifactGlyphs(doc, 1) };
  };
  const items = () => fs.readFileSync(path.join(out, 'feed.xml'), 'utf8').split('<item>').length - 1;

  settings('title: The Gazette\n');
  assert.equal(build(), { rendered: '3', parsed: '3' });
  assert.is(items(), 3);
  assert.is(cachedPages(), 3);

  // how the lists are cut: the lists change, no article's source, PDF or page is made again
  settings('title: The Gazette\nfeedLimit: 2\npageSize: 2\n');
  assert.equal(build(), { rendered: '0', parsed: '0' });
  assert.is(items(), 2, 'the feed holds the new limit');
  assert.match(fs.readFileSync(path.join(out, 'index.html'), 'utf8'), /<link rel="next"/, 'the front page is cut at the new page size');
  assert.is(cachedPages(), 3, 'no article page made again');

  // the description: every page's footer shows it, so the pages are made again; sources and PDFs are not
  settings('title: The Gazette\ndescription: Harbour news, every day.\nfeedLimit: 2\npageSize: 2\n');
  assert.equal(build(), { rendered: '0', parsed: '0' });
  assert.is(cachedPages(), 6, 'every article page made again');
  assert.match(fs.readFileSync(path.join(out, 'articles', 'one', 'index.html'), 'utf8'), /Harbour news, every day\./);

  // the address: every PDF states its page's, so each is rendered again; no source is parsed
  assert.equal(build('https://example.com/harbour/'), { rendered: '3', parsed: '0' });
  assert.ok((await pdfText('one')).links.includes('https://example.com/harbour/articles/one/'), 'the PDF links its page at the new address');

  // the title: the PDFs' masthead shows it, so they are rendered again with it
  const masthead = (title: string) => title.replace(/\s/g, '').length;
  assert.ok((await pdfText('two')).artifacts.includes(masthead('THE GAZETTE')));
  settings('title: The Evening Gazette\ndescription: Harbour news, every day.\nfeedLimit: 2\npageSize: 2\n');
  assert.equal(build('https://example.com/harbour/'), { rendered: '3', parsed: '0' });
  assert.ok((await pdfText('two')).artifacts.includes(masthead('THE EVENING GAZETTE')), 'the masthead has the new title');

  // the byline of articles that give none: every source is read again under it
  settings('title: The Evening Gazette\ndescription: Harbour news, every day.\nfeedLimit: 2\npageSize: 2\nauthor: Night Desk\n');
  const byline = build('https://example.com/harbour/');
  assert.is(byline.parsed, '3');
  assert.match((await pdfText('three')).text, /Night Desk/);
  assert.not.match((await pdfText('one')).text, /Night Desk/);
  // back at the first address, what was kept is as a clean build makes it
  assert.equal(build(), { rendered: '3', parsed: '0' });
  assertAsClean(out, content, root);
});

test('Ctrl-C mid-build leaves the previous edition in place and no staging folder', async () => {
  const { out, content, cache } = site();
  const first = galley(['--content', content, '--out', out], { GALLEY_CACHE_DIR: cache });
  assert.is(first.status, 0);
  const before = tree(out);
  // forty new articles to ingest and typeset: the signal lands while the first are being written
  for (let i = 0; i < 40; i++) fs.writeFileSync(path.join(content, 'raw', `extra-${i}.txt`), SECOND.replace('Markets rally', `Markets rally ${i}`));
  const child = spawn(process.execPath, [path.join(ROOT, 'pipeline', 'cli', 'launch.mjs'), 'cli', '--content', content, '--out', out, '--base-url', 'https://elsewhere.example/'], {
    cwd: ROOT,
    env: { ...process.env, CI: '1', GALLEY_CACHE_DIR: cache },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  // wait until the build is under way (ingest has written a source), then interrupt it
  const parent = path.dirname(out);
  const articles = path.join(content, 'articles');
  const sourcesBefore = fs.readdirSync(articles).length;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && fs.readdirSync(articles).length === sourcesBefore) await new Promise((resolve) => setTimeout(resolve, 5));
  child.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => child.on('exit', (status) => resolve(status)));
  assert.is(code, 130, stderr);
  assert.match(stderr, /interrupted \(SIGINT\); the previous edition is unchanged/);
  assert.equal(tree(out), before);
  assert.equal(fs.readdirSync(parent), ['dist']);
});

test.run();
