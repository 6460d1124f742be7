import {
  RUNTIME_ENV,
  SERVICES,
  SERVICE_DEPENDENCIES,
  SERVICE_NODE_FLAGS,
  SERVICE_PROCESS_ENV,
  DEPENDENCY_ENV,
  type ServiceName,
  type Dependency,
} from '@scalefu/contracts';
import { runMigrations } from '@scalefu/service-kit';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { pinnedNode } from '../node-runtime';
import { StackError } from '../console';
import { buildServiceForLocalRun, type LocalServiceBuild } from '../images/bundle';
import { REPO_ROOT } from '../paths';
import { assertPortFree, waitUntil } from '../ports';
import type { RunningComponent, ServiceEnv, StartContext } from './types';

/** `--import` that starts tracing in a service process (packages/service-kit/src/tracing/register.ts). */
export const TRACING_REGISTER = '@scalefu/service-kit/register';

/** The env that makes a service export its spans to the local Zipkin (ADR 0091). */
export function zipkinTracingEnv(spansUrl: string): ServiceEnv {
  return { [RUNTIME_ENV.otelTracesExporter]: 'zipkin', [RUNTIME_ENV.otelZipkinEndpoint]: spansUrl };
}

/** Services under apps/ that exist in this checkout (an app exists once it has src/main.ts). */
export function presentServices(): ServiceName[] {
  return (Object.keys(SERVICES) as ServiceName[]).filter((name) =>
    existsSync(path.join(REPO_ROOT, 'apps', name, 'src', 'main.ts')),
  );
}

/** Apply every app's migrations before any service starts, so the schema is there whichever app starts first. */
export async function migrateAll(databaseUrl: string): Promise<string[]> {
  const applied: string[] = [];
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    for (const name of Object.keys(SERVICES)) {
      const dir = path.join(REPO_ROOT, 'apps', name, 'migrations');
      if (!existsSync(dir)) continue;
      const result = await runMigrations(pool, dir);
      applied.push(...result.applied.map((m) => `${name}/${m}`));
    }
  } finally {
    await pool.end();
  }
  return applied;
}

/** The env a service gets: its port, local settings and the connection variable of each dependency it declares. */
export function serviceEnv(
  name: ServiceName,
  port: number,
  connections: Readonly<Record<Dependency, string>>,
  extra: ServiceEnv,
): ServiceEnv {
  const env: ServiceEnv = {
    [RUNTIME_ENV.port]: String(port),
    [RUNTIME_ENV.environment]: 'local',
    [RUNTIME_ENV.otelServiceName]: name,
    ...extra,
  };
  for (const dependency of SERVICE_DEPENDENCIES[name]) env[DEPENDENCY_ENV[dependency]] = connections[dependency];
  return env;
}

const builds = new Map<string, Promise<LocalServiceBuild>>();

/** Set to 1 to run the services from TypeScript through tsx instead of compiling them first (debugging). */
export const FROM_SOURCE_ENV = 'SCALEFU_SERVICES_FROM_SOURCE';

/**
 * The node arguments that start a service. Compiled by default: tsx costs each service memory, start-up time and an
 * esbuild helper process, and the images run compiled JavaScript too (ADR 0130).
 */
async function serviceArgs(ctx: StartContext, name: ServiceName): Promise<string[]> {
  if (process.env[FROM_SOURCE_ENV] === '1') {
    // The kit's register module starts OpenTelemetry before the app's imports, so pg and ioredis get instrumented.
    return [
      ...SERVICE_NODE_FLAGS,
      '--import',
      'tsx',
      '--import',
      TRACING_REGISTER,
      path.join(REPO_ROOT, 'apps', name, 'src', 'main.ts'),
    ];
  }
  const outDir = path.join(ctx.dirs.run, 'services', name);
  // Once per runner: a second instance of a service (tests run replicas, restart them) reuses the build, and a
  // running instance never sees its files replaced underneath it.
  let build = builds.get(outDir);
  if (!build) {
    build = rm(outDir, { recursive: true, force: true })
      .then(() => buildServiceForLocalRun(name, outDir))
      .catch((error: Error) => {
        builds.delete(outDir);
        throw new StackError(name, `compiling the service failed: ${error.message}`);
      });
    builds.set(outDir, build);
  }
  const built = await build;
  return [...SERVICE_NODE_FLAGS, '--import', pathToFileURL(built.register).href, built.main];
}

/** Start one service (compiled, see serviceArgs) and wait until its /readyz answers 200 (all dependencies reachable). */
export async function startService(
  ctx: StartContext,
  name: ServiceName,
  port: number,
  env: ServiceEnv,
): Promise<RunningComponent> {
  await assertPortFree(name, port, SERVICES[name].portEnv);
  const logFile = path.join(ctx.dirs.logs, `${name}.log`);
  const args = await serviceArgs(ctx, name);
  const child = ctx.supervisor.spawn({
    name,
    command: pinnedNode(),
    args,
    cwd: REPO_ROOT,
    env: { ...process.env, ...SERVICE_PROCESS_ENV, ...env },
    logFile,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(
    name,
    'GET /readyz',
    async () => {
      const response = await fetch(`${url}/readyz`);
      if (response.status !== 200) throw new Error(`/readyz answered ${response.status}: ${await response.text()}`);
    },
    { timeoutMs: 60_000, alive: () => child.isAlive() },
  ).catch(async (error) => {
    await child.stop();
    throw new StackError(name, `${(error as Error).message}\n${child.tail()}`);
  });
  return {
    name,
    address: url,
    pids: [child.pid],
    logFile,
    isAlive: () => child.isAlive(),
    deathReport: () => `${child.describeExit()}\n${child.tail()}`,
    stop: () => child.stop(),
  };
}
