/**
 * The source index: a source whose file is as the last build saw it is not read again, and any
 * write to it, even one that keeps its size and modification time, makes the build read it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SourceIndex } from '../pipeline/engine/sources.ts';
import { readIndexFile } from '../pipeline/engine/source-index-file.ts';
import { readSourceFile } from '../pipeline/engine/source-file.ts';
import { GalleyError } from '../pipeline/model/diagnostics.ts';

const SOURCE = '---\ntitle: Harbour terminal\ndate: 2024-03-01T10:00:00Z\nslug: harbour\n---\n\nThe terminal opens later than planned.\n';

function folders() {
  const content = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-sources-'));
  fs.mkdirSync(path.join(content, 'articles'));
  return { content, cache: path.join(content, '.cache'), file: path.join(content, 'articles', 'harbour.md') };
}

/** A folder with the one source, indexed by a first build once the file has been still long enough (see STILL_MS). */
async function indexedFolders() {
  const made = folders();
  fs.writeFileSync(made.file, SOURCE);
  await sleep(3_200);
  const first = SourceIndex.open(made.cache, made.content);
  const [read] = await first.sources(made.content);
  first.save();
  return { ...made, read: read! };
}

test('an unchanged source comes from the index; a rewrite with the same size and times does not', async () => {
  const { content, cache, file, read } = await indexedFolders();
  assert.is(read.slug, 'harbour');

  const second = SourceIndex.open(cache, content);
  const [indexed] = await second.sources(content);
  assert.is(indexed!.hash, read.hash);
  assert.is(indexed!.slug, 'harbour');
  assert.is(Object.getOwnPropertyDescriptor(Object.getPrototypeOf(indexed), 'bytes')?.get !== undefined && !Object.hasOwn(indexed!, 'bytes'), true, 'its bytes are not read unless asked for');
  assert.is(indexed!.bytes.toString('utf8'), SOURCE);

  // the same number of bytes, the modification time put back: only the change time tells
  const { mtime, atime } = fs.statSync(file);
  fs.writeFileSync(file, SOURCE.replace('later', 'LATER'));
  fs.utimesSync(file, atime, mtime);
  const third = SourceIndex.open(cache, content);
  const [reread] = await third.sources(content);
  assert.is.not(reread!.hash, read.hash, 'the edit is seen');
  assert.ok(reread!.bytes.toString('utf8').includes('LATER'));
});

test("a large folder's sources (the second half stat'ed on another thread) come from the index, and a rewrite with the same size and times in either half does not", async () => {
  const { content, cache } = folders();
  const count = 20_400;
  const name = (index: number) => path.join(content, 'articles', `story-${String(index).padStart(5, '0')}.md`);
  const text = (index: number, word: string) => `---\ntitle: Story ${index}\ndate: 2024-03-01T10:00:00Z\n---\n\nThe terminal opens ${word} than planned.\n`;
  for (let index = 0; index < count; index++) fs.writeFileSync(name(index), text(index, 'later'));
  await sleep(3_200);
  const first = SourceIndex.open(cache, content);
  const read = await first.sources(content);
  first.save();
  assert.is(read.length, count);
  // each entry holds the file's identity as a stat here gives it, whichever thread took it
  const { entries } = readIndexFile(indexFile(cache));
  for (const index of [10, count - 10]) {
    const stat = fs.statSync(name(index));
    assert.equal(entries.get(name(index))?.slice(0, 4), [stat.size, stat.ino, stat.mtimeMs, stat.ctimeMs], `the entry of source ${index}`);
  }

  const indexFiles = () => fs.readdirSync(path.join(cache, 'sources')).map((name) => fs.readFileSync(path.join(cache, 'sources', name)).toString('base64'));
  const saved = indexFiles();
  const second = SourceIndex.open(cache, content);
  const indexed = await second.sources(content);
  assert.equal(indexed.map((source) => source.hash), read.map((source) => source.hash), 'every source as read, in path order');
  second.save();
  assert.equal(indexFiles(), saved, 'every one vouched for by the index (one read again would be appended to it)');

  // in the half this thread stats, then in the other thread's: only the change time tells
  for (const index of [10, count - 10]) {
    const { mtime, atime } = fs.statSync(name(index));
    fs.writeFileSync(name(index), text(index, 'LATER'));
    fs.utimesSync(name(index), atime, mtime);
    const after = await SourceIndex.open(cache, content).sources(content);
    assert.is.not(after[index]!.hash, read[index]!.hash, `the edit of source ${index} is seen`);
    assert.ok(after[index]!.bytes.toString('utf8').includes('LATER'));
    assert.is(after[index + 1]!.hash, read[index + 1]!.hash, 'its neighbour is as it was');
  }
  fs.rmSync(content, { recursive: true, force: true });
});

