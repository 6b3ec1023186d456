/**
 * What a build is given and gives back, and what its check hands to the rest of it
 * (build.ts → make-edition.ts).
 */
import type { Article } from '../model/article.ts';
import type { PdfRenderer, WorkerPool } from '../outputs/pdf/pool.ts';
import type { OutputCache } from './cache.ts';
import type { BuildReport } from './prepare.ts';
import type { SourceFile, SourceIndex } from './sources.ts';
import type { SweepReport } from './cache-sweep.ts';

export interface BuildRun {
  /** Called after each article's PDF is ready (rendered or reused). */
  onArticle?(done: number, total: number, article: Article): void;
  /** PDF workers started ahead of the build (startPdfWorkersEarly): adopted, or stopped. */
  readonly earlyWorkers?: WorkerPool | null;
  /**
   * Makes the renderer of the PDFs not in the cache, for `jobs` articles in the site's
   * `language`, by Galley `fingerprint` (a queue of remote workers, a shared cache in front).
   * Default: this machine's (pdfRendererFor), with the early workers.
   */
  readonly pdfRenderer?: (jobs: number, language: string, fingerprint: string) => Promise<PdfRenderer>;
}

export interface PublishReport extends BuildReport {
  /** True when the inputs and the output folder were as the last build left them: nothing was redone. */
  readonly unchanged: boolean;
  /** PDFs rendered this run, and reused from the cache. */
  readonly rendered: number;
  readonly reused: number;
  /** Files in the published edition. */
  readonly files: number;
  /** Milliseconds per stage. */
  readonly timings: Readonly<Record<string, number>>;
  /** Messages of a reused edition, as its build printed them. */
  readonly replayed: string;
  readonly counts: { readonly published: number; readonly drafts: number; readonly future: number; readonly warnings: number };
  /** What a sweep of the cache removed, when the build swept it (cache-sweep.ts). */
  readonly swept?: SweepReport;
}

/** Milliseconds per stage of a build, each lap added to the stage it ends. */
export class StageClock {
  readonly timings: Record<string, number> = {};
  #mark = performance.now();

  lap(stage: string): void {
    const now = performance.now();
    this.timings[stage] = (this.timings[stage] ?? 0) + (now - this.#mark);
    this.#mark = now;
  }
}

/** What the check found, handed to the rest of the build. */
export interface Checked {
  readonly fingerprint: string;
  /** The key of the inputs as checked (manifest.ts: inputKey); null when raw copy is to be ingested. */
  readonly key: string | null;
  readonly cache: OutputCache;
  /** Cached files found damaged (each is made again, and warned of). */
  readonly damaged: readonly string[];
  readonly sources: readonly SourceFile[];
  /** The index the sources were listed by: it takes in, once the edition is published, the sources it could not vouch for. */
  readonly sourceIndex: SourceIndex;
  readonly clock: StageClock;
}

