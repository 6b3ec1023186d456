/**
 * The source index's file (sources.ts: SourceIndex): the entries as a build wrote it whole, then
 * the entries later builds appended. The whole part is binary, one read and one check as every
 * build opens it: a line of its CRC-32 (8 hex digits), its length and its number of entries (12
 * digits each), then, per entry, the path, hash, claims ("-" for none, else "+" and the claims)
 * and slug, each ended by a NUL, then per entry its size, inode, modification and change times
 * as little-endian doubles, then a newline. (As JSON under a SHA-256, 100,000 sources took ~1.1 s
 * to open; this way ~0.3 s.) Each appended entry is a line of its own: the CRC-32 of its JSON (8
 * hex digits), a space, the JSON of `[path, ...entry]`, superseding what came before for that
 * path. A build appends the entries it made (writing the whole index cost ~0.1 s of each rebuild
 * at 10,000 sources) and writes the file whole when an entry is dropped or the appended lines
 * grow many.
 *
 * What does not check (one hex digit of a source's hash changed is enough to make every later
 * build fail that source as "changed while the build was running") is dropped and reported: the
 * whole part all at once, an appended line alone. A last line without its newline is an append
 * cut short, dropped quietly.
 */
import fs from 'node:fs';
import { crc32 } from './digest.ts';
import { PieceWriter, withNewFile } from './write-pieces.ts';

/** What the index keeps of a source: its identity, then what its bytes gave. */
export type IndexEntry = readonly [size: number, inode: number, modified: number, changed: number, hash: string, claims: string | null, slug: string];

/** An appended line of `entry` (see above). */
export function appendedLine(filePath: string, entry: IndexEntry): string {
  const json = JSON.stringify([filePath, ...entry]);
  return `${lineCheck(json)} ${json}\n`;
}

/** An appended line's check: the CRC-32 of its JSON, 8 hex digits. */
function lineCheck(json: string): string {
  return crc32(Buffer.from(json, 'utf8')).toString(16).padStart(8, '0');
}

/** The line that heads the whole part: its CRC-32, its length and its number of entries. */
const WHOLE_HEAD = /^([0-9a-f]{8}) (\d{12}) (\d{12})\n/;
const WHOLE_HEAD_BYTES = 35;

/** An entry's texts as the whole part holds them, each ended by a NUL; none for an entry with a NUL in one (it is not indexed). */
function entryTexts(filePath: string, [, , , , hash, claims, slug]: IndexEntry): string | null {
  if ([filePath, hash, claims ?? '', slug].some((text) => text.includes('\0'))) return null;
  return `${filePath}\0${hash}\0${claims === null ? '-' : `+${claims}`}\0${slug}\0`;
}

/**
 * Writes the whole part of an index file (see above), a megabyte at a time: as one string,
 * with the object it was made from, the index of 100,000 sources took ~100 MB at the end of a
 * cold build, when its memory is highest. Its head, which states its check, goes in last.
 */
export function writeWhole(file: string, entries: ReadonlyMap<string, IndexEntry>): void {
  withNewFile(file, (fd) => {
    let check = 0;
    const writer = new PieceWriter(fd, WHOLE_HEAD_BYTES, (bytes) => {
      check = crc32(bytes, check);
    });
    const kept: IndexEntry[] = [];
    for (const [filePath, entry] of entries) {
      const texts = entryTexts(filePath, entry);
      if (texts === null) continue;
      kept.push(entry);
      writer.text(texts);
    }
    for (const entry of kept) for (let index = 0; index < 4; index++) writer.number(entry[index] as number);
    writer.flush();
    const length = writer.at - WHOLE_HEAD_BYTES;
    fs.writeSync(fd, `${check.toString(16).padStart(8, '0')} ${String(length).padStart(12, '0')} ${String(kept.length).padStart(12, '0')}\n`, 0, 'latin1');
    fs.writeSync(fd, '\n', WHOLE_HEAD_BYTES + length, 'latin1');
  });
}

/** The entries of the whole part `bytes` (see above), or null when it does not check. */
function wholeEntries(bytes: Buffer, count: number): Map<string, IndexEntry> | null {
  const numbers = bytes.length - count * 32;
  if (numbers < 0) return null;
  const texts = bytes.toString('utf8', 0, numbers).split('\0');
  if (texts.length !== count * 4 + 1 || texts[count * 4] !== '') return null;
  const entries = new Map<string, IndexEntry>();
  for (let index = 0, text = 0, at = numbers; index < count; index++, text += 4, at += 32) {
    const claims = texts[text + 2]!;
    if (claims !== '-' && claims[0] !== '+') return null;
    entries.set(texts[text]!, [bytes.readDoubleLE(at), bytes.readDoubleLE(at + 8), bytes.readDoubleLE(at + 16), bytes.readDoubleLE(at + 24), texts[text + 1]!, claims === '-' ? null : claims.slice(1), texts[text + 3]!]);
  }
  return entries;
}

/** The entries of an index file, whether any did not check, whether it ends in an append cut short, and how many lines were appended. */
export function entriesOf(file: Buffer): { readonly entries: Map<string, IndexEntry>; readonly damaged: boolean; readonly torn: boolean; readonly appended: number } {
  const head = WHOLE_HEAD.exec(file.toString('latin1', 0, WHOLE_HEAD_BYTES));
  const wholeEnd = head ? WHOLE_HEAD_BYTES + Number(head[2]) : -1;
  // without its head, or a newline where it ends, where the appended lines start is not known: nothing is taken
  if (!head || file[wholeEnd] !== 10) return { entries: new Map(), damaged: true, torn: false, appended: 0 };
  const whole = file.subarray(WHOLE_HEAD_BYTES, wholeEnd);
  const checked = crc32(whole).toString(16).padStart(8, '0') === head[1] ? wholeEntries(whole, Number(head[3])) : null;
  const entries = checked ?? new Map<string, IndexEntry>();
  let damaged = checked === null;
  const text = file.toString('utf8', wholeEnd + 1);
  let appended = 0;
  let start = 0;
  for (let end = text.indexOf('\n', start); end !== -1; start = end + 1, end = text.indexOf('\n', start)) {
    appended++;
    const line = text.slice(start + 9, end);
    let stored: unknown = null;
    try {
      if (text[start + 8] === ' ' && lineCheck(line) === text.slice(start, start + 8)) stored = JSON.parse(line);
    } catch {
      // not JSON: damaged
    }
    if (Array.isArray(stored) && typeof stored[0] === 'string' && isIndexEntry(stored.slice(1))) entries.set(stored[0], stored.slice(1) as unknown as IndexEntry);
    else damaged = true;
  }
  return { entries, damaged, torn: start < text.length, appended };
}

function isIndexEntry(stored: unknown): stored is IndexEntry {
  return Array.isArray(stored) && stored.length === 7;
}

/** What an index file holds (all its entries, later lines over earlier), and whether it checked: for tests and tools. */
export function readIndexFile(file: string): ReturnType<typeof entriesOf> {
  return entriesOf(fs.readFileSync(file));
}
