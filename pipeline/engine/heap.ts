/**
 * How the main thread's heap grows while a build reads many sources it has not read before, or
 * holds a large archive.
 */
import v8 from 'node:v8';

/**
 * Reading a source leaves far more garbage than it keeps (the parse, what a reading worker sends
 * back), and V8 lets a heap grow to up to four times what is live before it marks: at 10,000
 * sources the main thread's heap reached 320 MB with 100 MB live, most of a cold build's peak.
 * Growing by half of what is live instead keeps it near 170 MB; the marking it adds is
 * incremental and short. A rebuild of a large archive reads few sources, but it keys every
 * article and every file of the edition again, and that leaves garbage in proportion to the
 * archive: at 100,000 articles V8's default let the heap reach ~900 MB with ~600 MB live. Such a
 * build collects sooner from its check on (MANY_SOURCES). A small build that reads few sources
 * keeps V8's default: it has little to collect, and marking more often only slows it. A flag of
 * the process: once set it stays for the process's later builds (a dev server's rebuilds after
 * its first, cold one), which then mark a little more often and change in nothing else.
 */
export function collectSooner(): void {
  v8.setFlagsFromString('--heap-growing-percent=50');
}

/** Sources to read (not found in the cache) from which a build collects sooner (prepare.ts). */
export const MANY_TO_READ = 100;

/** Sources from which a build collects sooner however few it reads: a rebuild of a large archive (the last build's count, known as the check starts; build.ts). */
export const MANY_SOURCES = 20_000;
