import { INFRA_PORTS, localEdgeOrigin, type ServiceName } from '@scalefu/contracts';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { edgeRequest } from '../../edge/client';
import { nginxEdgeConfig } from '../../edge/nginx-config';
import { adminWebRoot } from '../../edge/web-root';
import { ensureEdgeTls, type EdgeTlsFiles } from '../../edge/tls';
import { aptInstall, commandExists } from '../apt';
import { StackError } from '../console';
import { pinnedNode } from '../node-runtime';
import { REPO_ROOT } from '../paths';
import { assertPortFree, waitUntil } from '../ports';
import type { RunningComponent, StartContext } from './types';

export interface EdgeStartOptions {
  readonly httpsPort: number;
  readonly httpPort: number;
  /** Base URL of each running service (`http://127.0.0.1:8080`). */
  readonly upstreams: Readonly<Partial<Record<ServiceName, string>>>;
  /** Extra environment (e.g. EDGE_LOG_REQUESTS). @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * What serves the edge: nginx from Debian with a configuration generated from the route table (ADR 0140), or the
   * Node edge (scripts/edge/main.ts), kept as the reference the bench compares against.
   * @default process.env.EDGE_ENGINE ?? 'nginx'
   */
  readonly engine?: EdgeEngine;
}

export const EDGE_ENGINES = ['nginx', 'node'] as const;
export type EdgeEngine = (typeof EDGE_ENGINES)[number];

function engineOf(options: EdgeStartOptions): EdgeEngine {
  const engine = options.engine ?? process.env['EDGE_ENGINE'] ?? 'nginx';
  if (!EDGE_ENGINES.includes(engine as EdgeEngine)) {
    throw new StackError('edge', `EDGE_ENGINE must be one of ${EDGE_ENGINES.join(', ')}, not ${engine}`);
  }
  return engine as EdgeEngine;
}

/** Debian's nginx binary (the `nginx` package). */
const NGINX = '/usr/sbin/nginx';

/** The nginx binary, installed from Debian on first use like openssl (its package never starts a daemon here). */
export async function ensureNginx(): Promise<string> {
  if (!existsSync(NGINX)) await aptInstall('edge', ['nginx']);
  return NGINX;
}

export interface RunningEdgeComponent extends RunningComponent {
  readonly engine: EdgeEngine;
  readonly tls: EdgeTlsFiles;
  /** The admin web's origin on this edge (what the services' CORS allowlist names). */
  readonly webOrigin: string;
}

/** Where a stack keeps its edge CA and certificate (under its git-ignored data folder). */
export function edgeTlsDir(ctx: Pick<StartContext, 'dirs'>): string {
  return path.join(ctx.dirs.data, 'edge-tls');
}

/**
 * Start the local HTTPS edge — nginx with a configuration generated from the route table, or the Node edge
 * (scripts/edge/main.ts) on the pinned Node — after making the local CA and leaf, and wait until it answers over TLS
 * on the API host with a certificate the CA vouches for.
 */
export async function startEdgeComponent(ctx: StartContext, options: EdgeStartOptions): Promise<RunningEdgeComponent> {
  await assertPortFree('edge', options.httpsPort, INFRA_PORTS.edgeHttps.env);
  await assertPortFree('edge', options.httpPort, INFRA_PORTS.edgeHttp.env);
  if (!(await commandExists('openssl', 'version'))) await aptInstall('edge', ['openssl']);
  const tlsDir = edgeTlsDir(ctx);
  const tls = await ensureEdgeTls(tlsDir).catch((error: Error) => {
    throw new StackError('edge', `could not make the local CA with openssl: ${error.message}`);
  });
  const logFile = path.join(ctx.dirs.logs, 'edge.log');
  const engine = engineOf(options);
  const child =
    engine === 'nginx' ? await spawnNginx(ctx, options, tls, logFile) : spawnNodeEdge(ctx, options, tlsDir, logFile);
  const ca = readFileSync(tls.caCert, 'utf8');
  const apiOrigin = localEdgeOrigin('api', options.httpsPort);
  await waitUntil('edge', `GET ${apiOrigin}/`, () => edgeRequest(`${apiOrigin}/`, { ca }), {
    timeoutMs: 30_000,
    alive: () => child.isAlive(),
  }).catch(async (error) => {
    await child.stop();
    throw new StackError('edge', `${(error as Error).message}\n${child.tail()}`);
  });
  return {
    name: 'edge',
    engine,
    address: `${localEdgeOrigin('web', options.httpsPort)} (CA ${path.relative(REPO_ROOT, tls.caCert)})`,
    pids: [child.pid],
    logFile,
    tls,
    webOrigin: localEdgeOrigin('web', options.httpsPort),
    isAlive: () => child.isAlive(),
    deathReport: () => `${child.describeExit()}\n${child.tail()}`,
    stop: () => child.stop(),
  };
}

async function spawnNginx(ctx: StartContext, options: EdgeStartOptions, tls: EdgeTlsFiles, logFile: string) {
  const nginx = await ensureNginx();
  const runDir = ctx.dirs.run;
  await mkdir(runDir, { recursive: true });
  const config = path.join(runDir, 'edge-nginx.conf');
  await writeFile(
    config,
    nginxEdgeConfig({
      httpsPort: options.httpsPort,
      httpPort: options.httpPort,
      tls,
      upstreams: options.upstreams,
      webRoot: adminWebRoot(),
      runDir,
      logRequests: (options.env?.['EDGE_LOG_REQUESTS'] ?? process.env['EDGE_LOG_REQUESTS']) === 'true',
    }),
  );
  // `-e stderr`: the log file is the supervisor's; nginx's compiled-in /var/log path is never touched.
  return ctx.supervisor.spawn({
    name: 'edge',
    command: nginx,
    args: ['-e', 'stderr', '-p', runDir, '-c', config],
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    logFile,
  });
}

function spawnNodeEdge(ctx: StartContext, options: EdgeStartOptions, tlsDir: string, logFile: string) {
  const upstreamEnv = Object.fromEntries(
    Object.entries(options.upstreams).map(([name, url]) => [`${name.toUpperCase().replace('-', '_')}_URL`, url]),
  );
  return ctx.supervisor.spawn({
    name: 'edge',
    command: pinnedNode(),
    args: ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', 'edge', 'main.ts')],
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ...upstreamEnv,
      ...options.env,
      EDGE_TLS_DIR: tlsDir,
      [INFRA_PORTS.edgeHttps.env]: String(options.httpsPort),
      [INFRA_PORTS.edgeHttp.env]: String(options.httpPort),
    },
    logFile,
  });
}
