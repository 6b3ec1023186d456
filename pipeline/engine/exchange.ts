/**
 * Swapping two folders in one step, so that each path names one of them at every instant: Linux's
 * renameat2(2) with RENAME_EXCHANGE. Node has no binding for it and Galley ships no native code,
 * so the call is made by Perl's `syscall`, which every Debian and Ubuntu system has (perl-base is
 * essential there). Where that cannot be done (another system, no perl, a file system that
 * cannot exchange) `exchange` says so and the caller swaps with two renames instead.
 */
import { spawnSync } from 'node:child_process';

/** renameat2's system call number, where it is known for certain (x86-64; arm64 and riscv64 share the generic table). */
const RENAMEAT2: Partial<Record<NodeJS.Architecture, number>> = { x64: 316, arm64: 276, riscv64: 276 };
const AT_FDCWD = -100;
const RENAME_EXCHANGE = 2;

/** Perl: the two paths are its arguments (passed to the call as pointers to their bytes); exit 0 when swapped. */
const SWAP = `exit(syscall(${RENAMEAT2[process.arch] ?? 0}, ${AT_FDCWD}, $ARGV[0], ${AT_FDCWD}, $ARGV[1], ${RENAME_EXCHANGE}) == 0 ? 0 : 1)`;

let unavailable = process.platform !== 'linux' || RENAMEAT2[process.arch] === undefined;

/**
 * Swaps the folders at `a` and `b` (both must exist) atomically. True when done; false when this
 * system cannot (nothing was changed then).
 */
export function exchange(a: string, b: string): boolean {
  if (unavailable) return false;
  const result = spawnSync('perl', ['-e', SWAP, a, b], { stdio: 'ignore' });
  if (result.status === 0) return true;
  // no perl at all: not asked again this run
  if (result.error) unavailable = true;
  return false;
}
