/**
 * URLs of output paths (which outputs/registry.ts declares): pages link with `relativeHref`,
 * feeds and metadata with `absoluteUrl`, so the site works under a sub-path.
 */
import path from 'node:path';
import type { SiteSettings } from './site.ts';

/** The URL of an output path as readers see it: `articles/x/index.html` → `articles/x/`. */
export function publicPath(outputPath: string): string {
  return outputPath === 'index.html' ? '' : outputPath.replace(/(^|\/)index\.html$/, '$1');
}

/**
 * Absolute URL of an output path under the site's base URL (which ends in `/`). Remembered per
 * settings object: an article's URL is asked for by its page, each feed that holds it and the
 * sitemap, tens of thousands of times in a build of a large archive.
 */
export function absoluteUrl(site: Pick<SiteSettings, 'baseUrl'>, outputPath: string): string {
  let known = absoluteUrls.get(site);
  if (!known) absoluteUrls.set(site, (known = new Map()));
  let url = known.get(outputPath);
  if (url === undefined) known.set(outputPath, (url = resolvedUrl(site, outputPath)));
  return url;
}

const absoluteUrls = new WeakMap<Pick<SiteSettings, 'baseUrl'>, Map<string, string>>();

function resolvedUrl(site: Pick<SiteSettings, 'baseUrl'>, outputPath: string): string {
  const target = publicPath(outputPath);
  // The base URL is normalised (site.ts: href form, no query or fragment, ends in `/`), and a
  // path of unreserved characters in non-dot segments resolves against it to itself appended:
  // no URL is parsed for the ~3,000 links of a build's feeds and PDFs. Anything else is resolved.
  if (PLAIN_URL_PATH.test(target) && site.baseUrl.endsWith('/') && !site.baseUrl.includes('?') && !site.baseUrl.includes('#')) return site.baseUrl + target;
  return new URL(target, site.baseUrl).href;
}

/** Relative URL paths that resolve to themselves appended to a base: RFC 3986 unreserved characters, non-empty segments that are not `.` or `..`. */
const PLAIN_URL_PATH = /^(?:(?!\.\.?(?:\/|$))[A-Za-z0-9._~-]+\/)*(?:(?!\.\.?$)[A-Za-z0-9._~-]+)?$/;

/** Link from the page at output path `from` to the output path `to`, relative so sub-paths work. */
export function relativeHref(from: string, to: string): string {
  const target = publicPath(to);
  const relative = relativePath(dirname(from), target) || '.';
  const href = target.endsWith('/') || target === '' ? `${relative}/` : relative;
  return href === './' ? './' : href.replace(/^\.\/(?=.)/, '');
}

function dirname(outputPath: string): string {
  const slash = outputPath.lastIndexOf('/');
  return slash < 0 ? '' : outputPath.slice(0, slash);
}

/**
 * `path.posix.relative(from || '.', to || '.')` for output paths, which are already normal
 * (relative, no `.` or `..` segments, no doubled slashes): a front page of 1,000 teasers asks
 * for 4,000 links, and path.posix.relative resolves both paths against the working folder each
 * time. Anything not normal goes to path.posix.relative.
 */
export function relativePath(from: string, to: string): string {
  if (!isNormal(from) || !isNormal(to)) return path.posix.relative(from || '.', to || '.');
  const fromParts = from ? from.split('/') : [];
  const toParts = to.replace(/\/$/, '').split('/').filter(Boolean);
  let common = 0;
  while (common < fromParts.length && common < toParts.length && fromParts[common] === toParts[common]) common++;
  return [...fromParts.slice(common).map(() => '..'), ...toParts.slice(common)].join('/');
}

function isNormal(outputPath: string): boolean {
  return !outputPath.startsWith('/') && !outputPath.includes('//') && !/(^|\/)\.\.?(\/|$)/.test(outputPath);
}
