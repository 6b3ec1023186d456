/**
 * What every renderer receives: the articles of this edition and the site they belong to.
 * Renderers are pure: (articles, edition) → data. They never touch the disk or the clock; the
 * publish step alone writes the output folder.
 */
import type { Article } from '../article.ts';
import type { SiteSettings } from '../site.ts';

export interface Edition {
  /** Site settings with the final base URL (flag, SITE_URL or site.yaml). */
  readonly site: SiteSettings;
  /** The published articles, newest first. */
  readonly articles: readonly Article[];
  /** Byte size of each article's PDF, by slug: PDFs render first so pages and feeds can state it. */
  readonly pdfBytes: ReadonlyMap<string, number>;
}

/** One file of the output folder: a path relative to it (POSIX separators) and its bytes. */
export interface OutputFile {
  readonly path: string;
  readonly data: string | Uint8Array;
}
