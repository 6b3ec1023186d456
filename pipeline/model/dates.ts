/**
 * Dates as wire services and editors write them, read in UTC only: the machine's time zone
 * must never change a byte of the output.
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const RFC_2822 = /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})(?:\s+(\d{2}):(\d{2})(?::(\d{2}))?)?\s*(GMT|UTC|UT|Z|[+-]\d{4})?$/i;
const MONTH_FIRST = /^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$/;

/**
 * The instant of a UTC calendar date and time, or null when it does not exist. The year is
 * taken as written: `Date.UTC` reads years 0–99 as 1900–1999, so the year is set on its own.
 */
function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millis = 0, offsetMinutes = 0): Date | null {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  const daysInMonth = date.getUTCDate();
  if (day > daysInMonth) return null;
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, Math.min(second, 59), millis);
  date.setTime(date.getTime() - offsetMinutes * 60_000);
  return Number.isNaN(date.getTime()) ? null : date;
}

function monthNumber(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

function offsetOf(zone: string | undefined): number {
  if (!zone || /^(z|gmt|utc|ut)$/i.test(zone)) return 0;
  const digits = zone.replace(':', '');
  const sign = digits.startsWith('-') ? -1 : 1;
  const hours = Number(digits.slice(1, 3));
  const minutes = Number(digits.slice(3, 5) || '0');
  return sign * (hours * 60 + minutes);
}

/**
 * Reads ISO 8601 (`2023-09-11`, `2023-09-11T08:00:00Z`, with an offset), RFC 2822
 * (`Mon, 11 Sep 2023 08:00:00 GMT`) and `September 11, 2023` / `11 September 2023`.
 * A date without a zone is taken as UTC. Returns null for anything else, and for dates that
 * do not exist (31 February, 25:61).
 */
export function parseDate(text: string): Date | null {
  const value = text.trim();
  let match = ISO.exec(value);
  if (match) {
    const [, y, mo, d, h, mi, s, frac, zone] = match;
    const millis = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
    return utc(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), millis, offsetOf(zone));
  }
  match = RFC_2822.exec(value);
  if (match) {
    const [, d, mon, y, h, mi, s, zone] = match;
    const month = monthNumber(mon ?? '');
    return month ? utc(Number(y), month, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), 0, offsetOf(zone)) : null;
  }
  match = MONTH_FIRST.exec(value);
  if (match) {
    const [, mon, d, y] = match;
    const month = monthNumber(mon ?? '');
    return month ? utc(Number(y), month, Number(d)) : null;
  }
  return null;
}

/**
 * The first year Galley publishes. Every output states a date exactly from year 100 on; before
 * it, an RSS date (RFC 822: `Tue, 11 Sep 0023`) is read by common feed readers (JavaScript's
 * `Date` among them) as 1950–2049, and a page's "11 September 23" reads as a year of this
 * century. Such a year is nearly always a typing slip (0023 for 2023), so it is refused.
 */
export const EARLIEST_YEAR = 100;

/** Why the date `parsed` from `text` (field `field`) cannot be published, or null when it can. */
export function yearProblem(parsed: Date, text: string, field: string): string | null {
  const year = parsed.getUTCFullYear();
  if (year >= EARLIEST_YEAR) return null;
  return `${field} ${JSON.stringify(text)} is in the year ${year}: dates before the year ${EARLIEST_YEAR} cannot be published exactly (feed readers take them for 1950–2049); write the year in full, e.g. 20${String(year).padStart(2, '0')}`;
}

/** `2023-09-11T08:00:00Z`: ISO 8601 in UTC, milliseconds only when there are some. */
export function formatIsoDate(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

/** The instant `SOURCE_DATE_EPOCH` names, when it is set and valid. */
export function sourceDateEpoch(env: NodeJS.ProcessEnv = process.env): Date | null {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return null;
  return new Date(Number(raw.trim()) * 1000);
}
