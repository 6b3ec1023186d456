/**
 * The input limits, in one place (the README's "Input limits" lists them). Each is far above
 * what a newsroom writes and far below what would make a build's time or memory run away; each
 * is checked where the input is read, and a source past one is a located error naming the file.
 */

/** Largest raw file, in bytes (the longest wire stories are ~100 KB; a book is ~1 MB). */
export const MAX_RAW_BYTES = 8 * 1024 * 1024;

/** Largest Markdown source, in bytes: room for what ingest writes of the largest raw file (escapes add a little). */
export const MAX_SOURCE_BYTES = 2 * MAX_RAW_BYTES;

/** Longest paragraph, in characters (~10,000 words; a long news paragraph has 100). */
export const MAX_PARAGRAPH_LENGTH = 65_536;

/** Longest title, in characters (headlines have ~70; a page title, a PDF line and a feed item must hold it). */
export const MAX_TITLE_LENGTH = 300;

/** Most tags an article may carry: a topic page lists each article with all its tags, so tags × tags bounds its size. */
export const MAX_TAGS = 50;

/** Longest tag, in characters: a topic's name, not a sentence. */
export const MAX_TAG_LENGTH = 100;

/** Most columns a table may have: a page or a PDF column shows a dozen readably; a wider one is data, not copy. */
export const MAX_TABLE_COLUMNS = 40;

/** Largest image file, in bytes (a news photo is ~0.5 MB; a camera's original ~10 MB). */
export const MAX_IMAGE_BYTES = 32 * 1024 * 1024;

/** Most pixels an image may have: the PDF decodes a PNG whole (4 bytes a pixel), in a worker of bounded memory. */
export const MAX_IMAGE_PIXELS = 50_000_000;
