/**
 * A cache of rendered outputs shared between machines (CI runners that start cold, the
 * coordinator and its workers): `GALLEY_CACHE_URL=s3://BUCKET/PREFIX` (any S3-compatible store;
 * the SDK's own variables give the endpoint, region and credentials) or a folder
 * (`file:///PATH`, or a plain path). An entry is stored under the same key as the local cache
 * stores it (the hash of every input and of Galley's fingerprint), with a one-line header naming
 * the SHA-256 of its bytes and its renderer's warnings; it is verified on every read, and one
 * that does not verify is treated as missing (and, in a folder, removed).
 *
 * The build still publishes from its local cache: the shared one only spares a render.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256Of } from '../engine/digest.ts';
import { warningsFrom } from '../engine/cache.ts';

/** One rendered output, as the shared cache gives it back. */
export interface SharedEntry {
  readonly bytes: Uint8Array;
  readonly warnings: readonly string[];
}

/** Storage of rendered outputs by kind and key; every backend passes the same contract tests (test/shared-cache.test.ts). */
export interface SharedCache {
  /** Where it is, for messages (no credentials: they come from the environment). */
  readonly shown: string;
  /** The entry, verified against its hash; null when there is none or it does not verify. */
  get(kind: string, key: string): Promise<SharedEntry | null>;
  /** Stores an entry; storing the same key twice is harmless (same key, same bytes). */
  put(kind: string, key: string, entry: SharedEntry): Promise<void>;
  close(): void;
}

const HEADER = 'galley-shared 1';

/** An entry as stored: `galley-shared 1 SHA256 WARNINGS-JSON\n` then the bytes. */
export function encodeEntry(entry: SharedEntry): Buffer {
  return Buffer.concat([Buffer.from(`${HEADER} ${sha256Of(entry.bytes)} ${JSON.stringify(entry.warnings)}\n`), entry.bytes]);
}

/** The entry in `stored`, or null when it is not one or its bytes do not hash as its header says. */
export function decodeEntry(stored: Uint8Array): SharedEntry | null {
  const buffer = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  const end = buffer.indexOf(10);
  if (end < 0) return null;
  const match = /^galley-shared 1 ([0-9a-f]{64}) (.*)$/.exec(buffer.subarray(0, end).toString('utf8'));
  if (!match) return null;
  const bytes = buffer.subarray(end + 1);
  if (sha256Of(bytes) !== match[1]) return null;
  const warnings = warningsFrom(match[2]!);
  return warnings ? { bytes, warnings } : null;
}

/** Keys and kinds are Galley's own (hex, and names such as `article.pdf`); anything else is refused rather than joined into a path. */
function objectName(kind: string, key: string): string {
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(kind) || !/^[0-9a-f]{64}$/.test(key)) throw new Error(`shared cache: not a cache key: ${kind}/${key}`);
  return `${kind}/${key.slice(0, 2)}/${key}`;
}

/** The folder backend: write then rename, so a reader on another machine never sees half an entry. */
export function folderCache(dir: string): SharedCache {
  const root = path.resolve(dir);
  return {
    shown: root,
    async get(kind, key) {
      const file = path.join(root, objectName(kind, key));
      let stored: Buffer;
      try {
        stored = await fs.promises.readFile(file);
      } catch {
        return null;
      }
      const entry = decodeEntry(stored);
      if (!entry) await fs.promises.rm(file, { force: true });
      return entry;
    },
    async put(kind, key, entry) {
      const file = path.join(root, objectName(kind, key));
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      try {
        await fs.promises.writeFile(temporary, encodeEntry(entry));
        await fs.promises.rename(temporary, file);
      } catch (error) {
        await fs.promises.rm(temporary, { force: true });
        throw error;
      }
    },
    close() {},
  };
}

/**
 * The S3 backend: one object per entry under `PREFIX/KIND/XX/KEY`. The endpoint (a local or
 * other S3-compatible store), region and credentials come from the SDK's usual sources
 * (AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID, …); with an endpoint
 * of its own, addressing is by path (what most S3-compatible stores need).
 */
export async function s3Cache(bucket: string, prefix: string, env: NodeJS.ProcessEnv = process.env): Promise<SharedCache> {
  const { S3Client, GetObjectCommand, PutObjectCommand, DeleteObjectCommand } = await import('@aws-sdk/client-s3');
  const endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  // keys given in `env` (the SDK itself reads process.env; a test or a caller may pass its own); else the SDK's chain (profiles, roles)
  const credentials = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY ? { credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) } } : {};
  const client = new S3Client({ region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1', ...credentials, ...(endpoint ? { endpoint, forcePathStyle: true } : {}) });
  const base = prefix.replace(/^\/+|\/+$/g, '');
  const objectKey = (kind: string, key: string) => (base ? `${base}/${objectName(kind, key)}` : objectName(kind, key));
  return {
    shown: `s3://${bucket}/${base}`,
    async get(kind, key) {
      let stored: Uint8Array;
      try {
        const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey(kind, key) }));
        if (!answer.Body) return null;
        stored = await answer.Body.transformToByteArray();
      } catch (error) {
        if ((error as { name?: string }).name === 'NoSuchKey' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return null;
        throw error;
      }
      const entry = decodeEntry(stored);
      if (!entry) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(kind, key) })).catch(() => {});
      return entry;
    },
    async put(kind, key, entry) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: objectKey(kind, key), Body: encodeEntry(entry), ContentType: 'application/octet-stream' }));
    },
    close() {
      client.destroy();
    },
  };
}

/** The shared cache `GALLEY_CACHE_URL` names, or null without one. Throws on a URL it cannot use. */
export async function sharedCacheFrom(env: NodeJS.ProcessEnv = process.env): Promise<SharedCache | null> {
  const text = env.GALLEY_CACHE_URL?.trim();
  if (!text) return null;
  if (text.startsWith('s3://')) {
    const url = new URL(text);
    if (!url.hostname) throw new Error(`GALLEY_CACHE_URL=${text}: s3://BUCKET/PREFIX names no bucket`);
    return s3Cache(url.hostname, decodeURIComponent(url.pathname), env);
  }
  if (text.startsWith('file://')) return folderCache(fileURLToPath(text));
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) throw new Error(`GALLEY_CACHE_URL takes s3://BUCKET/PREFIX, file:///PATH or a folder; not ${text.replace(/\/\/[^@/]*@/, '//***@')}`);
  return folderCache(text);
}
