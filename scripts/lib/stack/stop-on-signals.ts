import { constants } from 'node:os';
import { say } from '../console';
import type { Stack } from './stack';

/**
 * Ctrl-C (or a timeout's TERM) of a script that owns a throw-away stack stops that stack too, even half-started:
 * its processes are detached, so nothing else would. `current` is read when the signal arrives.
 */
export function stopStackOnSignals(component: string, current: () => Stack | undefined): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      say.warn(component, `${signal}: stopping the stack`);
      void (current()?.stop() ?? Promise.resolve()).finally(() => process.exit(128 + constants.signals[signal]));
    });
  }
}
