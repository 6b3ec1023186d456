/**
 * Digests of inputs, for cache keys: a key is the sha256 of everything an output depends on, and
 * an input that every key shares (the site settings) is best given as its own digest, made once.
 */
import { createHash } from 'node:crypto';

/** sha256 of a JSON-serialisable value. */
export function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

const digests = new WeakMap<object, string>();

/**
 * The digest of an object that is never changed once made (the site settings), made once per
 * object: thousands of keys in a build name the site, and serialising it into each of them was
 * a tenth of a one-article rebuild.
 */
export function digestOf(value: object): string {
  let made = digests.get(value);
  if (made === undefined) {
    made = digest(value);
    digests.set(value, made);
  }
  return made;
}
