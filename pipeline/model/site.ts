/**
 * Site settings: `CONTENT/site.yaml`, validated like front-matter. Every field has a default so
 * a content folder without the file still builds.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import type { Diagnostics } from './diagnostics.ts';
import { readYaml, validateYaml } from './yaml-source.ts';
import { canonicalLanguage } from './lang.ts';
import { NotAFile, readRegularFile, SITE_FILE } from './content-folders.ts';
import { fsReason } from './errors.ts';

export type PaperSize = 'A4' | 'Letter';

export interface SiteSettings {
  /** Publication name, in every page title and the feeds. Default `Galley`. */
  readonly title: string;
  /** One sentence about the publication: front page, feeds. */
  readonly description: string;
  /** Byline for articles that carry none. Default `Staff`. */
  readonly author: string;
  /** Default language of articles (BCP 47). Default `en`. */
  readonly language: string;
  /** Absolute URL the site is served at, always ending in `/`. Overridden by `--base-url` and `SITE_URL`. */
  readonly baseUrl: string;
  /** Organisation named as publisher in JSON-LD and the feeds. Default: the title. */
  readonly publisher: { readonly name: string; readonly logo: string | null };
  /** Paper of the PDF edition. Default `A4`. */
  readonly paper: PaperSize;
  /**
   * Most items a subscription document (RSS, Atom, JSON Feed; the edition's and each topic's)
   * holds, newest first; older items are in archive documents of half as many (RFC 5005), so a
   * subscription document holds between half of it and all of it. Default 50, at most 100.
   */
  readonly feedLimit: number;
  /** Articles on the front page and on each list page (topic pages, older pages). Default 30, at most 100. */
  readonly pageSize: number;
  /**
   * Most URLs in one sitemap file: above it, `sitemap.xml` is a sitemap index of parts of this
   * many. Default and most: 50,000 (the sitemaps.org limit).
   */
  readonly sitemapLimit: number;
  /** Copyright line for feeds and pages. Default: `© publisher`. */
  readonly copyright: string | null;
  /**
   * IANA time zone the newsroom dates its articles in (`Europe/Paris`): an article filed at 00:30
   * in Paris is dated that day on its page and PDF, not the day before as UTC would have it.
   * Feeds and machine-readable dates stay in UTC. Default `UTC`.
   */
  readonly timeZone: string;
}

/*
 * What each thing made from an article is made from, of the site: an article as read
 * (ArticleSettings, readArticle), its PDF (PdfSettings, outputs/pdf), its page, its teaser and its
 * feed items (PageSettings: the web and feed outputs). Each is handed those settings and no
 * others, and its cache key holds them, so the key holds all of the site it depends on. A change
 * to any other setting makes none of them again: a new feed limit or page size makes the lists
 * again, not the archive's sources, PDFs, pages and items (at 10,000 articles, minutes).
 */
export type ArticleSettings = Pick<SiteSettings, 'language' | 'author'>;
export const articleSettings = ({ language, author }: ArticleSettings): ArticleSettings => ({ language, author });

/**
 * A PDF's key names its article by its source, which was read under ArticleSettings: those are
 * part of what the PDF is made from. It states its page's address too, which its key holds apart
 * (PdfJob.pageUrl).
 */
export type PdfSettings = ArticleSettings & Pick<SiteSettings, 'title' | 'paper' | 'timeZone'>;
export const pdfSettings = ({ language, author, title, paper, timeZone }: PdfSettings): PdfSettings => ({ language, author, title, paper, timeZone });

/** How the lists are cut, and the PDF's paper: settings that no article's page, teaser or feed item shows. */
const LIST_SETTINGS = ['pageSize', 'feedLimit', 'sitemapLimit', 'paper'] as const;

/** Every setting but LIST_SETTINGS (ArticleEdition's, the feeds' entries'). */
export type PageSettings = Omit<SiteSettings, (typeof LIST_SETTINGS)[number]>;

const pageSettingsOf = new WeakMap<PageSettings, PageSettings>();

/** `site` without LIST_SETTINGS, whatever else it holds; one object per site, so that its digest is made once (digestOf). */
export function pageSettings(site: PageSettings): PageSettings {
  let made = pageSettingsOf.get(site);
  if (!made) {
    const fields = Object.entries(site).filter(([field]) => !(LIST_SETTINGS as readonly string[]).includes(field));
    // every field of a PageSettings: fromEntries types its values loosely
    made = Object.fromEntries(fields) as unknown as PageSettings;
    pageSettingsOf.set(site, made).set(made, made);
  }
  return made;
}

