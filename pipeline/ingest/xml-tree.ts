/**
 * XML from the wire → a small ordered tree Galley can walk: bytes decoded in the encoding the
 * prolog declares (ISO-8859-1 and the like, not only UTF-8), well-formedness checked with
 * line and column, then parsed by fast-xml-parser in document order with namespace prefixes
 * removed (agencies prefix NITF and XHTML differently; the local names are what count).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Root as HastRoot, ElementContent } from 'hast';
import { decodeRaw } from './decode.ts';
import type { FormatProblem } from './agency-item.ts';

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
}
export type XmlNode = XmlElement | { readonly text: string };

export const isElement = (node: XmlNode): node is XmlElement => 'name' in node;

/** The encoding named in `<?xml … encoding="…"?>`, if any. */
function declaredEncoding(bytes: Uint8Array): string | null {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  return /^\uFEFF?\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1] ?? null;
}

export type Decoded = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly problem: FormatProblem };

/** Bytes → text, by the BOM or the declared encoding; UTF-8 when none is declared (XML's rule). */
export function decodeXml(bytes: Uint8Array): Decoded {
  const label = declaredEncoding(bytes);
  const utf8 = !label || /^utf-?8$/i.test(label);
  if (utf8 || bytes[0] === 0xef) {
    const decoded = decodeRaw(bytes);
    return decoded.ok ? { ok: true, text: decoded.text } : { ok: false, problem: { reason: decoded.reason, line: decoded.line, column: decoded.column } };
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    return { ok: false, problem: { reason: `declares the encoding ${JSON.stringify(label)}, which Galley cannot decode`, line: 1, column: 1 } };
  }
  return { ok: true, text: decoder.decode(bytes).replace(/\r\n?/g, '\n') };
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  // numeric character references (&#8217;) are decoded under this option in fast-xml-parser 5
  htmlEntities: true,
  commentPropName: false,
});

type Parsed = Record<string, unknown>;

function convert(nodes: readonly Parsed[]): XmlNode[] {
  const out: XmlNode[] = [];
  for (const node of nodes) {
    const attributes = (node[':@'] ?? {}) as Record<string, string>;
    for (const [key, value] of Object.entries(node)) {
      if (key === ':@') continue;
      if (key === '#text') out.push({ text: String(value) });
      else if (Array.isArray(value)) out.push({ name: key, attributes, children: convert(value as Parsed[]) });
    }
  }
  return out;
}

export type ParsedXml = { readonly ok: true; readonly root: XmlElement } | { readonly ok: false; readonly problem: FormatProblem };

/** Well-formed XML text → its root element, or where it is not well-formed. */
export function parseXml(text: string): ParsedXml {
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { ok: false, problem: { reason: `is not well-formed XML: ${valid.err.msg}`, line: valid.err.line, column: valid.err.col } };
  const root = convert(parser.parse(text) as Parsed[]).find(isElement);
  return root ? { ok: true, root } : { ok: false, problem: { reason: 'has no root element', line: 1, column: 1 } };
}

/** Child elements named `name` (local name). */
export function childrenNamed(element: XmlElement | undefined, name: string): XmlElement[] {
  return (element?.children ?? []).filter((child): child is XmlElement => isElement(child) && child.name === name);
}

export function child(element: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let current = element;
  for (const name of path) current = childrenNamed(current, name)[0];
  return current;
}

/** Every descendant element named `name`, in document order. */
export function descendants(element: XmlElement | undefined, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const walk = (node: XmlElement) => {
    for (const item of node.children) {
      if (!isElement(item)) continue;
      if (item.name === name) found.push(item);
      walk(item);
    }
  };
  if (element) walk(element);
  return found;
}

/** The text of an element, whitespace folded. */
export function textOf(element: XmlElement | undefined): string {
  const parts: string[] = [];
  const walk = (node: XmlNode) => {
    if (isElement(node)) node.children.forEach(walk);
    else parts.push(node.text);
  };
  if (element) walk(element);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

/**
 * Markup elements → hast, renaming what a format calls otherwise (NITF `hl2` is a subhead,
 * `bq` a block quote) and leaving out what must never be published (`dropped`). Names are
 * lower-cased; the sanitiser decides afterwards what may stay.
 */
export function toHast(nodes: readonly XmlNode[], renames: Readonly<Record<string, string>> = {}, dropped: ReadonlySet<string> = new Set()): HastRoot {
  const map = (items: readonly XmlNode[]): ElementContent[] =>
    items.flatMap((node): ElementContent[] => {
      if (!isElement(node)) return [{ type: 'text', value: node.text }];
      if (dropped.has(node.name)) return [];
      const tagName = renames[node.name] ?? node.name.toLowerCase();
      const properties: Record<string, string> = {};
      if (node.attributes.href) properties.href = node.attributes.href;
      if (node.attributes.start) properties.start = node.attributes.start;
      return [{ type: 'element', tagName, properties, children: map(node.children) }];
    });
  return { type: 'root', children: map(nodes) };
}

/** NITF's `norm` dates (`20240912T101500Z`, `20240912T101500+0200`, `20240912`) in ISO 8601 extended form. */
export function normDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const basic = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(value.trim());
  if (!basic) return value.trim();
  const [, y, mo, d, h, mi, s, zone] = basic;
  return h ? `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${zone ?? 'Z'}` : `${y}-${mo}-${d}`;
}
