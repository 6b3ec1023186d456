/**
 * The pictures the edition's articles show, each published once under its hashed name (see
 * engine/media.ts, which found them and keeps their bytes in the cache): the file is copied as
 * the build found it, never made again.
 */
import { OUTPUTS } from '../registry.ts';
import type { ListOutput, PlannedFile } from '../edition.ts';

export const mediaOutput: ListOutput = {
  formats: [OUTPUTS.image],
  plan(edition) {
    const files = new Map<string, PlannedFile>();
    for (const article of edition.articles) {
      for (const image of article.images ?? []) {
        // one name, one content: the name carries the hash of the bytes
        if (files.has(image.path)) continue;
        files.set(image.path, { path: image.path, articles: [], render: () => ({ path: image.path, file: image.file }) });
      }
    }
    return [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  },
};
