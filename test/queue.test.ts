/**
 * Builds that render their PDFs on BullMQ workers (`--queue`), each against a Redis of its own
 * (Debian's redis-server on a free loopback port) and real worker processes: the edition is the
 * one a local build makes, byte for byte, through a killed worker and a restarted Redis; a
 * worker of another Galley, a malformed job, a queue without workers and a password in the URL
 * each end as the README says. Every process a test starts is ended after it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Queue, QueueEvents, type Job } from 'bullmq';
import { syntheticCorpus, writeCorpus } from '../bench/corpus.ts';
import { engineFingerprint } from '../pipeline/engine/project.ts';
import { QUEUE_NAME, redisTarget } from '../pipeline/queue/redis-url.ts';
import { WIRE_VERSION } from '../pipeline/queue/wire.ts';
import { assertAsClean, ROOT, tree } from './command.ts';
import { tempContent } from './helpers.ts';
import { hasRedis, isAlive, otherGalley, startBuild, startRedis, startWorker, startedPids, stopAll, type Process } from './services.ts';

const BASE = 'https://example.org/news/';
/** Three hand-written articles, one with a picture the PDF prints (the job must carry its bytes). */
const PICTURE_SITE = path.join(ROOT, 'test', 'fixtures', 'feeds', 'three-articles', 'content');

/** A content folder of `count` raw agency items and the three articles, with an output folder and a cache of its own. */
function newsroom(count: number) {
  const content = tempContent();
  fs.cpSync(PICTURE_SITE, content, { recursive: true });
  writeCorpus(content, syntheticCorpus(count));
  const root = path.dirname(content);
  const work = fs.mkdtempSync(path.join(root, 'galley-queue-'));
  const out = path.join(work, 'dist');
  const cache = path.join(work, 'cache');
  const build = (extra: string[], env: Record<string, string> = {}) => startBuild(['--content', content, '--out', out, '--base-url', BASE, ...extra], { GALLEY_CACHE_DIR: cache, ...env });
  return { content, root: work, out, cache, build };
}

async function finished(build: Process): Promise<number | null> {
  const { status } = await build.exited;
  return status;
}

const renders = (worker: Process) => (worker.stderr().match(/: rendered /g) ?? []).length;

test.after.each(stopAll);

test('redis-server is installed (CI installs it: .ci/run)', () => {
  assert.ok(hasRedis(), 'redis-server is not on the PATH: apt-get install redis-server');
});

test('a build with --queue and two workers publishes, byte for byte, the edition a local build does; PDFs already cached are not sent', async () => {
  const redis = await startRedis();
  const workers = [await startWorker(redis.url), await startWorker(redis.url)];
  const site = newsroom(12);
  const build = site.build(['--queue', redis.url]);
  assert.is(await finished(build), 0, build.stderr());
  assert.match(build.stdout(), /15 articles published \(15 PDFs rendered \(15 on workers\), 0 unchanged\)/);
  assert.is(renders(workers[0]!) + renders(workers[1]!), 15, workers.map((worker) => worker.stderr()).join('\n'));
  assertAsClean(site.out, site.content, site.root);

  // one article edited: its PDF alone goes to the queue, the other fourteen come from the cache
  const edited = path.join(site.content, 'articles', 'harbour-reopens-after-storm.md');
  fs.appendFileSync(edited, '\nThe port authority expects full traffic by Friday.\n');
  const again = site.build(['--queue', redis.url]);
  assert.is(await finished(again), 0, again.stderr());
  assert.match(again.stdout(), /15 articles published \(1 PDFs rendered \(1 on workers\), 14 unchanged\)/);
  assert.is(renders(workers[0]!) + renders(workers[1]!), 16);
  assertAsClean(site.out, site.content, site.root);
});

/** A worker killed (a lost machine) and one frozen (a hung process): either way its lock on the job runs out and BullMQ hands the job on. */
const WORKER_FAULTS = [
  ['killed (SIGKILL)', 'SIGKILL'],
  ['that hangs (stopped with SIGSTOP)', 'SIGSTOP'],
] as const;

