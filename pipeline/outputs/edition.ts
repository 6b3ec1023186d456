/**
 * What every output receives (the articles of this edition, the site they belong to, the PDF
 * sizes it declared) and the two shapes an output takes: one made per article, one made from the
 * edition's list of articles. Outputs never write the output folder or read the clock: they
 * return bytes (or a cached file) and the publish step alone writes. The files they read are
 * Galley's own (templates, the stylesheet), never content outside the edition.
 */
import fs from 'node:fs';
import { sourceKey, type Article } from '../model/article.ts';
import { pageSettings, type PageSettings, type SiteSettings } from '../model/site.ts';
import { digestOf } from '../engine/digest.ts';
import type { OutputFormat } from './registry.ts';

/**
 * An edition as an article's own outputs see it (its page, its teasers, its feed items): the site
 * as PageSettings, without how the lists are cut, which their keys leave out.
 */
export interface ArticleEdition {
  readonly site: PageSettings;
  /** The published articles, newest first. */
  readonly articles: readonly Article[];
  /**
   * Byte size of each article's PDF, by slug: PDFs render first so pages and feeds can state it.
   * In a build, an output may read only the sizes it declared (see PlannedFile.articles): any
   * other is an error, never a silently missing enclosure.
   */
  readonly pdfBytes: ReadonlyMap<string, number>;
}

export interface Edition extends ArticleEdition {
  /** Site settings with the final base URL (flag, SITE_URL or site.yaml). */
  readonly site: SiteSettings;
}

/**
 * One file of the output folder: a path relative to it (POSIX separators) and its bytes, or a
 * file that already holds them (a cached rendering, copied into the edition as it is), with its
 * size when the cache took a stat to find it (publishing then needs no other), or the promise of
 * its being written when that is still under way (the file is not to be read before). Or a
 * cached file not looked at, because the spare edition holds a copy of it (engine/publish.ts):
 * `otherwise` gives the file as above, should that copy turn out touched.
 */
export type OutputFile =
  | { readonly path: string; readonly data: FileContent }
  | { readonly path: string; readonly file: string; readonly stat?: { readonly size: number }; readonly written?: Promise<void> }
  | { readonly path: string; readonly file: string; readonly otherwise: () => OutputFile };

/**
 * A file of the edition, made when asked for. It names the articles whose PDF size it states, so
 * a build can make it as soon as those are known: while the one PDF an edit needs is still
 * rendering, the topic pages and feeds that do not show that article are made already.
 */
export interface PlannedFile {
  readonly path: string;
  /** The articles whose PDF size it states: the only ones it may read from `Edition.pdfBytes`. */
  readonly articles: readonly Article[];
  render(): OutputFile;
}

/** An output made once per article, such as its page (the PDF renders on workers: see engine/pdf-queue.ts). */
export interface ArticleOutput {
  readonly format: OutputFormat<'article'>;
  /**
   * What it shows of the rest of the edition (JSON-serialisable), beyond the article, the site
   * and the article's PDF size: part of its cache key, so it must name all of it.
   */
  dependencies(article: Article, edition: ArticleEdition): unknown;
  /** Its bytes; it may read the PDF size of `article` and of no other. */
  render(article: Article, edition: ArticleEdition): FileContent;
}

/**
 * The cache inputs of an article output's file: the site, the article, what the output declared
 * it shows of the edition, and the article's PDF size (null without a PDF).
 */
export function articleOutputInputs(output: ArticleOutput, article: Article, edition: ArticleEdition, pdfBytes: number | null): unknown[] {
  return [pageSettingsDigest(edition.site), sourceKey(article), output.dependencies(article, edition), pdfBytes];
}

/** The site as an article's own outputs see it (PageSettings), digested: the first of the cache inputs of its page, teasers and feed items. */
export function pageSettingsDigest(site: PageSettings): string {
  return digestOf(pageSettings(site));
}

/**
 * What `article` makes by itself, into `memo`: its own files (`outputs.article`) and its pieces of
 * the lists (`outputs.pieces`), as an edition of that article alone shows them (its related
 * titles link no other article), stating its PDF's size when it has one. Made while its body is
 * at hand, ahead of the edition (a reading worker; a build once the article's PDF is made): the
 * edition's file has the same cache inputs, and is found in the memo then, unless a related title
 * links another article.
 */
export function makeAlone(article: Article, site: SiteSettings, memo: RenderMemo, outputs: { readonly article: readonly ArticleOutput[]; readonly pieces: readonly ListOutput[] }, pdfSize: number | null): void {
  const alone: Edition = { site, articles: [], pdfBytes: new Map(pdfSize === null ? [] : [[article.slug, pdfSize]]) };
  for (const output of outputs.article) memo.output(output.format.path(article.slug), output.format.name, articleOutputInputs(output, article, alone, pdfSize), () => output.render(article, alone));
  for (const output of outputs.pieces) output.articlePieces?.(article, site, memo, alone.pdfBytes);
}

/** Outputs made from the edition's list of articles: front and topic pages, feeds, the sitemap. */
export interface ListOutput {
  readonly formats: readonly OutputFormat[];
  /** Its files, each made when the build asks (once the PDF sizes it declared are known). */
  plan(edition: Edition, memo: RenderMemo): PlannedFile[];
  /**
   * The pieces of its files that one article makes alone (a feed's item), into `memo`, while the
   * article's body is at hand (a build does not keep bodies): for an edition without PDFs as the
   * article is read (by a worker, or this thread the same way), in a build with PDFs once its PDF
   * size is known (`pdfBytes`, which has it). `plan`'s files then find them in the memo.
   */
  articlePieces?(article: Article, site: PageSettings, memo: RenderMemo, pdfBytes?: ReadonlyMap<string, number>): void;
}

/** The bytes of an output, read from its file when it is a cached one. */
export function outputData(file: OutputFile): string | Uint8Array {
  if ('otherwise' in file) return outputData(file.otherwise());
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
  /**
   * Keeps what `bytes` made for the same kind and inputs before, without reading it: for a piece
   * of a file taken whole from the memo, needed again the day that file is made anew.
   */
  keep?(kind: string, inputs: readonly unknown[]): void;
  /**
   * Runs `keeps` (calls of `keep`) only if and when the memo needs to know what is kept (when it
   * rewrites its store, after the build's outputs are made): by then `keeps` may read nothing
   * that is readable only while an output is made, such as PDF sizes.
   */
  keepLater?(keeps: () => void): void;
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

/** Runs `keeps` (calls of `keep`) when `memo` asks for them (keepLater), or at once with a memo that cannot wait. */
export function keepWhenAsked(memo: RenderMemo, keeps: () => void): void {
  if (memo.keepLater) memo.keepLater(keeps);
  else keeps();
}

export const noMemo: RenderMemo = {
  bytes: (_kind, _inputs, render) => Buffer.from(render(), 'utf8'),
  output: (path, _kind, _inputs, render) => ({ path, data: joined(render()) }),
};
