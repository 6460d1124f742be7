import {
  INFRA_PORTS,
  RUNTIME_ENV,
  SERVICES,
  localEdgeOrigin,
  type Dependency,
  type ServiceName,
} from '@scalefu/contracts';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { rotateKeySet } from '@scalefu/service-kit';
import { StackError, say } from '../console';
import { pidAlive } from '../managed-process';
import { stackDirs, type StackDirs } from '../paths';
import { ProcessSupervisor, StopRequested, stopStackProcesses, type StackProcess } from '../process-supervisor';
import { ensureAdminWebBuilt } from '../../../apps/admin-web/scripts/build-lib';
import { startEdgeComponent } from './edge';
import { describeCluster, ensureTopics, startKafka } from './kafka';
import { notifierSmtpEnvForMailpit, smtpHandshake, startMailpit } from './mailpit';
import { selectOne, startPostgres } from './postgres';
import { LOCAL_SCRAPE_SECONDS, ensurePrometheus, startPrometheus } from './prometheus';
import { ping, startRedis } from './redis';
import { migrateAll, presentServices, serviceEnv, startService, zipkinTracingEnv } from './services';
import { externalComponent, type RunningComponent, type ServiceEnv, type StartContext } from './types';
import { startZipkin } from './zipkin';

export interface StackOptions {
  /** `local` for `npm start`, `test` for `npm test`: separate data, logs and ports. */
  readonly name: string;
  /** Added to every default port (not to explicit overrides). @default 0 */
  readonly portOffset?: number;
  /** Wipe the stack's data first. @default false */
  readonly fresh?: boolean;
  /** Start the services under apps/. @default true */
  readonly services?: boolean;
  /** Start Prometheus if installed. @default true */
  readonly prometheus?: boolean;
  /** Start Zipkin (the trace backend with a UI) and send the services' spans to it. @default true */
  readonly tracing?: boolean;
  /** Called as soon as the stack object exists, so a Ctrl-C during start-up can stop what already runs. */
  readonly onCreated?: (stack: Stack) => void;
  /** Where overrides (KAFKA_BROKERS, DATABASE_URL, REDIS_URL, SMTP_URL, *_PORT) are read. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface StackState {
  readonly runnerPid: number;
  readonly startedAt: string;
  readonly components: readonly { name: string; address: string; pids: readonly number[] }[];
}

/** A running local stack: its components in start order and the connection env services and tests use. */
export class Stack {
  readonly supervisor: ProcessSupervisor;

  constructor(
    readonly dirs: StackDirs,
    readonly components: RunningComponent[],
    /** Connection variables (KAFKA_BROKERS, DATABASE_URL, REDIS_URL, SMTP_URL, ...) plus MAIL_WEB_URL. */
    readonly env: ServiceEnv,
  ) {
    this.supervisor = new ProcessSupervisor(dirs.root);
  }

  get stateFile(): string {
    return path.join(this.dirs.run, 'stack.json');
  }

  /** True once a stop began: start-up starts nothing more and prints no summary. */
  get stopping(): boolean {
    return this.supervisor.isClosed;
  }

  async writeState(): Promise<void> {
    if (this.stopping) return;
    const state: StackState = {
      runnerPid: process.pid,
      startedAt: new Date().toISOString(),
      components: this.components.map((c) => ({ name: c.name, address: c.address, pids: c.pids })),
    };
    await writeFile(this.stateFile, JSON.stringify(state, null, 2));
  }

  /** The first component found dead, if any. */
  findDead(): RunningComponent | undefined {
    return this.components.find((c) => !c.isAlive());
  }

