/** BCP 47 language tags, checked against the languages ICU knows. */

/** ICU's names of languages, made when first asked for: making them loads ICU's data (~17 ms), which a PDF worker, loading this module for isRightToLeft, never needs. */
let languageNames: Intl.DisplayNames | null = null;

/** Answers by tag: a build asks for every article's language, and an archive has few. */
const canonicalForms = new Map<string, string | null>();

/** The canonical form of `tag` (`en-us` → `en-US`) when it names a known language, else null. */
export function canonicalLanguage(tag: string): string | null {
  let canonical = canonicalForms.get(tag);
  if (canonical === undefined) {
    canonical = canonicalFormOf(tag);
    canonicalForms.set(tag, canonical);
  }
  return canonical;
}

function canonicalFormOf(tag: string): string | null {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag.trim());
    if (!canonical) return null;
    const language = new Intl.Locale(canonical).language;
    languageNames ??= new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
    return languageNames.of(language) ? canonical : null;
  } catch {
    return null;
  }
}

/** Scripts written right to left, for `dir="rtl"` and the PDF. */
export function isRightToLeft(tag: string): boolean {
  const language = tag.split('-')[0]?.toLowerCase() ?? '';
  return ['ar', 'he', 'fa', 'ur', 'yi', 'ps', 'sd', 'ug', 'dv', 'ckb'].includes(language);
}
