/**
 * How dates, sizes and durations read on the page. Always in UTC: the machine building the
 * site must never change a byte of it (a noon date in Kiribati is already tomorrow).
 */

/**
 * Formatters by locale. Making an Intl.DateTimeFormat costs more than formatting a thousand
 * dates with it, and a front page formats one per article; a formatter is immutable, so
 * sharing it changes nothing but the time.
 */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** `11 September 2023` (or the locale's way of writing it). */
export function displayDate(date: Date, locale: string): string {
  let format = dateFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    dateFormats.set(locale, format);
  }
  return format.format(date);
}

/** `2023-09-11T12:00:00Z`: what `<time datetime>` carries. */
export function machineDate(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

/** `48 KB`, `1.2 MB`: binary units, never below 1 KB, so a 300-byte file does not read "0 KB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** `PDF, 48 KB`, or plain `PDF` when the size is unknown. */
export function pdfLabel(bytes: number | null): string {
  return bytes === null ? 'PDF' : `PDF, ${fileSize(bytes)}`;
}

export function readingTime(minutes: number): string {
  return `${minutes} min read`;
}
