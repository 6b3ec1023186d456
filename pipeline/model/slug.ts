/**
 * Slugs: the one piece of an article that becomes a path. Always made here, from text, never
 * taken as given: `../../etc/passwd` becomes `etc-passwd`.
 */
import slugifyText from '@sindresorhus/slugify';

/** Long enough for a headline's gist, short enough for a readable URL. */
export const MAX_SLUG_LENGTH = 60;

/**
 * How a language's letters are spelt in ASCII where it differs from the transliterator's default,
 * which is German's (`ü` → `ue`): Turkish, Swedish, Hungarian and the rest drop the dots
 * (`yüzde` → `yuzde`), and Greek writes `ου` as `ou` (`Βουλή` → `vouli`), not letter by letter.
 */
function spellingsOf(lang: string | undefined): [string, string][] {
  const language = lang?.split('-')[0]?.toLowerCase();
  if (!language || language === 'de') return [];
  const dotless: [string, string][] = [['ä', 'a'], ['ö', 'o'], ['ü', 'u'], ['Ä', 'A'], ['Ö', 'O'], ['Ü', 'U']];
  return language === 'el' ? [...dotless, ['ου', 'ou'], ['ού', 'ou'], ['Ου', 'Ou'], ['Ού', 'Ou'], ['ΟΥ', 'OU']] : dotless;
}

/**
 * ASCII, lower-case, hyphen-joined words (transliterated: `Łódź` → `lodz`, as `lang` spells it
 * when given); '' when nothing is left.
 */
export function slugify(text: string, lang?: string): string {
  const slug = slugifyText(text, { lowercase: true, decamelize: false, separator: '-', customReplacements: spellingsOf(lang) });
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

/**
 * The slug of a headline, or '' when it keeps no word of it: a headline mostly in Chinese,
 * Japanese, Korean or Thai has no ASCII spelling here, and what is left of it (`0-75` of
 * "政策金利0.75％に", `3-11-gdp-5-2-75`) names nothing; the caller then falls back to the file's name.
 */
export function headlineSlug(title: string, lang: string): string {
  const letters = title.match(/\p{L}/gu)?.length ?? 0;
  const untransliterated = title.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/gu)?.length ?? 0;
  if (untransliterated > letters / 2) return '';
  const slug = slugify(title, lang);
  return /[a-z]{2}/.test(slug) ? slug : '';
}
