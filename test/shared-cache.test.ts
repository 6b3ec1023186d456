/**
 * The shared cache (GALLEY_CACHE_URL): one contract that both backends pass, the folder and
 * S3 (against s3rver, a local S3-compatible server from npm that the tests start on a loopback
 * port), and builds on cold machines that take their PDFs from it instead of rendering them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import S3rver from 's3rver';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { decodeEntry, encodeEntry, folderCache, s3Cache, sharedCacheFrom, type SharedCache } from '../pipeline/queue/shared-cache.ts';
import { assertAsClean, SAMPLE, SECOND } from './command.ts';
import { tempContent } from './helpers.ts';
import { startBuild, stopAll, type Process } from './services.ts';

const KEY = 'ab'.padEnd(64, '0');
const OTHER = 'cd'.padEnd(64, '1');
const PDF = Buffer.from('%PDF-1.7\n…a whole PDF…\n%%EOF\n');

let server: S3rver | null = null;
let endpoint = '';
/** The credentials s3rver accepts, and its address: what a CI runner's environment would give. */
const s3Env = () => ({ AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' });

test.before(async () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-s3-'));
  server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: 'galley' }] });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
});

test.after(async () => {
  await stopAll();
  await server?.close();
});

/** The backends, each fresh: a folder, and a prefix of its own in the S3 bucket. */
const backends: Record<string, () => Promise<{ cache: SharedCache; damage: (kind: string, key: string, bytes: Uint8Array) => Promise<void> }>> = {
  folder: async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-shared-'));
    return {
      cache: folderCache(dir),
      damage: async (kind, key, bytes) => {
        fs.mkdirSync(path.join(dir, kind, key.slice(0, 2)), { recursive: true });
        fs.writeFileSync(path.join(dir, kind, key.slice(0, 2), key), bytes);
      },
    };
  },
  s3: async () => {
    const prefix = `ci/${Math.random().toString(36).slice(2)}`;
    const cache = await s3Cache('galley', prefix, s3Env());
    const client = new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    return {
      cache,
      damage: async (kind, key, bytes) => {
        await client.send(new PutObjectCommand({ Bucket: 'galley', Key: `${prefix}/${kind}/${key.slice(0, 2)}/${key}`, Body: bytes }));
      },
    };
  },
};

for (const [name, make] of Object.entries(backends)) {
  test(`${name} backend: an entry comes back as it was stored, with its warnings; a missing one is null`, async () => {
    const { cache } = await make();
    assert.is(await cache.get('pdf', KEY), null);
    await cache.put('pdf', KEY, { bytes: PDF, warnings: ['no glyph for U+1F600 in any font'] });
    const entry = await cache.get('pdf', KEY);
    assert.equal(Buffer.from(entry!.bytes), PDF);
    assert.equal(entry!.warnings, ['no glyph for U+1F600 in any font']);
    assert.is(await cache.get('pdf', OTHER), null);
    // the same key stored again (two machines rendered the same PDF) changes nothing
    await cache.put('pdf', KEY, { bytes: PDF, warnings: ['no glyph for U+1F600 in any font'] });
    assert.equal(Buffer.from((await cache.get('pdf', KEY))!.bytes), PDF);
    cache.close();
  });

  test(`${name} backend: an entry whose bytes do not hash as recorded is never given out (and is removed)`, async () => {
    const { cache, damage } = await make();
    await cache.put('pdf', KEY, { bytes: PDF, warnings: [] });
    const stored = encodeEntry({ bytes: PDF, warnings: [] });
    stored[stored.length - 3]! ^= 0xff;
    await damage('pdf', KEY, stored);
    assert.is(await cache.get('pdf', KEY), null);
    await damage('pdf', OTHER, Buffer.from('not an entry at all'));
    assert.is(await cache.get('pdf', OTHER), null);
    // removed: storing it anew works, and reads back whole
    await cache.put('pdf', KEY, { bytes: PDF, warnings: [] });
    assert.equal(Buffer.from((await cache.get('pdf', KEY))!.bytes), PDF);
    cache.close();
  });

  test(`${name} backend: a kind or key that is not Galley's own is refused, never made a path`, async () => {
    const { cache } = await make();
    for (const [kind, key] of [['pdf', '../../etc/passwd'], ['../pdf', KEY], ['pdf', KEY.toUpperCase()]] as const) {
      await cache.put(kind, key, { bytes: PDF, warnings: [] }).then(
        () => assert.unreachable(`${kind}/${key} was stored`),
        (error: Error) => assert.match(error.message, /not a cache key/),
      );
    }
    cache.close();
  });
}

test('an entry: the header names the SHA-256 and warnings; one changed byte anywhere and it does not decode', () => {
  const stored = encodeEntry({ bytes: PDF, warnings: ['a', 'b'] });
  assert.match(stored.subarray(0, stored.indexOf(10)).toString(), /^galley-shared 1 [0-9a-f]{64} \["a","b"\]$/);
  assert.equal(decodeEntry(stored), { bytes: PDF, warnings: ['a', 'b'] });
  for (const at of [20, stored.indexOf(10) + 1, stored.length - 1]) {
    const damaged = Buffer.from(stored);
    damaged[at]! ^= 1;
    assert.is(decodeEntry(damaged), null, `byte ${at}`);
  }
});

test('GALLEY_CACHE_URL picks the backend: s3://BUCKET/PREFIX, file:///PATH or a folder; anything else is refused', async () => {
  assert.is(await sharedCacheFrom({}), null);
  const s3 = await sharedCacheFrom({ GALLEY_CACHE_URL: 's3://galley/ci/edition', ...s3Env() });
  assert.is(s3!.shown, 's3://galley/ci/edition');
  s3!.close();
  assert.is((await sharedCacheFrom({ GALLEY_CACHE_URL: 'file:///tmp/galley-shared' }))!.shown, '/tmp/galley-shared');
  assert.is((await sharedCacheFrom({ GALLEY_CACHE_URL: '/tmp/galley-shared' }))!.shown, '/tmp/galley-shared');
  await sharedCacheFrom({ GALLEY_CACHE_URL: 'ftp://user:pw@host/x' }).then(
    () => assert.unreachable(),
    (error: Error) => {
      assert.match(error.message, /takes s3:\/\/BUCKET\/PREFIX/);
      assert.not.match(error.message, /pw/);
    },
  );
});

async function finished(build: Process): Promise<void> {
  const { status } = await build.exited;
  assert.is(status, 0, build.stderr());
}

for (const name of ['folder', 's3'] as const) {
  test(`a cold machine with the shared cache (${name}) takes the PDFs another machine rendered, and publishes the same edition`, async () => {
    const content = tempContent({ 'raw/kim.txt': SAMPLE, 'raw/markets.txt': SECOND });
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-runners-'));
    const url = name === 's3' ? `s3://galley/runners-${path.basename(work)}` : path.join(work, 'shared');
    const env = { GALLEY_CACHE_URL: url, ...(name === 's3' ? s3Env() : {}) };
    const build = (runner: string) => startBuild(['--content', content, '--out', path.join(work, runner, 'dist'), '--base-url', 'https://example.org/news/'], { ...env, GALLEY_CACHE_DIR: path.join(work, runner, 'cache') });
    const first = build('first');
    await finished(first);
    assert.match(first.stdout(), /2 PDFs rendered \(2 here\)/);
    const second = build('second');
    await finished(second);
    assert.match(second.stdout(), /2 PDFs rendered \(2 from the shared cache\)/);
    assertAsClean(path.join(work, 'second', 'dist'), content, work);
  });
}

test.run();
