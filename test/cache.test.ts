/**
 * The build cache's pack, as one build after another uses it: what a build stores the next one
 * finds, a rebuild appends only what it made, a mostly stale pack is rewritten with only what
 * was used, and a pack that is torn or another Galley's is never trusted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OutputCache } from '../pipeline/engine/cache.ts';
import { recordUses } from '../pipeline/engine/edition-uses.ts';

const FINGERPRINT = 'engine-a';

function cacheDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'galley-cache-test-'));
}

/** The values pack (else the one pack there is); not the index files beside them. */
function packFile(dir: string): string {
  const packs = path.join(dir, 'packs');
  const names = fs.readdirSync(packs).filter((name) => name.endsWith('.pack'));
  return path.join(packs, names.find((name) => name.endsWith('.values.pack')) ?? names[0]!);
}

/** A build's use of the cache: a fresh OutputCache on the same folder and content name. */
function session(dir: string, fingerprint = FINGERPRINT): OutputCache {
  return new OutputCache(dir, fingerprint, '/content');
}

test('what one build stores, the next finds: objects, text and spliceable bytes', () => {
  const dir = cacheDir();
  const first = session(dir);
  const when = new Date('2023-09-11T12:00:00Z');
  first.store('article', { title: 'Kim “in the coming days”', date: when, tags: ['Russia'] });
  let renders = 0;
  first.store('summary', 'Ünïcödé ’quotes’');
  assert.equal([...first.bytes('item', ['a'], () => (renders++, '<item>ü</item>'))], [...Buffer.from('<item>ü</item>')]);
  first.save();

  const second = session(dir);
  assert.equal(second.value('article'), { title: 'Kim “in the coming days”', date: when, tags: ['Russia'] });
  assert.is(second.value('summary'), 'Ünïcödé ’quotes’');
  assert.is(Buffer.from(second.bytes('item', ['a'], () => (renders++, 'rendered again'))).toString('utf8'), '<item>ü</item>');
  assert.is(renders, 1, 'the second build rendered nothing');
});

test('a rebuild appends what it made and nothing else; what it did not use is gone after a rewrite', () => {
  const dir = cacheDir();
  const first = session(dir);
  // enough live data that a small rebuild stays under the rewrite threshold
  const big = 'x'.repeat(128 * 1024);
  for (let i = 0; i < 40; i++) first.store(`entry-${i}`, `${big}${i}`);
  first.save();
  const before = fs.statSync(packFile(dir)).size;

  const second = session(dir);
  for (let i = 0; i < 40; i++) assert.ok(second.value<string>(`entry-${i}`) === `${big}${i}`, `entry-${i} read back`);
  second.store('new', 'made by the second build');
  second.save();
  const after = fs.statSync(packFile(dir)).size;
  assert.ok(after > before && after - before < 200, `only the new entry was appended (${after - before} bytes)`);
  assert.equal(fs.readFileSync(packFile(dir)).subarray(0, before), fs.readFileSync(packFile(dir)).subarray(0, before));

  // a build that uses one entry and makes another: most of the 5 MB file is then stale, so it is rewritten
  const third = session(dir);
  assert.is(third.value<string>('new'), 'made by the second build');
  third.store('latest', 'made by the third build');
  third.save();
  const fourth = session(dir);
  assert.ok(fourth.value('entry-0') === undefined, 'what the third build did not use is gone');
  assert.is(fourth.value('new'), 'made by the second build');
  assert.is(fourth.value('latest'), 'made by the third build');
  assert.ok(fs.statSync(packFile(dir)).size < 1024, 'the rewritten pack holds only the used entries');
});

