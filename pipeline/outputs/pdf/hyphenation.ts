/**
 * Where a word may be hyphenated, by the article's language: Liang's patterns from the
 * `hyphen` package (the TeX patterns), with TeX's limits on how short the pieces may be.
 */
import createHyphenator from 'hyphen';
import enUsPatterns from 'hyphen/patterns/en-us.js';

/**
 * Pattern module per BCP 47 tag (most specific first), the script the patterns are for, and
 * whether the language capitalises its nouns. Where it does not (nearly every language), a
 * capital marks a name (Vladivostok, Interfax), and a name is not hyphenated: a reader
 * looks it up whole. German capitalises every noun, so a capital says nothing there.
 */
const PATTERNS: readonly { readonly tags: readonly string[]; readonly module: string; readonly script: RegExp; readonly capitalisedNouns?: true }[] = [
  { tags: ['en-gb', 'en-au', 'en-nz', 'en-ie', 'en-za', 'en-in'], module: 'en-gb', script: /\p{Script=Latin}/u },
  { tags: ['en'], module: 'en-us', script: /\p{Script=Latin}/u },
  { tags: ['de-ch'], module: 'de-ch-1901', script: /\p{Script=Latin}/u, capitalisedNouns: true },
  { tags: ['de'], module: 'de-1996', script: /\p{Script=Latin}/u, capitalisedNouns: true },
  { tags: ['el'], module: 'el-monoton', script: /\p{Script=Greek}/u },
  { tags: ['sr-latn'], module: 'sh-latn', script: /\p{Script=Latin}/u },
  { tags: ['sr'], module: 'sr-cyrl', script: /\p{Script=Cyrillic}/u },
  { tags: ['ru'], module: 'ru', script: /\p{Script=Cyrillic}/u },
  { tags: ['uk'], module: 'uk', script: /\p{Script=Cyrillic}/u },
  { tags: ['bg'], module: 'bg', script: /\p{Script=Cyrillic}/u },
  { tags: ['be'], module: 'be', script: /\p{Script=Cyrillic}/u },
  { tags: ['mk'], module: 'mk', script: /\p{Script=Cyrillic}/u },
  ...['fr', 'es', 'it', 'pt', 'nl', 'pl', 'cs', 'sk', 'sl', 'hr', 'hu', 'ro', 'sv', 'da', 'nb', 'nn', 'fi', 'et', 'lv', 'lt', 'is', 'ca', 'gl', 'eu', 'tr', 'af', 'cy', 'ga', 'id', 'sq', 'oc', 'la'].map((tag) => ({
    tags: [tag],
    module: tag,
    script: /\p{Script=Latin}/u,
  })),
  { tags: ['no'], module: 'nb', script: /\p{Script=Latin}/u },
];

export interface HyphenationLimits {
  readonly minWord: number;
  readonly leftMin: number;
  readonly rightMin: number;
}

type Hyphenate = (text: string) => string;

interface Hyphenator {
  readonly hyphenate: Hyphenate;
  /** The script the patterns are for: other words (a Chinese name in an English text) are left alone. */
  readonly script: RegExp;
  /** False: a word with a capital letter is a name (or an acronym), left whole. */
  readonly capitalisedNouns: boolean;
  /** Break offsets by word; the same word gets the same answer wherever it is met. */
  readonly cache: Map<string, readonly number[]>;
}

/** Which pattern set serves `lang`, or null when there is none. */
export function patternsFor(lang: string): (typeof PATTERNS)[number] | null {
  const tag = lang.toLowerCase();
  const primary = tag.split('-')[0] ?? tag;
  return PATTERNS.find((entry) => entry.tags.some((candidate) => tag === candidate || tag.startsWith(`${candidate}-`))) ??
    PATTERNS.find((entry) => entry.tags.includes(primary)) ??
    null;
}

const LETTER_RUN = /[\p{L}\p{M}]+/gu;
const HAS_LOWER = /\p{Ll}/u;
const HAS_UPPER = /\p{Lu}|\p{Lt}/u;
const WORD_CACHE_LIMIT = 50_000;

/** Hyphenators by pattern module, loaded once per process (per worker) and kept. */
export class Hyphenation {
  readonly #limits: HyphenationLimits;
  readonly #hyphenators = new Map<string, Hyphenator>();
  readonly #loading = new Map<string, Promise<void>>();

  constructor(limits: HyphenationLimits) {
    this.#limits = limits;
    const english = PATTERNS.find((entry) => entry.module === 'en-us');
    if (english) this.#add(english, createHyphenator(enUsPatterns, { minWordLength: limits.minWord }));
  }

  #add(entry: (typeof PATTERNS)[number], hyphenate: Hyphenate): void {
    this.#hyphenators.set(entry.module, { hyphenate, script: entry.script, capitalisedNouns: entry.capitalisedNouns ?? false, cache: new Map() });
  }

  /** Loads the patterns `lang` needs (a no-op when loaded or when there are none). */
  prepare(lang: string): Promise<void> {
    const entry = patternsFor(lang);
    if (!entry || this.#hyphenators.has(entry.module)) return Promise.resolve();
    let loading = this.#loading.get(entry.module);
    if (!loading) {
      loading = import(`hyphen/patterns/${entry.module}.js`).then((loaded: { default: unknown }) => {
        this.#add(entry, createHyphenator(loaded.default, { minWordLength: this.#limits.minWord }));
      });
      this.#loading.set(entry.module, loading);
    }
    return loading;
  }

  /**
   * UTF-16 offsets in `word` where a hyphen may go. Empty when `lang` has no (loaded) patterns,
   * for words in another script, for words in capitals (acronyms, which are not broken) and,
   * unless the language capitalises its nouns, for words with a capital (names).
   */
  breaks(lang: string, word: string): readonly number[] {
    const entry = patternsFor(lang);
    const hyphenator = entry ? this.#hyphenators.get(entry.module) : undefined;
    if (!hyphenator || word.length < this.#limits.minWord) return [];
    const cached = hyphenator.cache.get(word);
    if (cached) return cached;
    const offsets = this.#compute(hyphenator, word);
    if (hyphenator.cache.size >= WORD_CACHE_LIMIT) hyphenator.cache.clear();
    hyphenator.cache.set(word, offsets);
    return offsets;
  }

  #compute(hyphenator: Hyphenator, word: string): readonly number[] {
    const offsets: number[] = [];
    for (const match of word.matchAll(LETTER_RUN)) {
      const letters = match[0];
      if (letters.length < this.#limits.minWord || !HAS_LOWER.test(letters) || !hyphenator.script.test(letters)) continue;
      if (!hyphenator.capitalisedNouns && HAS_UPPER.test(letters)) continue;
      const hyphenated = hyphenator.hyphenate(letters);
      let offset = 0;
      for (const character of hyphenated) {
        if (character === '\u00AD') {
          if (offset >= this.#limits.leftMin && letters.length - offset >= this.#limits.rightMin) offsets.push(match.index + offset);
        } else {
          offset += character.length;
        }
      }
    }
    return offsets;
  }
}
