/**
 * What a build promises whatever the output folder is and whatever happens around it (issue 12,
 * "Hardening"): the real command against folders that are not editions, symbolic links, mount
 * points, a build killed mid-swap, two builds at once, a full disk and a read-only file system.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertAsClean, galley, LAUNCHER, ROOT, site, tree } from './command.ts';

/** The process id of a process that has ended (a build killed with -9, as far as its traces go). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

/** stderr as lines, without the empty ones. */
const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

/** No stack trace: no `    at f (file:line)` frames, no Node error dump. */
function assertNoStack(stderr: string): void {
  assert.not.match(stderr, /^\s+at .+:\d+/m, stderr);
  assert.not.match(stderr, /node:internal|Error: E[A-Z]+:/, stderr);
}

test('--out refuses a folder of someone else’s files (exit 2, one line, untouched) unless --force; an edition is replaced as before', () => {
  const { build, out, root } = site();
  // a repository's .git, a folder of documents: anything with files that Galley did not publish
  fs.mkdirSync(path.join(out, 'refs'), { recursive: true });
  fs.writeFileSync(path.join(out, 'HEAD'), 'ref: refs/heads/main\n');
  fs.writeFileSync(path.join(out, 'refs', 'notes.txt'), 'someone’s notes');
  const before = tree(out);
  const refused = build();
  assert.is(refused.status, 2, refused.stderr);
  assert.equal(lines(refused.stderr), [`galley: refusing to replace ${out}: it holds files and is not an edition Galley published (no .galley-edition); choose another --out, or add --force to replace it`]);
  assert.equal(tree(out), before, 'the folder is untouched');
  assert.equal(fs.readdirSync(path.dirname(out)), ['dist']);

  const forced = build(['--force']);
  assert.is(forced.status, 0, forced.stderr);
  assert.ok(fs.existsSync(path.join(out, 'index.html')));
  assert.not.ok(fs.existsSync(path.join(out, 'HEAD')), 'replaced as a whole');
  assert.is(fs.readFileSync(path.join(out, '.galley-edition'), 'utf8').split('\n')[0]!.startsWith('This folder is an edition published by Galley'), true);
  // the edition is marked: later builds replace it without being told
  fs.appendFileSync(path.join(root, 'touch'), 'x');
  const again = build(['--drafts']);
  assert.is(again.status, 0, again.stderr);
  // an empty folder, or none, is fine too
  const empty = path.join(root, 'empty');
  fs.mkdirSync(empty);
  const intoEmpty = galley(['--content', site().content, '--out', empty], { GALLEY_CACHE_DIR: path.join(root, 'cache2') });
  assert.is(intoEmpty.status, 0, intoEmpty.stderr);
});

test('a build killed between the two renames of its swap: the next build, failing or not, puts the edition back first', () => {
  const { build, out, content, root } = site();
  assert.is(build().status, 0);
  const edition = tree(out);
  const parent = path.dirname(out);
  // what kill -9 between the renames leaves: the edition under its retired name, no output folder
  const retired = path.join(parent, `.dist.retired-${deadPid()}-0123456789ab`);
  fs.renameSync(out, retired);
  fs.mkdirSync(path.join(parent, `.dist.staging-${deadPid()}-0123456789ab`));

  // a failing build: the edition is back, and what it says is true
  fs.writeFileSync(path.join(content, 'articles', 'bad.md'), '---\ntitle: Bad\ndate: someday\n---\n\nText.\n');
  const failing = build();
  assert.is(failing.status, 1);
  assert.match(failing.stderr, /was killed while publishing; the edition it had set aside \(\.dist\.retired-\d+-0123456789ab\) was put back first/);
  assert.match(failing.stderr, /nothing published, .*dist is unchanged/);
  assert.equal(tree(out), edition, 'the retired edition is the output folder again');
  assert.equal(fs.readdirSync(parent), ['dist'], 'the dead build’s staging folder is swept');

  // the same crash, then a good build: it starts from the put-back edition and ends as a clean build
  fs.rmSync(path.join(content, 'articles', 'bad.md'));
  fs.renameSync(out, retired);
  fs.appendFileSync(path.join(content, 'articles', 'markets-rally-as-inflation-cools.md'), '\nBond yields fell.\n');
  const good = build();
  assert.is(good.status, 0, good.stderr);
  assert.equal(fs.readdirSync(parent), ['dist']);
  assertAsClean(out, content, root);

  // killed after the second rename: the new edition is in place, the retired one is debris
  fs.cpSync(out, retired, { recursive: true });
  const published = tree(out);
  const after = build(['--drafts']);
  assert.is(after.status, 0, after.stderr);
  assert.not.match(after.stderr, /put back/);
  assert.equal(tree(out), published);
  assert.equal(fs.readdirSync(parent), ['dist']);
});