test('a pack rewritten by the build of one output folder keeps the records of the files every edition uses: another folder\'s PDFs stay known', () => {
  const dir = cacheDir();
  const big = 'x'.repeat(128 * 1024);
  // the full edition's build: a PDF cached (its file and its record), and the edition's uses recorded
  const full = session(dir);
  const pdf = full.put('pdf', 'a'.repeat(64), Buffer.from('%PDF-1.7 the full edition'));
  const unused = full.put('pdf', 'b'.repeat(64), Buffer.from('%PDF-1.7 in no edition'));
  for (let i = 0; i < 8; i++) full.store(`article-${i}`, `${big}${i}`);
  for (let i = 0; i < 48; i++) full.store(`full-edition-${i}`, `${big}${i}`);
  assert.is(full.save(), null);
  recordUses(dir, path.join(dir, 'full-edition'), [pdf.file]);
  // a web edition's build from the same sources: it reads the articles, never the PDFs nor the
  // rest of the full edition's 6 MB, so the pack is rewritten with what it used
  const web = session(dir);
  for (let i = 0; i < 8; i++) assert.ok(web.value<string>(`article-${i}`) !== undefined);
  web.store('web-page', 'made by the web edition');
  const before = fs.statSync(packFile(dir)).size;
  assert.is(web.save(), null);
  assert.ok(fs.statSync(packFile(dir)).size < before, 'the pack was rewritten');
  // the full edition's next build finds its PDF as it was made; one no edition uses is gone with its record
  const next = session(dir);
  const found = next.found('pdf', 'a'.repeat(64));
  assert.ok(found, 'the PDF the full edition uses is still known');
  assert.is(fs.readFileSync(found.file, 'utf8'), '%PDF-1.7 the full edition');
  assert.is(next.found('pdf', 'b'.repeat(64)), null, 'a PDF no edition uses lost its record in the rewrite');
  assert.not.ok(fs.existsSync(unused.file));
});

test('the parsed articles\' pack lets go of its bytes once the sources are read: what is asked for after comes from its file, and a rewrite keeps every value the build used', () => {
  const dir = cacheDir();
  const first = session(dir);
  const big = 'x'.repeat(128 * 1024);
  for (let i = 0; i < 40; i++) first.store(`entry-${i}`, `${big}${i}`);
  first.store('record', 'asked for after the sources are read');
  let renders = 0;
  const page = () => (renders++, '<p>a page</p>');
  first.output('a/index.html', 'page', ['a'], page);
  first.save();

  const second = session(dir);
  // the edition has a copy of the page already: its file's record is kept unread
  second.hasCopy = () => true;
  assert.ok('otherwise' in second.output('a/index.html', 'page', ['a'], page));
  // parsed articles are taken once, not held (held: false), as the read stage takes them
  assert.ok(second.value<string>('entry-0', { held: false }) === `${big}0`);
  assert.ok(second.value<string>('entry-1', { held: false }) === `${big}1`);
  second.sourcesRead();
  // another build replaces the file meanwhile: this one reads the file it opened
  const file = packFile(dir);
  fs.writeFileSync(`${file}.other`, 'not this build\'s pack');
  fs.renameSync(`${file}.other`, file);
  assert.is(second.value('record'), 'asked for after the sources are read');
  assert.ok(second.value<string>('entry-1', { held: false }) === `${big}1`, 'a value taken before is read again from the file');
  second.store('new', 'made by the second build');
  second.save();

  const third = session(dir);
  assert.ok(third.value<string>('entry-0') === `${big}0`);
  assert.ok(third.value<string>('entry-1') === `${big}1`);
  assert.is(third.value('record'), 'asked for after the sources are read');
  assert.is(third.value('new'), 'made by the second build');
  assert.is(third.value('entry-2'), undefined, 'what the second build did not use is gone');
  const found = third.output('a/index.html', 'page', ['a'], page);
  assert.ok('file' in found && !('otherwise' in found) && fs.readFileSync(found.file, 'utf8') === '<p>a page</p>');
  assert.is(renders, 1, 'the page\'s record, kept unread, survived the rewrite: its file was found, not made again');
  assert.ok(fs.statSync(packFile(dir)).size < 300 * 1024, 'the pack was written anew with the used entries only');
});

test('a build that makes nothing new leaves the pack as it was', () => {
  const dir = cacheDir();
  const first = session(dir);
  first.store('a', 'one');
  first.save();
  const bytes = fs.readFileSync(packFile(dir));
  const second = session(dir);
  assert.is(second.value('a'), 'one');
  second.save();
  assert.equal(fs.readFileSync(packFile(dir)), bytes);
});

