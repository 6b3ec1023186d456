/**
 * Preloaded by `npm test` (`--import`): every temporary folder of the run goes into one folder
 * of its own, removed when the run ends. The tests make thousands (a content folder, an output
 * folder and a cache per build they run, and the builds' own), each through `os.tmpdir()`, which
 * reads TMPDIR when called; the builds, servers and browsers the tests start inherit it.
 * A run killed outright leaves its one folder behind (`galley-tests-*` in the system's).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-tests-'));
process.env.TMPDIR = root;
process.on('exit', () => {
  try {
    fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  } catch (error) {
    console.error(`could not remove the tests' temporary folder ${root}: ${error instanceof Error ? error.message : String(error)}`);
  }
});