for (const [fault, signal] of WORKER_FAULTS) {
  test(`a worker ${fault} in the middle of a job: the job goes to the other worker, and the edition is as a local build makes it`, async () => {
    const redis = await startRedis();
    const doomed = await startWorker(redis.url);
    const survivor = await startWorker(redis.url);
    const site = newsroom(8);
    const build = site.build(['--queue', redis.url]);
    // stopped the moment it says it is rendering: a poll of what it printed can come after a
    // short render has ended, when the job is done and there is nothing to hand on
    const slug = await new Promise<string>((resolve) => {
      const onOutput = () => {
        const rendering = /: rendering (\S+)/.exec(doomed.stderr())?.[1];
        if (!rendering) return;
        doomed.child.stderr!.off('data', onOutput);
        doomed.child.kill(signal);
        resolve(rendering);
      };
      doomed.child.stderr!.on('data', onOutput);
    });
    assert.not.match(doomed.stderr(), new RegExp(`rendered ${slug} `), 'the worker was stopped in the middle of its job');
    assert.is(await finished(build), 0, build.stderr());
    assert.match(survivor.stderr(), new RegExp(`rendered ${slug} `), `the job the ${signal} worker had (${slug}) was not rendered by the other:\n${survivor.stderr()}`);
    assertAsClean(site.out, site.content, site.root);
  });
}

test('Redis restarted (and emptied) in the middle of a build: the lost jobs are sent again and the edition is whole, or the build fails saying so and the previous edition stays', async () => {
  const redis = await startRedis();
  const worker = await startWorker(redis.url);
  const site = newsroom(12);
  // the previous edition: pages and feeds, no PDFs (all of them are still to render)
  const first = site.build(['--formats', 'html,feeds']);
  assert.is(await finished(first), 0, first.stderr());
  const before = tree(site.out);
  const build = site.build(['--queue', redis.url]);
  await worker.waitFor(/: rendered /);
  await redis.restart();
  const status = await finished(build);
  if (status === 0) {
    assert.match(build.stderr(), /lost \d+ jobs? \(restarted\?\); sent (it|them) again/);
    assertAsClean(site.out, site.content, site.root);
  } else {
    assert.match(build.stderr(), /Redis/);
    assert.match(build.stderr(), /nothing published/);
    assert.equal(tree(site.out), before);
  }
});