test('a torn append loses only the torn record, and the next save replaces the file', () => {
  const dir = cacheDir();
  const first = session(dir);
  first.store('kept', 'whole');
  first.save();
  const whole = fs.statSync(packFile(dir)).size;
  const second = session(dir);
  second.value('kept');
  second.store('torn', 'z'.repeat(1000));
  second.save();
  // the second append was cut short (power loss, a killed build)
  fs.truncateSync(packFile(dir), whole + 500);

  const third = session(dir);
  assert.is(third.value('kept'), 'whole');
  assert.is(third.value('torn'), undefined);
  third.store('after', 'written whole');
  third.save();
  const fourth = session(dir);
  assert.is(fourth.value('kept'), 'whole');
  assert.is(fourth.value('after'), 'written whole');
  assert.is(fourth.value('torn'), undefined);
});

test('a pack made by another Galley, or that is not a pack, is never read', () => {
  const dir = cacheDir();
  const first = session(dir, 'engine-a');
  first.store('a', 'from engine a');
  first.save();
  assert.is(session(dir, 'engine-b').value('a'), undefined);
  fs.writeFileSync(packFile(dir), 'not a pack at all');
  assert.is(session(dir, 'engine-a').value('a'), undefined);
});

test('a file given in pieces is cached as their bytes one after another, written while the build goes on', async () => {
  const dir = cacheDir();
  const cache = session(dir);
  // more pieces than one writev call takes
  const pieces = Array.from({ length: 2500 }, (_, index) => Buffer.from(`<item>${index} ü</item>\n`, 'utf8'));
  const output = cache.output('feed.xml', 'rss', ['inputs'], () => pieces);
  assert.ok('written' in output);
  assert.ok(output.written, 'written on libuv threads: the caller is told when it is done');
  await output.written;
  assert.equal(fs.readFileSync(output.file), Buffer.concat(pieces));
  assert.equal(fs.readdirSync(path.dirname(output.file)), [path.basename(output.file)], 'no temporary file left');
  cache.save();
  let renders = 0;
  const again = session(dir).output('feed.xml', 'rss', ['inputs'], () => (renders++, 'never'));
  assert.is(renders, 0, 'an unchanged file is not made again');
  assert.equal(fs.readFileSync('file' in again ? again.file : ''), Buffer.concat(pieces));
});

test('a cached file that was truncated, zero-filled or garbled is made again and reported, never used', () => {
  const damages: Record<string, (file: string) => void> = {
    truncated: (file) => fs.truncateSync(file, 10),
    'zero-filled': (file) => fs.writeFileSync(file, Buffer.alloc(fs.statSync(file).size)),
    'garbled, same size': (file) => {
      const bytes = fs.readFileSync(file);
      bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0xff;
      fs.writeFileSync(file, bytes);
    },
    'without a record': () => {},
  };
  for (const [damage, harm] of Object.entries(damages)) {
    const dir = cacheDir();
    const first = session(dir);
    const made = first.output('page.html', 'page', ['inputs'], () => '<p>the page as rendered</p>');
    assert.ok('file' in made);
    if (damage === 'without a record') fs.writeFileSync(made.file, 'a file no build recorded');
    else first.save();
    harm(made.file);
    const damaged: string[] = [];
    const next = session(dir);
    next.onDamaged = (file) => damaged.push(file);
    let renders = 0;
    const again = next.output('page.html', 'page', ['inputs'], () => (renders++, '<p>the page as rendered</p>'));
    assert.is(renders, 1, `${damage}: made again`);
    assert.ok('file' in again);
    assert.is(fs.readFileSync(again.file, 'utf8'), '<p>the page as rendered</p>', `${damage}: the good bytes are cached again`);
    assert.equal(damaged, damage === 'without a record' ? [] : [made.file], `${damage}: reported as damage when a record says what it held`);
  }
});

test('a cached file touched but not changed (copied back, times reset) is checked by its hash and used', () => {
  const dir = cacheDir();
  const first = session(dir);
  const made = first.output('page.html', 'page', ['inputs'], () => '<p>page</p>');
  assert.ok('file' in made);
  first.save();
  const bytes = fs.readFileSync(made.file);
  fs.rmSync(made.file);
  fs.writeFileSync(made.file, bytes);
  let renders = 0;
  const again = session(dir).output('page.html', 'page', ['inputs'], () => (renders++, 'never'));
  assert.is(renders, 0);
  assert.ok('file' in again);
  assert.is(fs.readFileSync(again.file, 'utf8'), '<p>page</p>');
});

