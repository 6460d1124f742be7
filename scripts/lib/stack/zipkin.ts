import { INFRA_PORTS, VERSIONS } from '@scalefu/contracts';
import { existsSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { $ } from 'zx';
import { StackError, say } from '../console';
import { CACHE_DIR } from '../paths';
import { assertPortFree, waitUntil } from '../ports';
import { assertJavaToolchain } from './kafka';
import type { RunningComponent, StartContext } from './types';

/** Zipkin's self-contained server jar (Apache-2.0): the `exec` classifier bundles the UI and in-memory storage. */
const ZIPKIN_ARTIFACT = `io.zipkin:zipkin-server:${VERSIONS.zipkin}:jar:exec`;
/** Spans kept in memory, oldest traces dropped first: ~5 k registrations' worth, well inside the 512 MB heap. */
export const ZIPKIN_MAX_SPANS = 100_000;

export function zipkinJar(): string {
  return path.join(CACHE_DIR, `zipkin-${VERSIONS.zipkin}`, `zipkin-server-${VERSIONS.zipkin}-exec.jar`);
}

/** Fetch the jar from Maven Central once (with mvn, as the Kafka jars are); later starts reuse the cache. */
export async function ensureZipkinJar(): Promise<string> {
  const jar = zipkinJar();
  if (existsSync(jar)) return jar;
  if ((await $({ nothrow: true, quiet: true })`mvn -v`).exitCode !== 0) {
    throw new StackError(
      'zipkin',
      'Maven (mvn) not found; it fetches Zipkin from Maven Central: apt-get install -y maven',
    );
  }
  say.step('zipkin', `downloading Zipkin ${VERSIONS.zipkin} from Maven Central (first run only, ~130 MB)`);
  const partial = path.join(path.dirname(jar), 'download');
  await mkdir(partial, { recursive: true });
  const result = await $({
    nothrow: true,
    quiet: true,
  })`mvn -B -q dependency:copy -Dartifact=${ZIPKIN_ARTIFACT} -DoutputDirectory=${partial}`;
  const downloaded = path.join(partial, path.basename(jar));
  if (result.exitCode !== 0 || !existsSync(downloaded)) {
    throw new StackError(
      'zipkin',
      `downloading ${ZIPKIN_ARTIFACT} from Maven Central failed (is the network to Maven Central up?):\n` +
        result.stdout
          .split('\n')
          .filter((l) => l.includes('ERROR'))
          .slice(0, 5)
          .join('\n'),
    );
  }
  // The rename makes the cached jar appear whole or not at all, so an interrupted download is fetched again.
  await rename(downloaded, jar);
  return jar;
}

export interface RunningZipkin extends RunningComponent {
  /** Base URL of the UI and API, e.g. http://127.0.0.1:9411. */
  readonly url: string;
  /** Where services send spans (Zipkin v2 JSON): `<url>/api/v2/spans`. */
  readonly spansUrl: string;
}

/** Zipkin with in-memory storage (bounded by ZIPKIN_MAX_SPANS); ready when `/health` says UP. */
export async function startZipkin(ctx: StartContext, port: number): Promise<RunningZipkin> {
  await assertJavaToolchain();
  await assertPortFree('zipkin', port, INFRA_PORTS.zipkin.env);
  const jar = await ensureZipkinJar();
  const logFile = path.join(ctx.dirs.logs, 'zipkin.log');
  const server = ctx.supervisor.spawn({
    name: 'zipkin',
    command: 'java',
    args: [
      '-Xms64m',
      '-Xmx512m',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1', // starts in about half the time; a local trace store needs no peak throughput
      '-Djava.awt.headless=true',
      '-jar',
      jar,
      // Loopback only (Zipkin's own QUERY_PORT binds every interface): the whole port entry, or armeria picks a port.
      `--armeria.ports[0].ip=127.0.0.1`,
      `--armeria.ports[0].port=${port}`,
      '--armeria.ports[0].protocols=http',
    ],
    env: {
      ...process.env,
      STORAGE_TYPE: 'mem',
      MEM_MAX_SPANS: String(ZIPKIN_MAX_SPANS),
      // Zipkin's own self-tracing and collector logging stay off: the UI is for ScaleFu's traces.
      SELF_TRACING_ENABLED: 'false',
    },
    logFile,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(
    'zipkin',
    'GET /health',
    async () => {
      const response = await fetch(`${url}/health`);
      const body = (await response.json()) as { status?: string };
      if (body.status !== 'UP') throw new Error(`/health answered ${response.status} ${JSON.stringify(body)}`);
    },
    { timeoutMs: 90_000, alive: () => server.isAlive() },
  ).catch(async (error) => {
    await server.stop();
    throw new StackError('zipkin', `${(error as Error).message}\n${server.tail()}`);
  });
  return {
    name: 'zipkin',
    address: `${url}/zipkin/`,
    url,
    spansUrl: `${url}/api/v2/spans`,
    pids: [server.pid],
    logFile,
    isAlive: () => server.isAlive(),
    deathReport: () => `${server.describeExit()}\n${server.tail()}`,
    stop: () => server.stop(),
  };
}
