/**
 * What the page templates receive: plain data, every URL already resolved (relative for links
 * inside the site, absolute for metadata) and every string still plain text. The templates
 * decide how it looks; `pipeline/outputs/html.ts` decides what it says and where it points.
 */
import type { Root } from 'hast';

/** A link inside the site (relative, so the site works under a sub-path) or to the outside. */
export interface LinkView {
  readonly href: string;
  readonly label: string;
}

/** A `<meta>` in the head: OpenGraph uses `property`, everything else `name`. */
export interface MetaView {
  readonly key: 'name' | 'property';
  readonly keyValue: string;
  readonly content: string;
}

/** A `<link rel="alternate">`: the feeds, the PDF. */
export interface AlternateView {
  readonly type: string;
  readonly href: string;
  readonly title: string;
}

/** The parts every page shares: head metadata and the site's masthead and footer. */
export interface PageView {
  /** `<html lang>`: the article's language on article pages, else the site's. */
  readonly lang: string;
  readonly dir: 'ltr' | 'rtl';
  /** The whole `<title>` text. */
  readonly title: string;
  readonly description: string;
  /** Absolute URL of this page. */
  readonly canonical: string;
  readonly stylesheet: string;
  readonly alternates: readonly AlternateView[];
  readonly meta: readonly MetaView[];
  /** Serialised JSON-LD, already safe inside `<script>` (no `<` left in it). */
  readonly jsonLd: string;
  readonly site: SiteChromeView;
  /** On a list page: its neighbours, as `<link rel="prev/next">` in the head. */
  readonly pager?: PagerView;
}

/**
 * A list page's neighbours: `newer` (rel="prev") towards the front page, `older` (rel="next")
 * towards the oldest articles; null at either end.
 */
export interface PagerView {
  readonly newer: string | null;
  readonly older: string | null;
}

export interface SiteChromeView {
  readonly title: string;
  readonly description: string;
  /** The site's language, marked on the masthead and footer when the page's differs. */
  readonly lang: string;
  readonly dir: 'ltr' | 'rtl';
  readonly home: string;
  /** The feeds page (`feeds/`): how to subscribe, where every "subscribe" link leads. */
  readonly feedsPage: string;
  readonly copyright: string;
  /** The date the newest article was published: the edition's date line, never the build's. */
  readonly editionDate: Date | null;
  /** IANA time zone the edition's dates are read in (the day an article is dated). */
  readonly timeZone: string;
}

export interface PdfView {
  readonly href: string;
  /** Its media type, for the link's `type`. */
  readonly type: string;
  /** Bytes, when the PDF stage reported its size. */
  readonly bytes: number | null;
}

/** A related article: linked when the edition publishes it or the editor gave a URL. */
export interface RelatedView {
  readonly title: string;
  readonly href: string | null;
}

export interface TagView {
  readonly label: string;
  /** The tag's page, or null when the tag has no slug-able letters and so no page. */
  readonly href: string | null;
}

export interface ArticlePageView {
  readonly page: PageView;
  readonly lang: string;
  readonly dir: 'ltr' | 'rtl';
  readonly title: string;
  /** The summary, set under the headline; null when it would only repeat the lede (model/lede.ts). */
  readonly standfirst: string | null;
  /** Where the story was filed ("PARIS (AFP)"): the lede opens with it, and then has no drop cap. */
  readonly dateline: string | null;
  readonly author: string;
  /** The byline's job title ("Associated Press Writer"), set after the name. */
  readonly authorTitle: string | null;
  readonly published: Date;
  /** Null when the article was never updated after publication. */
  readonly updated: Date | null;
  readonly readingMinutes: number;
  /** The sanitised body tree (bodyHast), block elements marked `dir="auto"`. */
  readonly body: Root;
  readonly credit: string | null;
  readonly related: readonly RelatedView[];
  readonly tags: readonly TagView[];
  readonly pdf: PdfView;
  /** Ids the chrome may use without clashing with the body's heading ids. */
  readonly ids: { readonly content: string; readonly related: string; readonly tags: string };
}

/** An article as the front page and tag pages list it. */
export interface TeaserView {
  readonly href: string;
  readonly lang: string;
  readonly dir: 'ltr' | 'rtl';
  readonly title: string;
  readonly summary: string;
  readonly author: string;
  readonly published: Date;
  readonly readingMinutes: number;
  readonly pdf: PdfView;
  readonly tags: readonly TagView[];
}

export interface IndexPageView {
  readonly page: PageView;
  /** The `/tags/` index. */
  readonly topics: string;
  /** Newest first. */
  readonly articles: readonly TeaserView[];
}

/** A page of older articles, below the front page. */
export interface OlderPageView {
  readonly page: PageView;
  readonly heading: string;
  /** Its page number, counted from the oldest articles. */
  readonly number: number;
  /** Newest first. */
  readonly articles: readonly TeaserView[];
}

/** Every topic of the edition (the `/tags/` index). */
export interface TopicIndexView {
  readonly page: PageView;
  /** In slug order. */
  readonly topics: readonly { readonly label: string; readonly href: string; readonly articles: number }[];
}

export interface TagPageView {
  readonly page: PageView;
  readonly tag: string;
  /** Null on the topic's first page; else its page number, counted from the oldest. */
  readonly number: number | null;
  /** The topic's own feeds on the feeds page (`feeds/#…`). */
  readonly feeds: string;
  readonly articles: readonly TeaserView[];
}

/** A feed's three documents, each with its absolute address (what a reader is given). */
export interface FeedAddressView {
  /** RSS, Atom, JSON Feed. */
  readonly label: string;
  readonly href: string;
  readonly url: string;
  readonly type: string;
}

/** The feeds page: how to subscribe, the edition's feeds, each topic's. */
export interface FeedsPageView {
  readonly page: PageView;
  readonly site: string;
  readonly feeds: readonly FeedAddressView[];
  /** In slug order; `id` is the anchor a topic page links to. */
  readonly topics: readonly { readonly label: string; readonly id: string; readonly href: string; readonly feeds: readonly FeedAddressView[] }[];
}