/** The sitemaps.org limit on URLs in one sitemap file. */
export const SITEMAP_MAX_URLS = 50_000;

const wholeNumber = (field: string, min: number, max: number) =>
  z
    .number({ error: `${field} must be a whole number from ${min} to ${max}` })
    .int(`${field} must be a whole number from ${min} to ${max}`)
    .min(min, `${field} must be at least ${min}`)
    .max(max, `${field} must be at most ${max}`);

const text = (field: string) => z.string({ error: `${field} must be text` }).trim().min(1, `${field} must not be empty`);

export const siteSchema = z
  .object({
    title: text('title').default('Galley'),
    description: text('description').default('News from the wire, published with Galley.'),
    author: text('author').default('Staff'),
    language: text('language')
      .refine((tag) => canonicalLanguage(tag) !== null, 'language must be a known BCP 47 language tag such as en or fr-CA')
      .transform((tag) => canonicalLanguage(tag) ?? tag)
      .default('en'),
    baseUrl: z
      .url({ protocol: /^https?$/, error: 'baseUrl must be an absolute http(s) URL' })
      .transform(normaliseBaseUrl)
      .default('http://localhost:8080/'),
    publisher: z
      .object({ name: text('publisher.name'), logo: z.string().trim().min(1).nullable().default(null) })
      .strict()
      .optional(),
    paper: z.enum(['A4', 'Letter'], { error: 'paper must be A4 or Letter' }).default('A4'),
    feedLimit: wholeNumber('feedLimit', 1, 100).default(50),
    pageSize: wholeNumber('pageSize', 1, 100).default(30),
    sitemapLimit: wholeNumber('sitemapLimit', 1, SITEMAP_MAX_URLS).default(SITEMAP_MAX_URLS),
    copyright: z.string().trim().min(1).nullable().default(null),
    timeZone: text('timeZone')
      .refine((zone) => canonicalTimeZone(zone) !== null, 'timeZone must be an IANA time zone name such as Europe/Paris or America/New_York')
      .transform((zone) => canonicalTimeZone(zone) ?? zone)
      .default('UTC'),
  })
  .strict();

/**
 * The canonical spelling of an IANA time zone name (`europe/paris` → `Europe/Paris`), or null
 * when ICU does not know it. Only names: an offset such as `+02:00` ignores summer time, which
 * would date half the year's late-evening articles wrong.
 */
export function canonicalTimeZone(zone: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-]*(?:\/[A-Za-z0-9_+\-]+)*$/.test(zone)) return null;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** `https://example.org/news` → `https://example.org/news/`: the base of relative links. */
export function normaliseBaseUrl(url: string): string {
  const parsed = new URL(url);
  parsed.search = '';
  parsed.hash = '';
  if (!parsed.pathname.endsWith('/')) parsed.pathname += '/';
  return parsed.href;
}

/** Reads `site.yaml` beside the content (defaults when absent); null when it has errors. */
export function loadSiteSettings(contentDir: string, diagnostics: Diagnostics): SiteSettings | null {
  const file = path.join(contentDir, SITE_FILE);
  let raw: unknown = {};
  if (fs.existsSync(file)) {
    let text: string;
    try {
      text = readRegularFile(file).toString('utf8');
    } catch (error) {
      diagnostics.error(file, error instanceof NotAFile ? `${SITE_FILE} ${error.message}` : `could not read ${SITE_FILE}: ${fsReason(error)}`, undefined, 'site');
      return null;
    }
    const yaml = readYaml(text, file, diagnostics);
    if (!yaml) return null;
    const parsed = validateYaml(yaml, siteSchema, file, diagnostics);
    if (!parsed) return null;
    raw = parsed;
  }
  return siteSettings(raw as z.input<typeof siteSchema>);
}

/** Settings as `site.yaml` with these values would give them, every other one at its default. */
export function siteSettings(given: z.input<typeof siteSchema> = {}): SiteSettings {
  const settings = siteSchema.parse(given);
  return { ...settings, publisher: settings.publisher ?? { name: settings.title, logo: null } };
}

/** The settings with the base URL replaced (flag or environment); null when `url` is not a valid one. */
export function withBaseUrl(settings: SiteSettings, url: string): SiteSettings | null {
  try {
    const parsed = new URL(url);
    if (!/^https?:$/.test(parsed.protocol)) return null;
    return { ...settings, baseUrl: normaliseBaseUrl(url) };
  } catch {
    return null;
  }
}
