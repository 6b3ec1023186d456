/**
 * Digests of inputs, for cache keys: a key is the sha256 of everything an output depends on, and
 * an input that every key shares (the site settings) is best given as its own digest, made once.
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';

/**
 * sha256 of a text, in hex. Node's one-shot `crypto.hash` (20.12 and later) is several times
 * faster than a Hash object for the short texts of cache keys, of which a build makes ~10,000;
 * older Node 20 releases get the Hash object.
 */
export const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text, 'hex') : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** sha256 of a JSON-serialisable value. */
export function digest(value: unknown): string {
  return sha256Hex(JSON.stringify(value));
}

const digests = new WeakMap<object, string>();

/**
 * The digest of an object that is never changed once made (the site settings), made once per
 * object: thousands of keys in a build name the site, and serialising it into each of them
 * would cost more than the rest of a key.
 */
export function digestOf(value: object): string {
  let made = digests.get(value);
  if (made === undefined) {
    made = digest(value);
    digests.set(value, made);
  }
  return made;
}

/** sha256 of bytes, or of bytes in pieces (hashed one after another, never joined), in hex. */
export function sha256Of(content: Uint8Array | readonly Uint8Array[]): string {
  const hash = crypto.createHash('sha256');
  if (content instanceof Uint8Array) hash.update(content);
  else for (const piece of content) hash.update(piece);
  return hash.digest('hex');
}

/** zlib's CRC-32 (Node 20.15 and later), else the same sum in JavaScript. */
export const crc32: (data: Uint8Array, value?: number) => number = typeof zlib.crc32 === 'function' ? zlib.crc32 : crc32InJs;

let CRC_TABLE: Uint32Array | null = null;
function crc32InJs(data: Uint8Array, value = 0): number {
  const table = (CRC_TABLE ??= Uint32Array.from({ length: 256 }, (_, n) => {
    for (let bit = 0; bit < 8; bit++) n = n & 1 ? 0xedb88320 ^ (n >>> 1) : n >>> 1;
    return n >>> 0;
  }));
  let crc = ~value >>> 0;
  for (const byte of data) crc = table[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}
