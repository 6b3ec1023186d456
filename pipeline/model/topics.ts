/**
 * Topics: the articles of an edition grouped by tag. One definition for the topic pages and the
 * per-tag feeds, so a tag's page and its feeds always list the same articles under one folder.
 */
import type { Article } from './article.ts';
import { createHash } from 'node:crypto';
import { slugify, MAX_SLUG_LENGTH } from './slug.ts';

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
 * What makes two spellings one tag: letters compared without case and without the accents of
 * Latin, Greek and Cyrillic letters (combining marks U+0300–U+036F after canonical
 * decomposition), runs of spaces as one. "Ünïcode", "unicode" and "UNICODE" are one tag;
 * marks that make other scripts' letters (Devanagari vowel signs, say) are kept.
 */
export function tagKey(tag: string): string {
  return tag.normalize('NFD').replace(/[\u0300-\u036f]/g, '').normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * The folder name of a tag (`tags/SLUG/`), a function of its key alone (an article's page links
 * its tags without knowing the edition): the same slug rules as articles, so a tag can never
 * climb out of the output folder. A tag with nothing to make a slug of ("..", "]]>", "🚀") is
 * named by its characters' code points (`tag-2e-2e`), or their digest when that is long.
 */
export function tagSlug(tag: string): string {
  let slug = tagSlugs.get(tag);
  if (slug === undefined) {
    const key = tagKey(tag);
    slug = slugify(key) || codePointSlug(key);
    tagSlugs.set(tag, slug);
  }
  return slug;
}

function codePointSlug(key: string): string {
  const named = `tag-${[...key.replace(/\s/g, '')].map((char) => char.codePointAt(0)!.toString(16)).join('-')}`;
  return named.length <= MAX_SLUG_LENGTH ? named : `tag-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

/**
 * Slugs of the tags seen so far: an archive has a few dozen tags on thousands of articles, and
 * transliterating each again was most of grouping them (the slug of a tag never changes).
 */
const tagSlugs = new Map<string, string>();

/** Two different tags that would share a topic page: the later one, where it is, and the one it collides with. */
export interface TagCollision {
  readonly article: Article;
  /** Index of the tag in `article.tags`. */
  readonly index: number;
  readonly tag: string;
  readonly slug: string;
  readonly other: { readonly article: Article; readonly tag: string };
}

/**
 * Tags that are different (different keys) but make the same slug ("C++", "C" and "C#" all
 * make `c`): each would be shown on another's page under another's name. Articles are taken in
 * source path order, so which one is told is the same on every build.
 */
export function tagCollisions(articles: readonly Article[]): TagCollision[] {
  const owners = new Map<string, { key: string; article: Article; tag: string }>();
  const collisions: TagCollision[] = [];
  for (const article of [...articles].sort((a, b) => (a.sourcePath < b.sourcePath ? -1 : a.sourcePath > b.sourcePath ? 1 : 0))) {
    article.tags.forEach((tag, index) => {
      const slug = tagSlug(tag);
      const key = tagKey(tag);
      const owner = owners.get(slug);
      if (!owner) owners.set(slug, { key, article, tag });
      else if (owner.key !== key) collisions.push({ article, index, tag, slug, other: { article: owner.article, tag: owner.tag } });
    });
  }
  return collisions;
}

/**
 * Topics in slug order (so the file list never depends on article order). Tags with one key
 * (tagKey) share a topic; different tags with one slug are refused before rendering (tagCollisions).
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
  const topics = new Map<string, { slug: string; label: string; articles: Article[] }>();
  for (const article of articles) {
    for (const tag of article.tags) {
      const slug = tagSlug(tag);
      let topic = topics.get(slug);
      if (!topic) {
        topic = { slug, label: tag, articles: [] };
        topics.set(slug, topic);
      }
      // an article's tags come one after another: two of them in one topic (same slug) list it once
      if (topic.articles.at(-1) !== article) topic.articles.push(article);
    }
  }
  return [...topics.values()].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
}
