/**
 * Where each output lives. The one place that knows file names: pages link with
 * `relativeHref`, feeds and metadata with `absoluteUrl`, so the site works under a sub-path.
 */
import path from 'node:path';
import type { SiteSettings } from './site.ts';

export const OUTPUT_PATHS = {
  index: 'index.html',
  rss: 'feed.xml',
  atom: 'atom.xml',
  json: 'feed.json',
  stylesheet: 'style.css',
  feedStylesheet: 'feed.xsl',
  articlePage: (slug: string) => `articles/${slug}/index.html`,
  articlePdf: (slug: string) => `articles/${slug}/${slug}.pdf`,
  tagPage: (tag: string) => `tags/${tag}/index.html`,
  tagFeed: (tag: string, format: 'rss' | 'atom' | 'json') => `tags/${tag}/${format === 'rss' ? 'feed.xml' : format === 'atom' ? 'atom.xml' : 'feed.json'}`,
} as const;

/** The URL of an output path as readers see it: `articles/x/index.html` → `articles/x/`. */
export function publicPath(outputPath: string): string {
  return outputPath === 'index.html' ? '' : outputPath.replace(/(^|\/)index\.html$/, '$1');
}

/** Absolute URL of an output path under the site's base URL (which ends in `/`). */
export function absoluteUrl(site: Pick<SiteSettings, 'baseUrl'>, outputPath: string): string {
  return new URL(publicPath(outputPath), site.baseUrl).href;
}

/** Link from the page at output path `from` to the output path `to`, relative so sub-paths work. */
export function relativeHref(from: string, to: string): string {
  const target = publicPath(to);
  const relative = path.posix.relative(path.posix.dirname(from), target || '.') || '.';
  const href = target.endsWith('/') || target === '' ? `${relative}/` : relative;
  return href === './' ? './' : href.replace(/^\.\/(?=.)/, '');
}
