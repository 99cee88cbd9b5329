// How much of the machine other processes used while the benchmark ran. The figures compare two
// servers on a small shared machine, so a busy neighbour (a test suite, a compiler) skews them;
// the report says so instead of leaving the reader to guess.
import { readFileSync } from 'node:fs';

interface CpuSample {
  /** Busy and total time of all CPUs, in clock ticks. */
  busy: number;
  total: number;
  /** Time spent by the watched processes, in clock ticks. */
  ours: number;
}

function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  // cpu  user nice system idle iowait irq softirq steal …
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = ticks.reduce((sum, n) => sum + n, 0);
  return { busy: total - ticks[3]! - ticks[4]!, total };
}

function processTicks(pid: number | 'self'): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may itself hold spaces: utime and stime are 14th and 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

export interface CpuWatch {
  /** Share (0–1) of the machine's CPU time that processes other than ours used since the start. */
  othersShare(): number;
}

/** Starts watching; `pids` are the benchmark's own processes besides this one, read while alive. */
export function watchCpu(pids: () => number[]): CpuWatch {
  const sample = (): CpuSample => ({
    ...machineTicks(),
    ours: processTicks('self') + pids().reduce((sum, pid) => sum + processTicks(pid), 0),
  });
  const start = sample();
  return {
    othersShare() {
      const end = sample();
      const total = end.total - start.total;
      return total > 0 ? Math.max(0, end.busy - start.busy - (end.ours - start.ours)) / total : 0;
    },
  };
}
