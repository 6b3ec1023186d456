/**
 * The only writer of the output folder. A new edition is written into a staging folder beside
 * the output folder and swapped in only when complete; on any failure or interruption the
 * staging folder is removed and the previous edition stays exactly as it was.
 */
import fs from 'node:fs';
import path from 'node:path';
import { GalleyError } from './diagnostics.ts';
import type { OutputFile } from './outputs/edition.ts';

const STAGING_MARK = '.staging-';
const RETIRED_MARK = '.retired-';

/** Is process `pid` still running? (a staging folder of a dead build is debris) */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes staging folders left by builds that were killed outright (SIGKILL, power loss). */
function sweepDebris(parent: string, base: string): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(parent);
  } catch {
    return;
  }
  for (const name of entries) {
    for (const mark of [STAGING_MARK, RETIRED_MARK]) {
      const prefix = `.${base}${mark}`;
      if (!name.startsWith(prefix)) continue;
      const pid = Number(name.slice(prefix.length).split('-')[0]);
      if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
    }
  }
}

export class Staging {
  readonly #outDir: string;
  readonly #dir: string;
  /** Folders made or being made: one mkdir per folder, not per file. */
  readonly #folders = new Map<string, Promise<void>>();
  /** Writes and links under way. */
  readonly #pending: Promise<void>[] = [];
  #done = false;

  private constructor(outDir: string, dir: string) {
    this.#outDir = outDir;
    this.#dir = dir;
  }

  /** Opens a staging folder next to `outDir` (same file system, so the swap is a rename). */
  static open(outDir: string): Staging {
    const parent = path.dirname(outDir);
    const base = path.basename(outDir);
    fs.mkdirSync(parent, { recursive: true });
    sweepDebris(parent, base);
    const dir = fs.mkdtempSync(path.join(parent, `.${base}${STAGING_MARK}${process.pid}-`));
    return new Staging(outDir, dir);
  }

  get dir(): string {
    return this.#dir;
  }

  /** Absolute path for an output path; refuses anything that would land outside the edition. */
  resolve(outputPath: string): string {
    const normal = path.posix.normalize(outputPath);
    if (!outputPath || path.posix.isAbsolute(outputPath) || normal.startsWith('../') || normal === '..' || outputPath.includes('\0') || outputPath.includes('\\')) {
      throw new GalleyError(`refusing to write ${JSON.stringify(outputPath)}: outside the output folder`, 'publish');
    }
    const target = path.join(this.#dir, normal);
    if (!target.startsWith(this.#dir + path.sep)) throw new GalleyError(`refusing to write ${JSON.stringify(outputPath)}: outside the output folder`, 'publish');
    return target;
  }

  #folder(folder: string): Promise<void> {
    if (folder === this.#dir) return Promise.resolve();
    let made = this.#folders.get(folder);
    if (!made) {
      made = this.#folder(path.dirname(folder)).then(() => fs.promises.mkdir(folder));
      this.#folders.set(folder, made);
    }
    return made;
  }

  /**
   * Files go in on libuv's threads, while the build goes on rendering: a 1,000-article edition
   * is ~3,000 links and folders, a fifth of a one-article rebuild when made one by one in this
   * thread. `commit` waits for them all; the first failure fails the commit.
   */
  #queue(target: string, put: () => Promise<void>): void {
    const done = this.#folder(path.dirname(target)).then(put);
    // a failure is reported by commit(); until then it must not go unhandled
    done.catch(() => {});
    this.#pending.push(done);
  }

  write(outputPath: string, data: string | Uint8Array): void {
    const target = this.resolve(outputPath);
    this.#queue(target, () => fs.promises.writeFile(target, data, { flag: 'wx' }));
  }

  /** Puts an existing file (a cached PDF) into the edition: a hard link when possible, else a copy. */
  place(outputPath: string, file: string): void {
    const target = this.resolve(outputPath);
    this.#queue(target, () => fs.promises.link(file, target).catch(() => fs.promises.copyFile(file, target, fs.constants.COPYFILE_EXCL)));
  }

  /** Adds an output: its bytes written, or its cached file linked. */
  add(output: OutputFile): void {
    if ('file' in output) this.place(output.path, output.file);
    else this.write(output.path, output.data);
  }

  /**
   * Swaps the staged edition in, once every file is in place: the old one is renamed aside,
   * then removed. The swap is done when the returned promise settles; the removal runs on
   * libuv's threads while the build finishes its bookkeeping (a 1,000-article edition took a
   * quarter of a second to delete), and `retired` settles when the old edition is gone: await
   * it before the process ends, so no debris stays.
   */
  async commit(): Promise<{ readonly retired: Promise<void> }> {
    if (this.#done) return { retired: Promise.resolve() };
    await Promise.all(this.#pending);
    const parent = path.dirname(this.#outDir);
    const retired = `${path.join(parent, `.${path.basename(this.#outDir)}${RETIRED_MARK}`)}${path.basename(this.#dir).split(STAGING_MARK)[1]}`;
    let hadPrevious = false;
    if (fs.existsSync(this.#outDir)) {
      fs.renameSync(this.#outDir, retired);
      hadPrevious = true;
    }
    try {
      fs.renameSync(this.#dir, this.#outDir);
    } catch (error) {
      if (hadPrevious) fs.renameSync(retired, this.#outDir);
      throw new GalleyError(`could not publish into ${this.#outDir}`, 'publish', this.#outDir, undefined, { cause: error });
    }
    this.#done = true;
    return { retired: hadPrevious ? fs.promises.rm(retired, { recursive: true, force: true }) : Promise.resolve() };
  }

  /** Throws the staged edition away, once the writes under way have ended; the previous one is untouched. */
  async abort(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    await Promise.allSettled(this.#pending);
    fs.rmSync(this.#dir, { recursive: true, force: true });
  }

  /**
   * The same, at once, for a process about to exit (Ctrl-C): a write still under way may keep
   * the folder from going, and then the next build sweeps it (its owner is no longer running).
   */
  abortNow(): void {
    if (this.#done) return;
    this.#done = true;
    try {
      fs.rmSync(this.#dir, { recursive: true, force: true });
    } catch {
      // left for sweepDebris
    }
  }
}
