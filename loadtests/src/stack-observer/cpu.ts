import { readFileSync } from 'node:fs';
import os from 'node:os';
import { findStackProcesses } from '../../../scripts/lib/process-supervisor';
import { TICKS_PER_SECOND, allProcStats, type ProcStat } from '../../../scripts/lib/proc-stat';

/** Every live process's parent and CPU ticks (its own plus its reaped children's), read once from /proc. */
function processTable(): Map<number, ProcStat> {
  return new Map(allProcStats().map((stat) => [stat.pid, stat]));
}

/**
 * CPU seconds used so far by each component of the stack in `stackDir`, keyed by the name its supervisor recorded
 * (kafka, postgres, onboarder, …): the recorded process plus its live descendants (Postgres backends, the JVM a
 * wrapper starts). Extra named PIDs (the load generator) are counted the same way.
 */
export function cpuSecondsByComponent(
  stackDir: string,
  extra: Readonly<Record<string, readonly number[]>> = {},
): Record<string, number> {
  const table = processTable();
  const children = new Map<number, number[]>();
  for (const [pid, stat] of table) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), pid]);
  const subtreeTicks = (root: number, seen: Set<number>): number => {
    if (seen.has(root)) return 0;
    seen.add(root);
    let ticks = table.get(root)?.ticks ?? 0;
    for (const child of children.get(root) ?? []) ticks += subtreeTicks(child, seen);
    return ticks;
  };
  const seen = new Set<number>();
  const totals: Record<string, number> = {};
  const add = (name: string, pid: number) => {
    totals[name] = (totals[name] ?? 0) + subtreeTicks(pid, seen) / TICKS_PER_SECOND;
  };
  // Supervisor records first (their names), then marker-only processes not inside a recorded tree, then the extra
  // PIDs: a runner that started the stack is the parent of it all, and must be charged only for what is left.
  const found = findStackProcesses(stackDir).sort((a, b) => a.pid - b.pid);
  for (const p of found) if (!/^pid \d+$/.test(p.name) && !p.name.includes(' ')) add(p.name, p.pid);
  for (const p of found) if (!seen.has(p.pid)) add(componentOf(p.name), p.pid);
  for (const [name, pids] of Object.entries(extra)) for (const pid of pids) add(name, pid);
  return totals;
}

/** A stable label for a process known only by its command line. */
function componentOf(commandLine: string): string {
  if (commandLine.includes('kafka')) return 'kafka';
  if (commandLine.includes('postgres')) return 'postgres';
  if (commandLine.includes('redis')) return 'redis';
  if (commandLine.includes('mailpit')) return 'mailpit';
  return 'other';
}

/** CPU seconds the whole machine has been busy since boot (every process, this stack's or not): /proc/stat. */
export function machineBusySeconds(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …: busy is everything but idle and iowait.
    const total = fields.slice(0, 8).reduce((sum, v) => sum + v, 0);
    return (total - (fields[3] ?? 0) - (fields[4] ?? 0)) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Per-second CPU use of each component while a run goes on (cores busy = CPU seconds per wall second). */
export interface CpuSeries {
  /** Wall-clock ms of each sample after the first. */
  readonly at: number[];
  /** Component → cores busy over each interval. */
  readonly cores: Record<string, number[]>;
  /** Component → CPU seconds between start() and stop(). */
  readonly totalSeconds: Record<string, number>;
  /**
   * Cores busy on the whole machine over each interval, other people's work included: on a shared machine the
   * stack can be starved while its own figures look modest.
   */
  readonly machine: number[];
}

/** Samples `cpuSecondsByComponent` every `intervalMs` between start() and stop(). */
export class CpuSampler {
  private timer: NodeJS.Timeout | undefined;
  private last: Record<string, number> = {};
  private lastAt = 0;
  private lastMachine = 0;
  private readonly series: CpuSeries = { at: [], cores: {}, totalSeconds: {}, machine: [] };

  constructor(
    private readonly stackDir: string,
    private readonly extra: () => Readonly<Record<string, readonly number[]>> = () => ({}),
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.last = cpuSecondsByComponent(this.stackDir, this.extra());
    this.lastMachine = machineBusySeconds();
    this.lastAt = Date.now();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  private sample(): void {
    const now = Date.now();
    const current = cpuSecondsByComponent(this.stackDir, this.extra());
    const seconds = (now - this.lastAt) / 1000;
    const index = this.series.at.length;
    this.series.at.push(now);
    const machine = machineBusySeconds();
    // /proc/stat ticks and the wall clock are read a moment apart: clamp the jitter to what the machine has.
    this.series.machine.push(Math.min(os.cpus().length, Math.max(0, machine - this.lastMachine) / seconds));
    this.lastMachine = machine;
    for (const [name, value] of Object.entries(current)) {
      // A component that dies and restarts would count backwards: clamp at zero.
      const delta = Math.max(0, value - (this.last[name] ?? value));
      const line = (this.series.cores[name] ??= Array.from({ length: index }, () => 0));
      line.push(delta / seconds);
      this.series.totalSeconds[name] = (this.series.totalSeconds[name] ?? 0) + delta;
    }
    for (const line of Object.values(this.series.cores)) while (line.length < index + 1) line.push(0);
    this.last = current;
    this.lastAt = now;
  }

  stop(): CpuSeries {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    for (const name of Object.keys(this.series.totalSeconds)) {
      this.series.totalSeconds[name] = Math.round(this.series.totalSeconds[name]! * 100) / 100;
    }
    return this.series;
  }
}
