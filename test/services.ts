/**
 * The processes the queue's tests run: Redis (Debian's redis-server, on a free loopback port,
 * nothing saved to disk), Galley workers and builds as the README starts them. Every process
 * started here is recorded, and `stopAll` (called after each suite, and at exit whatever
 * happened) ends those still running, so a failed test leaves nothing behind.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { LAUNCHER, ROOT } from './command.ts';

const started = new Set<ChildProcess>();
const pids: number[] = [];

function track(child: ChildProcess): ChildProcess {
  started.add(child);
  if (child.pid) pids.push(child.pid);
  child.once('exit', () => started.delete(child));
  return child;
}

/** Ends every process these helpers started that is still running (SIGKILL: nothing of theirs is kept). */
export async function stopAll(): Promise<void> {
  const running = [...started];
  for (const child of running) child.kill('SIGKILL');
  await Promise.all(running.map((child) => (child.exitCode === null && child.signalCode === null ? new Promise((resolve) => child.once('exit', resolve)) : null)));
}
process.once('exit', () => {
  for (const child of started) child.kill('SIGKILL');
});

/** Every process these helpers started, running or not. */
export function startedPids(): number[] {
  return [...pids];
}

/** Whether a process of this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function hasRedis(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}

/** A TCP port on 127.0.0.1 that nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function until(what: string, ms: number, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface Redis {
  readonly port: number;
  /** redis://127.0.0.1:PORT, with the password when there is one. */
  readonly url: string;
  /** Kills it (SIGKILL) and starts it again on the same port, empty (it saves nothing). */
  restart(): Promise<void>;
  kill(): Promise<void>;
}

/** A Redis of its own on a free loopback port, saving nothing to disk; `password` requires one. */
export async function startRedis(password?: string): Promise<Redis> {
  const port = await freePort();
  let child: ChildProcess;
  const start = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', os.tmpdir(), ...(password ? ['--requirepass', password] : [])];
    child = track(spawn('redis-server', args, { stdio: 'ignore' }));
    await until(`redis-server on port ${port}`, 10_000, () => answers(port));
  };
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    port,
    url: `redis://${password ? `:${password}@` : ''}127.0.0.1:${port}`,
    async restart() {
      await kill();
      await start();
    },
    kill,
  };
}

export interface Process {
  readonly child: ChildProcess;
  /** What it printed to stderr so far. */
  readonly stderr: () => string;
  readonly stdout: () => string;
  /** Resolves when it printed a line matching `pattern` to stderr. */
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
  /** Its exit code (or signal), once it has exited. */
  readonly exited: Promise<{ status: number | null; signal: NodeJS.Signals | null }>;
}

function run(args: string[], env: Record<string, string>, cwd = ROOT, launcher = LAUNCHER): Process {
  const child = track(spawn(process.execPath, [launcher, ...args], { cwd, env: { ...process.env, CI: '1', SOURCE_DATE_EPOCH: '1735689600', ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<{ status: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (status, signal) => resolve({ status, signal })));
  return {
    child,
    stderr: () => stderr,
    stdout: () => stdout,
    waitFor: (pattern, ms = 60_000) => until(`${path.basename(launcher)} ${args[0]} printing ${pattern}; it printed:\n${stderr}`, ms, () => pattern.test(stderr)),
    exited,
  };
}

/** `npm run worker -- --queue URL --concurrency N`, from the project at `root` (another copy of Galley: another fingerprint); resolves once it is ready. */
export async function startWorker(url: string, { concurrency = 1, root = ROOT }: { concurrency?: number; root?: string } = {}): Promise<Process> {
  const worker = run(['worker', '--queue', url, '--concurrency', String(concurrency)], {}, root, path.join(root, 'pipeline', 'cli', 'launch.mjs'));
  await Promise.race([worker.waitFor(/ready:/), worker.exited.then(({ status }) => Promise.reject(new Error(`the worker exited (${status}):\n${worker.stderr()}`)))]);
  return worker;
}

/** `npm run build -- ARGS` as a process of its own, running while the test does other things. */
export function startBuild(args: string[], env: Record<string, string> = {}): Process {
  return run(['cli', ...args], env);
}

/**
 * A copy of Galley whose fingerprint differs (one template carries one more comment), sharing
 * this one's node_modules: what a machine with another Galley version runs.
 */
export function otherGalley(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-other-'));
  for (const name of ['pipeline', 'templates']) fs.cpSync(path.join(ROOT, name), path.join(root, name), { recursive: true });
  for (const name of ['package.json', 'package-lock.json', 'tsconfig.json']) fs.copyFileSync(path.join(ROOT, name), path.join(root, name));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  fs.appendFileSync(path.join(root, 'templates', 'style.css'), '\n/* another Galley */\n');
  return root;
}
