/**
 * Images in an article's Markdown: what a source asks for (`![alt](photo.jpg "caption")`, with
 * its place in the file) and what the build found for it (the file in the content folder, its
 * bytes' hash, its size in pixels, where the edition publishes it). The engine resolves the one
 * into the other (engine/media.ts); the renderers only ever see resolved images.
 */
import type { Image, Root, RootContent } from 'mdast';

/** An image as a source writes it: its URL as remark reads it, and where it stands in the file (1-based). */
export interface ImageRef {
  readonly url: string;
  readonly line: number;
  readonly column: number;
  /** Whether it has a description (alt text) for readers who cannot see it. */
  readonly described: boolean;
}

/** The formats Galley publishes: JPEG and PNG everywhere, the others on the web only (PDFKit embeds JPEG and PNG). */
export const IMAGE_TYPES = {
  jpg: { mediaType: 'image/jpeg', name: 'JPEG', pdf: true },
  png: { mediaType: 'image/png', name: 'PNG', pdf: true },
  gif: { mediaType: 'image/gif', name: 'GIF', pdf: false },
  webp: { mediaType: 'image/webp', name: 'WebP', pdf: false },
  avif: { mediaType: 'image/avif', name: 'AVIF', pdf: false },
} as const;

export type ImageType = keyof typeof IMAGE_TYPES;

/** An image the build found and publishes. */
export interface ArticleImage {
  /** The URL as the source writes it (an mdast image's `url`): how the renderers find it. */
  readonly url: string;
  /** Its path in the edition: `media/STEM.HASH.EXT`, the hash of its bytes in the name (cacheable forever). */
  readonly path: string;
  /** A file holding exactly its bytes (the cache's copy during a build), which the PDF reads. */
  readonly file: string;
  /** SHA-256 of its bytes. */
  readonly hash: string;
  /** Its size as shown, in pixels (EXIF orientation applied). */
  readonly width: number;
  readonly height: number;
  readonly type: ImageType;
  /** Whether the PDF can carry it: JPEG and PNG, but not a CMYK JPEG (the PDF/A is in RGB). */
  readonly printable: boolean;
}

/**
 * Every image reference of `tree` turned into an image (`![alt][ref]` with `[ref]: photo.jpg`
 * becomes `![alt](photo.jpg)`), so that every stage sees one kind of node. A reference to no
 * definition stays what remark made of it.
 */
export function resolveImageReferences(tree: Root): Root {
  const definitions = new Map<string, { url: string; title: string | null | undefined }>();
  walk(tree, (node) => {
    if (node.type === 'definition' && !definitions.has(node.identifier)) definitions.set(node.identifier, { url: node.url, title: node.title });
  });
  if (definitions.size === 0) return tree;
  walk(tree, (node, parent, index) => {
    if (node.type !== 'imageReference') return;
    const definition = definitions.get(node.identifier);
    if (!definition) return;
    const image: Image = { type: 'image', url: definition.url, title: definition.title ?? null, alt: node.alt ?? '', ...(node.position ? { position: node.position } : {}) };
    parent.children[index] = image as never;
  });
  return tree;
}

/** The images of `tree` in reading order, with their places moved by `lineOffset` (where the body starts in the file). */
export function imageRefs(tree: Root, lineOffset: number): ImageRef[] {
  const refs: ImageRef[] = [];
  walk(tree, (node) => {
    if (node.type === 'image') refs.push({ url: node.url, line: (node.position?.start.line ?? 1) + lineOffset, column: node.position?.start.column ?? 1, described: (node.alt ?? '').trim() !== '' });
  });
  // in reading order: the first is the article's lead picture (its page's og:image)
  return refs.sort((a, b) => a.line - b.line || a.column - b.column);
}

type Parent = Root | Extract<RootContent, { children: unknown }>;

/** Visits every node below `tree` with its parent, without recursion (sources may nest deep). */
function walk(tree: Root, visit: (node: RootContent, parent: Parent, index: number) => void): void {
  const stack: Parent[] = [tree];
  while (stack.length) {
    const parent = stack.pop()!;
    const children = parent.children as RootContent[];
    for (let index = 0; index < children.length; index++) {
      visit(children[index]!, parent, index);
      const node = children[index]!;
      if ('children' in node) stack.push(node as Parent);
    }
  }
}
