/**
 * `robots.txt`: every page may be crawled, and the sitemap is named by its absolute URL (the
 * one line the outside contract relies on), first; then the Google News sitemap.
 */
import { absoluteUrl } from '../../model/urls.ts';
import type { ListOutput } from '../edition.ts';
import { OUTPUTS } from '../registry.ts';

export const robotsOutput: ListOutput = {
  formats: [OUTPUTS.robots],
  plan(edition) {
    const path = OUTPUTS.robots.path('');
    return [{ path, articles: [], render: () => ({ path, data: `User-agent: *\nAllow: /\n\nSitemap: ${absoluteUrl(edition.site, OUTPUTS.sitemap.path(''))}\nSitemap: ${absoluteUrl(edition.site, OUTPUTS.newsSitemap.path(''))}\n` }) }];
  },
};
