/**
 * Everything a build run depends on besides the sources: folders, site settings, the clock and
 * the flags. Renderers get what they need from here, never from the environment or `new Date()`.
 */
import type { SiteSettings } from '../model/site.ts';
import type { Diagnostics } from '../model/diagnostics.ts';
import type { OutputFamily } from '../outputs/registry.ts';


export interface BuildOptions {
  /** Content folder (raw/, articles/, site.yaml). Default `content`. */
  readonly contentDir: string;
  /** Output folder, replaced as a whole on success. Default `dist`. */
  readonly outDir: string;
  /** Overrides the site's base URL (from `--base-url`, else `SITE_URL`). */
  readonly baseUrl: string | null;
  /** Publish `draft: true` articles too. Default false. */
  readonly drafts: boolean;
  /** Publish articles dated after `now` too. Default false. */
  readonly future: boolean;
  /** The build's notion of "now": SOURCE_DATE_EPOCH when set, else the clock at start. */
  readonly now: Date;
  /** Which outputs to make (measurement runs make a part; an edition needs all). Default all. */
  readonly formats: readonly OutputFamily[];
  /** Sweep the cache of files no edition uses now, not only once a day (cache-sweep.ts). */
  readonly sweepCache?: boolean;
}

export interface BuildContext extends BuildOptions {
  readonly site: SiteSettings;
  readonly diagnostics: Diagnostics;
}
