/**
 * A source-reading worker thread (source-readers.ts): reads one Markdown source into an article,
 * then makes what that article alone makes of the build's outputs, recorded for the build to keep.
 */
import { keptArticle, readArticle, type Article } from '../model/article.ts';
import { Diagnostics, GalleyError, messageRecords, type MessageRecord, type Place } from '../model/diagnostics.ts';
import { articleSettings, type SiteSettings } from '../model/site.ts';
import { joined, makeAlone, type ArticleOutput, type FileContent, type ListOutput, type RenderMemo } from '../outputs/edition.ts';
import type { OutputFamily } from '../outputs/registry.ts';
import { articlePageOutput } from '../outputs/web/html.ts';
import { feedsOutput } from '../outputs/feeds/feeds.ts';

/** A source to read, with the settings it is read under and the output families the build makes. */
export interface ReadJob {
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly site: SiteSettings;
  readonly formats: readonly OutputFamily[];
}

/** A rendering the worker made through the memo: a whole file (with its path) or a piece of one. */
export type MadePiece = { readonly kind: string; readonly inputs: readonly unknown[] } & ({ readonly path: string; readonly content: FileContent } | { readonly text: string });

/** What a worker made of a source. */
export interface ReadResult {
  /** The article without its body (read again when an output needs it), or null when the source has an error. */
  readonly article: Omit<Article, 'body'> | null;
  readonly messages: readonly MessageRecord[];
  readonly made: readonly MadePiece[];
  /** A source that could not be read at all (a GalleyError, which does not cross threads as itself). */
  readonly failure?: { readonly file: string | undefined; readonly message: string; readonly place: Place | undefined; readonly stage: string };
}

/**
 * The outputs of outputs.ts that an article alone makes something of (test/architecture.test.ts
 * checks that none is missing), imported here and not through outputs.ts: a worker thread's
 * dynamic import of a TypeScript module fails when the code runs through tsx on Node 20.
 */
export const WORKER_OUTPUTS: { readonly article: readonly ArticleOutput[]; readonly pieces: readonly ListOutput[] } = {
  article: [articlePageOutput],
  pieces: [feedsOutput],
};

export default function readJob(job: ReadJob): ReadResult {
  const diagnostics = new Diagnostics();
  let article: Article | null;
  try {
    article = readArticle(job.path, Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength), articleSettings(job.site), diagnostics);
  } catch (error) {
    if (!(error instanceof GalleyError)) throw error;
    return { article: null, messages: messageRecords(diagnostics, job.path), made: [], failure: { file: error.file, message: error.message, place: error.place, stage: error.stage } };
  }
  const messages = messageRecords(diagnostics, job.path);
  if (!article) return { article: null, messages, made: [] };
  const made: MadePiece[] = [];
  // An article with pictures is made in the build: their files are found there (engine/media.ts).
  if (!article.imageRefs?.length) {
    makeAlone(article, job.site, recording(made), {
      article: WORKER_OUTPUTS.article.filter((output) => job.formats.includes(output.format.family)),
      pieces: WORKER_OUTPUTS.pieces.filter((output) => output.formats.some((format) => job.formats.includes(format.family))),
    }, null);
  }
  return { article: keptArticle(article), messages, made };
}

/** A memo that makes everything and records it, with the inputs it was made from. */
function recording(made: MadePiece[]): RenderMemo {
  return {
    bytes(kind, inputs, render) {
      const text = render();
      made.push({ kind, inputs, text });
      return Buffer.from(text, 'utf8');
    },
    output(path, kind, inputs, render) {
      const content = joined(render());
      made.push({ kind, inputs, path, content });
      return { path, data: content };
    },
  };
}
