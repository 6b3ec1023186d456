/**
 * `npm test`: the uvu suite as two uvu processes side by side, then one summary. The slowest
 * files mostly wait on other processes (the queue's tests on Redis and workers, the builds the
 * build tests start), so on two cores the suite takes ~6 minutes instead of ~9. Each process
 * runs its files as `uvu test PATTERN` would, with the same preloads; their outputs are printed
 * whole, one after the other, and the summary counts both (uvu's own per-process lines are left
 * out, so that a reader of the output, or a script summing its "Total:" lines, counts each test
 * once). The exit code is non-zero when either process fails. Plain JavaScript: it runs before
 * anything is compiled.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The files that run beside the rest: together about as long as all the others. */
const BESIDE = ['queue', 'build', 'shared-cache', 'servers', 'read-workers', 'cache-sweep', 'pdf-queue'];
const besidePattern = `^(?:${BESIDE.join('|')})\\.test\\.ts$`;
const restPattern = `^(?!(?:${BESIDE.join('|')})\\.test\\.ts$).*\\.test\\.ts$`;

/** One uvu process over the test files `pattern` matches; its output, exit code and counts. */
function uvu(pattern) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', './test/temporary-root.mjs', 'node_modules/uvu/bin.js', 'test', pattern], { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code, signal) => resolve({ output, code: code ?? (signal ? 1 : 0) }));
  });
}

const SUMMARY_LINE = /^\s*(Total|Passed|Skipped|Duration):\s*(\d+(?:\.\d+)?)/;
// the escape codes uvu colours its summary with
const ANSI = /\u001b\[[0-9;]*m/g;

const started = performance.now();
const runs = await Promise.all([uvu(restPattern), uvu(besidePattern)]);
const counts = { Total: 0, Passed: 0, Skipped: 0 };
for (const { output } of runs) {
  const kept = [];
  for (const line of output.split('\n')) {
    const summary = SUMMARY_LINE.exec(line.replace(ANSI, ''));
    if (!summary) kept.push(line);
    else if (summary[1] in counts) counts[summary[1]] += Number(summary[2]);
  }
  process.stdout.write(`${kept.join('\n').trimEnd()}\n\n`);
}
process.stdout.write(`  Total:     ${counts.Total}\n  Passed:    ${counts.Passed}\n  Skipped:   ${counts.Skipped}\n  Duration:  ${(performance.now() - started).toFixed(2)}ms\n`);
process.exitCode = runs.some((run) => run.code !== 0) ? 1 : 0;