test('fragments read ahead on another thread are found, whether the read has ended or not', async () => {
  const dir = cacheDir();
  const first = session(dir);
  first.store('article', { title: 'kept apart from the fragments' });
  first.bytes('item', ['a'], () => '<item>a</item>');
  first.save();
  assert.equal(fs.readdirSync(path.join(dir, 'packs')).filter((name) => name.endsWith('.pack')).length, 2, 'values and fragments in packs of their own');

  const awaited = session(dir);
  awaited.readFragmentsAhead();
  await awaited.fragmentsRead();
  assert.is(Buffer.from(awaited.bytes('item', ['a'], () => 'rendered again')).toString('utf8'), '<item>a</item>');
  assert.equal(awaited.value('article'), { title: 'kept apart from the fragments' });

  // asked for before the read ahead has ended: read here and then, the late read changes nothing
  const early = session(dir);
  early.readFragmentsAhead();
  assert.is(Buffer.from(early.bytes('item', ['a'], () => 'rendered again')).toString('utf8'), '<item>a</item>');
  early.bytes('item', ['b'], () => '<item>b</item>');
  await early.fragmentsRead();
  assert.is(Buffer.from(early.bytes('item', ['b'], () => 'rendered again')).toString('utf8'), '<item>b</item>');
  early.save();
  const last = session(dir);
  assert.is(Buffer.from(last.bytes('item', ['b'], () => 'rendered again')).toString('utf8'), '<item>b</item>');
});

test('thousands of keys, a key not in ASCII and a key stored again are each found as stored', () => {
  const dir = cacheDir();
  const first = session(dir);
  const keys = Array.from({ length: 5000 }, (_, index) => `${index.toString(16).padStart(8, '0')}${'x'.repeat(index % 70)}`);
  for (const key of keys) first.store(key, `value of ${key}`);
  first.store('clé-ünïcode-’', 'accented key');
  first.store('short', 'a key shorter than the folded bytes');
  first.save();
  // a second build stores one key again under a new value: the later record is the one read
  const second = session(dir);
  second.store('short', 'stored again');
  second.save();
  const third = session(dir);
  for (const key of keys) assert.is(third.value<string>(key), `value of ${key}`);
  assert.is(third.value('clé-ünïcode-’'), 'accented key');
  assert.is(third.value('short'), 'stored again');
  assert.is(third.value('clé-ünïcode-'), undefined, 'a key that shares the folded bytes of another is not taken for it');
  assert.is(third.value(`${keys[42]!}y`), undefined);
});

test('a fragment kept without being read survives the rewrite of its pack; one neither read nor kept does not', () => {
  const dir = cacheDir();
  const first = session(dir);
  first.bytes('rss-item', ['kept'], () => 'an item of an archive taken whole');
  first.bytes('rss-item', ['dropped'], () => 'another item');
  first.bytes('rss-item', ['large'], () => 'x'.repeat(6 * 1024 * 1024));
  assert.is(first.save(), null);
  // the next build makes one new item and takes an archive whole: it keeps that archive's item
  // without reading it; most of the pack is then stale, so it is written anew
  const second = session(dir);
  second.bytes('rss-item', ['new'], () => 'the edited article\'s item');
  second.keep('rss-item', ['kept']);
  assert.is(second.save(), null);
  const third = session(dir);
  const fail = () => {
    throw new Error('made again');
  };
  assert.is(Buffer.from(third.bytes('rss-item', ['kept'], fail)).toString('utf8'), 'an item of an archive taken whole');
  assert.throws(() => third.bytes('rss-item', ['dropped'], fail), /made again/);
});

