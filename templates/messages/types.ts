/**
 * What a message catalogue holds: every word the templates put around an article's own text
 * (page chrome, the PDF's furniture, the feeds' presentation strings), for one language.
 *
 * `{name}` marks where a value goes; a message holds each of its placeholders exactly once
 * (the catalogue test checks every language against English). Plural messages give the forms
 * `Intl.PluralRules` selects for the language; `other` is required, the rest where the language
 * has them.
 */
export type PluralMessage = { readonly other: string } & Partial<Record<Exclude<Intl.LDMLPluralRule, 'other'>, string>>;

export interface Messages {
  /** `By {author}`: the byline, the name set where `{author}` stands. */
  readonly byline: string;
  /** `{n} min read`. */
  readonly readingTime: PluralMessage;
  /** `Updated {date}`, after the publication date. */
  readonly updated: string;
  /** The PDF link on an article page. */
  readonly downloadPdf: string;
  /** Units for a file's size. */
  readonly kilobytes: string;
  readonly megabytes: string;
  readonly related: string;
  readonly topics: string;
  /** The masthead's link to the feeds page (and the name of its navigation, for screen readers). */
  readonly subscribe: string;
  readonly skipToContent: string;
  readonly latestArticles: string;
  readonly nothingPublished: string;
  readonly followTheNews: string;
  readonly feedsExplained: string;
  /** The kicker on a topic page. */
  readonly topic: string;
  readonly feedsForTopic: string;
  readonly articlesOnTopic: string;
  /** The meta description of a topic page: `Articles on {topic} from {site}.` */
  readonly topicDescription: string;
  /** A topic feed's description after the site's: `Articles tagged “{topic}”.` */
  readonly topicFeedDescription: string;
  /** The PDF end matter: `Read this article online:` (the URL follows after a space). */
  readonly readOnline: string;
  /** `Topics:` before the list in the PDF (the list follows after a space). */
  readonly topicsLabel: string;
  /** Between the items of a list on one line (`, `; `、` in Chinese and Japanese). */
  readonly listSeparator: string;
  /** The PDF's running footer. */
  readonly pageOf: string;
  /** Between a dateline and the lede it opens ("PARIS (AFP) — Le président…"): the language's dash, spaced as it spaces it. */
  readonly datelineSeparator: string;
  /** The feeds page (`feeds/`): its heading, its meta description (`{site}`), what a feed reader is, the steps to subscribe. */
  readonly feedsTitle: string;
  readonly feedsPageDescription: string;
  readonly feedsWhat: string;
  readonly feedsStepCopy: string;
  readonly feedsStepPaste: string;
  readonly feedsStepFormat: string;
  readonly feedsStepDiscover: string;
  /** Its sections: the edition's feeds, then each topic's. */
  readonly feedsAllArticles: string;
  readonly feedsByTopic: string;
  /** The link to the feeds page from the front page, and the heading of its steps. */
  readonly howToSubscribe: string;
  /** A topic page's link to its feeds on the feeds page. */
  readonly topicFeedsLink: string;
  /** The heading over an article's footnotes, on its page and in its PDF. */
  readonly footnotes: string;
  /** What a footnote's link back to where it is called says to a screen reader: `Back to reference {n}`. */
  readonly footnoteBack: string;
  /** The name of a table's scrolling region on a page, for screen readers: `Table {n}`. */
  readonly table: string;
}
