/**
 * The record of a published edition (engine/edition-record.ts), as the no-change check reads it:
 * what is written is read back exactly, a record of another key or of an earlier Galley is none,
 * and a record cut short is refused.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readEditionRecord, writeEditionRecord, type FolderStamp, type Listing } from '../pipeline/engine/edition-record.ts';
import { currentEdition, recordEdition } from '../pipeline/engine/manifest.ts';

const KEY = 'a'.repeat(64);

function written(): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'galley-record-')), 'record.edition');
  const files: Listing = {
    'index.html': [1234, 1700000000123.4567, 1700000000123.4567, 98765],
    'articles/café-à-paris/index.html': [0, 1.5, 2.25, 2 ** 40 + 3],
    'tags/日本/feed.xml': [7, 1e12, 1e12 + 0.001, 1],
  };
  const folders: Record<string, FolderStamp> = { '': [1, 2, 3], articles: [4, 5, 6], 'articles/café-à-paris': [7, 8, 9], tags: [10, 11, 12], 'tags/日本': [13, 14, 15] };
  writeEditionRecord(file, { key: KEY, heldUntil: null, messages: 'warning: “quoted”\n', counts: { published: 3 } }, files, folders);
  return file;
}

test('what is written is read back exactly: header, paths in any script, every number as it was', () => {
  const record = readEditionRecord(written(), KEY);
  assert.ok(record);
  assert.equal(record.header, { key: KEY, heldUntil: null, messages: 'warning: “quoted”\n', counts: { published: 3 } });
  assert.equal(record.listing(), {
    'index.html': [1234, 1700000000123.4567, 1700000000123.4567, 98765],
    'articles/café-à-paris/index.html': [0, 1.5, 2.25, 2 ** 40 + 3],
    'tags/日本/feed.xml': [7, 1e12, 1e12 + 0.001, 1],
  });
  assert.equal(record.folders, ['', 'articles', 'articles/café-à-paris', 'tags', 'tags/日本']);
  const stat = (kind: 'file' | 'folder', size: number, mtimeMs: number, ctimeMs: number, ino: number) => ({ isFile: () => kind === 'file', isDirectory: () => kind === 'folder', size, mtimeMs, ctimeMs, ino }) as fs.Stats;
  assert.ok(record.sameFile(1, true, 0, 1.5, 2.25, 2 ** 40 + 3));
  assert.not.ok(record.sameFile(1, true, 0, 1.5, 2.250001, 2 ** 40 + 3), 'another change time');
  assert.not.ok(record.sameFile(1, false, 0, 1.5, 2.25, 2 ** 40 + 3), 'a folder where a file was');
  assert.not.ok(record.sameFile(1, false, NaN, NaN, NaN, NaN), 'none there');
  assert.ok(record.sameFolder(4, stat('folder', 0, 13, 14, 15)));
  assert.not.ok(record.sameFolder(4, stat('folder', 0, 13, 14, 16)), 'another inode');
});

test('a record of another key, or one an earlier Galley wrote as JSON, is none; one cut short is refused', () => {
  const file = written();
  assert.is(readEditionRecord(file, 'b'.repeat(64)), null);
  assert.ok(readEditionRecord(file), 'read whatever its key');
  const json = path.join(path.dirname(file), 'old.json');
  fs.writeFileSync(json, JSON.stringify({ key: KEY, files: {}, folders: {} }));
  assert.is(readEditionRecord(json, KEY), null);
  assert.is(readEditionRecord(path.join(path.dirname(file), 'none.edition'), KEY), null);
  const bytes = fs.readFileSync(file);
  for (const cut of [bytes.length - 1, bytes.length - 30, bytes.indexOf(0) + 1]) {
    fs.writeFileSync(file, bytes.subarray(0, cut));
    assert.throws(() => readEditionRecord(file, KEY), /cut short|do not add up/, `cut at ${cut} of ${bytes.length}`);
  }
});

test('the check of a large edition (half its files stat\'ed on a second thread) keeps it as recorded, and not once a file of either half is written to', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-check-'));
  const out = path.join(root, 'dist');
  const cache = path.join(root, 'cache');
  const files: Listing = {};
  for (let folder = 0; folder < 100; folder++) {
    fs.mkdirSync(path.join(out, 'articles', String(folder)), { recursive: true });
    for (let file = 0; file < 205; file++) {
      const relative = `articles/${folder}/${file}.html`;
      fs.writeFileSync(path.join(out, relative), `<p>${folder} ${file}</p>`);
      const stat = fs.lstatSync(path.join(out, relative));
      files[relative] = [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino];
    }
  }
  const names = Object.keys(files);
  assert.ok(names.length >= 20_000, 'enough files for two threads');
  const counts = { published: 1, drafts: 0, future: 0, warnings: 0 };
  recordEdition(cache, out, { key: KEY, files, heldUntil: null, messages: '', counts });
  const now = new Date('2030-01-01T00:00:00Z');
  assert.equal(await currentEdition(cache, out, KEY, now), { key: KEY, heldUntil: null, messages: '', counts, fileCount: names.length });
  assert.is(await currentEdition(cache, out, 'b'.repeat(64), now), null, 'another key');
  // written to in place (same size and inode, its times set back), first in the half the second thread checks, then in this thread's
  for (const relative of [names[names.length - 2]!, names[3]!]) {
    const file = path.join(out, relative);
    const { atime, mtime } = fs.statSync(file);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('<p>', '<b>'));
    fs.utimesSync(file, atime, mtime);
    assert.is(await currentEdition(cache, out, KEY, now), null, `${relative} written to`);
    const stat = fs.lstatSync(file);
    files[relative] = [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino];
    recordEdition(cache, out, { key: KEY, files, heldUntil: null, messages: '', counts });
    assert.ok(await currentEdition(cache, out, KEY, now), 'kept once recorded as it is');
  }
});

test.run();
