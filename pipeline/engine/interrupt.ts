import type { Staging } from './publish.ts';

/**
 * Ctrl-C or SIGTERM mid-build: the staging folder (once there is one) goes, the previous edition
 * stays, and the process exits with the conventional 128 + signal number.
 */
export function onInterrupt(): { staging: Staging | null; release(): void } {
  const state = {
    staging: null as Staging | null,
    release() {
      for (const [signal, handler] of handlers) process.removeListener(signal, handler);
    },
  };
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = () => {
      state.staging?.abortNow();
      process.stderr.write(`\ngalley: interrupted (${signal}); the previous edition is unchanged\n`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once(signal, handler);
    return [signal, handler] as const;
  });
  return state;
}
