/**
 * The input limits (model/limits.ts) as ingest applies them to raw copy: each a located error
 * naming the file, told before the text is worked on, so that nothing past a limit reaches a
 * stage whose cost grows with it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostics } from '../model/diagnostics.ts';
import { MAX_PARAGRAPH_LENGTH, MAX_RAW_BYTES, MAX_TAGS, MAX_TAG_LENGTH, MAX_TITLE_LENGTH } from '../model/limits.ts';
import type { HeaderField, HeaderKey } from './wire-text.ts';
import { textsOf, type BodyBlock } from './structure.ts';

/** A raw file too large to read, told as an error; refused by its size, before it is read. */
export function rawFileTooLarge(rawPath: string, diagnostics: Diagnostics): boolean {
  const size = fs.statSync(rawPath).size;
  if (size <= MAX_RAW_BYTES) return false;
  diagnostics.error(rawPath, `${path.basename(rawPath)} is ${megabytes(size)}: a raw article is at most ${megabytes(MAX_RAW_BYTES)}`, undefined, 'limits');
  return true;
}

/** Whether the header fields and body blocks are within the limits; each one past them is told as an error. */
export function wireWithinLimits(rawPath: string, header: (key: HeaderKey) => HeaderField | undefined, body: readonly BodyBlock[], diagnostics: Diagnostics): boolean {
  let within = true;
  const refuse = (reason: string, place: { line: number; column: number }) => {
    diagnostics.error(rawPath, reason, place, 'limits');
    within = false;
  };
  const count = (n: number) => n.toLocaleString('en');
  for (const block of body) {
    const longest = textsOf(block).reduce((a, b) => (b.length > a.length ? b : a), '');
    if (longest.length > MAX_PARAGRAPH_LENGTH) {
      refuse(`paragraph of ${count(longest.length)} characters: a paragraph is at most ${count(MAX_PARAGRAPH_LENGTH)} (separate paragraphs with a blank line)`, { line: block.line, column: 1 });
    }
  }
  const title = header('title');
  if (title && title.value.length > MAX_TITLE_LENGTH) refuse(`Title is ${count(title.value.length)} characters: a title is at most ${MAX_TITLE_LENGTH}`, title);
  const summary = header('summary');
  if (summary && summary.value.length > MAX_PARAGRAPH_LENGTH) refuse(`Summary is ${count(summary.value.length)} characters: a summary is at most ${count(MAX_PARAGRAPH_LENGTH)}`, summary);
  const tagsField = header('tags');
  if (tagsField) {
    const tags = new Set(tagsField.value.split(',').map((tag) => tag.trim()).filter(Boolean));
    if (tags.size > MAX_TAGS) refuse(`Tags lists ${tags.size} tags: an article carries at most ${MAX_TAGS}`, tagsField);
    const longTag = [...tags].find((tag) => tag.length > MAX_TAG_LENGTH);
    if (longTag) refuse(`Tags has a tag of ${longTag.length} characters: a tag is at most ${MAX_TAG_LENGTH}`, tagsField);
  }
  return within;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}
