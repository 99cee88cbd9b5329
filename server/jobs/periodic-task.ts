// Background work that is looked for now and then rather than claimed: expiry, retention, pruning.
import type { Clock } from '../clock.ts';
import type { WorkerTask } from './worker-task.ts';

/** What one pass did: how many items it handled, and whether it left more waiting. */
export interface PeriodicPass {
  handled: number;
  more: boolean;
}

/**
 * Runs `pass` at most every `everyMs`, and straight away again while a pass leaves more behind.
 * It counts as work done only while more is left, so that the worker's loop comes straight back
 * for the rest, and otherwise goes back to waiting instead of spinning.
 */
export function periodicTask(options: {
  name: string;
  clock: Clock;
  everyMs: number;
  pass(now: number): Promise<PeriodicPass>;
}): WorkerTask {
  let nextRun = 0;
  return {
    name: options.name,
    async run() {
      const now = options.clock.now();
      if (now < nextRun) return 0;
      const { handled, more } = await options.pass(now);
      nextRun = more ? now : now + options.everyMs;
      return more ? handled : 0;
    },
  };
}
