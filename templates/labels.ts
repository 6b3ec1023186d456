/**
 * The words around the news, in the reader's language: the one way the templates (pages, PDF,
 * feeds' presentation strings) get a label, a reading time, a file size or a date.
 *
 * Which language: the article's on its page and in its PDF, the site's on the site's pages.
 * A language is looked up by its full tag, then by its language subtag (`fr-CA` reads `fr`),
 * then by alias (`no` reads `nb`); a language with no catalogue reads English (the build says
 * so once, see `hasCatalogue`).
 */
import { CATALOGUES, CATALOGUE_ALIASES, en } from './messages/catalogue.ts';
import type { Messages, PluralMessage } from './messages/types.ts';

export type { Messages } from './messages/types.ts';

/** The catalogue a tag reads, or null when there is none for it (it then reads English). */
function catalogueKey(lang: string): string | null {
  const tag = lang.trim();
  if (Object.hasOwn(CATALOGUES, tag)) return tag;
  const language = tag.split('-')[0]?.toLowerCase() ?? '';
  if (Object.hasOwn(CATALOGUES, language)) return language;
  const alias = CATALOGUE_ALIASES[language];
  return alias && Object.hasOwn(CATALOGUES, alias) ? alias : null;
}

/** Whether `lang` has its own catalogue; the build gives one notice per language that has not. */
export function hasCatalogue(lang: string): boolean {
  return catalogueKey(lang) !== null;
}

/** Every language with a catalogue. */
export const CATALOGUE_LANGUAGES: readonly string[] = Object.keys(CATALOGUES);

/** `{name}` placeholders filled in; a value is inserted as is (never read as a placeholder). */
export function fill(message: string, values: Readonly<Record<string, string>>): string {
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** A message cut around one placeholder, for templates that set the value in its own element. */
export interface Around {
  readonly before: string;
  readonly after: string;
}

export class Labels {
  /** The language the labels are in: the catalogue's, which may be English for an unknown one. */
  readonly lang: string;
  readonly messages: Messages;
  /** The language numbers, dates and plural forms follow: the tag asked for, when Intl knows it. */
  readonly locale: string;
  readonly timeZone: string;
  readonly #plural: Intl.PluralRules;
  readonly #number: Intl.NumberFormat;
  readonly #decimal: Intl.NumberFormat;
  readonly #date: Intl.DateTimeFormat;

  constructor(lang: string, timeZone: string) {
    const key = catalogueKey(lang);
    this.lang = key ?? 'en';
    this.messages = key ? CATALOGUES[key]! : en;
    // an unknown language reads English throughout, dates and numbers too, so a line never mixes two
    this.locale = key ? lang : 'en';
    this.timeZone = timeZone;
    this.#plural = new Intl.PluralRules(this.locale);
    this.#number = new Intl.NumberFormat(this.locale);
    this.#decimal = new Intl.NumberFormat(this.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    this.#date = new Intl.DateTimeFormat(this.locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone });
  }

  /** `By {author}` cut at the name. */
  byline(): Around {
    return around(this.messages.byline, 'author');
  }

  /** `By Jane Doe`, as one string (the PDF). */
  bylineText(author: string): string {
    return fill(this.messages.byline, { author });
  }

  /** `2 min read`, in the plural form the language uses for the number. */
  readingTime(minutes: number): string {
    return fill(this.plural(this.messages.readingTime, minutes), { n: this.#number.format(minutes) });
  }

  /** `Updated {date}` cut at the date. */
  updated(): Around {
    return around(this.messages.updated, 'date');
  }

  /** `13 September 2023`, `13 septembre 2023`, `13. September 2023`: the site's time zone decides the day. */
  date(date: Date): string {
    return this.#date.format(date);
  }

  /** `48 KB`, `1,2 Mo`: binary units, never below 1 KB, so a 300-byte file does not read "0 KB". */
  fileSize(bytes: number): string {
    if (bytes < 1024 * 1024) return `${this.#number.format(Math.max(1, Math.round(bytes / 1024)))} ${this.messages.kilobytes}`;
    return `${this.#decimal.format(bytes / (1024 * 1024))} ${this.messages.megabytes}`;
  }

  /** `PDF, 48 KB`, or plain `PDF` when the size is unknown. */
  pdfLabel(bytes: number | null): string {
    return bytes === null ? 'PDF' : `PDF${this.messages.listSeparator}${this.fileSize(bytes)}`;
  }

  /** Items on one line: `a, b, c` (`a、b、c` in Chinese and Japanese). */
  list(items: readonly string[]): string {
    return items.join(this.messages.listSeparator);
  }

  /** `page 2 of 3`. */
  pageOf(page: number, count: number): string {
    return fill(this.messages.pageOf, { page: this.#number.format(page), count: this.#number.format(count) });
  }

  /** A message with its placeholders filled. */
  text(key: { [K in keyof Messages]: Messages[K] extends string ? K : never }[keyof Messages], values: Readonly<Record<string, string>> = {}): string {
    return fill(this.messages[key], values);
  }

  private plural(message: PluralMessage, count: number): string {
    const category = this.#plural.select(count);
    return (category === 'other' ? undefined : message[category]) ?? message.other;
  }
}

function around(message: string, name: string): Around {
  const [before = '', after = ''] = message.split(`{${name}}`);
  return { before, after };
}

/**
 * Labels by language and time zone. Making the Intl formatters costs more than formatting a
 * thousand dates, and a front page asks for the same labels once per article; Labels are
 * immutable, so sharing them changes nothing but the time.
 */
const made = new Map<string, Labels>();

export function labelsFor(lang: string, timeZone = 'UTC'): Labels {
  const key = `${lang}\u0000${timeZone}`;
  let labels = made.get(key);
  if (!labels) {
    labels = new Labels(lang, timeZone);
    made.set(key, labels);
  }
  return labels;
}