test('the index gives back what each source gave when read: its claim or none, its path in any script', async () => {
  const { content, cache } = folders();
  const sources = {
    'zürich-hafen-東京.md': SOURCE.replace('slug: harbour', 'source: raw/agence-été.xml#3'),
    'plain.md': SOURCE.replace('slug: harbour', ''),
  };
  for (const [name, text] of Object.entries(sources)) fs.writeFileSync(path.join(content, 'articles', name), text);
  await sleep(3_200);
  const first = SourceIndex.open(cache, content);
  const read = await first.sources(content);
  first.save();
  assert.equal(read.map((source) => [path.basename(source.path), source.slug, source.claims]), [['plain.md', 'plain', null], ['zürich-hafen-東京.md', 'zuerich-hafen', 'raw/agence-été.xml#3']]);
  const indexed = await SourceIndex.open(cache, content).sources(content);
  assert.equal(indexed.map((source) => [source.path, source.hash, source.slug, source.claims]), read.map((source) => [source.path, source.hash, source.slug, source.claims]));
  assert.equal(indexedPaths(cache), read.map((source) => source.path).sort(), 'both in the index');

  // a claim with a NUL in it (YAML's "\0") has no place in the whole part: written whole, the
  // index leaves that source out (it is read again, its line appended then), and the rest in
  fs.writeFileSync(path.join(content, 'articles', 'nul.md'), SOURCE.replace('slug: harbour', 'source: "raw/a\\0b.txt"'));
  await sleep(3_200);
  fs.rmSync(path.join(cache, 'sources'), { recursive: true });
  const withNul = SourceIndex.open(cache, content);
  assert.equal((await withNul.sources(content)).find((source) => source.path.endsWith('nul.md'))!.claims, 'raw/a\0b.txt');
  withNul.save();
  const nul = path.join(content, 'articles', 'nul.md');
  assert.equal(indexedPaths(cache), read.map((source) => source.path).sort(), 'written whole without it');
  const damaged: string[] = [];
  const again = SourceIndex.open(cache, content, (file) => damaged.push(file));
  assert.equal((await again.sources(content)).find((source) => source.path === nul)!.claims, 'raw/a\0b.txt', 'read again');
  again.save();
  assert.equal(damaged, []);
  assert.equal(indexedPaths(cache), [nul, ...read.map((source) => source.path)].sort(), 'then appended as a line');
  assert.is(readIndexFile(indexFile(cache)).appended, 1);
});

test('a source that changes after the build listed it is refused when its bytes are read', async () => {
  const { content, cache, file } = await indexedFolders();
  const [listed] = await SourceIndex.open(cache, content).sources(content);
  fs.writeFileSync(file, `${SOURCE}\nOne more line.\n`);
  try {
    void listed!.bytes;
    assert.unreachable('bytes that are not the listed ones are refused');
  } catch (error) {
    assert.instance(error, GalleyError);
    assert.match((error as GalleyError).message, /changed while the build was running/);
  }
});

/** The paths the index file of `cache` holds entries for. */
function indexedPaths(cache: string): string[] {
  const folder = path.join(cache, 'sources');
  const name = fs.existsSync(folder) ? fs.readdirSync(folder).find((entry) => entry.endsWith('.index')) : undefined;
  if (!name) return [];
  return [...readIndexFile(path.join(folder, name)).entries.keys()].sort();
}

/** The index file of `cache`. */
function indexFile(cache: string): string {
  const folder = path.join(cache, 'sources');
  return path.join(folder, fs.readdirSync(folder).find((entry) => entry.endsWith('.index'))!);
}

