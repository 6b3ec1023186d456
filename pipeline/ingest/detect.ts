/**
 * Which format a raw file is in, read from its content (the first non-blank character, the
 * JSON shape, the XML root element), not from its name: agencies and the systems between them
 * name files as they please. The extension only decides whether a file that merely looks like
 * JSON or XML, and is not, is an error (`.json`, `.xml`) or plain text (anything else).
 */
export type Detected =
  | { readonly kind: 'text' }
  | { readonly kind: 'ninjs'; readonly value: unknown }
  | { readonly kind: 'xml'; readonly root: 'nitf' | 'newsItem' | 'newsMessage' }
  | { readonly kind: 'unreadable'; readonly reason: string; readonly line?: number; readonly column?: number }
  /** A NewsML-G2 item of another class than news (a package, a planning item…): not an article, and not an error. */
  | { readonly kind: 'not-an-article'; readonly reason: string };

/** NewsML-G2 root elements that are items, but never news: feeds deliver them beside the news. */
const OTHER_G2_ITEMS = new Set(['packageItem', 'planningItem', 'conceptItem', 'knowledgeItem', 'catalogItem']);

/** The generation a parsed JSON value is written in, or null when it is not ninjs at all. */
export function ninjsGeneration(value: unknown): 1 | 2 | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const standard = record.standard as { name?: unknown; version?: unknown } | undefined;
  if (typeof standard?.version === 'string') return standard.version.startsWith('1') ? 1 : 2;
  if (['headlines', 'bodies', 'descriptions', 'subjects', 'by'].some((key) => key in record)) return 2;
  if (['headline', 'body_text', 'body_html', 'body_xhtml', 'byline', 'description_text', 'subject'].some((key) => key in record)) return 1;
  if ('uri' in record && ('versioncreated' in record || 'type' in record)) return 2;
  return null;
}

const STRUCTURED = /\.(?:json|ninjs|xml|nitf|newsml|g2)$/i;

/** Line and column (1-based) of a character offset in text. */
export function placeOfOffset(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** The local name of the root element, past the prolog, comments and the document type. */
export function xmlRootName(head: string): string | null {
  const rest = head
    .replace(/^\uFEFF/, '')
    .replace(/<\?[\s\S]*?\?>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!DOCTYPE(?:[^[>]|\[[\s\S]*?\])*>/i, '')
    .trimStart();
  return /^<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]/.exec(rest)?.[1] ?? null;
}

/** How much of a file detectFormat looks at to see its shape. */
export const HEAD_BYTES = 8192;

/** The start of a file as detectFormat sees it: ASCII is enough to see the shape (the readers decode the whole file properly), a UTF-8 byte order mark left out. */
function headOf(bytes: Uint8Array): string {
  return new TextDecoder('latin1').decode(bytes.subarray(0, HEAD_BYTES)).replace(/^\u00EF\u00BB\u00BF/, '');
}

/** Whether a file whose first HEAD_BYTES are `head` may be JSON or XML (or is blank so far), and so in an agency format. */
export function mayBeStructured(head: Uint8Array): boolean {
  const first = headOf(head).trimStart()[0];
  return first === '{' || first === '[' || first === '<' || first === undefined;
}

export function detectFormat(bytes: Uint8Array, name: string): Detected {
  const head = headOf(bytes);
  const first = head.trimStart()[0];
  const structured = STRUCTURED.test(name);
  if (first === '{' || first === '[') {
    const text = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      if (!structured) return { kind: 'text' };
      const at = /position (\d+)/.exec((error as Error).message);
      const place = at ? placeOfOffset(text, Number(at[1])) : {};
      return { kind: 'unreadable', reason: `is not valid JSON: ${(error as Error).message.replace(/ in JSON at position \d+.*$/s, '')}`, ...place };
    }
    const items = Array.isArray(value) ? value : [value];
    if (items.length && items.every((item) => ninjsGeneration(item) !== null)) return { kind: 'ninjs', value };
    if (!structured) return { kind: 'text' };
    return { kind: 'unreadable', reason: 'is JSON but not ninjs: Galley reads ninjs 1.x (headline, body_text…) and 2.x (headlines, bodies…)' };
  }
  if (first === '<') {
    const root = xmlRootName(head);
    if (root === 'nitf' || root === 'newsItem' || root === 'newsMessage') return { kind: 'xml', root };
    if (root && OTHER_G2_ITEMS.has(root)) return { kind: 'not-an-article', reason: `a NewsML-G2 ${root} is not an article; passed over` };
    if (!structured) return { kind: 'text' };
    return { kind: 'unreadable', reason: `is XML with the root element <${root ?? '?'}>: Galley reads NITF (<nitf>) and NewsML-G2 (<newsItem>, <newsMessage>)`, line: 1, column: 1 };
  }
  return { kind: 'text' };
}
