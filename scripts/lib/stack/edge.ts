import { INFRA_PORTS, localEdgeOrigin, type ServiceName } from '@scalefu/contracts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { edgeRequest } from '../../edge/client';
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
}

export interface RunningEdgeComponent extends RunningComponent {
  readonly tls: EdgeTlsFiles;
  /** The admin web's origin on this edge (what the services' CORS allowlist names). */
  readonly webOrigin: string;
}

/** Where a stack keeps its edge CA and certificate (under its git-ignored data folder). */
export function edgeTlsDir(ctx: Pick<StartContext, 'dirs'>): string {
  return path.join(ctx.dirs.data, 'edge-tls');
}

/**
 * Start the local HTTPS edge (scripts/edge/main.ts) on the pinned Node, after making the local CA and leaf, and wait
 * until it answers over TLS on the API host with a certificate the CA vouches for.
 */
export async function startEdgeComponent(ctx: StartContext, options: EdgeStartOptions): Promise<RunningEdgeComponent> {
  await assertPortFree('edge', options.httpsPort, INFRA_PORTS.edgeHttps.env);
  await assertPortFree('edge', options.httpPort, INFRA_PORTS.edgeHttp.env);
  if (!(await commandExists('openssl', 'version'))) await aptInstall('edge', ['openssl']);
  const tlsDir = edgeTlsDir(ctx);
  const tls = await ensureEdgeTls(tlsDir).catch((error: Error) => {
    throw new StackError('edge', `could not make the local CA with openssl: ${error.message}`);
  });
  const upstreamEnv = Object.fromEntries(
    Object.entries(options.upstreams).map(([name, url]) => [`${name.toUpperCase().replace('-', '_')}_URL`, url]),
  );
  const logFile = path.join(ctx.dirs.logs, 'edge.log');
  const child = ctx.supervisor.spawn({
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