test('an output path that is a symbolic link is published into what it names; a dangling one and a mount point are refused in one line', () => {
  const { build, out, content, root } = site();
  const target = path.join(root, 'www', 'news');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.mkdirSync(target, { recursive: true });
  fs.symlinkSync(target, out);
  const first = build();
  assert.is(first.status, 0, first.stderr);
  assert.ok(fs.lstatSync(out).isSymbolicLink(), 'the link is still a link');
  assert.ok(fs.existsSync(path.join(target, 'index.html')), 'the edition is in the folder it names');
  fs.appendFileSync(path.join(content, 'articles', 'markets-rally-as-inflation-cools.md'), '\nBond yields fell.\n');
  const second = build();
  assert.is(second.status, 0, second.stderr);
  assert.ok(fs.lstatSync(out).isSymbolicLink());
  assert.match(fs.readFileSync(path.join(target, 'articles', 'markets-rally-as-inflation-cools', 'index.html'), 'utf8'), /Bond yields fell/);
  assertAsClean(target, content, root);
  assert.equal(fs.readdirSync(path.dirname(target)), ['news'], 'nothing left beside the folder it names');

  fs.rmSync(out);
  fs.symlinkSync(path.join(root, 'nowhere'), out);
  const dangling = build();
  assert.is(dangling.status, 2);
  assert.equal(lines(dangling.stderr), [`galley: the output folder ${out} is a symbolic link to ${path.join(root, 'nowhere')}, which does not exist`]);

  // a mount point cannot be renamed (EBUSY): refused before anything is built
  const mount = ['/dev/shm', '/dev', '/proc'].find((folder) => fs.existsSync(folder) && fs.statSync(folder).dev !== fs.statSync(path.dirname(folder)).dev);
  if (!mount) return console.log('  (mount point: skipped, none found)');
  const mounted = galley(['--content', content, '--out', mount], { GALLEY_CACHE_DIR: path.join(root, 'cache') });
  assert.is(mounted.status, 2);
  assert.equal(lines(mounted.stderr), [`galley: the output folder ${mount} is a mount point: Galley replaces the output folder by renaming it, which a mount point cannot be; publish into a folder inside it (--out ${mount}/site)`]);
  assertNoStack(mounted.stderr);
});

test('published means exit 0: a cache that cannot be saved after the swap is a warning', () => {
  const { build, out, content, root, cache } = site();
  const run = build([], {}, [{ path: `^${cache}/(packs|editions)/`, code: 'ENOSPC' }]);
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stderr, /warning: the edition is published, but the cache was not saved \(no space left on device \(ENOSPC\)\): the next build redoes more work/);
  assertNoStack(run.stderr);
  assert.match(run.stdout, /2 articles published/);
  assertAsClean(out, content, root);
  // the next build, with room again, is a build like any other
  const next = build();
  assert.is(next.status, 0, next.stderr);
  assertAsClean(out, content, root);
});

test('two builds at once on one output: one publishes, the other waits its turn or says another build is publishing; no debris', async () => {
  const { out, content, root, cache } = site();
  const args = ['--content', content, '--out', out, '--base-url', 'https://example.org/news/'];
  // a live build holds the lock (this test process stands in for it)
  const lock = path.join(path.dirname(out), '.dist.lock');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(lock, `${process.pid}\n`);
  const busy = galley(args, { GALLEY_CACHE_DIR: cache });
  assert.is(busy.status, 2, busy.stderr);
  assert.equal(lines(busy.stderr), [`galley: another build is publishing ${out} (process ${process.pid}); try again when it has finished`]);
  assert.not.ok(fs.existsSync(out), 'nothing published');
  // the lock of a build that is gone (kill -9) is taken over
  fs.writeFileSync(lock, `${deadPid()}\n`);
  const stale = galley(args, { GALLEY_CACHE_DIR: cache });
  assert.is(stale.status, 0, stale.stderr);
  assert.equal(fs.readdirSync(path.dirname(out)), ['dist'], 'the lock went with the build');

  // two real builds started together, three times over, with something to do each time
  for (let round = 0; round < 3; round++) {
    fs.appendFileSync(path.join(content, 'articles', 'markets-rally-as-inflation-cools.md'), `\nRound ${round}.\n`);
    const runs = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<{ status: number | null; stderr: string }>((resolve) => {
            const child = spawn(process.execPath, [LAUNCHER, 'cli', ...args], { cwd: ROOT, env: { ...process.env, CI: '1', SOURCE_DATE_EPOCH: '1735689600', GALLEY_CACHE_DIR: cache }, stdio: ['ignore', 'ignore', 'pipe'] });
            let stderr = '';
            child.stderr.on('data', (chunk) => (stderr += chunk));
            child.on('exit', (status) => resolve({ status, stderr }));
          }),
      ),
    );
    for (const run of runs) {
      assert.ok(run.status === 0 || (run.status === 2 && /another build is publishing/.test(run.stderr)), `exit ${run.status}: ${run.stderr}`);
      assertNoStack(run.stderr);
    }
    assert.ok(runs.some((run) => run.status === 0), 'one of them published');
    assert.equal(fs.readdirSync(path.dirname(out)), ['dist'], 'no staging folder, retired edition or lock left');
  }
  assertAsClean(out, content, root);
});

