/**
 * The Markdown reader's fast paths: a text with no mark of a GFM autolink literal (`@`, `www.`,
 * `http://`, `https://`) is read without remark-gfm's autolink extension, and without each of
 * the other GFM extensions (tables, footnotes, strikethrough, task lists) whose marks it lacks.
 * Its tree must be the one remark-gfm itself gives, for every construct a source may hold; a
 * text with such a mark still gets its links, tables, notes, deletions and check boxes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkSmartypants from 'remark-smartypants';
import type { Link, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import { parseMarkdown } from '../pipeline/model/markdown.ts';

/** What remark-gfm reads, as Galley configures it (two tildes for strikethrough). */
const reference = unified().use(remarkParse).use(remarkGfm, { singleTilde: false }).freeze();
const referenceTypographic = unified().use(remarkParse).use(remarkGfm, { singleTilde: false }).use(remarkSmartypants).freeze();

function referenceTree(markdown: string): Root {
  const typographic = /["'`]|--|\.\.\./.test(markdown);
  return typographic ? (referenceTypographic.runSync(referenceTypographic.parse(markdown)) as Root) : reference.parse(markdown);
}

const WITHOUT_MARKS = [
  'PARIS (AFP) — A storm hit the coast on Monday, officials said.\n\nA second paragraph, with *emphasis* and **strength**.',
  '| Quarter | Containers | Change |\n|:---|---:|:---:|\n| Q1 | 1,200 | +5 % |\n| Q2 | 1,350 | ~12 % |\n\nAfter the table.',
  'Traffic doubled,[^report] the authority said.\n\n[^report]: The annual report, page 4.',
  'Prices rose ~5 % to ~7 %, and ~~the old forecast~~ was withdrawn; the ~old~ figure stands.',
  '- [x] polls closed\n- [ ] results counted\n- plain item',
  '"Quoted," she said -- and then... nothing. It\'s `code` here.',
  '> A block quote\n> with two lines\n\n1. one\n2. two\n\n```\nfenced code\n```',
  'A [link](https://example.org/) in brackets is Markdown, not a literal, yet has no marks once written as [ref][r].\n\n[r]: /local/path',
  'Ünïcödé текст 中文 العربية — and a <span>tag</span> & an entity &amp; too.',
  'A table without a body:\n\n| a | b |\n|---|---|',
  'Hard  \nbreak, and a ~single tilde, and WWW without a dot.',
];

test('a text with no autolink mark reads to the tree remark-gfm gives', () => {
  for (const markdown of WITHOUT_MARKS) {
    assert.not.match(markdown.replace('https://example.org/', ''), /@|www\.|https?:\/\//i);
    assert.equal(parseMarkdown(markdown), referenceTree(markdown), markdown);
  }
});

/** Each GFM construct at the edge of its marks (markdown.ts: GFM_MARKS), alone and with the others' marks absent. */
const AT_THE_MARKS = [
  // a one-column table needs no pipe: its delimiter row has a colon
  'Result\n:-:\nYes',
  'Result\n---:\nYes',
  '> Result\n> :--\n> Yes',
  '- item\n\n  Result\n  :-:\n  Yes',
  'Result\r\n:-:\r\nYes',
  'Result\r:-:\rYes',
  // a row of dashes alone is a heading's underline or a rule, not a table
  'Result\n---\nYes\n\n***\n\n- - -',
  'Only ~~this~~ goes.',
  'Only ~this~ stays, and ~~~ three do not strike.',
  'A call[^1].\n\n[^1]: Its note.',
  'Not a call: \\[^1] and [ ^1].',
  '- [ ] open\n- [x] done\n- [X] done too\n- [\t] tab',
  '- [ ]\n- [y] no box',
  '- [\t] a tab is a box too',
  '- [\n] and so is a line ending',
  '> - [x] quoted box',
];

test('a construct is read wherever its marks are, to the tree remark-gfm gives', () => {
  const kinds = (markdown: string) => {
    const found = new Set<string>();
    visit(parseMarkdown(markdown), (node) => void found.add(node.type));
    return found;
  };
  for (const markdown of AT_THE_MARKS) assert.equal(parseMarkdown(markdown), referenceTree(markdown), JSON.stringify(markdown));
  // and the constructs are there (the comparison alone would pass were both readers blind to them)
  assert.ok(kinds('> Result\n> :--\n> Yes').has('table'));
  assert.ok(kinds('Result\r:-:\rYes').has('table'));
  assert.ok(!kinds('Result\n---\nYes').has('table'));
  assert.ok(kinds('Only ~~this~~ goes.').has('delete'));
  assert.ok(kinds('A call[^1].\n\n[^1]: Its note.').has('footnoteReference'));
  assert.equal(
    (parseMarkdown('- [ ] open\n- [x] done').children[0] as { children: { checked?: boolean | null }[] }).children.map((item) => item.checked),
    [false, true],
  );
});

test('every source of the sample and of the fixtures reads to the tree remark-gfm gives', () => {
  const folders = [path.join(import.meta.dirname, '..', 'content', 'articles'), path.join(import.meta.dirname, '..', '..', 'shared', 'sample')];
  const sources = folders.flatMap((folder) => (fs.existsSync(folder) ? fs.readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.md')).map((name) => path.join(folder, name)) : []));
  assert.ok(sources.length > 0, 'no Markdown source found');
  for (const source of sources) {
    const markdown = fs.readFileSync(source, 'utf8').replace(/^---\n[\s\S]*?\n---\n/, '');
    assert.equal(parseMarkdown(markdown), referenceTree(markdown), source);
  }
});

test('a text with a bare address or URL still gets its links', () => {
  const links = (markdown: string) => {
    const found: string[] = [];
    visit(parseMarkdown(markdown), 'link', (node: Link) => void found.push(node.url));
    return found;
  };
  assert.equal(links('See www.example.org for more.'), ['http://www.example.org']);
  assert.equal(links('See WWW.EXAMPLE.ORG for more.'), ['http://WWW.EXAMPLE.ORG']);
  assert.equal(links('Read HTTPS://example.org/report today.'), ['HTTPS://example.org/report']);
  assert.equal(links('Write to desk@example.org with tips.'), ['mailto:desk@example.org']);
  for (const markdown of ['See www.example.org for more.', 'Write to desk@example.org.', 'Go to https://example.org/a?b#c, "now".']) {
    assert.equal(parseMarkdown(markdown), referenceTree(markdown), markdown);
  }
});

test.run();