test('fragments a build makes wait on disk, not in memory: found again in that build and the next, appended or rewritten with the rest', () => {
  const dir = cacheDir();
  const item = (i: number, build: string) => `<item n="${i}" by="${build}">${'é'.repeat(2000)}</item>`;
  const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
  let renders = 0;
  const first = session(dir);
  for (let i = 0; i < 1500; i++) first.bytes('item', [i], () => (renders++, item(i, 'first')));
  // asked for again in the same build: read back from where it waits, not made again
  assert.is(text(first.bytes('item', [7], () => (renders++, 'made again'))), item(7, 'first'));
  assert.is(renders, 1500);
  assert.ok(fs.readdirSync(path.join(dir, 'tmp', String(process.pid))).some((name) => name.endsWith('.spill')), 'the fresh items are in a spill file while the build runs');
  first.save();
  const fragments = fs.readdirSync(path.join(dir, 'packs')).find((name) => name.endsWith('.fragments.pack'))!;
  const packed = path.join(dir, 'packs', fragments);
  const afterFirst = fs.statSync(packed).size;
  assert.ok(afterFirst > 1500 * 4000, `every item is in the pack (${afterFirst} bytes)`);

  // a rebuild that uses them all and makes ten: appended
  const second = session(dir);
  for (let i = 0; i < 1500; i++) second.bytes('item', [i], () => (renders++, 'made again'));
  for (let i = 1500; i < 1510; i++) second.bytes('item', [i], () => (renders++, item(i, 'second')));
  assert.is(renders, 1510, 'only the new ten were made');
  second.save();
  const afterSecond = fs.statSync(packed).size;
  assert.ok(afterSecond > afterFirst && afterSecond - afterFirst < 10 * 4100 + 1000, `the ten were appended (${afterSecond - afterFirst} bytes)`);
  assert.equal(fs.readFileSync(packed).subarray(0, afterFirst), fs.readFileSync(packed).subarray(0, afterFirst));

  // a build that uses three and makes one: most of the pack is stale, so it is rewritten with those four
  const third = session(dir);
  for (const i of [0, 749, 1505]) third.bytes('item', [i], () => (renders++, 'made again'));
  third.bytes('item', ['new'], () => (renders++, item(9999, 'third')));
  assert.is(renders, 1511);
  third.save();
  assert.ok(fs.statSync(packed).size < 5 * 4100 + 1000, `rewritten with the four used (${fs.statSync(packed).size} bytes)`);
  const fourth = session(dir);
  assert.is(text(fourth.bytes('item', [749], () => 'lost')), item(749, 'first'));
  assert.is(text(fourth.bytes('item', [1505], () => 'lost')), item(1505, 'second'));
  assert.is(text(fourth.bytes('item', ['new'], () => 'lost')), item(9999, 'third'));
  assert.is(text(fourth.bytes('item', [3], () => 'gone, made again')), 'gone, made again');
});

test('a fragment pack is read record by record: records of every size, across the chunks it is read in, each found; one kept unread and damaged is left out of the rewrite and reported', async () => {
  const dir = cacheDir();
  const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
  const fail = () => {
    throw new Error('made again');
  };
  // lengths around the 8 MB chunks the pack's heads are read in, records larger than a chunk, and
  // many small ones, so that chunks end inside heads, keys and values
  const MB = 1024 * 1024;
  const lengths = [0, 1, 12, 13, 1000, 8 * MB - 40, 8 * MB, 8 * MB + 7, 9 * MB + 5, ...Array.from({ length: 600 }, (_, i) => (i * 7919) % 20000)];
  const value = (i: number) => `<v ${i}>${'ü'.repeat(lengths[i]! >> 1)}`;
  const first = session(dir);
  lengths.forEach((_, i) => first.bytes('item', [i, 'k'.repeat(i % 50)], () => value(i)));
  assert.is(first.save(), null);

  for (const ahead of [false, true]) {
    const next = session(dir);
    if (ahead) {
      next.readFragmentsAhead();
      await next.fragmentsRead();
    }
    lengths.forEach((_, i) => assert.is(text(next.bytes('item', [i, 'k'.repeat(i % 50)], fail)), value(i), `record ${i} (${lengths[i]} bytes), ${ahead ? 'opened ahead' : 'opened when asked'}`));
  }

  // a build keeps two records without reading them and makes one; most of the pack is stale, so it is rewritten
  const packed = packFile(dir).replace(/\.values\.pack$/, '.fragments.pack');
  const bytes = fs.readFileSync(packed);
  const damagedAt = bytes.indexOf('<v 5>') + 100;
  bytes[damagedAt] = bytes[damagedAt]! ^ 0x20;
  fs.writeFileSync(packed, bytes);
  const third = session(dir);
  const damaged: string[] = [];
  third.onDamaged = (file) => damaged.push(file);
  third.keep('item', [4, 'k'.repeat(4)]);
  third.keep('item', [5, 'k'.repeat(5)]);
  third.bytes('item', ['new'], () => 'made by this build');
  assert.equal(damaged, [], 'keeping a record does not read it');
  assert.is(third.save(), null);
  assert.equal(damaged, [packed], 'the damaged record is found as the pack is rewritten');
  assert.ok(fs.statSync(packed).size < 3000, `rewritten with the one whole record kept and the new one (${fs.statSync(packed).size} bytes)`);
  const fourth = session(dir);
  assert.is(text(fourth.bytes('item', [4, 'k'.repeat(4)], fail)), value(4));
  assert.throws(() => fourth.bytes('item', [5, 'k'.repeat(5)], fail), /made again/);
});

