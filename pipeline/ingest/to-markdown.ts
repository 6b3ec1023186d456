/**
 * A raw wire article → the Markdown source an editor reads and edits: YAML front-matter, then
 * the body, with every character that means something in Markdown escaped so the wire text
 * reads back literally. Pure: the caller gives the clock, the site defaults and the slug.
 */
import { Document } from 'yaml';
import type { Root, RootContent, ListItem, TableCell, TableRow, Text } from 'mdast';
import { visit } from 'unist-util-visit';
import { labelsFor } from '../../templates/labels.ts';
import { toString } from 'mdast-util-to-string';
import { stringifyMarkdown, smartenTree, smarten } from '../model/markdown.ts';
import { countWords, readingMinutes } from '../model/article.ts';
import { formatIsoDate } from '../model/dates.ts';
import type { BodyBlock, WireStructure } from './structure.ts';

export interface IngestedFields {
  readonly title: string;
  readonly date: Date;
  readonly slug: string;
  readonly summary: string;
  readonly author: string;
  readonly tags: readonly string[];
  readonly lang: string;
  readonly source: string;
  /** Last substantive change, when the copy says so (an agency item's later version). */
  readonly updated?: Date | undefined;
  /** Fields an agency item carries (authorTitle, dateline, guid, version…), written after `credit`. */
  readonly extra?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * A paragraph of wire text. Two apostrophes stand for a double quotation mark where keyboards or
 * systems had none (PTI writes ''सरकार…''): made one, so it opens or closes by where it stands,
 * where smartypants would read each pair as a closing mark (TeX's '').
 */
function paragraph(text: string) {
  return { type: 'paragraph' as const, children: [{ type: 'text' as const, value: text.replace(/''/g, '"') }] };
}

function toMdast(block: BodyBlock): RootContent {
  if (block.kind === 'paragraph') return paragraph(block.text);
  if (block.kind === 'table') {
    const rows: TableRow[] = block.rows.map((cells) => ({ type: 'tableRow', children: cells.map((cell): TableCell => ({ type: 'tableCell', children: paragraph(cell).children })) }));
    return { type: 'table', align: block.rows[0]!.map(() => null), children: rows };
  }
  const children: ListItem[] = block.items.map((item) => ({ type: 'listItem', spread: false, children: [paragraph(item)] }));
  return { type: 'list', ordered: false, spread: false, children };
}

/** The body as mdast, typographic quotes and dashes applied (what the Markdown source will hold). */
export function bodyTree(blocks: readonly BodyBlock[], lang: string): Root {
  return withSpacedDashes(smartenTree({ type: 'root', children: blocks.map(toMdast) }), lang);
}

/** A hyphen with a space on each side, between words: typed for a dash. */
const SPACED_HYPHEN = /(?<=[\p{L}\p{N}.,;:!?"”’»)\]]) - (?=[\p{L}\p{N}"“‘«„(\[])/gu;

/**
 * A spaced hyphen as the language's spaced dash (" — " in English, French, Russian; " – " in
 * German, Polish, the Nordic languages: the catalogue's, as around a dateline), in place. A
 * keyboard's hyphen between two spaces is never a hyphen ("», - заявил" is "», — заявил");
 * smartypants makes dashes of `--` only. Code is left alone; languages set without spaces keep it.
 */
export function withSpacedDashes(tree: Root, lang: string): Root {
  const dash = labelsFor(lang).messages.datelineSeparator;
  if (!/^ [–—] $/.test(dash)) return tree;
  visit(tree, 'text', (text: Text) => {
    if (text.value.includes(' - ')) text.value = text.value.replace(SPACED_HYPHEN, dash);
  });
  return tree;
}

/** The plain text of the first paragraph of a body tree. */
export function ledeOf(tree: Root): string {
  const first = tree.children.find((node) => node.type === 'paragraph');
  return first ? toString(first) : '';
}

/** The whole Markdown source: front-matter in a fixed order, then the escaped body. */
export function toMarkdownSource(fields: IngestedFields, wire: WireStructure, body: Root): string {
  const words = countWords(toString(body));
  const frontMatter = {
    title: fields.title,
    date: formatIsoDate(fields.date),
    ...(fields.updated && fields.updated.getTime() > fields.date.getTime() ? { updated: formatIsoDate(fields.updated) } : {}),
    slug: fields.slug,
    summary: fields.summary,
    author: fields.author,
    tags: [...fields.tags],
    lang: fields.lang,
    related: wire.related.map((item) => (item.url ? { title: smarten(item.title), url: item.url } : { title: smarten(item.title) })),
    credit: wire.credit ? smarten(wire.credit) : null,
    ...fields.extra,
    source: fields.source,
    words,
    readingMinutes: readingMinutes(words),
  };
  const yaml = new Document(frontMatter).toString({ lineWidth: 0, flowCollectionPadding: false });
  return `---\n${yaml}---\n\n${stringifyMarkdown(body)}`;
}