  /**
   * Stop everything this stack spawned, ready or half-started, newest first (services before the stores they use).
   * Safe to call from a signal handler while start-up is still running: nothing starts after it.
   */
  async stop(): Promise<void> {
    await this.supervisor.stopAll();
    await rm(this.stateFile, { force: true });
  }
}

export function readState(name: string): StackState | undefined {
  const file = path.join(stackDirs(name).run, 'stack.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StackState;
  } catch {
    return undefined;
  }
}

/** Refuse to start twice; stop processes a runner that died or exited early left behind. */
async function handlePreviousRun(name: string): Promise<void> {
  const state = readState(name);
  if (state && state.runnerPid !== process.pid && pidAlive(state.runnerPid)) {
    throw new StackError(
      'stack',
      `a ${name} stack is already running (runner pid ${state.runnerPid}); stop it with \`npm stop\``,
    );
  }
  const leftovers = await stopStackProcesses(stackDirs(name).root, 3);
  if (leftovers.length) {
    say.warn('stack', `stopped ${leftovers.length} process(es) left by a previous run: ${describe(leftovers)}`);
  }
  await rm(path.join(stackDirs(name).run, 'stack.json'), { force: true });
}

/** The file holding a stack's generated secrets as env (`npm run admin -- rotate-keys` rewrites its JWT keys). */
export const localSecretsFile = (dirs: StackDirs): string => path.join(dirs.data, 'local-secrets.json');

/**
 * Local-only secrets (the national-ID HMAC key, the JWT signing keys), generated once per data folder and completed
 * when a newer checkout needs one more; never committed, wiped by --fresh. `npm run admin -- rotate-keys` edits it.
 */
async function localSecrets(dirs: StackDirs): Promise<ServiceEnv> {
  const file = localSecretsFile(dirs);
  const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ServiceEnv) : {};
  const secrets: ServiceEnv = {
    [RUNTIME_ENV.nationalIdHmacKey]: randomBytes(32).toString('hex'),
    [RUNTIME_ENV.jwtSigningKey]: JSON.stringify(rotateKeySet(undefined)),
    [RUNTIME_ENV.mfaEncryptionKey]: randomBytes(32).toString('hex'),
    ...existing,
  };
  if (Object.keys(secrets).length !== Object.keys(existing).length) {
    await mkdir(dirs.data, { recursive: true });
    await writeFile(file, JSON.stringify(secrets), { mode: 0o600 });
  }
  return secrets;
}

/** "kafka (pid 12), notifier (pid 34)" for the stop reports. */
export function describe(processes: readonly StackProcess[]): string {
  return processes.map((p) => `${p.name} (pid ${p.pid})`).join(', ');
}

async function timed<T extends RunningComponent>(ctx: StartContext, name: string, start: () => Promise<T>): Promise<T> {
  if (ctx.supervisor.isClosed) throw new StopRequested(name);
  const started = Date.now();
  say.step(name, 'starting');
  const component = await start();
  say.ready(name, component.address, (Date.now() - started) / 1000);
  return component;
}

async function external(name: string, url: string, check: () => Promise<unknown>): Promise<RunningComponent> {
  await check().catch((error: Error) => {
    throw new StackError(name, `the override ${url} does not answer: ${error.message}`);
  });
  say.reused(name, url);
  return externalComponent(name, url);
}

