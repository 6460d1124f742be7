#!/usr/bin/env tsx
/**
 * Purpose: apply every rendered manifest to a real Kubernetes API server before Argo CD does. Per environment: start
 *          a throw-away kube-apiserver + etcd on loopback (the Kubernetes version of the environment's GKE channel),
 *          install the pinned CRDs from ../shared/crds, server-side apply (for real) argocd/<env> and clusters/<env>
 *          in Argo CD's sync order, print every rejection and warning with file, kind, name and the server's
 *          message, flag documents that a second identical apply would change again (drift: a change on every
 *          sync), stop the server by PID. Exit 1 on any of these.
 * Prerequisites: Go 1.24+ (`go` on PATH or /usr/local/go/bin/go) the first time on a machine: the binaries are built
 *          from the Go module proxy (~4 min on 2 idle cores) and cached in ~/.cache/scalefu/tools
 *          ($SCALEFU_TOOLS_CACHE). ../shared/crds beside the checkout ($SCALEFU_CRDS_DIR). Ports 6443, 2379, 2380
 *          free (+$SCALEFU_PORT_OFFSET, or KUBE_APISERVER_PORT / ETCD_PORT / ETCD_PEER_PORT).
 * Usage: npm run cluster:check                 dev and prod, one fresh server each
 *        npm run cluster:check -- --env prod   one environment
 *        npm run cluster:check -- --root /tmp/export   another rendered tree (argocd/ and clusters/ under it)
 */
import { parseArgs } from 'node:util';
import { StackError, say } from './lib/console';
import { SHARED_CRDS_DIR, REPO_ROOT } from './lib/paths';
import { SKIPPED_KINDS, checkEnvironment, formatFinding, formatNote, type CheckReport } from './lib/kube/check';
import {
  CLUSTER_ENVIRONMENTS,
  isClusterEnvironment,
  kubernetesVersionOf,
  withApiServer,
} from './lib/kube/environments';

const { values } = parseArgs({
  options: { env: { type: 'string', multiple: true }, root: { type: 'string', default: REPO_ROOT } },
});
const envs = values.env ?? CLUSTER_ENVIRONMENTS;
for (const env of envs) {
  if (!isClusterEnvironment(env)) {
    say.fail('cluster-check', `unknown environment "${env}" (known: ${CLUSTER_ENVIRONMENTS.join(', ')})`);
    process.exit(2);
  }
}

const reports: CheckReport[] = [];
try {
  for (const env of envs.filter(isClusterEnvironment)) {
    const version = kubernetesVersionOf(env);
    const started = Date.now();
    say.step('cluster-check', `${env}: kube-apiserver ${version}, CRDs from ${SHARED_CRDS_DIR}`);
    const report = await withApiServer({ version, label: `check-${env}` }, (server) =>
      checkEnvironment(server.client, { root: values.root, env, crdsDir: SHARED_CRDS_DIR }),
    );
    reports.push(report);
    for (const note of report.notes) console.log(formatNote(note));
    const skipped = report.notes.filter((n) => n.kind in SKIPPED_KINDS).length;
    console.log(
      `· ${env}: ${skipped} webhook/APIService documents left out (${Object.keys(SKIPPED_KINDS).join(', ')})`,
    );
    for (const finding of report.findings) console.log(formatFinding(finding));
    const count = (severity: string) => report.findings.filter((f) => f.severity === severity).length;
    const line =
      `${env}: ${report.applied} documents applied in ${report.plan.units.length} syncs (+${report.crds} CRDs), ` +
      `${count('rejected')} rejected, ${count('warning')} warnings, ${count('drift')} drifting ` +
      `(${((Date.now() - started) / 1000).toFixed(1)} s)`;
    if (report.findings.length === 0) console.log(`✔ ${line}`);
    else say.fail('cluster-check', line);
  }
} catch (error) {
  say.fail(error instanceof StackError ? error.component : 'cluster-check', (error as Error).message);
  process.exit(1);
}
process.exit(reports.some((r) => r.findings.length > 0) ? 1 : 0);
