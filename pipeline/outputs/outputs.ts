/**
 * Which module makes each kind of output (registry.ts says what each kind is). A build makes
 * those whose family `--formats` asks for, and loads a module only then. Adding an output is a
 * registry entry, its module, and a line here.
 */
import type { ArticleOutput, ListOutput } from './edition.ts';
import { OUTPUTS, type OutputFamily } from './registry.ts';

interface OutputModule<Output> {
  readonly family: OutputFamily;
  /** Other families whose files need it (the pictures a feed item shows). */
  readonly alsoFor?: readonly OutputFamily[];
  load(): Promise<Output>;
}

/** Made once per article, as soon as its PDF's size is known (the PDF itself: engine/pdf-queue.ts). */
export const ARTICLE_OUTPUTS: readonly OutputModule<ArticleOutput>[] = [
  { family: OUTPUTS.articlePage.family, load: async () => (await import('./web/html.ts')).articlePageOutput },
];

/** Made from the edition's list of articles, in this order. */
export const LIST_OUTPUTS: readonly OutputModule<ListOutput>[] = [
  { family: OUTPUTS.frontPage.family, load: async () => (await import('./web/html.ts')).listPagesOutput },
  { family: OUTPUTS.rss.family, load: async () => (await import('./feeds/feeds.ts')).feedsOutput },
  { family: OUTPUTS.sitemap.family, load: async () => (await import('./web/sitemap.ts')).sitemapOutput },
  { family: OUTPUTS.robots.family, load: async () => (await import('./web/robots.ts')).robotsOutput },
  { family: OUTPUTS.image.family, alsoFor: ['feeds'], load: async () => (await import('./web/media.ts')).mediaOutput },
];

/** The outputs a build with `families` makes. */
export async function outputsFor<Output>(modules: readonly OutputModule<Output>[], families: readonly OutputFamily[]): Promise<Output[]> {
  return Promise.all(modules.filter((module) => [module.family, ...(module.alsoFor ?? [])].some((family) => families.includes(family))).map((module) => module.load()));
}
