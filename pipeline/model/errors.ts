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

/** What the operating system said, for people: `no space left on device (ENOSPC)`. */
const REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EBUSY: 'busy (a mount point, or in use)',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  ENOENT: 'no such file or folder',
  EEXIST: 'already exists',
  ENOTEMPTY: 'folder not empty',
  EXDEV: 'on another file system',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

/** The errno code of a file-system error, if `error` is one. */
export function errnoCode(error: unknown): string | undefined {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** A file-system error as one short phrase (`read-only file system (EROFS)`); any other error, its first line. */
export function fsReason(error: unknown): string {
  const code = errnoCode(error);
  if (code) return `${REASONS[code] ?? (error as Error).message.replace(/^E[A-Z0-9]+: /, '').split(',')[0]} (${code})`;
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
}

/**
 * A file-system error as a GalleyError on the path, saying what was being done: reported as
 * `PATH: error: could not write into the cache: no space left on device (ENOSPC)`. A
 * GalleyError passes through as it is.
 */
export function fsFailure(doing: string, file: string, error: unknown, stage = 'publish'): GalleyError {
  if (error instanceof GalleyError) return error;
  return new GalleyError(`could not ${doing}: ${fsReason(error)}`, stage, file, undefined, { cause: error });
}
