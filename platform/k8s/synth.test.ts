import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildCluster } from './cluster';
import { PLATFORM_ENVIRONMENTS } from '../environments/index';
import { GENERATED_HEADER, renderApp } from './render';
import { REPO_ROOT } from './testing/crd-validator';
import { renderedClusters } from './testing/rendered';

describe('synth output', () => {
  it('is deterministic: two renders of a cluster are byte-identical', () => {
    const once = renderApp(buildCluster(PLATFORM_ENVIRONMENTS.prod)).map((f) => f.content);
    const twice = renderApp(buildCluster(PLATFORM_ENVIRONMENTS.prod)).map((f) => f.content);
    assert.deepEqual(once, twice);
  });

  it('writes one file per component, each starting with the do-not-edit header', async () => {
    for (const cluster of await renderedClusters()) {
      const names = cluster.files.map((f) => f.file).sort();
      for (const expected of [
        'namespaces',
        'network-policies',
        'secrets',
        'kafka',
        'postgres',
        'redis',
        'edge',
        'monitoring',
        'onboarder',
        'user',
        'notifier',
        'cache-updater',
      ]) {
        assert.ok(names.includes(`${expected}.k8s.yaml`), `${cluster.env} lacks ${expected}.k8s.yaml`);
      }
      for (const f of [...cluster.files, ...cluster.argocd]) assert.ok(f.content.startsWith(GENERATED_HEADER), f.file);
    }
  });

  it('matches what is committed in clusters/ and argocd/ (run `npm run synth` after changing platform/k8s)', async () => {
    for (const cluster of await renderedClusters()) {
      for (const [dir, files] of [
        [join(REPO_ROOT, 'clusters', cluster.env), cluster.files],
        [join(REPO_ROOT, 'argocd', cluster.env), cluster.argocd],
      ] as const) {
        assert.ok(existsSync(dir), `${dir} is missing`);
        assert.deepEqual(
          readdirSync(dir)
            .filter((f) => f.endsWith('.yaml'))
            .sort(),
          files.map((f) => f.file).sort(),
        );
        for (const f of files)
          assert.equal(readFileSync(join(dir, f.file), 'utf8'), f.content, `${dir}/${f.file} is stale`);
      }
    }
  });
});