test('a pack opened by record finds records whose head, key or value an 8 MB chunk of its reading ends inside', () => {
  const fail = () => {
    throw new Error('made again');
  };
  // the pack's header, as this Galley writes it: where the first record starts
  const probe = cacheDir();
  const probing = session(probe);
  probing.bytes('item', ['probe'], () => 'p');
  probing.save();
  const headerLength = fs.readFileSync(packFile(probe)).indexOf('\n') + 1;
  // a record of bytes() is a 13-byte head, a 64-character key and the value
  const record = (value: number) => 13 + 64 + value;
  const CHUNK = 8 * 1024 * 1024;
  const lengths = [
    // a filler, then a record whose head begins 5 bytes before the first chunk ends
    CHUNK - 5 - headerLength,
    100,
    // the next chunk is read from that record on: a filler, then a record whose key begins 20 bytes before it ends
    CHUNK - 20 - 13 - record(100) - record(0),
    50,
    // a value that a chunk ends inside, then one more record
    CHUNK,
    10,
  ].map((length, i) => (i === 0 ? length - record(0) : length));
  const dir = cacheDir();
  const first = session(dir);
  lengths.forEach((length, i) => first.bytes('item', [i], () => String(i).repeat(length)));
  first.save();
  const second = session(dir);
  lengths.forEach((length, i) => assert.is(Buffer.from(second.bytes('item', [i], fail)).toString('utf8'), String(i).repeat(length), `record ${i}`));
});

test('fragments kept later are named only when the pack is rewritten, once it has doubled since its last rewrite: they survive it; an append never names them', () => {
  const dir = cacheDir();
  const MB = 1024 * 1024;
  const fail = () => {
    throw new Error('made again');
  };
  const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
  const first = session(dir);
  first.bytes('rss-item', ['in a feed taken whole'], () => 'kept item');
  first.bytes('rss-item', ['in no feed'], () => 'dropped item');
  first.bytes('rss-item', ['stale'], () => 'x'.repeat(2 * MB));
  assert.is(first.save(), null);

  // a build that keeps later and makes 5 MB: the pack grows from 2 MB to 7 MB, less than twice
  // its length plus 4 MB, so it is appended to, and what is kept later is never asked for
  const second = session(dir);
  let asked = 0;
  second.keepLater(() => asked++);
  second.bytes('rss-item', ['large'], () => 'y'.repeat(5 * MB));
  assert.is(second.save(), null);
  assert.is(asked, 0, 'an append needs to know nothing of what is kept');

  // 1.5 MB more takes it past that: rewritten, with what this build made and what it keeps later
  const third = session(dir);
  third.keepLater(() => {
    asked++;
    third.keep('rss-item', ['in a feed taken whole']);
  });
  third.bytes('rss-item', ['new'], () => 'z'.repeat(1.5 * MB));
  assert.is(third.save(), null);
  assert.is(asked, 1);
  const fourth = session(dir);
  assert.is(text(fourth.bytes('rss-item', ['in a feed taken whole'], fail)), 'kept item');
  assert.is(text(fourth.bytes('rss-item', ['new'], fail)), 'z'.repeat(1.5 * MB));
  assert.throws(() => fourth.bytes('rss-item', ['in no feed'], fail), /made again/);
  assert.throws(() => fourth.bytes('rss-item', ['large'], fail), /made again/, 'neither used nor kept by the build that rewrote the pack');
  assert.ok(fs.statSync(packFile(dir).replace(/\.values\.pack$/, '.fragments.pack')).size < 1.6 * MB, 'the rewritten pack holds the two items alone');
});

