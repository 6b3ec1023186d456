/** BCP 47 language tags, checked against the languages ICU knows. */

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/** The canonical form of `tag` (`en-us` → `en-US`) when it names a known language, else null. */
export function canonicalLanguage(tag: string): string | null {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag.trim());
    if (!canonical) return null;
    const language = new Intl.Locale(canonical).language;
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