test('a full disk or a read-only file system, on the output or the cache: one line naming the path and what was being done, the edition unchanged', () => {
  const { build, out, content, cache } = site();
  assert.is(build().status, 0);
  const before = tree(out);
  fs.appendFileSync(path.join(content, 'articles', 'markets-rally-as-inflation-cools.md'), '\nBond yields fell.\n');
  const cases = [
    { faults: [{ path: `${path.dirname(out)}/\\.dist\\.staging-[^/]+/.`, code: 'ENOSPC' }], said: /dist\.staging-[^:]*: error: could not write this file of the new edition: no space left on device \(ENOSPC\)/ },
    { faults: [{ path: `${path.dirname(out)}/\\.dist\\.staging-`, code: 'ENOSPC' }], said: /error: could not make a staging folder beside the output folder: no space left on device \(ENOSPC\)/ },
    { faults: [{ path: `${path.dirname(out)}/\\.dist\\.(staging|retired)-`, code: 'EROFS' }], said: /error: could not .*: read-only file system \(EROFS\)/ },
    { faults: [{ path: `^${cache}/tmp/\\d+/.`, code: 'ENOSPC' }], said: new RegExp(`error: PDF: could not write it into the cache \\(${cache}/tmp/\\d+/\\d+\\.tmp\\): no space left on device \\(ENOSPC\\)`) },
    { faults: [{ path: `^${cache}/`, code: 'EROFS' }], said: new RegExp(`${cache}/tmp/\\d+: error: could not make a folder of the cache: read-only file system \\(EROFS\\)`) },
  ];
  for (const { faults, said } of cases) {
    const run = build(['--drafts'], {}, faults);
    assert.is(run.status, 1, `${faults[0]!.code} on ${faults[0]!.path}: ${run.stderr}`);
    assert.match(run.stderr, said);
    assertNoStack(run.stderr);
    const errors = lines(run.stderr).filter((line) => /error:/.test(line));
    assert.ok(errors.length >= 1 && errors.length <= 2, run.stderr);
    assert.match(run.stderr, /nothing published, .*dist is unchanged/);
    assert.equal(tree(out), before, 'the edition is as it was');
    assert.equal(fs.readdirSync(path.dirname(out)), ['dist'], 'no debris');
  }
  const healthy = build();
  assert.is(healthy.status, 0, healthy.stderr);
});

/** Files under dir whose names match. */
function filesIn(dir: string, name: RegExp): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((entry) => entry.isFile() && name.test(entry.name)).map((entry) => path.join(entry.parentPath, entry.name));
}

