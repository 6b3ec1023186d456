/**
 * Slugs: the one piece of an article that becomes a path. Always made here, from text, never
 * taken as given: `../../etc/passwd` becomes `etc-passwd`.
 */
import slugifyText from '@sindresorhus/slugify';

/** Long enough for a headline's gist, short enough for a readable URL. */
export const MAX_SLUG_LENGTH = 60;

/** ASCII, lower-case, hyphen-joined words (transliterated: `Łódź` → `lodz`); '' when nothing is left. */
export function slugify(text: string): string {
  const slug = slugifyText(text, { lowercase: true, decamelize: false, separator: '-' });
  if (slug.length <= MAX_SLUG_LENGTH) return slug;
  const cut = slug.slice(0, MAX_SLUG_LENGTH + 1);
  const lastHyphen = cut.lastIndexOf('-');
  if (lastHyphen <= 20) return slug.slice(0, MAX_SLUG_LENGTH).replace(/-+$/, '');
  // whole words, and not ending on a little word ("…-visit-russia-in-the")
  const words = cut.slice(0, lastHyphen).split('-');
  while (words.length > 3 && TRAILING_WORDS.has(words.at(-1)!)) words.pop();
  return words.join('-');
}

const TRAILING_WORDS = new Set(['a', 'an', 'the', 'in', 'of', 'to', 'for', 'on', 'at', 'by', 'and', 'or', 'with', 'from', 'as', 'is', 'its']);

/** `wanted`, or `wanted-2`, `wanted-3`… whichever is free; marks the result as taken. */
export function claimSlug(wanted: string, taken: Set<string>): string {
  let slug = wanted;
  for (let n = 2; taken.has(slug); n++) slug = `${wanted}-${n}`;
  taken.add(slug);
  return slug;
}