test('a pack whose kept fragments were named and found mostly live is appended to, and not named again by the next build', () => {
  const dir = cacheDir();
  const MB = 1024 * 1024;
  const fail = () => {
    throw new Error('made again');
  };
  const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
  let asked = 0;
  /** A build that keeps every item it is told of later, without reading them, and makes one. */
  const build = (kept: string[], made: string, bytes: number) => {
    const next = session(dir);
    next.keepLater(() => {
      asked++;
      for (const name of kept) next.keep('rss-item', [name]);
    });
    next.bytes('rss-item', [made], () => made.slice(0, 1).repeat(bytes));
    assert.is(next.save(), null);
  };
  build([], 'archive', 6 * MB);
  // (a pack written for the first time is written whole, what is kept named)
  asked = 0;
  // 6 MB, then 5 MB more: under twice its first length plus 4 MB, appended to unnamed
  build(['archive'], 'b-older', 5 * MB);
  assert.is(asked, 0);
  // 6 MB more (17 MB) takes it past that: named, and all of it is live, so it is appended to
  build(['archive', 'b-older'], 'c-newer', 6 * MB);
  assert.is(asked, 1);
  // a small build after that appends without naming the 17 MB again
  build(['archive', 'b-older', 'c-newer'], 'd-newest', MB / 2);
  assert.is(asked, 1, 'the pack is measured from what was live when it was last named');
  const last = session(dir);
  for (const [name, bytes] of [['archive', 6 * MB], ['b-older', 5 * MB], ['c-newer', 6 * MB], ['d-newest', MB / 2]] as const) {
    assert.is(text(last.bytes('rss-item', [name], fail)), name.slice(0, 1).repeat(bytes), name);
  }
});

test("a pack is opened from the index beside it when that is the very file's, and scanned when it is not", async () => {
  const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
  const value = (i: number) => `<item n="${i}">${'é'.repeat(300 + i)}</item>`;
  const fragmentsOf = (dir: string) => path.join(dir, 'packs', fs.readdirSync(path.join(dir, 'packs')).find((name) => name.endsWith('.fragments.pack'))!);
  const fail = () => {
    throw new Error('made again');
  };
  const made = (dir: string) => {
    const first = session(dir);
    for (let i = 0; i < 10; i++) first.bytes('item', [i], () => value(i));
    assert.is(first.save(), null);
    assert.ok(fs.existsSync(`${fragmentsOf(dir)}.index`), 'an index beside the pack');
  };

  // The head of the fourth record garbled, the file's times put back: a scan of the file would
  // take it for a torn end and find none of the records after it; the index finds them all,
  // and the garbled one fails its check when read, so it is made again and reported.
  for (const ahead of [false, true]) {
    const dir = cacheDir();
    made(dir);
    const pack = fragmentsOf(dir);
    const { atime, mtimeMs } = fs.statSync(pack);
    const bytes = fs.readFileSync(pack);
    let at = bytes.indexOf('\n') + 1;
    for (let record = 0; record < 3; record++) at += 13 + bytes.readUInt32LE(at) + bytes.readUInt32LE(at + 4);
    bytes.writeUInt32LE(0x7fffffff, at);
    const fd = fs.openSync(pack, 'r+');
    fs.writeSync(fd, bytes, at, 4, at);
    fs.closeSync(fd);
    // the same millisecond (the index's precision), given as its middle so that no rounding on the way moves it
    fs.utimesSync(pack, atime, (Math.floor(mtimeMs) + 0.5) / 1000);
    const next = session(dir);
    const damaged: string[] = [];
    next.onDamaged = (file) => damaged.push(file);
    if (ahead) {
      next.readFragmentsAhead();
      await next.fragmentsRead();
    }
    for (let i = 0; i < 10; i++) if (i !== 3) assert.is(text(next.bytes('item', [i], fail)), value(i), `record ${i}, through the index (${ahead ? 'read ahead' : 'opened when asked'})`);
    assert.is(text(next.bytes('item', [3], () => 'made again')), 'made again');
    assert.equal(damaged, [pack]);
  }

  // an index garbled, or one of the pack as it was before a later build appended to it: not
  // taken; the pack is scanned, every record found, and a current index written when it is saved
  for (const stale of [false, true]) {
    const dir = cacheDir();
    made(dir);
    const pack = fragmentsOf(dir);
    const index = `${pack}.index`;
    const kept = fs.readFileSync(index);
    if (stale) {
      const second = session(dir);
      second.bytes('item', ['later'], () => 'appended later');
      second.save();
      fs.writeFileSync(index, kept);
    } else {
      kept[kept.length - 10] = kept[kept.length - 10]! ^ 0x01;
      fs.writeFileSync(index, kept);
    }
    const next = session(dir);
    for (let i = 0; i < 10; i++) assert.is(text(next.bytes('item', [i], fail)), value(i), `record ${i}, found by a scan (${stale ? 'stale' : 'garbled'} index)`);
    if (stale) assert.is(text(next.bytes('item', ['later'], fail)), 'appended later');
    next.save();
    assert.not.equal(fs.readFileSync(index), kept, 'the index is written anew');
    const last = session(dir);
    for (let i = 0; i < 10; i++) assert.is(text(last.bytes('item', [i], fail)), value(i));
  }
});

