/**
 * JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), written here rather than by `feed` 6,
 * whose `json1()` still writes version 1 (a single `author`, no `language`, no `attachments`).
 * The types follow the spec field by field, so a feed that type-checks has every required field;
 * the serialiser only fixes the key order (the order of the spec) so output is byte-stable.
 */

export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

/** An author object: the spec requires at least one of the three fields. */
export type JsonFeedAuthor =
  | { readonly name: string; readonly url?: string; readonly avatar?: string }
  | { readonly name?: string; readonly url: string; readonly avatar?: string };

export interface JsonFeedAttachment {
  readonly url: string;
  readonly mime_type: string;
  readonly title?: string;
  readonly size_in_bytes?: number;
  readonly duration_in_seconds?: number;
}

/** An item has HTML content, text content or both (the spec requires one). */
type JsonFeedContent =
  | { readonly content_html: string; readonly content_text?: string }
  | { readonly content_html?: string; readonly content_text: string };

export type JsonFeedItem = JsonFeedContent & {
  /** Unique and stable for the item forever: Galley uses the canonical URL. */
  readonly id: string;
  readonly url?: string;
  readonly external_url?: string;
  readonly title?: string;
  /** Plain text, not HTML. */
  readonly summary?: string;
  readonly image?: string;
  readonly banner_image?: string;
  /** RFC 3339. */
  readonly date_published?: string;
  /** RFC 3339. */
  readonly date_modified?: string;
  readonly authors?: readonly JsonFeedAuthor[];
  readonly tags?: readonly string[];
  readonly language?: string;
  readonly attachments?: readonly JsonFeedAttachment[];
};

export interface JsonFeed {
  readonly title: string;
  readonly home_page_url?: string;
  readonly feed_url?: string;
  readonly description?: string;
  readonly user_comment?: string;
  readonly next_url?: string;
  readonly icon?: string;
  readonly favicon?: string;
  readonly authors?: readonly JsonFeedAuthor[];
  readonly language?: string;
  readonly expired?: boolean;
  readonly items: readonly JsonFeedItem[];
}

const FEED_KEYS = ['title', 'home_page_url', 'feed_url', 'description', 'user_comment', 'next_url', 'icon', 'favicon', 'authors', 'language', 'expired'] as const;
const ITEM_KEYS = [
  'id', 'url', 'external_url', 'title', 'content_html', 'content_text', 'summary', 'image', 'banner_image',
  'date_published', 'date_modified', 'authors', 'tags', 'language', 'attachments',
] as const;
const AUTHOR_KEYS = ['name', 'url', 'avatar'] as const;
const ATTACHMENT_KEYS = ['url', 'mime_type', 'title', 'size_in_bytes', 'duration_in_seconds'] as const;

/** `source`'s defined fields in the order of `keys`: the order the spec lists them. */
function ordered<T extends object>(source: T, keys: readonly (keyof T)[]): Partial<T> {
  const out: Partial<T> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

/** The feed as JSON text: `version` first, then the spec's order; two-space indent, final newline. */
export function serializeJsonFeed(feed: JsonFeed): string {
  const document = {
    version: JSON_FEED_VERSION,
    ...ordered(feed, FEED_KEYS),
    ...(feed.authors ? { authors: feed.authors.map((author) => ordered(author, AUTHOR_KEYS)) } : {}),
    items: feed.items.map((item) => ({
      ...ordered(item, ITEM_KEYS),
      ...(item.authors ? { authors: item.authors.map((author) => ordered(author, AUTHOR_KEYS)) } : {}),
      ...(item.attachments ? { attachments: item.attachments.map((attachment) => ordered(attachment, ATTACHMENT_KEYS)) } : {}),
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/*
 * Feeds assembled from items serialised one at a time (see feeds.ts): `serializeJsonFeed` puts
 * `items` last, at depth one, so JSON.stringify (two-space indent) writes the document as
 * `…,\n  "items": [\n    ITEM,\n    ITEM\n  ]\n}\n`, or `"items": []` when there are none. An item
 * is the same text wherever it stands in the array: its lines indented for that depth.
 */
const ITEMS_OPEN = '\n  "items": [\n    ';
const ITEMS_CLOSE = '\n  ]\n}\n';
const ITEMS_EMPTY = '\n  "items": []\n}\n';
const ITEM_SEPARATOR = ',\n    ';
/** Where an item object at the items' depth ends: strings hold no raw newline, deeper lines are indented further. */
const ITEM_END = /\n {4}\}/g;

/**
 * The one item of `feedText` (what `serializeJsonFeed` wrote for a feed holding one item), as it
 * stands in the items array. Throws when the text is not of that shape, rather than let a wrong
 * cut make a wrong feed.
 */
export function jsonFeedItemText(feedText: string): string {
  const start = feedText.indexOf(ITEMS_OPEN);
  if (start < 0 || feedText.indexOf(ITEMS_OPEN, start + 1) >= 0 || !feedText.endsWith(ITEMS_CLOSE)) {
    throw new Error('json-feed: expected one items array, last in the serialised feed');
  }
  const item = feedText.slice(start + ITEMS_OPEN.length, feedText.length - ITEMS_CLOSE.length);
  if (!item.startsWith('{') || !item.endsWith('\n    }') || item.match(ITEM_END)?.length !== 1) {
    throw new Error('json-feed: expected exactly one item in the serialised feed');
  }
  return item;
}

/** The separator between items and the end of the document, encoded once. */
const ITEM_SEPARATOR_BYTES = Buffer.from(ITEM_SEPARATOR, 'utf8');
const ITEMS_CLOSE_BYTES = Buffer.from(ITEMS_CLOSE, 'utf8');

/**
 * What `serializeJsonFeed` writes for the feed of `emptyFeedText` (its serialisation with no
 * items) holding the items of `items` (each the UTF-8 of a `jsonFeedItemText`), in that order, as
 * UTF-8. Bytes in, bytes out: a build keeps items as bytes and writes the file as bytes; as
 * strings, a one-article rebuild of 1,000 decoded every kept item into one string of megabytes,
 * only to encode it again for the file.
 */
export function withJsonFeedItems(emptyFeedText: string, items: readonly Uint8Array[]): Uint8Array {
  // one copy of every byte into the file
  return Buffer.concat(jsonFeedPieces(emptyFeedText, items));
}

/** The same file as pieces to write one after another (the build writes them so, uncopied). */
export function jsonFeedPieces(emptyFeedText: string, items: readonly Uint8Array[]): Uint8Array[] {
  if (!emptyFeedText.endsWith(ITEMS_EMPTY)) throw new Error('json-feed: expected an empty items array, last in the serialised feed');
  if (!items.length) return [Buffer.from(emptyFeedText, 'utf8')];
  const parts: Uint8Array[] = [Buffer.from(emptyFeedText.slice(0, -ITEMS_EMPTY.length) + ITEMS_OPEN, 'utf8')];
  items.forEach((item, index) => {
    if (index) parts.push(ITEM_SEPARATOR_BYTES);
    parts.push(item);
  });
  parts.push(ITEMS_CLOSE_BYTES);
  return parts;
}
