import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VERSIONS } from '@scalefu/contracts';
import { PLATFORM_ENVIRONMENTS } from '../../../platform/environments';
import { kubernetesToolSpec, stagingModules, stagingVersion } from './binaries';
import { CLUSTER_ENVIRONMENTS, kubernetesVersionOf } from './environments';

test('maps a Kubernetes release to the tag of its staging modules, and refuses anything else', () => {
  assert.equal(stagingVersion('v1.34.4'), 'v0.34.4');
  assert.throws(() => stagingVersion('1.34'), /not of the form v1\.<minor>\.<patch>/);
});

test("reads the staging replaces from kubernetes' go.mod, ignoring other replaces", () => {
  const goMod = [
    'replace (',
    '\tk8s.io/api => ./staging/src/k8s.io/api',
    '\tk8s.io/client-go => ./staging/src/k8s.io/client-go',
    '\tgithub.com/x/y => github.com/x/y v1.0.0',
    ')',
  ].join('\n');
  assert.deepEqual(stagingModules(goMod), ['k8s.io/api', 'k8s.io/client-go']);
});

test("builds each environment's API server at the Kubernetes version of its GKE release channel", () => {
  for (const env of CLUSTER_ENVIRONMENTS) {
    assert.equal(kubernetesVersionOf(env), VERSIONS.gkeKubernetes[PLATFORM_ENVIRONMENTS[env].gcp.releaseChannel]);
  }
  const spec = kubernetesToolSpec('v1.34.4');
  assert.deepEqual(
    spec.binaries.map((b) => b.output),
    ['kubectl', 'etcd', 'kube-apiserver'],
  );
  const flags = spec.binaries.find((b) => b.output === 'kube-apiserver')?.ldflags ?? [];
  assert.ok(flags.includes('-X k8s.io/component-base/version.gitVersion=v1.34.4'), flags.join(' '));
  assert.ok(flags.includes('-X k8s.io/component-base/version.gitMinor=34'), flags.join(' '));
});
