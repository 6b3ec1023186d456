/**
 * What the build's worker pools share: how many threads a build may use, and the flags a worker
 * thread is started with.
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * Threads a build may use: the machine's cores, or GALLEY_THREADS when set (a CI runner or a
 * container sharing its cores; 1 makes everything in the main thread).
 */
export function buildThreads(): number {
  const asked = Number(process.env.GALLEY_THREADS);
  return Number.isInteger(asked) && asked >= 1 ? asked : os.availableParallelism();
}

/**
 * The flags of this process a worker needs: the loader that runs TypeScript (tests run through
 * tsx). Other flags (memory settings) are not valid for a worker.
 */
export function loaderFlags(execArgv: readonly string[] = process.execArgv): string[] {
  const flags: string[] = [];
  execArgv.forEach((flag, index) => {
    if (/^--(import|require|loader|experimental-loader)=/.test(flag)) flags.push(flag);
    else if (/^(--import|--require|--loader|--experimental-loader|-r)$/.test(flag) && execArgv[index + 1]) flags.push(flag, execArgv[index + 1]!);
  });
  return flags;
}

/**
 * A worker module beside `base` (the module that starts the pool): NAME.ts when the code runs
 * through tsx, else the compiled NAME.cjs (a path, not a URL, for piscina to require it).
 */
export function workerModule(base: string, name: string): string {
  return base.endsWith('.ts') ? new URL(`./${name}.ts`, base).href : fileURLToPath(new URL(`./${name}.cjs`, base));
}
