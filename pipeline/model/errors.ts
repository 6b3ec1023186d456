/**
 * The pipeline's error type, in a module of its own: the PDF workers throw it too, and they
 * should not load the diagnostics machinery (vfile) to do so.
 */

export interface Place {
  readonly line: number;
  readonly column: number;
}

/** One error type for the whole pipeline: the stage that failed, the file, and the cause. */
export class GalleyError extends Error {
  constructor(
    message: string,
    readonly stage: string,
    readonly file?: string,
    readonly place?: Place,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'GalleyError';
  }
}