test('the cache heals itself: a garbled pack, a changed digit in the source index and orphaned temporary files are each discarded with a warning, never a failure', () => {
  const { build, out, content, root, cache } = site();
  assert.is(build().status, 0);
  const source = path.join(content, 'articles', 'markets-rally-as-inflation-cools.md');
  const edit = (line: string) => fs.appendFileSync(source, `\n${line}\n`);

  // a values pack garbled in the middle (disk trouble): "Unable to deserialize cloned data" until the cache was deleted
  for (const pack of filesIn(path.join(cache, 'packs'), /\.pack$/)) {
    const bytes = fs.readFileSync(pack);
    for (let at = bytes.length >> 2; at < bytes.length; at += 61) bytes[at] = bytes[at]! ^ 0x5a;
    fs.writeFileSync(pack, bytes);
  }
  edit('Bond yields fell.');
  const garbled = build();
  assert.is(garbled.status, 0, garbled.stderr);
  assert.match(garbled.stderr, /packs\/[0-9a-f]+\.(values|fragments)\.pack: warning: this cached file was damaged; it is made again/);
  assertAsClean(out, content, root);
  edit('Oil prices steadied.');
  const after = build();
  assert.is(after.status, 0, after.stderr);
  assert.not.match(after.stderr, /damaged/, 'healed: the next build finds nothing damaged');

  // one hex digit of a source's hash changed in the source index: a permanent "changed while the build was running"
  const [index] = filesIn(path.join(cache, 'sources'), /\.index$/);
  const bytes = fs.readFileSync(index!);
  const digit = bytes.toString('latin1').search(/\0[0-9a-f]{64}\0/) + 5;
  bytes[digit] = bytes[digit] === 0x30 ? 0x31 : 0x30;
  fs.writeFileSync(index!, bytes);
  edit('Gold was flat.');
  const changedDigit = build();
  assert.is(changedDigit.status, 0, changedDigit.stderr);
  assert.match(changedDigit.stderr, /sources\/[0-9a-f]+\.v\d+\.index: warning: this cached file was damaged; it is made again/);
  assertAsClean(out, content, root);

  // temporary files of builds that were killed or failed
  const dead = deadPid();
  const orphans = [path.join(cache, 'tmp', String(dead), '7.tmp'), path.join(cache, 'packs', `x.values.pack.${dead}.tmp`), path.join(cache, 'sources', `y.json.${dead}.tmp`), path.join(cache, 'editions', `z.json.${dead}.tmp`)];
  for (const orphan of orphans) {
    fs.mkdirSync(path.dirname(orphan), { recursive: true });
    fs.writeFileSync(orphan, 'half written');
  }
  edit('Copper rose.');
  const swept = build();
  assert.is(swept.status, 0, swept.stderr);
  for (const orphan of orphans) assert.not.ok(fs.existsSync(orphan), `${orphan} removed`);
  assert.equal(filesIn(cache, /\.tmp$/), [], 'no temporary file left by the build itself');
});

const BOMB = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n';

test('a site.yaml that is a folder, a FIFO or an alias bomb: one located line each, no stack, no hang', () => {
  const { build, content, out } = site();
  assert.is(build().status, 0);
  const before = tree(out);
  const settings = path.join(content, 'site.yaml');
  const check = (said: RegExp) => {
    const started = Date.now();
    const run = build();
    assert.ok(Date.now() - started < 60_000, 'it ends');
    assert.is(run.status, 1, run.stderr);
    assert.match(run.stderr, said);
    assertNoStack(run.stderr);
    assert.is(lines(run.stderr).filter((line) => /error:/.test(line)).length, 1, run.stderr);
    assert.equal(tree(out), before);
  };
  fs.mkdirSync(settings);
  check(/site\.yaml: error: site\.yaml is a folder, not a file/);
  fs.rmdirSync(settings);
  assert.is(spawnSync('mkfifo', [settings]).status, 0, 'mkfifo');
  check(/site\.yaml: error: site\.yaml is a FIFO, not a file/);
  fs.rmSync(settings);
  fs.writeFileSync(settings, `title: Bombed\n${BOMB}`);
  check(/site\.yaml:1:1: error: invalid YAML: Excessive alias count/);
  fs.rmSync(settings);
  // in an article's front-matter, the article is named
  fs.writeFileSync(path.join(content, 'articles', 'bomb.md'), `---\ntitle: Bomb\ndate: 2024-01-01\n${BOMB}---\n\nText.\n`);
  check(/articles\/bomb\.md:2:1: error: invalid YAML: Excessive alias count/);
});

test('FIFOs, folders and symbolic links named like sources are skipped, each with a warning naming it', () => {
  const { build, content, out } = site();
  assert.is(spawnSync('mkfifo', [path.join(content, 'raw', 'pipe.txt')]).status, 0, 'mkfifo');
  fs.mkdirSync(path.join(content, 'articles', 'folder.md'), { recursive: true });
  fs.symlinkSync('/etc/passwd', path.join(content, 'articles', 'link.md'));
  const run = build();
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stderr, /raw\/pipe\.txt: warning: skipped: it is a FIFO, not a file/);
  assert.match(run.stderr, /articles\/folder\.md: warning: skipped: it is a folder, not a file/);
  assert.match(run.stderr, /articles\/link\.md: warning: skipped: it is a symbolic link, not a file/);
  assert.match(run.stdout, /2 articles published .* 3 warnings/);
  assert.not.match(fs.readFileSync(path.join(out, 'index.html'), 'utf8'), /root:/);
  // told again when nothing changed, and a new one is a change
  assert.match(build().stderr, /pipe\.txt: warning: skipped/);
  fs.symlinkSync('/etc/hostname', path.join(content, 'raw', 'host.txt'));
  const again = build();
  assert.match(again.stderr, /raw\/host\.txt: warning: skipped: it is a symbolic link/);
});

test.run();
