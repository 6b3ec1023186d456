/**
 * Validation of Markdown sources: every problem in every file reported at once, each at its
 * line and column, and nothing published while any remains.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempContent, prepareContent, messages } from './helpers.ts';
import { splitFrontMatter } from '../pipeline/model/article.ts';

test('every front-matter problem of every source, located, all at once', () => {
  const dir = tempContent({
    'articles/a-broken-yaml.md': '---\ntitle: "Unclosed\ndate: [2023-09-11\n---\n\nBody.\n',
    'articles/b-fields.md': '---\ndate: 11 o’clock\nlang: klingon\nslug: ../etc/passwd\ntags: not-a-list\ndraft: maybe\n---\n\nBody.\n',
    'articles/c-no-front-matter.md': 'Just text, no front-matter.\n',
    'articles/d-unclosed.md': '---\ntitle: Never closed\n\nBody.\n',
    'articles/e-fine.md': '---\ntitle: Fine\ndate: 2023-09-11\ntitel: typo\n---\n\nBody.\n',
  });
  const report = prepareContent(dir);
  assert.not.ok(report.ok);
  const lines = messages(report, dir);
  assert.equal(lines.filter((line) => line.startsWith('articles/b-fields.md')), [
    'articles/b-fields.md:2:1: error: title is missing [schema]',
    'articles/b-fields.md:2:7: error: date "11 o’clock" is not a date (use ISO 8601, e.g. 2023-09-11T08:00:00Z) [schema]',
    'articles/b-fields.md:3:7: error: lang "klingon" is not a known language tag (BCP 47, e.g. en, fr, pt-BR) [schema]',
    'articles/b-fields.md:4:7: error: slug must be lower-case ASCII letters, digits and single hyphens (no slashes, dots or spaces) [schema]',
    'articles/b-fields.md:5:7: error: tags must be a list [schema]',
    'articles/b-fields.md:6:8: error: draft must be true or false [schema]',
  ]);
  assert.ok(lines.includes('articles/a-broken-yaml.md:3:18: error: invalid YAML: Missing closing "quote [yaml]'), lines.join('\n'));
  assert.ok(lines.includes('articles/c-no-front-matter.md:1:1: error: no front-matter: a source starts with `---`, YAML with at least title and date, then `---` [front-matter]'));
  assert.ok(lines.includes('articles/d-unclosed.md:1:1: error: front-matter is not closed: add a line `---` after it [front-matter]'));
  assert.ok(lines.includes('articles/e-fine.md:4:8: warning: unknown field "titel" is ignored [schema]'));
});

test('a missing title says so at the top of the front-matter', () => {
  const dir = tempContent({ 'articles/untitled.md': '---\ndate: 2023-09-11\n---\n\nBody.\n' });
  const lines = messages(prepareContent(dir), dir);
  assert.is(lines.length, 1);
  assert.is(lines[0], 'articles/untitled.md:2:1: error: title is missing [schema]');
});

test('two sources claiming one slug: an error naming both', () => {
  const dir = tempContent({
    'articles/one.md': '---\ntitle: One\ndate: 2023-09-11\nslug: same\n---\n\nBody.\n',
    'articles/two.md': '---\ntitle: Two\ndate: 2023-09-12\nslug: same\n---\n\nBody.\n',
  });
  const report = prepareContent(dir);
  assert.not.ok(report.ok);
  assert.equal(messages(report, dir), ['articles/two.md: error: slug “same” is already used by one.md; give one of them another slug [slug]']);
});

/** splitFrontMatter as it was written first, line by line: the reference the fast one must match. */
function splitByLines(text: string) {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  if (!/^---[ \t]*$/.test(lines[0] ?? '')) return { frontMatter: null, frontMatterLine: 1, body: lines.join('\n'), bodyLine: 1 };
  const end = lines.findIndex((line, index) => index > 0 && /^(?:---|\.\.\.)[ \t]*$/.test(line));
  if (end < 0) return { frontMatter: null, frontMatterLine: 2, body: lines.join('\n'), bodyLine: 1 };
  return { frontMatter: lines.slice(1, end).join('\n'), frontMatterLine: 2, body: lines.slice(end + 1).join('\n'), bodyLine: end + 2 };
}

test('front-matter is split exactly as line by line, whatever the fences, line endings and BOM', () => {
  const pieces = ['---', '--- ', '...', '---\t', 'title: x', '', 'a: ---', ' ---', '----', 'body', '\uFEFF---', '... '];
  const texts = [''];
  for (let depth = 0; depth < 3; depth++) {
    for (const text of texts.splice(0)) {
      texts.push(text);
      for (const piece of pieces) for (const newline of ['\n', '\r\n', '\r']) texts.push(text ? text + newline + piece : piece);
    }
  }
  assert.ok(texts.length > 40_000);
  for (const text of texts) assert.equal(splitFrontMatter(text), splitByLines(text), JSON.stringify(text));
});

test.run();
