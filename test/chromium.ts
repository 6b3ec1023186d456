/**
 * Headless Chromium for the tests that read a page as a browser shows it (its text, its
 * contrast, its pictures): the binary, and a page's DOM as Chromium leaves it once its scripts ran.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';

/** The `chromium` on the PATH, or null where there is none (CI installs it: see .ci/run). */
export const chromium: string | null = (() => {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
})();

/**
 * The DOM of the HTML file `file` after its scripts ran (`--dump-dom`), in a window `width`
 * pixels wide, in dark mode when asked; a profile of its own, removed after.
 */
export async function dumpDom(file: string, { width = 1280, dark = false, timeBudgetMs = 20_000 }: { width?: number; dark?: boolean; timeBudgetMs?: number } = {}): Promise<string> {
  if (!chromium) throw new Error('chromium not found on PATH');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-chromium-'));
  try {
    const { stdout } = await promisify(execFile)(
      chromium,
      [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
        `--user-data-dir=${profile}`, `--window-size=${width},900`, `--virtual-time-budget=${timeBudgetMs}`,
        ...(dark ? ['--force-dark-mode'] : []),
        '--dump-dom', pathToFileURL(file).href,
      ],
      { maxBuffer: 64 * 1024 * 1024, timeout: 90_000 },
    );
    return stdout;
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}
