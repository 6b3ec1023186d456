/**
 * Is process `pid` still running? What a build left (a staging folder, a lock, temporary files)
 * is named by its process id, and is debris once that process is gone. EPERM: it runs, as
 * another user.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
