/**
 * What every renderer receives: the articles of this edition and the site they belong to.
 * Renderers are pure: (articles, edition) → data. They never touch the disk or the clock; the
 * publish step alone writes the output folder.
 */
import fs from 'node:fs';
import type { Article } from '../model/article.ts';
import type { SiteSettings } from '../model/site.ts';

export interface Edition {
  /** Site settings with the final base URL (flag, SITE_URL or site.yaml). */
  readonly site: SiteSettings;
  /** The published articles, newest first. */
  readonly articles: readonly Article[];
  /** Byte size of each article's PDF, by slug: PDFs render first so pages and feeds can state it. */
  readonly pdfBytes: ReadonlyMap<string, number>;
}

/**
 * One file of the output folder: a path relative to it (POSIX separators) and its bytes, or a
 * file that already holds them (a cached rendering, linked into the edition as it is), with its
 * stat when the cache took one to find it (publishing then needs no other), or the promise of
 * its being written when that is still under way (the file is not to be read before).
 */
export type OutputFile =
  | { readonly path: string; readonly data: FileContent }
  | { readonly path: string; readonly file: string; readonly stat?: fs.Stats; readonly written?: Promise<void> };

/**
 * A file of the edition, made when asked for. It names the articles whose PDF size it states, so
 * a build can make it as soon as those are known: while the one PDF an edit needs is still
 * rendering, the topic pages and feeds that do not show that article are made already.
 */
export interface PlannedFile {
  readonly path: string;
  /** The articles whose PDF it links with its size (in `Edition.pdfBytes` when it is made). */
  readonly articles: readonly Article[];
  render(): OutputFile;
}

/** The bytes of an output, read from its file when it is a cached one. */
export function outputData(file: OutputFile): string | Uint8Array {
  return 'data' in file ? joined(file.data) : fs.readFileSync(file.file);
}

/**
 * Remembers renderings across builds: each method returns what `render` returned for the same
 * kind and inputs before, or calls it. The inputs must name everything the result depends on;
 * the build's memo adds Galley's own fingerprint. Renderers work without one.
 */
export interface RenderMemo {
  /**
   * A small rendering as its UTF-8 bytes, for a piece that is only ever spliced into a file (a
   * feed item, a teaser): a rebuild then copies the bytes it kept instead of decoding them into
   * a string and encoding the file again.
   */
  bytes(kind: string, inputs: readonly unknown[], render: () => string): Uint8Array;
  /** A whole output file, kept as a file between builds. */
  output(path: string, kind: string, inputs: readonly unknown[], render: () => FileContent): OutputFile;
}

/**
 * A file's content: text, bytes, or bytes in pieces. Pieces are written as they are (a feed of
 * 1,000 kept items is ~5 MB: joining the pieces first cost more than writing them).
 */
export type FileContent = string | Uint8Array | readonly Uint8Array[];

/** The content as one string or byte array. */
export function joined(content: FileContent): string | Uint8Array {
  return typeof content === 'string' || content instanceof Uint8Array ? content : Buffer.concat(content);
}

export const noMemo: RenderMemo = {
  bytes: (_kind, _inputs, render) => Buffer.from(render(), 'utf8'),
  output: (path, _kind, _inputs, render) => ({ path, data: joined(render()) }),
};
