/**
 * `--queue redis://[USER:PASSWORD@]HOST:PORT[/DB]` (or `rediss://` for TLS): the connection
 * options for BullMQ, and the URL as Galley prints it, the password masked. Nothing else in
 * Galley prints the URL.
 */

/** The name of the queue in Redis: one per kind of job, shared by every Galley that uses the same Redis. */
export const QUEUE_NAME = 'galley-pdf';

export interface RedisTarget {
  /** ioredis options for BullMQ (commands wait while Redis is away, as BullMQ requires). */
  readonly connection: { host: string; port: number; db: number; username?: string; password?: string; tls?: object; maxRetriesPerRequest: null };
  /** The URL with its password (if any) replaced by `***`: what messages show. */
  readonly shown: string;
}

/** Throws an Error naming the problem (the URL in it masked) when `text` is not a Redis URL. */
export function redisTarget(text: string): RedisTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`--queue takes a URL such as redis://127.0.0.1:6379/0; not ${maskRedisUrl(text)}`);
  }
  const shown = maskRedisUrl(text);
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new Error(`--queue takes a redis:// or rediss:// URL; not ${shown}`);
  if (!url.hostname) throw new Error(`--queue: ${shown} names no host`);
  const db = url.pathname.replace(/^\//, '');
  if (db && !/^\d+$/.test(db)) throw new Error(`--queue: the database in ${shown} is a number (redis://HOST:PORT/DB)`);
  return {
    connection: {
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port ? Number(url.port) : 6379,
      db: db ? Number(db) : 0,
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
      ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
      maxRetriesPerRequest: null,
    },
    shown,
  };
}

/** `text` with its credentials (whatever stands between `://` and `@`) replaced by `***`. */
export function maskRedisUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1***@');
}

/** `message` with every Redis URL in it masked (errors from below may quote the one they were given). */
export function maskUrlsIn(message: string): string {
  return message.replace(/rediss?:\/\/[^\s'"]+/gi, (url) => maskRedisUrl(url));
}
