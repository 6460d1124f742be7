import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StackError } from './console';
import { ManagedProcess, pidAlive, signalGroup, type ManagedProcessOptions } from './managed-process';

/**
 * Every process a runner starts carries this variable, set to its stack folder, so `npm stop` can find it (and its
 * children, which inherit it) even when no record of it survived.
 */
export const STACK_MARKER_ENV = 'SCALEFU_STACK_DIR';

/** What is written beside the stack at spawn time, before the process is ready. */
export interface ProcessRecord {
  readonly pid: number;
  readonly name: string;
  readonly command: string;
  /** Clock ticks since boot when the process was forked (/proc/<pid>/stat field 22): survives exec, not PID reuse. */
  readonly startTicks: number;
  readonly runnerPid: number;
}

/** Raised when something asks to start a process after the stack began to stop. */
export class StopRequested extends StackError {
  constructor(name: string) {
    super(name, 'not started: the stack is stopping');
    this.name = 'StopRequested';
  }
}

/**
 * Starts and stops every process of one stack. A process is known from the moment it is spawned (a PID record on
 * disk, a marker in its environment), and once `close()` is called nothing new starts — so a stop that races
 * start-up never leaves a half-started component behind.
 */
export class ProcessSupervisor {
  private readonly processes: ManagedProcess[] = [];
  private closed = false;
  private stopping: Promise<void> | undefined;

  /** @param stackDir the stack's folder (`.scalefu/<name>`); records go to its `run/pids/`. */
  constructor(readonly stackDir: string) {}

  get recordDir(): string {
    return path.join(this.stackDir, 'run', 'pids');
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Spawn a process of this stack, or refuse with StopRequested once the stack is stopping. */
  spawn(options: ManagedProcessOptions): ManagedProcess {
    if (this.closed) throw new StopRequested(options.name);
    const child = new ManagedProcess({
      ...options,
      env: { ...(options.env ?? process.env), [STACK_MARKER_ENV]: this.stackDir },
    });
    if (child.pid <= 0) return child;
    this.processes.push(child);
    const record: ProcessRecord = {
      pid: child.pid,
      name: options.name,
      command: options.command,
      startTicks: startTicks(child.pid) ?? 0,
      runnerPid: process.pid,
    };
    mkdirSync(this.recordDir, { recursive: true });
    const file = path.join(this.recordDir, `${child.pid}.json`);
    writeFileSync(file, JSON.stringify(record));
    child.child.once('exit', () => rmSync(file, { force: true }));
    return child;
  }

  /** Refuse new processes from now on. */
  close(): void {
    this.closed = true;
  }

  /** Close, then stop every process still running, newest first (services before the stores they use). */
  stopAll(): Promise<void> {
    this.close();
    this.stopping ??= (async () => {
      for (const child of [...this.processes].reverse()) await child.stop();
    })();
    return this.stopping;
  }

  /** Last resort for a forced exit: SIGKILL every process group at once. */
  killAll(): void {
    this.close();
    for (const child of this.processes) if (child.isAlive()) signalGroup(child.pid, 'SIGKILL');
  }
}

/** Fork time of a process in clock ticks since boot, or undefined when it is gone. */
export function startTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start behind the last ')'; starttime is field 22.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  } catch {
    return undefined;
  }
}

function environOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** A process of a stack that is still running, found by its record or its environment marker. */
export interface StackProcess {
  readonly pid: number;
  readonly name: string;
}

/**
 * Every live process that belongs to the stack in `stackDir`: recorded ones whose fork time still matches (so a
 * reused PID is never touched) and any process carrying the stack's marker (children, or ones whose record is lost).
 */
export function findStackProcesses(stackDir: string): StackProcess[] {
  const found = new Map<number, StackProcess>();
  const recordDir = path.join(stackDir, 'run', 'pids');
  let files: string[] = [];
  try {
    files = readdirSync(recordDir).filter((f) => f.endsWith('.json'));
  } catch {
    /* no records */
  }
  for (const file of files) {
    const full = path.join(recordDir, file);
    let record: ProcessRecord;
    try {
      record = JSON.parse(readFileSync(full, 'utf8')) as ProcessRecord;
    } catch {
      rmSync(full, { force: true });
      continue;
    }
    if (pidAlive(record.pid) && startTicks(record.pid) === record.startTicks) {
      found.set(record.pid, { pid: record.pid, name: record.name });
    } else {
      rmSync(full, { force: true });
    }
  }
  const marker = `${STACK_MARKER_ENV}=${stackDir}`;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid || found.has(pid)) continue;
    if (environOf(pid).includes(marker)) found.set(pid, { pid, name: commandLineOf(pid).slice(0, 60) || `pid ${pid}` });
  }
  return [...found.values()];
}

/**
 * Stop whatever of a stack is still running without its runner: SIGTERM to each process group, SIGKILL after
 * `graceSeconds`. Returns what it found, for the "stopped …" report.
 */
export async function stopStackProcesses(stackDir: string, graceSeconds = 20): Promise<StackProcess[]> {
  const leftovers = findStackProcesses(stackDir);
  for (const p of leftovers) signalGroup(p.pid, 'SIGTERM');
  const deadline = Date.now() + graceSeconds * 1000;
  while (Date.now() < deadline && leftovers.some((p) => pidAlive(p.pid))) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  for (const p of leftovers) if (pidAlive(p.pid)) signalGroup(p.pid, 'SIGKILL');
  // Children that escaped their group (re-parented daemons) still carry the marker.
  for (const p of findStackProcesses(stackDir)) signalGroup(p.pid, 'SIGKILL');
  return leftovers;
}
