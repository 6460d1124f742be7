import { readFileSync } from 'node:fs';
import { TICKS_PER_SECOND, allProcStats, type ProcStat } from '../proc-stat';

/** A component to account for: its name and the process-group leaders the supervisor recorded for it. */
export interface ComponentGroups {
  readonly name: string;
  readonly pids: readonly number[];
}

/**
 * The live processes of each component: the members of its leaders' process groups (the supervisor starts each
 * component detached) and every descendant of those, since Postgres' backends call setsid() and leave the group.
 */
function processesByComponent(
  components: readonly ComponentGroups[],
  stats: readonly ProcStat[],
): Map<string, ProcStat[]> {
  const children = new Map<number, ProcStat[]>();
  for (const stat of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  const result = new Map<string, ProcStat[]>();
  for (const component of components) {
    const leaders = new Set(component.pids);
    const members = new Map<number, ProcStat>();
    const queue = stats.filter((s) => leaders.has(s.pgrp) || leaders.has(s.pid));
    while (queue.length) {
      const stat = queue.pop()!;
      if (members.has(stat.pid)) continue;
      members.set(stat.pid, stat);
      queue.push(...(children.get(stat.pid) ?? []));
    }
    result.set(component.name, [...members.values()]);
  }
  return result;
}

/**
 * CPU seconds each component used so far: its live processes (see processesByComponent) plus what exited children
 * handed to their parents when reaped. Differences of two samples give the CPU of an interval.
 */
export function cpuSecondsByComponent(components: readonly ComponentGroups[]): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [name, processes] of processesByComponent(components, allProcStats())) {
    result[name] = processes.reduce((sum, p) => sum + p.ticks, 0) / TICKS_PER_SECOND;
  }
  return result;
}

/** Per-component difference of two samples. */
export function cpuDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([name, s]) => [name, s - (before[name] ?? 0)]));
}

/** A /proc figure in kB of one process, read as MB; 0 once the process has exited. */
function procKbAsMb(pid: number, file: string, field: RegExp): number {
  try {
    const match = field.exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0; // exited meanwhile
  }
}

function mbByComponent(components: readonly ComponentGroups[], ofProcess: (pid: number) => number) {
  const result: Record<string, number> = {};
  for (const [name, processes] of processesByComponent(components, allProcStats())) {
    result[name] = processes.reduce((sum, p) => sum + ofProcess(p.pid), 0);
  }
  return result;
}

/** Resident set size in MB of a component's processes (summed; shared pages count once per process), from /proc. */
export function rssMbByComponent(components: readonly ComponentGroups[]): Record<string, number> {
  return mbByComponent(components, (pid) => procKbAsMb(pid, 'status', /VmRSS:\s+(\d+) kB/));
}

/**
 * Proportional set size in MB of a component's processes: each shared page is split between the processes that map
 * it, so Postgres' shared buffers count once across its backends instead of once per backend (as summed RSS does).
 */
export function pssMbByComponent(components: readonly ComponentGroups[]): Record<string, number> {
  return mbByComponent(components, (pid) => procKbAsMb(pid, 'smaps_rollup', /^Pss:\s+(\d+) kB/m));
}

/** Keeps the highest RSS seen per component while sampling every `intervalMs`. */
export class RssPeak {
  readonly peak: Record<string, number> = {};
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly components: readonly ComponentGroups[]) {}

  start(intervalMs = 1000): void {
    const sample = () => {
      for (const [name, mb] of Object.entries(rssMbByComponent(this.components))) {
        this.peak[name] = Math.max(this.peak[name] ?? 0, mb);
      }
    };
    sample();
    this.timer = setInterval(sample, intervalMs);
  }

  stop(): Record<string, number> {
    clearInterval(this.timer);
    return this.peak;
  }
}
