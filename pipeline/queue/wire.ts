/**
 * A PDF job as it travels through Redis: JSON, with nothing in it that a worker must find on the
 * coordinator's disk. An `Article` has Dates, a body read lazily and pictures named by local
 * paths; the job carries the dates as ISO text, the body as its mdast (plain JSON), and the
 * bytes of each picture the PDF prints. The worker checks the job against a schema, writes the
 * pictures into its own temporary folder and renders exactly what a local build renders: the
 * same Article, field for field.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import type { Root } from 'mdast';
import type { Article } from '../model/article.ts';
import type { ArticleImage } from '../model/images.ts';
import type { PdfSettings } from '../model/site.ts';
import type { RelatedLink } from '../outputs/article-view.ts';
import type { PdfJob } from '../outputs/pdf/pool.ts';
import { sha256Of } from '../engine/digest.ts';

/** Bumped when the shape below changes; a worker refuses other versions (with the fingerprint, a belt and braces). */
export const WIRE_VERSION = 2;

/** The Article fields that are Dates, sent as ISO text. */
const DATE_FIELDS = ['date', 'updated', 'embargoed', 'expires'] as const;

/** What a job carries (BullMQ stores it as JSON). */
export interface PdfJobData {
  readonly wire: typeof WIRE_VERSION;
  /** The coordinator's Galley (engine-hash.mjs): a worker of another one refuses the job. */
  readonly fingerprint: string;
  /** The Article as JSON: dates as ISO text, the body as mdast, pictures without their local files. */
  readonly article: Record<string, unknown>;
  readonly site: PdfSettings;
  readonly pageUrl: string;
  readonly related: readonly RelatedLink[];
  /** The bytes of every picture the article shows (base64), by the SHA-256 its `images` name. */
  readonly pictures: readonly { readonly hash: string; readonly bytes: string }[];
}

/** What a worker gives back: the PDF (base64), its SHA-256 (checked by the coordinator) and the renderer's warnings. */
export interface PdfJobReturn {
  readonly sha256: string;
  readonly bytes: string;
  readonly warnings: readonly string[];
}

/** The job for `job` (its `file` stays here: the coordinator writes the returned bytes there). */
export function jobData(job: PdfJob, fingerprint: string): PdfJobData {
  const { article } = job;
  const fields: Record<string, unknown> = { ...article, body: article.body };
  for (const name of DATE_FIELDS) {
    const value = article[name];
    if (value instanceof Date) fields[name] = value.toISOString();
  }
  const pictures: { hash: string; bytes: string }[] = [];
  const seen = new Set<string>();
  if (article.images) {
    fields.images = article.images.map(({ file: _local, ...image }) => image);
    for (const image of article.images) {
      if (seen.has(image.hash)) continue;
      seen.add(image.hash);
      pictures.push({ hash: image.hash, bytes: fs.readFileSync(image.file).toString('base64') });
    }
  }
  return { wire: WIRE_VERSION, fingerprint, article: fields, site: job.site, pageUrl: job.pageUrl, related: job.related, pictures };
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex');
const isoDate = z.iso.datetime();

/** The schema a worker checks a job against before it trusts any of it. */
const JOB_SCHEMA = z.object({
  wire: z.literal(WIRE_VERSION),
  fingerprint: hex64,
  article: z.looseObject({
    slug: z.string().regex(/^[a-z0-9-]+$/),
    title: z.string(),
    date: isoDate,
    updated: isoDate,
    embargoed: isoDate.nullish(),
    expires: isoDate.nullish(),
    lang: z.string().min(1),
    sourcePath: z.string(),
    body: z.looseObject({ type: z.literal('root'), children: z.array(z.unknown()) }),
    images: z.array(z.looseObject({ hash: hex64 })).optional(),
  }),
  site: z.object({ language: z.string(), author: z.string(), title: z.string(), paper: z.enum(['A4', 'Letter']), timeZone: z.string() }),
  pageUrl: z.url(),
  related: z.array(z.object({ title: z.string(), url: z.string().nullable() })),
  pictures: z.array(z.object({ hash: hex64, bytes: z.base64() })),
});

/** A job that cannot be rendered as sent: never retried, since every attempt would fail alike. */
export class BadJob extends Error {}

/** The fingerprint a job names, if it names one (checked before the rest of the job). */
export function jobFingerprint(data: unknown): string | null {
  const value = (data as { fingerprint?: unknown } | null)?.fingerprint;
  return typeof value === 'string' ? value : null;
}

/**
 * The render a job asks for, its pictures written into `folder` (the worker's own temporary
 * folder, under names that are their hashes: nothing the job says chooses a path). Throws
 * BadJob naming what is wrong.
 */
export function jobFromData(data: unknown, folder: string): Omit<PdfJob, 'file'> {
  const parsed = JOB_SCHEMA.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BadJob(`malformed job: ${issue.path.join('.') || 'the job'}: ${issue.message}`);
  }
  const job = data as PdfJobData;
  const article: Record<string, unknown> = { ...job.article };
  for (const name of DATE_FIELDS) {
    const value = article[name];
    if (typeof value === 'string') article[name] = new Date(value);
  }
  const files = new Map<string, string>();
  for (const picture of job.pictures) {
    const bytes = Buffer.from(picture.bytes, 'base64');
    if (sha256Of(bytes) !== picture.hash) throw new BadJob(`malformed job: a picture's bytes do not hash to ${picture.hash}`);
    const file = path.join(folder, picture.hash);
    fs.writeFileSync(file, bytes);
    files.set(picture.hash, file);
  }
  if (Array.isArray(article.images)) {
    article.images = (article.images as Omit<ArticleImage, 'file'>[]).map((image) => {
      const file = files.get(image.hash);
      if (!file) throw new BadJob(`malformed job: the bytes of picture ${image.hash} are missing`);
      return { ...image, file };
    });
  }
  return { article: article as unknown as Article & { body: Root }, site: job.site, pageUrl: job.pageUrl, related: job.related };
}
