import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU fields (USER_HZ; 100 on every Linux build Node supports). */
export const TICKS_PER_SECOND = 100;

/** One process as /proc/<pid>/stat shows it: its parent, its group and its own plus its reaped children's CPU ticks. */
export interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly pgrp: number;
  readonly ticks: number;
  /** Of `ticks`, what its reaped children used (cutime + cstime). */
  readonly reapedChildTicks: number;
}

/** One process's /proc/<pid>/stat, or undefined when it exited before the read. */
export function readProcStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ') '.
    const fields = text.slice(text.lastIndexOf(') ') + 2).split(' ');
    // Fields from state (3rd) on: pgrp is the 5th, utime..cstime the 14th..17th of the full line.
    const [utime, stime, cutime, cstime] = [fields[11], fields[12], fields[13], fields[14]].map(Number);
    return {
      pid,
      ppid: Number(fields[1]),
      pgrp: Number(fields[2]),
      ticks: utime! + stime! + cutime! + cstime!,
      reapedChildTicks: cutime! + cstime!,
    };
  } catch {
    return undefined; // exited between the listing and the read
  }
}

/** Every live process's stat, read once from /proc. */
export function allProcStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(Number(entry));
    if (stat) stats.push(stat);
  }
  return stats;
}