/** Sends `data` as a job straight to the queue (what a build would not send): the job, and its end once it has failed. */
function sendJob(url: string, data: unknown): { job: () => Promise<Job>; failed: () => Promise<Job> } {
  const { connection } = redisTarget(url);
  const queue = new Queue(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  const added = events.waitUntilReady().then(() => queue.add('pdf', data, { attempts: 3 }));
  const close = async () => {
    await events.close();
    await queue.close();
  };
  return {
    job: async () => (await queue.getJob((await added).id!))!,
    failed: async () => {
      try {
        const job = await added;
        await job.waitUntilFinished(events, 30_000).then(
          () => assert.unreachable('the job was rendered'),
          () => {},
        );
        return (await queue.getJob(job.id!))!;
      } finally {
        await close();
      }
    },
  };
}

const failedJob = (url: string, data: unknown) => sendJob(url, data).failed();

test('a worker of another Galley: the build fails at once naming both versions; a job of this Galley that reaches it is handed back, not rendered, and goes to a worker of this one', async () => {
  const redis = await startRedis();
  const other = await startWorker(redis.url, { root: otherGalley() });
  const site = newsroom(2);
  const build = site.build(['--queue', redis.url]);
  assert.is(await finished(build), 1, build.stderr());
  const mine = engineFingerprint().slice(0, 12);
  assert.match(build.stderr(), new RegExp(`no worker of this Galley is connected to redis://127\\.0\\.0\\.1:${redis.port} \\(workers of another Galley are: [0-9a-f]{12}; this one is ${mine}\\)`));
  assert.match(build.stderr(), /nothing published/);
  assert.not.ok(fs.existsSync(site.out));

  // a job of this Galley (malformed, so that where it ends is plain) sent while only the other worker is there
  const sent = sendJob(redis.url, { wire: WIRE_VERSION, fingerprint: engineFingerprint() });
  await other.waitFor(/refused job [0-9a-f]+: it was sent by Galley [0-9a-f]{12}, this worker runs Galley [0-9a-f]{12}; handed back/);
  const job = await sent.job();
  assert.is(job.attemptsMade, 0, 'a refused job has used none of its attempts');
  assert.not.ok(['completed', 'failed'].includes(await job.getState()));
  await startWorker(redis.url);
  const failed = await sent.failed();
  assert.match(failed.failedReason, /malformed job/);
  assert.not.match(failed.failedReason, /refused/);
});

test('a malformed job fails once, with what is wrong, and the worker goes on rendering', async () => {
  const redis = await startRedis();
  const worker = await startWorker(redis.url);
  const fingerprint = engineFingerprint();
  const traversal = await failedJob(redis.url, { wire: WIRE_VERSION, fingerprint, article: { slug: '../../etc/passwd' } });
  assert.match(traversal.failedReason, /malformed job: article\.slug/);
  assert.is(traversal.attemptsMade, 1);
  const site = newsroom(1);
  const good = site.build(['--queue', redis.url]);
  assert.is(await finished(good), 0, good.stderr());
  assert.match(good.stdout(), /4 on workers/);
  assert.match(worker.stderr(), /failed: malformed job/);
});

test('no worker connected: the build says so within seconds and fails, leaving no edition; with --queue-fallback local it renders here', async () => {
  const redis = await startRedis();
  const site = newsroom(2);
  const started = Date.now();
  const alone = site.build(['--queue', redis.url]);
  assert.is(await finished(alone), 1, alone.stderr());
  assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
  assert.match(alone.stderr(), new RegExp(`no worker of this Galley is connected to redis://127\\.0\\.0\\.1:${redis.port}; start workers with \`npm run worker -- --queue`));
  assert.not.ok(fs.existsSync(site.out));

  const fallback = site.build(['--queue', redis.url, '--queue-fallback', 'local']);
  assert.is(await finished(fallback), 0, fallback.stderr());
  assert.match(fallback.stderr(), /rendering the PDFs here \(--queue-fallback local\)/);
  assert.match(fallback.stdout(), /5 PDFs rendered \(5 here\)/);
  assertAsClean(site.out, site.content, site.root);
});

test('Redis not reachable: the build says which (its URL) and fails, or falls back', async () => {
  const redis = await startRedis();
  await redis.kill();
  const site = newsroom(1);
  const build = site.build(['--queue', redis.url]);
  assert.is(await finished(build), 1, build.stderr());
  assert.match(build.stderr(), new RegExp(`could not reach Redis at redis://127\\.0\\.0\\.1:${redis.port} within 3 s`));
  const fallback = site.build(['--queue', redis.url, '--queue-fallback', 'local']);
  assert.is(await finished(fallback), 0, fallback.stderr());
});

test('a password in the Redis URL is used and never printed', async () => {
  const secret = 'hunter2-do-not-print';
  const redis = await startRedis(secret);
  const worker = await startWorker(redis.url);
  const site = newsroom(1);
  const build = site.build(['--queue', redis.url]);
  assert.is(await finished(build), 0, build.stderr());
  const wrong = site.build(['--queue', redis.url.replace(secret, 'wrong-secret-too')]);
  assert.is(await finished(wrong), 0, 'every PDF is cached: the queue is not needed');
  fs.appendFileSync(path.join(site.content, 'articles', 'harbour-reopens-after-storm.md'), '\nThe port authority expects full traffic by Friday.\n');
  const refused = site.build(['--queue', redis.url.replace(secret, 'wrong-secret-too')]);
  assert.is(await finished(refused), 1, refused.stderr());
  assert.match(refused.stderr(), /could not reach Redis at redis:\/\/\*\*\*@127\.0\.0\.1/);
  assert.match(worker.stderr(), /ready: redis:\/\/\*\*\*@127\.0\.0\.1/);
  for (const printed of [worker.stderr(), build.stderr(), build.stdout(), refused.stderr(), refused.stdout()]) {
    assert.not.match(printed, /hunter2|wrong-secret/);
  }
});

test('a worker stopped with SIGTERM exits 0 and removes its temporary folder; the folder a killed one left is removed by the next', async () => {
  const redis = await startRedis();
  const folderOf = (worker: Process) => /temporary folder (\S+)/.exec(worker.stderr())![1]!;
  const worker = await startWorker(redis.url);
  assert.ok(fs.existsSync(folderOf(worker)));
  worker.child.kill('SIGTERM');
  assert.equal(await worker.exited, { status: 0, signal: null });
  assert.not.ok(fs.existsSync(folderOf(worker)));

  const killed = await startWorker(redis.url);
  killed.child.kill('SIGKILL');
  await killed.exited;
  assert.ok(fs.existsSync(folderOf(killed)));
  await startWorker(redis.url);
  assert.not.ok(fs.existsSync(folderOf(killed)));
});

test('nothing these tests started is still running', async () => {
  await stopAll();
  const alive = startedPids().filter(isAlive);
  assert.equal(alive, []);
});

test.run();