test('builds that append to a pack through its index, a few records or more than its room, leave an index every later build takes', async () => {
  const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
  const value = (i: number) => `<item n="${i}">${'é'.repeat(20 + (i % 50))}</item>`;
  const fail = () => {
    throw new Error('made again');
  };
  for (const ahead of [false, true]) {
    const dir = cacheDir();
    const first = session(dir);
    for (let i = 0; i < 10; i++) first.bytes('item', [i], () => value(i));
    assert.is(first.save(), null);
    const pack = path.join(dir, 'packs', fs.readdirSync(path.join(dir, 'packs')).find((name) => name.endsWith('.fragments.pack'))!);
    // The head of the fourth record garbled, the file's time put back: a build that scanned the
    // pack instead of taking its index would find none of the records after it (and replace a
    // file it takes for torn), so every record found below was found through an index.
    const { atime, mtimeMs } = fs.statSync(pack);
    const bytes = fs.readFileSync(pack);
    let at = bytes.indexOf('\n') + 1;
    for (let record = 0; record < 3; record++) at += 13 + bytes.readUInt32LE(at) + bytes.readUInt32LE(at + 4);
    const fd = fs.openSync(pack, 'r+');
    bytes.writeUInt32LE(0x7fffffff, at);
    fs.writeSync(fd, bytes, at, 4, at);
    fs.closeSync(fd);
    fs.utimesSync(pack, atime, (Math.floor(mtimeMs) + 0.5) / 1000);
    // then builds that each read every record and append some: 5 (within the room read after the
    // index), 3,000 (past it: the index grows), 1
    let written = 10;
    for (const appended of [5, 3000, 1]) {
      const next = session(dir);
      if (ahead) {
        next.readFragmentsAhead();
        await next.fragmentsRead();
      }
      for (let i = 0; i < written; i++) if (i !== 3) assert.is(text(next.bytes('item', [i], fail)), value(i), `record ${i} of ${written}, before ${appended} more (${ahead ? 'read ahead' : 'opened when asked'})`);
      for (let i = written; i < written + appended; i++) next.bytes('item', [i], () => value(i));
      assert.is(next.save(), null);
      written += appended;
    }
    const last = session(dir);
    for (let i = 0; i < written; i++) if (i !== 3) assert.is(text(last.bytes('item', [i], fail)), value(i), `record ${i} of ${written}`);
  }
});

test.run();
