import { RUNTIME_ENV, SERVICES, SERVICE_NAMES, type Dependency, type ServiceName } from '@scalefu/contracts';
import { thaiIdCheckDigit } from '@scalefu/identity';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { stackDirs } from '../../scripts/lib/paths';
import { ProcessSupervisor } from '../../scripts/lib/process-supervisor';
import * as inbox from '../../scripts/lib/stack/mail-inbox';
import type { CaughtMailDetail } from '../../scripts/lib/stack/mail-inbox';
import { serviceEnv, startService } from '../../scripts/lib/stack/services';
import type { RunningComponent } from '../../scripts/lib/stack/types';

/** Test-stack address exported by `npm test`. */
export function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run e2e tests through \`npm test\``);
  return value;
}

const offset = Number(process.env['SCALEFU_PORT_OFFSET'] ?? 10000);
const dirs = stackDirs(process.env['SCALEFU_TEST_STACK_NAME'] ?? 'test');

export function serviceUrl(name: ServiceName): string {
  return `http://127.0.0.1:${SERVICES[name].port + offset}`;
}

/** Settings for e2e runs: the public rate limit is lifted so concurrency tests measure dedup, not throttling. */
const E2E_ENV = { [RUNTIME_ENV.rateLimitPerMinute]: '1000000', [RUNTIME_ENV.logLevel]: 'info' };

/**
 * The four services as real processes, compiled and started as `npm start` runs them (ADR 0130), wired to the
 * test stack.
 */
export class Pipeline {
  private readonly running = new Map<ServiceName, RunningComponent>();
  /** Records every service process under the test stack, so `npm stop -- --test` finds any a crashed run left. */
  readonly supervisor = new ProcessSupervisor(dirs.root);

  /** @param extraEnv given to every service, e.g. `zipkinTracingEnv(...)` to export spans. */
  constructor(private readonly extraEnv: Record<string, string> = {}) {}

  /** What `startService` needs to spawn more processes under this test stack (e.g. Zipkin for the trace test). */
  get startContext() {
    return { dirs, supervisor: this.supervisor };
  }

  /** The service's log file (appended across runs: match lines by request or event id). */
  logFile(name: ServiceName): string {
    const file = this.running.get(name)?.logFile;
    if (!file) throw new Error(`${name} is not running`);
    return file;
  }

  private connections(): Record<Dependency, string> {
    return {
      kafka: env(RUNTIME_ENV.kafkaBrokers),
      postgres: env(RUNTIME_ENV.databaseUrl),
      redis: env(RUNTIME_ENV.redisUrl),
      smtp: env(RUNTIME_ENV.smtpUrl),
    };
  }

  private locked = false;

  /**
   * The services listen on fixed ports and share consumer groups, so two test files using a Pipeline must not
   * overlap: the first start takes a lock (a directory under the test stack, with the holder's pid so a crashed
   * holder's lock is broken) and `stopAll` releases it; a second file waits its turn.
   */
  private locking: Promise<void> | undefined;

  /** One acquisition per pipeline, however many services start at once (a second waiter would wait for itself). */
  private lock(): Promise<void> {
    this.locking ??= this.acquireLock().catch((error: unknown) => {
      this.locking = undefined;
      throw error;
    });
    return this.locking;
  }

  private async acquireLock(): Promise<void> {
    if (this.locked) return;
    const dir = path.join(dirs.run, 'pipeline.lock');
    await mkdir(dirs.run, { recursive: true });
    const deadline = Date.now() + 10 * 60_000;
    for (;;) {
      try {
        await mkdir(dir);
        await writeFile(path.join(dir, 'pid'), String(process.pid));
        this.locked = true;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = Number(await readFile(path.join(dir, 'pid'), 'utf8').catch(() => '0'));
        if (holder > 0 && !isAlive(holder)) await rm(dir, { recursive: true, force: true });
        if (Date.now() > deadline) throw new Error(`another test holds ${dir} for over 10 minutes`);
        await sleep(500);
      }
    }
  }

