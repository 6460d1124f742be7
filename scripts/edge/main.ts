/**
 * Purpose: the local HTTPS edge on Node — production's host layout on loopback (app./api./admin-api.scalefu.localhost),
 *          routing the contracts' public route table to the services, serving the admin web's static export. The
 *          stack runs nginx with a generated configuration by default (ADR 0140); this one with EDGE_ENGINE=node.
 * Prerequisites: TLS files made by scripts/lib/stack/edge.ts (a local CA + leaf, under the stack's data folder);
 *          the services it routes to listening.
 * Usage: started by `EDGE_ENGINE=node npm start` (scripts/lib/stack/edge.ts) on the pinned Node; by hand:
 *          EDGE_TLS_DIR=.scalefu/local/data/edge-tls ONBOARDER_URL=http://127.0.0.1:8080 \
 *          USER_URL=http://127.0.0.1:8081 node --import tsx scripts/edge/main.ts
 */
import { INFRA_PORTS, SERVICE_NAMES, type ServiceName } from '@scalefu/contracts';
import { readFileSync } from 'node:fs';
import { startEdge } from './server';
import { edgeTlsFiles } from './tls';
import { adminWebRoot } from './web-root';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`edge: ${name} is not set (see the header of scripts/edge/main.ts)`);
    process.exit(2);
  }
  return value;
}

const tls = edgeTlsFiles(required('EDGE_TLS_DIR'));
const upstreams: Partial<Record<ServiceName, string>> = {};
for (const service of SERVICE_NAMES) {
  const url = process.env[`${service.toUpperCase().replace('-', '_')}_URL`];
  if (url) upstreams[service] = url;
}
const webRoot = adminWebRoot();

const edge = await startEdge({
  httpsPort: Number(process.env[INFRA_PORTS.edgeHttps.env] ?? INFRA_PORTS.edgeHttps.port),
  httpPort: Number(process.env[INFRA_PORTS.edgeHttp.env] ?? INFRA_PORTS.edgeHttp.port),
  tls: { cert: readFileSync(tls.cert, 'utf8'), key: readFileSync(tls.key, 'utf8') },
  upstreams,
  webRoot,
  logRequests: process.env['EDGE_LOG_REQUESTS'] === 'true',
});
console.log(JSON.stringify({ msg: 'edge started', webRoot, upstreams }));

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void edge.close().then(() => process.exit(0));
  });
}
