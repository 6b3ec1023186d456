/**
 * A child process timed two ways: wall time (what the targets are in) and the CPU time it used
 * (user + system, its threads and its own children included), which a busy shared machine
 * inflates much less. The CPU time is read from the kernel's account of this process's reaped
 * children (`/proc/self/stat`, Linux); elsewhere it is NaN.
 */
import fs from 'node:fs';
import { execSync, spawnSync, type SpawnSyncOptionsWithStringEncoding, type SpawnSyncReturns } from 'node:child_process';

/** Clock ticks a second, the unit of /proc's times. */
const TICKS = (() => {
  try {
    return Number(execSync('getconf CLK_TCK', { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU ms used by this process's children that have been waited for, or NaN without /proc. */
function childrenCpuMs(): number {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    // fields after the command name (which may hold spaces) start at field 3; cutime and cstime are fields 16 and 17
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS;
  } catch {
    return Number.NaN;
  }
}

export interface Timed {
  readonly result: SpawnSyncReturns<string>;
  readonly ms: number;
  readonly cpuMs: number;
}

export function timedSpawn(command: string, args: readonly string[], options: SpawnSyncOptionsWithStringEncoding): Timed {
  const cpuBefore = childrenCpuMs();
  const started = performance.now();
  const result = spawnSync(command, args, options);
  const ms = performance.now() - started;
  return { result, ms, cpuMs: childrenCpuMs() - cpuBefore };
}