  async start(name: ServiceName, extra: Record<string, string> = {}): Promise<void> {
    await this.lock();
    const port = SERVICES[name].port + offset;
    const environment = serviceEnv(name, port, this.connections(), {
      [RUNTIME_ENV.nationalIdHmacKey]: env(RUNTIME_ENV.nationalIdHmacKey),
      [RUNTIME_ENV.publicBaseUrl]: serviceUrl('onboarder'),
      ...E2E_ENV,
      ...this.extraEnv,
      ...extra,
    });
    this.running.set(name, await startService(this.startContext, name, port, environment));
  }

  async startAll(): Promise<void> {
    for (const name of SERVICE_NAMES) await this.start(name);
  }

  /** The running process of a service (its pids, liveness), e.g. for the chaos suite's SIGSTOP; undefined when none. */
  component(name: ServiceName): RunningComponent | undefined {
    return this.running.get(name);
  }

  /** SIGKILL: no graceful shutdown, no final commit — the crash a pod can suffer. Resolves once it is gone. */
  async kill(name: ServiceName): Promise<void> {
    const component = this.running.get(name);
    if (!component) throw new Error(`${name} is not running`);
    for (const pid of component.pids) process.kill(-pid, 'SIGKILL');
    this.running.delete(name);
    // Its port is free only once the process has exited; a restart before that would find it taken.
    while (component.isAlive()) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  async stop(name: ServiceName): Promise<void> {
    await this.running.get(name)?.stop();
    this.running.delete(name);
  }

  async stopAll(): Promise<void> {
    for (const name of [...this.running.keys()].reverse()) await this.stop(name);
    if (this.locked) await rm(path.join(dirs.run, 'pipeline.lock'), { recursive: true, force: true });
    this.locked = false;
    this.locking = undefined;
  }

  /** Port of each running service, e.g. for a Prometheus scrape config. */
  ports(): Record<string, number> {
    return Object.fromEntries([...this.running.keys()].map((name) => [name, SERVICES[name].port + offset]));
  }
}

export interface RegisterBody {
  name: string;
  email: string;
  phoneNumber: string;
  nationalId?: string;
}

export async function register(
  body: RegisterBody,
): Promise<{ status: number; userID?: string; body: Record<string, unknown> }> {
  const response = await fetch(`${serviceUrl('onboarder')}/api/v1/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { data?: { userID?: string } } & Record<string, unknown>;
  return { status: response.status, userID: json.data?.userID, body: json };
}

export async function registrationStatus(userID: string): Promise<string | undefined> {
  const response = await fetch(`${serviceUrl('onboarder')}/api/v1/registrations/${userID}`);
  if (response.status !== 200) return undefined;
  return ((await response.json()) as { data: { registrationStatus: string } }).data.registrationStatus;
}

/** A unique Thai mobile number per call, valid for libphonenumber (08x-xxx-xxxx). */
let phoneCounter = Math.floor(Math.random() * 1_000_000);
export function uniquePhone(): string {
  phoneCounter = (phoneCounter + 7919) % 10_000_000;
  return `081${String(phoneCounter).padStart(7, '0')}`;
}

/** A random valid Thai national ID, so reruns against kept servers don't collide. */
export function uniqueNationalId(): string {
  const first12 = `${1 + Math.floor(Math.random() * 8)}${String(Math.floor(Math.random() * 1e11)).padStart(11, '0')}`;
  return `${first12}${thaiIdCheckDigit(first12)}`;
}

export function uniqueEmail(tag: string): string {
  return `${tag}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}@example.co.th`;
}

/** Mails in the SMTP catcher addressed to `address` (case-insensitive), bodies included. */
export function mailsTo(address: string): Promise<CaughtMailDetail[]> {
  return inbox.mailsTo(env('MAIL_WEB_URL'), address);
}

/** Message-ID of every delivery, per recipient (the catcher keeps each delivery, even of the same message). */
export function messageIdsTo(addresses: readonly string[]): Promise<Map<string, string[]>> {
  return inbox.messageIdsTo(env('MAIL_WEB_URL'), addresses);
}

export function countMailsTo(addresses: readonly string[]): Promise<Map<string, number>> {
  return inbox.countMailsTo(env('MAIL_WEB_URL'), addresses);
}

export function database(): pg.Pool {
  return new pg.Pool({ connectionString: env(RUNTIME_ENV.databaseUrl), max: 2 });
}

export function redis(): Redis {
  return new Redis(env(RUNTIME_ENV.redisUrl));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms: ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
}
