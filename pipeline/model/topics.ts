/**
 * Topics: the articles of an edition grouped by tag. One definition for the topic pages and the
 * per-tag feeds, so a tag's page and its feeds always list the same articles under one folder.
 */
import type { Article } from './article.ts';
import { slugify } from './slug.ts';

/** A topic: every published article carrying a tag that slugifies to `slug`. */
export interface Topic {
  /** The folder name (`tags/SLUG/`): the same slug rules as articles, so it can never climb out. */
  readonly slug: string;
  /** The tag as the newest article writes it. */
  readonly label: string;
  /** Newest first. */
  readonly articles: readonly Article[];
}

/**
 * The folder name of a tag (`tags/SLUG/`): the same slug rules as articles, so a tag can never
 * climb out of the output folder; '' for a tag with nothing to make a slug of.
 */
export function tagSlug(tag: string): string {
  let slug = tagSlugs.get(tag);
  if (slug === undefined) {
    slug = slugify(tag);
    tagSlugs.set(tag, slug);
  }
  return slug;
}

/**
 * Slugs of the tags seen so far: an archive has a few dozen tags on thousands of articles, and
 * transliterating each again was most of grouping them (the slug of a tag never changes).
 */
const tagSlugs = new Map<string, string>();

/**
 * Topics in slug order (so the file list never depends on article order). Tags that differ
 * only in case or accents share a topic; a tag with no slug (punctuation only) gets none.
 */
export function topicsOf(articles: readonly Article[]): readonly Topic[] {
  // the list pages and the feeds group the same edition: once per list of articles
  let made = grouped.get(articles);
  if (!made) {
    made = groupByTopic(articles);
    grouped.set(articles, made);
  }
  return made;
}

const grouped = new WeakMap<readonly Article[], readonly Topic[]>();

function groupByTopic(articles: readonly Article[]): readonly Topic[] {
  const topics = new Map<string, { slug: string; label: string; articles: Article[]; seen: Set<Article> }>();
  for (const article of articles) {
    for (const tag of article.tags) {
      const slug = tagSlug(tag);
      if (!slug) continue;
      let topic = topics.get(slug);
      if (!topic) {
        topic = { slug, label: tag, articles: [], seen: new Set() };
        topics.set(slug, topic);
      }
      if (topic.seen.has(article)) continue;
      topic.seen.add(article);
      topic.articles.push(article);
    }
  }
  return [...topics.values()]
    .map(({ slug, label, articles: members }) => ({ slug, label, articles: members }))
    .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
}
