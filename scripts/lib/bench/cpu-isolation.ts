import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';

/**
 * CPU isolation for the edge bench (ADR 0142): in production the edge (the Cloud Load Balancer) and the clients have
 * CPUs of their own, so what the edge costs the service is measured with the onboarder alone on one core and the
 * generator, the edge and the infrastructure on the others.
 */
export interface CoreAssignment {
  /** Cores the service under test (the onboarder) runs on. */
  readonly service: readonly number[];
  /** Cores the generator, the edge and the infrastructure run on. */
  readonly others: readonly number[];
}

/** The last core for the service, every other core for the rest; undefined with one core (nothing to isolate). */
export function assignCores(cores: readonly number[]): CoreAssignment | undefined {
  if (cores.length < 2) return undefined;
  const sorted = [...cores].sort((a, b) => a - b);
  return { service: sorted.slice(-1), others: sorted.slice(0, -1) };
}

/** Above this busy share the others' core(s) limit the round: it measures the generator, not the service. */
export const SATURATED_SHARE = 0.95;

/** Busy share (0..1) of the given cores between two /proc/stat samples. */
export function busyShare(before: CoreTimes, after: CoreTimes, cores: readonly number[]): number {
  let busy = 0;
  let total = 0;
  for (const core of cores) {
    const b = before.get(core);
    const a = after.get(core);
    if (!a || !b) continue;
    busy += a.busy - b.busy;
    total += a.busy - b.busy + (a.idle - b.idle);
  }
  return total > 0 ? busy / total : 0;
}

export const isSaturated = (share: number) => share >= SATURATED_SHARE;

/** Busy and idle ticks per core. */
export type CoreTimes = ReadonlyMap<number, { readonly busy: number; readonly idle: number }>;

/** Parse /proc/stat's `cpuN` lines (idle = idle + iowait; busy = the rest, guest time being already in user). */
export function parseCoreTimes(procStat: string): CoreTimes {
  const times = new Map<number, { busy: number; idle: number }>();
  for (const line of procStat.split('\n')) {
    const match = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = match[2]!.trim().split(/\s+/).map(Number);
    times.set(Number(match[1]), {
      busy: user! + nice! + system! + irq! + softirq! + (steal ?? 0),
      idle: idle! + iowait!,
    });
  }
  return times;
}

export const readCoreTimes = (): CoreTimes => parseCoreTimes(readFileSync('/proc/stat', 'utf8'));

/** The cores this process may run on (its affinity, which a container or cgroup may narrow). */
export const allowedCores = (): Promise<number[]> => affinityOf(process.pid);

/** `0-2,5` → [0, 1, 2, 5]. */
export function parseCoreList(list: string): number[] {
  return list.split(',').flatMap((part) => {
    const [from, to] = part.split('-').map(Number);
    return Array.from({ length: (to ?? from!) - from! + 1 }, (_, i) => from! + i);
  });
}

/**
 * A process and all its live descendants (nginx's workers, the JVM's forks): each must be pinned on its own. The
 * trees rooted at `exclude` are left out: the bench process is the parent of the service it isolates.
 */
export function withDescendants(pid: number, exclude: ReadonlySet<number> = new Set()): number[] {
  if (exclude.has(pid)) return [];
  const found = [pid];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean);
      for (const child of children) found.push(...withDescendants(Number(child), exclude));
    }
  } catch {
    // exited between the listing and the read
  }
  return found;
}

/**
 * Pin every thread of each process and its descendants to the cores (`taskset -a -p`); children inherit it. The trees
 * rooted at `exclude` keep their affinity.
 */
export async function pinProcesses(
  pids: readonly number[],
  cores: readonly number[],
  exclude: readonly number[] = [],
): Promise<void> {
  const skipped = new Set(exclude);
  for (const pid of pids.flatMap((root) => withDescendants(root, skipped))) {
    await promisify(execFile)('taskset', ['-a', '-c', '-p', cores.join(','), String(pid)]).catch(() => undefined);
  }
}

/** The cores a process may run on now (its first thread's affinity). */
export async function affinityOf(pid: number): Promise<number[]> {
  const { stdout } = await promisify(execFile)('taskset', ['-c', '-p', String(pid)]);
  return parseCoreList(stdout.slice(stdout.lastIndexOf(':') + 1).trim());
}
