/**
 * The front-matter of a Markdown source: what an editor may write, checked at the boundary
 * so every later stage can trust the `Article` it gets.
 */
import * as z from 'zod';
import { parseDate, yearProblem } from './dates.ts';
import { canonicalLanguage } from './lang.ts';
import { MAX_TAGS, MAX_TAG_LENGTH, MAX_TITLE_LENGTH } from './limits.ts';

/** A slug is one safe path segment: lower-case ASCII letters and digits joined by hyphens. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Editors write `title: 1984` meaning the text "1984"; YAML reads a number. */
const asText = (value: unknown) => (typeof value === 'number' ? String(value) : value);

const missingOr = (field: string, otherwise: string) => (issue: { input: unknown }) => (issue.input === undefined ? `${field} is missing` : otherwise);

const text = (field: string) =>
  z.preprocess(asText, z.string({ error: missingOr(field, `${field} must be text`) }).trim().min(1, `${field} must not be empty`));

const date = (field: string) =>
  z
    .preprocess(
      (value) => (value instanceof Date ? value.toISOString() : value),
      z.string({ error: missingOr(field, `${field} must be a date such as 2023-09-11 or 2023-09-11T08:00:00Z`) }),
    )
    .transform((value, ctx) => {
      const parsed = parseDate(value);
      if (!parsed) {
        ctx.addIssue({ code: 'custom', message: `${field} ${JSON.stringify(value)} is not a date (use ISO 8601, e.g. 2023-09-11T08:00:00Z)` });
        return z.NEVER;
      }
      const problem = yearProblem(parsed, value, field);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      return parsed;
    });

export const relatedSchema = z
  .object({
    title: text('related title'),
    url: z.string().trim().min(1).optional(),
  })
  .strict();

export const frontMatterSchema = z
  .object({
    title: z.preprocess(
      asText,
      z
        .string({ error: missingOr('title', 'title must be text') })
        .trim()
        .min(1, 'title must not be empty')
        .max(MAX_TITLE_LENGTH, `title is longer than ${MAX_TITLE_LENGTH} characters: a headline, not a paragraph`),
    ),
    date: date('date'),
    updated: date('updated').optional(),
    slug: z
      .string({ error: 'slug must be text' })
      .regex(SLUG_PATTERN, 'slug must be lower-case ASCII letters, digits and single hyphens (no slashes, dots or spaces)')
      .optional(),
    summary: text('summary').optional(),
    author: text('author').optional(),
    tags: z
      .array(z.preprocess(asText, z.string({ error: 'tag must be text' }).trim().min(1, 'tag must not be empty').max(MAX_TAG_LENGTH, `a tag is at most ${MAX_TAG_LENGTH} characters`)), { error: 'tags must be a list' })
      .max(MAX_TAGS, { error: (issue) => `tags lists ${Array.isArray(issue.input) ? issue.input.length : 'too many'} tags: an article carries at most ${MAX_TAGS}` })
      .default([]),
    lang: z
      .string({ error: 'lang must be text' })
      .refine((tag) => canonicalLanguage(tag) !== null, {
        error: (issue) => `lang ${JSON.stringify(issue.input)} is not a known language tag (BCP 47, e.g. en, fr, pt-BR)`,
      })
      .transform((tag) => canonicalLanguage(tag) ?? tag)
      .optional(),
    related: z
      .array(z.preprocess((value) => (typeof value === 'string' ? { title: value } : value), relatedSchema), { error: 'related must be a list' })
      .default([]),
    credit: text('credit').nullable().optional(),
    source: z.string().trim().min(1).optional(),
    words: z.number().int().nonnegative().optional(),
    readingMinutes: z.number().int().nonnegative().optional(),
    draft: z.boolean({ error: 'draft must be true or false' }).default(false),
    // what agency formats carry (ingest writes them; see pipeline/ingest/agency-item.ts)
    authorTitle: text('authorTitle').optional(),
    dateline: text('dateline').optional(),
    guid: z.preprocess(asText, z.string({ error: 'guid must be text' }).trim().min(1)).optional(),
    version: z.number({ error: 'version must be a whole number' }).int().nonnegative().optional(),
    status: z.enum(['usable', 'withheld', 'canceled'], { error: 'status must be usable, withheld or canceled' }).default('usable'),
    embargoed: date('embargoed').optional(),
    expires: date('expires').optional(),
    correction: text('correction').optional(),
    ingestHash: z.string().regex(/^[0-9a-f]{64}$/, 'ingestHash is written by ingest; delete the line rather than edit it').optional(),
  });

/** Fields the schema knows; others are kept out of the `Article` with a warning (a typo, usually). */
export const FRONT_MATTER_FIELDS: ReadonlySet<string> = new Set([...Object.keys(frontMatterSchema.shape)]);

export type FrontMatter = z.output<typeof frontMatterSchema>;

/** Field order in the sources ingest writes: what an editor looks for first comes first. */
export const FRONT_MATTER_ORDER = [
  'title', 'date', 'slug', 'summary', 'author', 'tags', 'lang', 'related', 'credit', 'source', 'words', 'readingMinutes',
] as const;
