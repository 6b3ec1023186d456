/**
 * The local servers as a reader's browser meets them: `npm run preview` and `npm run dev` started
 * as the real commands on 127.0.0.1 (a free port), sent requests no browser would send, and
 * still serving afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempContent } from './helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

interface Started {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the command printed so far. */
  output(): string;
}

/** Starts `npm run COMMAND -- ARGS` (the launcher, minus npm) and waits for the URL it serves at. */
function start(command: 'preview' | 'dev', args: string[], env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, [path.join(ROOT, 'pipeline', 'cli', 'launch.mjs'), command, ...args], {
    cwd: ROOT,
    env: { ...process.env, CI: '1', SOURCE_DATE_EPOCH: '1735689600', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${command} did not start serving in 120 s:\n${output}`));
    }, 120_000);
    const listen = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const url = /serving .* at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1];
      if (!url) return;
      clearTimeout(timer);
      resolve({ url, child, output: () => output });
    };
    child.stdout.on('data', listen);
    child.stderr.on('data', listen);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code}) before serving:\n${output}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** One GET, bounded in time: a server that is gone or hangs fails the test instead of the run. */
function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers, timeout: 10_000, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url}: no answer in 10 s`)));
    request.on('error', reject);
  });
}

/** Every hostile Range on `file` (a URL of a file larger than 500 bytes), then proof the server still serves. */
async function assertRangesAnswered(server: Started, file: string): Promise<void> {
  const whole = await get(file);
  assert.is(whole.status, 200);
  const size = whole.body.length;
  assert.ok(size > 500, `${file} is long enough for the ranges below (${size} bytes)`);

  for (const range of ['bytes=500-100', 'bytes=5-1e3', 'bytes=abc-', 'bytes=-', `bytes=${size}-`, 'bytes=99999999999999999999-']) {
    const answer = await get(file, { Range: range });
    assert.is(answer.status, 416, `${range}: Range Not Satisfiable`);
    assert.is(answer.headers['content-range'], `bytes */${size}`, `${range}: the answer states the size`);
    assert.is((await get(server.url)).status, 200, `${range}: the server still serves`);
  }
  // a last byte past the end (even past 2^53) is the end (RFC 9110 14.1.1)
  const toTheEnd = await get(file, { Range: 'bytes=0-9007199254740992' });
  assert.is(toTheEnd.status, 206);
  assert.is(toTheEnd.headers['content-range'], `bytes 0-${size - 1}/${size}`);
  assert.ok(toTheEnd.body.equals(whole.body));
  // a valid range is served exactly
  const part = await get(file, { Range: 'bytes=10-19' });
  assert.is(part.status, 206);
  assert.is(part.headers['content-range'], `bytes 10-19/${size}`);
  assert.ok(part.body.equals(whole.body.subarray(10, 20)));
  // what the server does not serve as ranges (several, a suffix, another unit) gets the whole file
  for (const range of ['bytes=0-1,4-5', 'bytes=-5', 'items=0-1']) {
    const answer = await get(file, { Range: range });
    assert.is(answer.status, 200, range);
    assert.ok(answer.body.equals(whole.body), range);
  }
  assert.is(server.child.exitCode, null, `the server is still running:\n${server.output()}`);
}

test('npm run preview answers a malformed Range with 416 and keeps serving', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-preview-'));
  fs.writeFileSync(path.join(out, 'index.html'), '<!doctype html><title>Front page</title><p>Front page.</p>\n');
  fs.writeFileSync(path.join(out, 'style.css'), `/* ${'x'.repeat(2000)} */\n`);
  const server = await start('preview', ['--out', out, '--port', '0']);
  try {
    await assertRangesAnswered(server, new URL('style.css', server.url).href);
    // HTML pages too, when sirv serves them
    const page = await get(server.url, { Range: 'bytes=500-100' });
    assert.is(page.status, 416);
  } finally {
    await stop(server.child);
  }
});

test('npm run dev answers a malformed Range with 416 and keeps serving', async () => {
  const content = tempContent({ 'articles/one.md': '---\ntitle: One story\ndate: 2024-03-05T10:00:00Z\n---\n\nBody of the story.\n' });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-dev-'));
  const server = await start('dev', ['--content', content, '--out', path.join(root, 'dist'), '--port', '0'], { GALLEY_CACHE_DIR: path.join(root, 'cache') });
  try {
    await assertRangesAnswered(server, new URL('style.css', server.url).href);
  } finally {
    await stop(server.child);
  }
});

test.run();
