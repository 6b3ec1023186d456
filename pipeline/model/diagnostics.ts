/**
 * Every problem the build finds is a located message on the file it concerns (unified's
 * vfile model): errors stop the publish, warnings and notices are printed and the build goes
 * on. Messages are collected for the whole run so the author sees them all at once.
 */
import path from 'node:path';
import { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import type { Place } from './errors.ts';

export type { Place } from './errors.ts';
export { GalleyError } from './errors.ts';

export type Severity = 'error' | 'warning' | 'notice';

export class Diagnostics {
  readonly #files = new Map<string, VFile>();

  /** The vfile that collects the messages of `filePath` (one per path). */
  file(filePath: string): VFile {
    let file = this.#files.get(filePath);
    if (!file) {
      file = new VFile({ path: filePath });
      this.#files.set(filePath, file);
    }
    return file;
  }

  /** The messages on `filePath` so far (none: no vfile is made for it). */
  messagesOn(filePath: string): readonly VFileMessage[] {
    return this.#files.get(filePath)?.messages ?? [];
  }

  error(filePath: string, reason: string, place?: Place, ruleId?: string): void {
    this.#add(filePath, reason, place, ruleId).fatal = true;
  }

  warn(filePath: string, reason: string, place?: Place, ruleId?: string): void {
    this.#add(filePath, reason, place, ruleId).fatal = false;
  }

  notice(filePath: string, reason: string, place?: Place, ruleId?: string): void {
    this.#add(filePath, reason, place, ruleId).fatal = undefined;
  }

  #add(filePath: string, reason: string, place: Place | undefined, ruleId: string | undefined): VFileMessage {
    const message = this.file(filePath).message(reason, {
      place: place ? { line: place.line, column: place.column } : undefined,
      ruleId,
      source: 'galley',
    });
    return message;
  }

  /** Every message, in file order then position order. */
  messages(): { file: string; message: VFileMessage }[] {
    const all: { file: string; message: VFileMessage }[] = [];
    for (const [filePath, file] of [...this.#files].sort(([a], [b]) => a.localeCompare(b))) {
      const sorted = [...file.messages].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
      for (const message of sorted) all.push({ file: filePath, message });
    }
    return all;
  }

  count(severity: Severity): number {
    return this.messages().filter(({ message }) => severityOf(message) === severity).length;
  }

  get hasErrors(): boolean {
    return this.count('error') > 0;
  }

  /** `FILE:LINE:COL: severity: message [rule]`, one per line, paths shown relative to `cwd`. */
  format(cwd = process.cwd()): string {
    return this.messages()
      .map(({ file, message }) => formatMessage(displayPath(file, cwd), message))
      .join('\n');
  }
}

export function severityOf(message: VFileMessage): Severity {
  return message.fatal === true ? 'error' : message.fatal === false ? 'warning' : 'notice';
}

function formatMessage(file: string, message: VFileMessage): string {
  const where = message.line ? `${file}:${message.line}:${message.column ?? 1}` : file;
  const rule = message.ruleId ? ` [${message.ruleId}]` : '';
  return `${where}: ${severityOf(message)}: ${message.reason}${rule}`;
}

/** A path as the operator typed it: relative to the working folder when inside it. */
export function displayPath(file: string, cwd = process.cwd()): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** A message as data: what the article cache keeps, and a reading worker sends, to be told again. */
export interface MessageRecord {
  readonly reason: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly severity: Severity;
  readonly ruleId: string | undefined;
}

/** The messages of `filePath` as data. */
export function messageRecords(diagnostics: Diagnostics, filePath: string): MessageRecord[] {
  return diagnostics.messagesOn(filePath).map((message) => ({ reason: message.reason, line: message.line, column: message.column, severity: severityOf(message), ruleId: message.ruleId }));
}

/** Tells `records` again, on `filePath`. */
export function retell(records: readonly MessageRecord[], filePath: string, diagnostics: Diagnostics): void {
  for (const record of records) {
    const place = record.line ? { line: record.line, column: record.column ?? 1 } : undefined;
    const tell = record.severity === 'error' ? diagnostics.error : record.severity === 'warning' ? diagnostics.warn : diagnostics.notice;
    tell.call(diagnostics, filePath, record.reason, place, record.ruleId);
  }
}
