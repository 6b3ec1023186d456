/**
 * What a rebuild did to the output folder: every file's content hash by path before and after,
 * compared. The output folder is a plain folder, so this is what a mirror or a CDN would see
 * change (the edition mark `.galley-edition` included: it is a file the site serves like any).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';

/** Path (relative, `/`-separated) → sha1 of the bytes. */
export type Snapshot = ReadonlyMap<string, string>;

export function snapshot(dir: string): Snapshot {
  const hashes = new Map<string, string>();
  const walk = (folder: string, prefix: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const relative = prefix + entry.name;
      if (entry.isDirectory()) walk(path.join(folder, entry.name), `${relative}/`);
      else if (entry.isFile()) hashes.set(relative, createHash('sha1').update(fs.readFileSync(path.join(folder, entry.name))).digest('hex'));
    }
  };
  walk(dir, '');
  return hashes;
}

export interface FileChanges {
  readonly changed: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** changed + added + removed */
  readonly touched: number;
}

export function compare(before: Snapshot, after: Snapshot): FileChanges {
  const changed: string[] = [];
  const added: string[] = [];
  for (const [file, hash] of after) {
    const old = before.get(file);
    if (old === undefined) added.push(file);
    else if (old !== hash) changed.push(file);
  }
  const removed = [...before.keys()].filter((file) => !after.has(file));
  for (const list of [changed, added, removed]) list.sort();
  return { changed, added, removed, touched: changed.length + added.length + removed.length };
}
