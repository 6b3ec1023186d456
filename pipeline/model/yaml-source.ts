/**
 * YAML read with positions, so that a schema issue at `date` points at the line and column of
 * `date:` in the file. Uses `yaml` (core schema: no timestamps, no code execution).
 */
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type * as z from 'zod';
import type { Diagnostics, Place } from './diagnostics.ts';

export interface YamlSource {
  readonly doc: Document;
  readonly lineCounter: LineCounter;
  /** Line of the file on which the YAML text starts (1-based), for front-matter inside a file. */
  readonly firstLine: number;
  /** The document as plain values (made once: see readYaml). */
  readonly value: unknown;
}

/** Parses YAML and reports its syntax errors, shifted to the file's own line numbers. */
export function readYaml(text: string, filePath: string, diagnostics: Diagnostics, firstLine = 1): YamlSource | null {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  let value: unknown;
  try {
    // yaml refuses a document whose aliases would expand beyond reason (an "alias bomb"), by throwing
    value = doc.errors.length ? undefined : doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    diagnostics.error(filePath, `invalid YAML: ${withoutPlace(error instanceof Error ? error.message : String(error))}`, { line: firstLine, column: 1 }, 'yaml');
    return null;
  }
  const source: YamlSource = { doc, lineCounter, firstLine, value };
  for (const error of doc.errors) {
    const at = error.linePos?.[0];
    const place = at ? { line: at.line + firstLine - 1, column: at.col } : { line: firstLine, column: 1 };
    diagnostics.error(filePath, `invalid YAML: ${withoutPlace(error.message)}`, place, 'yaml');
  }
  for (const warning of doc.warnings) {
    const at = warning.linePos?.[0];
    diagnostics.warn(filePath, `YAML: ${withoutPlace(warning.message)}`, at ? { line: at.line + firstLine - 1, column: at.col } : undefined, 'yaml');
  }
  return doc.errors.length ? null : source;
}

/** yaml's message without its own place (counted from the YAML, not the file: ours replaces it). */
function withoutPlace(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

/** Where the value at `path` sits in the file; the nearest existing parent when it is missing. */
export function placeOf(source: YamlSource, path: readonly PropertyKey[]): Place {
  for (let depth = path.length; depth >= 0; depth--) {
    const node: unknown = source.doc.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) {
      const pos = source.lineCounter.linePos(node.range[0]);
      return { line: pos.line + source.firstLine - 1, column: pos.col };
    }
  }
  return { line: Math.max(1, source.firstLine - 1), column: 1 };
}

/**
 * Validates the YAML against a schema and reports every issue at its place, all at once.
 * Returns the parsed value, or null when there was any issue.
 */
export function validateYaml<Schema extends z.ZodType>(
  source: YamlSource,
  schema: Schema,
  filePath: string,
  diagnostics: Diagnostics,
): z.output<Schema> | null {
  const result = schema.safeParse(source.value ?? {});
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        diagnostics.error(filePath, `unknown field ${JSON.stringify(key)}`, placeOf(source, [...issue.path, key]), 'schema');
      }
      continue;
    }
    // say which field, unless the message already starts with its name
    const field = issue.path.join('.');
    const key = field && !issue.message.startsWith(String(issue.path.at(-1))) ? `${field}: ` : '';
    diagnostics.error(filePath, `${key}${issue.message}`, placeOf(source, issue.path), 'schema');
  }
  return null;
}