/**
 * Start the whole local stack on real parts (ARCHITECTURE §8): infrastructure in parallel, then migrations,
 * then the services, then Prometheus. On any failure everything already started is stopped again.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const env = options.env ?? process.env;
  const offset = options.portOffset ?? 0;
  const port = (spec: { port: number; env: string }) => Number(env[spec.env] ?? spec.port + offset);
  const dirs = stackDirs(options.name);
  await handlePreviousRun(options.name);
  if (options.fresh) await rm(path.dirname(dirs.data), { recursive: true, force: true });
  await Promise.all([
    mkdir(dirs.data, { recursive: true }),
    mkdir(dirs.logs, { recursive: true }),
    mkdir(dirs.run, { recursive: true }),
  ]);
  const connections = {} as Record<Dependency, string>;
  const extra: ServiceEnv = { ...(await localSecrets(dirs)) };
  const tracingEnv: ServiceEnv = {};
  const started: RunningComponent[] = [];
  const stack = new Stack(dirs, started, extra);
  const ctx: StartContext = { dirs, supervisor: stack.supervisor };
  options.onCreated?.(stack);
  await stack.writeState();

  try {
    const infra = await Promise.allSettled([
      (async () => {
        const brokers = env[RUNTIME_ENV.kafkaBrokers];
        if (brokers) {
          const c = await external('kafka', brokers, async () => {
            await describeCluster(brokers);
            await ensureTopics(brokers);
          });
          connections.kafka = brokers;
          return c;
        }
        const kafka = await timed(ctx, 'kafka', () =>
          startKafka(ctx, { port: port(INFRA_PORTS.kafka), controllerPort: port(INFRA_PORTS.kafkaController) }),
        );
        connections.kafka = kafka.brokers;
        return kafka;
      })(),
      (async () => {
        const url = env[RUNTIME_ENV.databaseUrl];
        if (url) {
          connections.postgres = url;
          return external('postgres', url, () => selectOne(url));
        }
        const postgres = await timed(ctx, 'postgres', () => startPostgres(ctx, port(INFRA_PORTS.postgres)));
        connections.postgres = postgres.url;
        return postgres;
      })(),
      (async () => {
        const url = env[RUNTIME_ENV.redisUrl];
        if (url) {
          connections.redis = url;
          return external('redis', url, () => ping(url));
        }
        const redis = await timed(ctx, 'redis', () => startRedis(ctx, port(INFRA_PORTS.redis)));
        connections.redis = redis.url;
        return redis;
      })(),
      (async () => {
        const url = env[RUNTIME_ENV.smtpUrl];
        if (url) {
          connections.smtp = url;
          const { hostname, port: p } = new URL(url);
          return external('smtp', url, () => smtpHandshake(hostname, Number(p || 25)));
        }
        const mailpit = await timed(ctx, 'mailpit', () =>
          startMailpit(ctx, { smtp: port(INFRA_PORTS.smtp), web: port(INFRA_PORTS.mailWeb) }),
        );
        connections.smtp = mailpit.smtpUrl;
        extra['MAIL_WEB_URL'] = mailpit.webUrl;
        return mailpit;
      })(),
      ...((options.tracing ?? true)
        ? [
            (async () => {
              const zipkin = await timed(ctx, 'zipkin', () => startZipkin(ctx, port(INFRA_PORTS.zipkin)));
              Object.assign(tracingEnv, zipkinTracingEnv(zipkin.spansUrl));
              extra['ZIPKIN_URL'] = zipkin.url;
              return zipkin;
            })(),
          ]
        : []),
    ]);
    for (const result of infra) if (result.status === 'fulfilled') started.push(result.value);
    await stack.writeState();
    const failed = infra.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;

    Object.assign(extra, {
      [RUNTIME_ENV.kafkaBrokers]: connections.kafka,
      [RUNTIME_ENV.databaseUrl]: connections.postgres,
      [RUNTIME_ENV.redisUrl]: connections.redis,
      [RUNTIME_ENV.smtpUrl]: connections.smtp,
    });
    if (stack.stopping) throw new StopRequested('postgres');
    const migrations = await migrateAll(connections.postgres);
    if (migrations.length) say.step('postgres', `migrations applied: ${migrations.join(', ')}`);

    if (options.services ?? true) {
      const servicePorts: Partial<Record<ServiceName, number>> = {};
      for (const name of presentServices()) {
        const p = port({ port: SERVICES[name].port, env: SERVICES[name].portEnv });
        servicePorts[name] = p;
        const envForService = serviceEnv(name, p, connections, {
          [RUNTIME_ENV.nationalIdHmacKey]: extra[RUNTIME_ENV.nationalIdHmacKey]!,
          ...tracingEnv,
          ...(name === SERVICES.user.name
            ? {
                [RUNTIME_ENV.jwtSigningKey]: extra[RUNTIME_ENV.jwtSigningKey]!,
                [RUNTIME_ENV.mfaEncryptionKey]: extra[RUNTIME_ENV.mfaEncryptionKey]!,
              }
            : {}),
          ...(name === SERVICES.notifier.name ? notifierSmtpEnvForMailpit(env) : {}),
          [RUNTIME_ENV.corsAllowedOrigins]: localEdgeOrigin('web', port(INFRA_PORTS.edgeHttps)),
          // The confirmation mail links the status page on this stack's edge.
          [RUNTIME_ENV.publicBaseUrl]: localEdgeOrigin('web', port(INFRA_PORTS.edgeHttps)),
        });
        started.push(await timed(ctx, name, () => startService(ctx, name, p, envForService)));
        extra[`${name.toUpperCase().replace('-', '_')}_URL`] = `http://127.0.0.1:${p}`;
        await stack.writeState();
      }
      const upstreams = Object.fromEntries(Object.entries(servicePorts).map(([k, v]) => [k, `http://127.0.0.1:${v}`]));
      // The edge serves the admin web's export: build it first when a source changed (a content-hash stamp).
      if (await ensureAdminWebBuilt()) say.step('admin-web', 'built apps/admin-web/out (sources changed)');
      started.push(
        await timed(ctx, 'edge', () =>
          startEdgeComponent(ctx, {
            httpsPort: port(INFRA_PORTS.edgeHttps),
            httpPort: port(INFRA_PORTS.edgeHttp),
            upstreams,
          }),
        ),
      );
      if ((options.prometheus ?? true) && (await ensurePrometheus())) {
        const servicePortMap = Object.fromEntries(Object.entries(servicePorts).map(([k, v]) => [k, v!]));
        started.push(
          await timed(ctx, 'prometheus', () =>
            startPrometheus(ctx, port(INFRA_PORTS.prometheus), servicePortMap, LOCAL_SCRAPE_SECONDS),
          ),
        );
      } else if (options.prometheus ?? true) {
        say.warn('prometheus', 'not installed, skipped (sudo apt-get install -y prometheus)');
      }
    }
    await stack.writeState();
    return stack;
  } catch (error) {
    await stack.stop();
    throw error;
  }
}
