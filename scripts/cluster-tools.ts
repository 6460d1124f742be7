#!/usr/bin/env tsx
/**
 * Purpose: build (first time on a machine) or reuse kube-apiserver, kubectl and etcd at the Kubernetes version of
 *          every environment's GKE channel, for `npm run cluster:check` / `cluster:diff`. CI runs it as its own timed
 *          step so the one-off ~4 min build is visible apart from the tests.
 * Prerequisites: Go 1.24+ (`go` on PATH, $GO or /usr/local/go/bin/go) and the Go module proxy, only when the cache
 *          ($SCALEFU_TOOLS_CACHE, default ~/.cache/scalefu/tools) lacks the binaries.
 * Usage: npm run cluster:tools
 */
import { spawnSync } from 'node:child_process';
import { StackError, say } from './lib/console';
import { ensureKubernetesBinaries } from './lib/kube/binaries';
import { CLUSTER_ENVIRONMENTS, kubernetesVersionOf } from './lib/kube/environments';

try {
  for (const version of [...new Set(CLUSTER_ENVIRONMENTS.map(kubernetesVersionOf))]) {
    const started = Date.now();
    const binaries = await ensureKubernetesBinaries(version, { log: (line) => say.step('go build', line) });
    const reported = spawnSync(binaries.kubectl, ['version', '--client'], { encoding: 'utf8' }).stdout.split('\n')[0];
    const envs = CLUSTER_ENVIRONMENTS.filter((e) => kubernetesVersionOf(e) === version).join(', ');
    say.ready(
      `kubernetes ${version}`,
      `${binaries.kubeApiserver} (${envs}; ${reported})`,
      (Date.now() - started) / 1000,
    );
  }
} catch (error) {
  say.fail(error instanceof StackError ? error.component : 'cluster-tools', (error as Error).message);
  process.exit(1);
}
