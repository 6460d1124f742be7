/**
 * Which Kubernetes each rendered environment meets, and a throw-away API server of that version for a callback.
 * The version follows the environment's GKE release channel (platform/environments/<env>.ts) through the one version table
 * in contracts, so bumping a channel's Kubernetes is a one-line change.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { VERSIONS } from '@scalefu/contracts';
import type { ClusterEnvironment } from '../../../platform/environments';
import { PLATFORM_ENVIRONMENTS } from '../../../platform/environments';
import { STATE_ROOT } from '../paths';
import { startApiServer, type ApiServer } from './api-server';
import { ensureKubernetesBinaries } from './binaries';

export const CLUSTER_ENVIRONMENTS = Object.keys(PLATFORM_ENVIRONMENTS) as ClusterEnvironment[];

export function isClusterEnvironment(name: string): name is ClusterEnvironment {
  return (CLUSTER_ENVIRONMENTS as string[]).includes(name);
}

/** The Kubernetes version of the environment's GKE release channel, e.g. `v1.34.4`. */
export function kubernetesVersionOf(env: ClusterEnvironment): string {
  return VERSIONS.gkeKubernetes[PLATFORM_ENVIRONMENTS[env].gcp.releaseChannel];
}

/** The port offset for throw-away servers: `$SCALEFU_PORT_OFFSET` (set by `npm test`), else 0. */
export function defaultPortOffset(): number {
  return Number(process.env['SCALEFU_PORT_OFFSET'] ?? 0);
}

/**
 * Build or reuse the binaries of `version`, start a fresh server under `.scalefu/kube/<label>-<pid>`, run `fn`, and
 * always stop the server (waiting for its PIDs) and remove its data.
 */
export async function withApiServer<T>(
  options: { version: string; label: string; portOffset?: number; log?: (line: string) => void },
  fn: (server: ApiServer) => Promise<T>,
): Promise<T> {
  const binaries = await ensureKubernetesBinaries(options.version, { log: options.log });
  const dir = path.join(STATE_ROOT, 'kube', `${options.label}-${process.pid}`);
  const server = await startApiServer({ binaries, dir, portOffset: options.portOffset ?? defaultPortOffset() });
  try {
    return await fn(server);
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
