import type { StackDirs } from '../paths';
import type { ProcessSupervisor } from '../process-supervisor';

/** A component of the local stack once it is up. */
export interface RunningComponent {
  readonly name: string;
  /** Human address printed on the progress line. */
  readonly address: string;
  /** Process-group leaders `npm stop` signals if the runner itself is gone. Empty when we did not start it. */
  readonly pids: readonly number[];
  readonly logFile?: string;
  isAlive(): boolean;
  /** Why it died, with the last log lines, for the death report. */
  deathReport(): string;
  stop(): Promise<void>;
}

/** What every component starter is given (`--fresh` wipes the whole stack folder before any starts). */
export interface StartContext {
  readonly dirs: StackDirs;
  /** Spawns every process of the stack, and refuses once a stop has begun. */
  readonly supervisor: ProcessSupervisor;
}

/** Connection settings the services get, keyed by RUNTIME_ENV names. */
export type ServiceEnv = Record<string, string>;

/** A component someone else runs (an override such as KAFKA_BROKERS): never stopped by us. */
export function externalComponent(name: string, address: string): RunningComponent {
  return {
    name,
    address,
    pids: [],
    isAlive: () => true,
    deathReport: () => '',
    stop: async () => undefined,
  };
}
