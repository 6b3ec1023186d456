// The hash of everything in Galley that shapes its output: the code, the templates, the
// compiler settings and the exact dependency versions (fonts included, through the lockfile).
// One definition for two users: the launcher names its compiled bundle by it, and the build
// keys its cache by it, so any change to Galley both recompiles and invalidates every cached
// output. Plain JavaScript because the launcher runs before anything can compile TypeScript.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';

/**
 * @param {string} root the project folder (holding pipeline/, templates/, package-lock.json)
 * @returns {string} sha256, hex
 */
export function engineHash(root) {
  const files = [];
  for (const dir of ['pipeline', 'templates']) {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })) {
      if (entry.isFile()) files.push(path.join(entry.parentPath, entry.name));
    }
  }
  files.sort();
  files.push(path.join(root, 'tsconfig.json'), path.join(root, 'package-lock.json'));
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(path.relative(root, file)).update('\0');
    if (fs.existsSync(file)) hash.update(fs.readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}
