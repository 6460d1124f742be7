import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface ManagedProcessOptions {
  /** Component name, for messages. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** stdout and stderr are appended here. */
  readonly logFile: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Seconds to wait after the stop signal before SIGKILL. @default 20 */
  readonly stopTimeoutSeconds?: number;
  /** Signal that asks for a clean, prompt shutdown (Postgres: SIGINT = fast shutdown). @default SIGTERM */
  readonly stopSignal?: NodeJS.Signals;
  /** Run as this user id (Postgres refuses root). @default the current user */
  readonly uid?: number;
  readonly gid?: number;
}

/**
 * A child process in its own process group (so Ctrl-C reaches only the runner, which then stops children in
 * order) with its output in a log file. `stop()` signals the whole group, so grandchildren go too.
 */
export class ManagedProcess {
  readonly child: ChildProcess;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exited: Promise<void>;

  constructor(readonly options: ManagedProcessOptions) {
    mkdirSync(path.dirname(options.logFile), { recursive: true });
    const fd = openSync(options.logFile, 'a');
    this.child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', fd, fd],
      detached: true,
      ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid } : {}),
    });
    closeSync(fd);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve();
      });
      this.child.once('error', () => {
        this.exitInfo ??= { code: -1, signal: null };
        resolve();
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  isAlive(): boolean {
    return this.exitInfo === undefined;
  }

  /** "exit code 1" / "killed by SIGKILL", for the death report. */
  describeExit(): string {
    if (!this.exitInfo) return 'running';
    return this.exitInfo.signal ? `killed by ${this.exitInfo.signal}` : `exit code ${this.exitInfo.code}`;
  }

  /** Last lines of the log, to show why it died. */
  tail(lines = 15): string {
    try {
      return readFileSync(this.options.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  async stop(): Promise<void> {
    if (!this.isAlive()) return;
    signalGroup(this.pid, this.options.stopSignal ?? 'SIGTERM');
    const timeout = (this.options.stopTimeoutSeconds ?? 20) * 1000;
    const timedOut = await Promise.race([
      this.exited.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), timeout).unref()),
    ]);
    if (timedOut) {
      signalGroup(this.pid, 'SIGKILL');
      await this.exited;
    }
  }
}

/** Signal a process group, falling back to the single process; ignores processes already gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  if (pid <= 0) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
