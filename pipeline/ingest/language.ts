/**
 * The language of copy that does not say its own (no `Lang:` line, no language in the agency
 * item): told by its script when that names a language (Arabic, Japanese…), else, for copy in
 * Latin letters, by franc's trigram statistics when they are sure; else the site's.
 */
import { francAll } from 'franc-min';

/**
 * Scripts that name a language of their own, with the language their text is in unless letters
 * of a sibling say otherwise (see languageOfScript). Latin, shared by hundreds of languages, names none.
 */
const SCRIPT_LANGUAGES: readonly { readonly letters: RegExp; readonly language: (text: string) => string }[] = [
  { letters: /[\p{Script=Hiragana}\p{Script=Katakana}]/gu, language: () => 'ja' },
  { letters: /\p{Script=Hangul}/gu, language: () => 'ko' },
  { letters: /\p{Script=Han}/gu, language: () => 'zh' },
  // Urdu and Persian have letters Arabic has not
  { letters: /\p{Script=Arabic}/gu, language: (text) => (/[ٹڈڑںے]/u.test(text) ? 'ur' : /[پچژگ]/u.test(text) ? 'fa' : 'ar') },
  { letters: /\p{Script=Hebrew}/gu, language: () => 'he' },
  // Ukrainian and Serbian have letters Russian has not
  { letters: /\p{Script=Cyrillic}/gu, language: (text) => (/[іїєґІЇЄҐ]/u.test(text) ? 'uk' : /[ђћџЂЋЏ]/u.test(text) ? 'sr' : 'ru') },
  { letters: /\p{Script=Greek}/gu, language: () => 'el' },
  { letters: /\p{Script=Thai}/gu, language: () => 'th' },
  { letters: /\p{Script=Devanagari}/gu, language: () => 'hi' },
  { letters: /\p{Script=Bengali}/gu, language: () => 'bn' },
  { letters: /\p{Script=Tamil}/gu, language: () => 'ta' },
  { letters: /\p{Script=Georgian}/gu, language: () => 'ka' },
  { letters: /\p{Script=Armenian}/gu, language: () => 'hy' },
  { letters: /\p{Script=Ethiopic}/gu, language: () => 'am' },
  { letters: /\p{Script=Khmer}/gu, language: () => 'km' },
];

/** Fewer letters than this say too little of a script. */
const LETTERS_TO_TELL = 20;

/**
 * The language text is written in, when its script tells it: most of its letters in one script of
 * SCRIPT_LANGUAGES (kana over Han: Japanese writes both). Null for Latin text and for too little.
 */
export function languageOfScript(text: string): string | null {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters < LETTERS_TO_TELL) return null;
  const kana = text.match(SCRIPT_LANGUAGES[0]!.letters)?.length ?? 0;
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  if (kana > 0 && kana + han > letters / 2) return 'ja';
  for (const script of SCRIPT_LANGUAGES.slice(1)) {
    if ((text.match(script.letters)?.length ?? 0) > letters / 2) return script.language(text);
  }
  return null;
}

/** The script a language is written in (ISO 15924: `Latn`, `Arab`, `Jpan`, `Hans`…), by the likely-subtags data ICU has. */
function scriptOf(tag: string): string {
  try {
    return new Intl.Locale(tag).maximize().script ?? 'Latn';
  } catch {
    return 'Latn';
  }
}

/**
 * Languages in Latin letters that franc may tell (ISO 639-3 → the tag Galley writes): those a
 * newsroom files in and Galley sets (hyphenation, labels). Fewer candidates, fewer mistakes.
 */
const LATIN_LANGUAGES: Readonly<Record<string, string>> = {
  eng: 'en', fra: 'fr', deu: 'de', spa: 'es', ita: 'it', por: 'pt', nld: 'nl', swe: 'sv', nob: 'nb', dan: 'da', pol: 'pl', tur: 'tr', vie: 'vi',
  ces: 'cs', slk: 'sk', ron: 'ro', hun: 'hu', fin: 'fi', hrv: 'hr', slv: 'sl', lit: 'lt', lav: 'lv', est: 'et', ind: 'id', msa: 'ms', cat: 'ca', afr: 'af', swh: 'sw',
};

/** Letters in Latin script that franc needs to be sure: a short brief says too little. */
const LATIN_LETTERS_TO_TELL = 100;
/** How close the runner-up may score (franc scores the best 1) for the best still to count as sure. */
const RUNNER_UP_AT_MOST = 0.98;

/**
 * How much of the copy franc reads: its trigram statistics are sure well within this, and the
 * time it takes grows with it (~1 ms for this much; a cold build from 10,000 raw files asks 10,000 times).
 */
const LATIN_SAMPLE = 500;

/** The language of copy in Latin letters when franc is sure of it, else null. */
function languageOfLatinText(text: string): string | null {
  const latin = (text.slice(0, LATIN_SAMPLE * 2).match(/[\p{Script=Latin}\s]/gu)?.join('') ?? '').slice(0, LATIN_SAMPLE);
  if ((latin.match(/\p{L}/gu)?.length ?? 0) < LATIN_LETTERS_TO_TELL) return null;
  const [best, runnerUp] = francAll(latin, { only: Object.keys(LATIN_LANGUAGES) });
  if (!best || best[0] === 'und' || (runnerUp && runnerUp[1] > RUNNER_UP_AT_MOST)) return null;
  return LATIN_LANGUAGES[best[0]] ?? null;
}

/**
 * The language of copy that does not say its own: `fallback` (the site's), unless the copy's
 * script or, in Latin letters, franc says it is another: Arabic copy on an English site is
 * Arabic, with its direction and typography; German is German, hyphenated as German. The site's
 * tag stays when it is the same language (`pt-BR` says more than "Portuguese"), or written in
 * the same script that names no language more closely (Chinese on a `zh-Hant` site).
 */
export function languageOfCopy(text: string, fallback: string): { readonly language: string; readonly told: boolean } {
  const byScript = languageOfScript(text);
  // Cyrillic without Ukrainian letters on a Ukrainian site is still Ukrainian
  if (byScript && scriptOf(byScript) === scriptOf(fallback)) return { language: fallback, told: false };
  const told = byScript ?? (scriptOf(fallback) === 'Latn' ? languageOfLatinText(text) : null);
  const base = (tag: string) => tag.split('-')[0]!.toLowerCase();
  if (!told || base(told) === base(fallback)) return { language: fallback, told: false };
  return { language: told, told: true };
}
