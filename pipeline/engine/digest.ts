/**
 * Digests of inputs, for cache keys: a key is the sha256 of everything an output depends on, and
 * an input that every key shares (the site settings) is best given as its own digest, made once.
 */
import crypto from 'node:crypto';

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
