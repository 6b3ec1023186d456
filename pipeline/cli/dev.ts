/**
 * `npm run dev -- [build flags] [--port N]`: build, serve with live reload, and rebuild on every
 * change under the content folder or templates/. Each rebuild is a fresh build process, so an
 * edited template or pipeline module takes effect (a long-lived process would keep the old one);
 * the content-hash cache keeps rebuilds incremental.
 */
import path from 'node:path';
import { spawn } from 'node:child_process';
import chokidar from 'chokidar';
import { serve } from './serve.ts';
import { parseBuildArgs, UsageError, USAGE } from './args.ts';
import { PROJECT_ROOT } from '../engine/project.ts';

const argv = process.argv.slice(2);
const portAt = argv.indexOf('--port');
const port = portAt >= 0 ? Number(argv[portAt + 1]) : 8080;
const buildArgs = portAt >= 0 ? [...argv.slice(0, portAt), ...argv.slice(portAt + 2)] : argv;

let options;
try {
  options = parseBuildArgs(buildArgs);
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(error.showUsage ? `galley: ${error.message}\n\n${USAGE}\n  --port N         dev server port (default 8080)\n` : `galley: ${error.message}\n`);
  process.exit(2);
}
const { contentDir, outDir } = options;
const server = await serve(outDir, { port, liveReload: true });
// pages link with the dev server's address, whatever site.yaml says
const args = [...buildArgs.filter((arg, i, all) => arg !== '--base-url' && all[i - 1] !== '--base-url'), '--base-url', server.url];

function runBuild(): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'pipeline', 'cli', 'launch.mjs'), 'cli', ...args], { stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

let running: Promise<void> | null = null;
let again = false;
async function rebuild(reason: string): Promise<void> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    do {
      again = false;
      process.stdout.write(`\ngalley dev: ${reason}: rebuilding…\n`);
      if ((await runBuild()) === 0) server.reload();
    } while (again);
    running = null;
  })();
  return running;
}

await rebuild('start');
process.stdout.write(`galley dev: serving ${path.relative(process.cwd(), outDir) || outDir} at ${server.url} — watching ${path.relative(process.cwd(), contentDir) || contentDir}/ and templates/\n`);
const watcher = chokidar.watch([contentDir, path.join(PROJECT_ROOT, 'templates')], { ignoreInitial: true, awaitWriteFinish: { stabilityThreshold: 100, pollInterval: 20 } });
watcher.on('all', (event, file) => void rebuild(`${event} ${path.relative(process.cwd(), file)}`));
