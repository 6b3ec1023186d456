/**
 * How the main thread's heap grows while a build reads many sources it has not read before, or
 * holds a large archive, and when such a build collects its garbage outright.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * Reading a source leaves far more garbage than it keeps (the parse, what a reading worker sends
 * back), and V8 lets a heap grow to up to four times what is live before it marks: at 10,000
 * sources the main thread's heap reached 320 MB with 100 MB live, most of a cold build's peak.
 * Growing by half of what is live instead keeps it near 170 MB; the marking it adds is
 * incremental and short. A rebuild of a large archive reads few sources, but it keys every
 * article and every file of the edition again, and that leaves garbage in proportion to the
 * archive: at 100,000 articles V8's default let the heap reach ~900 MB with ~600 MB live. Such a
 * build collects sooner from its check on (MANY_SOURCES). Making many article pages again from
 * cached articles (a new site title or description) leaves the same garbage as reading them, each
 * page parsing its article's body again: such a build collects sooner from its MANY_TO_MAKEth
 * page (at 10,000 articles the heap grew to ~440 MB with ~130 MB live). A small build that
 * reads few sources keeps V8's default: it has little to collect, and marking more often only
 * slows it. A flag of the process: once set it stays for the process's later builds (a dev
 * server's rebuilds after its first, cold one), which then mark a little more often and change
 * in nothing else.
 */
export function collectSooner(): void {
  v8.setFlagsFromString('--heap-growing-percent=50');
}

/** Sources to read (not found in the cache) from which a build collects sooner (prepare.ts). */
export const MANY_TO_READ = 100;

/** Article pages made again (not found in the cache) from which a build collects sooner: each parses its article's body again, and leaves that and its tree behind as a source read does. */
export const MANY_TO_MAKE = 100;

let pagesMadeAgain = 0;

/** Counts an article page made again; the MANY_TO_MAKEth has the process collect sooner (collectSooner: a flag of the process, as the count is). */
export function pageMadeAgain(): void {
  if (++pagesMadeAgain === MANY_TO_MAKE) collectSooner();
}

/** Sources from which a build collects sooner however few it reads: a rebuild of a large archive (the last build's count, known as the check starts; build.ts). */
export const MANY_SOURCES = 20_000;

/**
 * Collects the main thread's garbage now, when `count` (a build's articles, or sources it reads
 * back: sources.ts) is MANY_SOURCES or more. A build of a large archive does so as its sources
 * are read and once every file of the edition is made, the two moments its heap is largest (the
 * parsed articles' pack, every article and file keyed): V8, left to itself, marks only after the
 * next stage has added its own garbage on top (publishing writes the records of every file). At
 * 100,000 articles a rebuild's peak fell from ~1,040 to ~985 MB, for ~0.3 s a collection. A
 * smaller build is left to V8.
 */
export function collectNowIfLarge(count: number): void {
  if (count < MANY_SOURCES) return;
  collector ??= exposedCollector();
  collector();
}

let collector: (() => void) | null = null;

/**
 * V8's own `gc()`, which Node gives only to a process started with --expose-gc: the flag set now
 * gives it to contexts made from now on, such as this one. A V8 that does not leaves V8 to collect.
 */
function exposedCollector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  const found: unknown = vm.runInNewContext('gc');
  return typeof found === 'function' ? (found as () => void) : () => {};
}