test('a build appends the entries it made; a damaged line costs its own source only, an append cut short nothing', async () => {
  const { content, cache, file } = await indexedFolders();
  const index = indexFile(cache);
  assert.is(readIndexFile(index).appended, 0, 'written whole');
  const second = path.join(content, 'articles', 'second.md');
  fs.writeFileSync(second, SOURCE.replace('slug: harbour', 'slug: second'));
  await sleep(3_200);
  const before = fs.readFileSync(index);
  const adding = SourceIndex.open(cache, content);
  await adding.sources(content);
  adding.save();
  const after = fs.readFileSync(index);
  assert.ok(after.subarray(0, before.length).equals(before), 'the whole part is left as it was');
  assert.is(readIndexFile(index).appended, 1, 'one line appended');
  assert.equal(indexedPaths(cache), [second, file].sort());

  // nothing new: nothing written
  const again = SourceIndex.open(cache, content);
  await again.sources(content);
  again.save();
  assert.ok(fs.readFileSync(index).equals(after));

  // One hex digit of the second source's hash changed: that source is read again. A later line
  // for the first one (made here with its checksum) is taken over the earlier; an append cut
  // short is passed over.
  const appendedText = after.subarray(before.length).toString('utf8');
  const damagedText = appendedText.replace(/("[0-9a-f]{64}")/g, (hash) => `"${hash[1] === '0' ? '1' : '0'}${hash.slice(2)}`);
  assert.is.not(damagedText, appendedText);
  const firstEntry = readIndexFile(index).entries.get(file)!;
  const superseding = JSON.stringify([file, ...firstEntry.slice(0, -1), 'from-the-index']);
  fs.writeFileSync(index, Buffer.concat([before, Buffer.from(`${damagedText}${zlib.crc32(superseding).toString(16).padStart(8, '0')} ${superseding}\n0badf00d ["cut short`)]));
  const damaged: string[] = [];
  const reading = SourceIndex.open(cache, content, (damagedFile) => damaged.push(damagedFile));
  assert.equal(damaged, [index], 'the damage is reported');
  const listed = new Map((await reading.sources(content)).map((source) => [source.path, source]));
  assert.is(listed.get(second)!.hash, readSourceFile(second).hash, 'the damaged entry is not taken');
  assert.is(listed.get(file)!.slug, 'from-the-index', 'the first source is taken from the index, its later line over its earlier');
  reading.save();
  const rewritten = readIndexFile(index);
  assert.is(rewritten.appended, 0, 'written whole again');
  assert.equal([...rewritten.entries.keys()].sort(), [second, file].sort());
  const healed: string[] = [];
  const next = new Map((await SourceIndex.open(cache, content, (damagedFile) => healed.push(damagedFile)).sources(content)).map((source) => [source.path, source]));
  assert.equal(healed, []);
  assert.is(next.get(second)!.hash, readSourceFile(second).hash);
  assert.is(next.get(file)!.slug, 'from-the-index');
});

test('sources too fresh to index when listed, or written during the build, are indexed after it once still, if they still hash as read', async () => {
  const { content, cache, file } = folders();
  const written = path.join(content, 'articles', 'written.md');
  const changed = path.join(content, 'articles', 'changed.md');
  fs.writeFileSync(file, SOURCE);
  fs.writeFileSync(changed, SOURCE.replace('slug: harbour', 'slug: changed'));
  const index = SourceIndex.open(cache, content);
  const listed = await index.sources(content);
  index.save();
  assert.equal(indexedPaths(cache), [], 'too fresh when listed');
  // ingest writes a source while the build runs; another is changed after the build read it
  fs.writeFileSync(written, SOURCE.replace('slug: harbour', 'slug: written'));
  const ingested = readSourceFile(written);
  fs.writeFileSync(changed, `${SOURCE}\nOne more line.\n`);
  index.indexStill([...listed, ingested]);
  assert.equal(indexedPaths(cache), [], 'not yet still when the build ends');
  await sleep(3_200);
  index.indexStill([...listed, ingested]);
  assert.equal(indexedPaths(cache), [file, written].sort(), 'the changed one is read again by the next build');
  const next = new Map((await SourceIndex.open(cache, content).sources(content)).map((source) => [source.path, source.hash]));
  assert.is(next.get(file), listed.find((source) => source.path === file)!.hash);
  assert.is(next.get(written), ingested.hash);
  assert.is(next.get(changed), readSourceFile(changed).hash, 'the change is seen');
});

test("an index of an earlier format is removed once this one's is missing", async () => {
  const { content, cache, file } = await indexedFolders();
  const folder = path.join(cache, 'sources');
  const [current] = fs.readdirSync(folder);
  assert.match(current!, /\.v(\d+)\.index$/);
  const earlier = path.join(folder, current!.replace(/\.v\d+\.index$/, '.v2.json'));
  fs.writeFileSync(earlier, '{}');
  SourceIndex.open(cache, content);
  assert.ok(fs.existsSync(earlier), 'kept while the current index is there');
  fs.rmSync(path.join(folder, current!));
  const [listed] = await SourceIndex.open(cache, content).sources(content);
  assert.is(listed!.slug, 'harbour');
  assert.not.ok(fs.existsSync(earlier), 'removed');
});

test.run();
