import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { VERSIONS } from '@scalefu/contracts';
import { CHART_WAVES } from '../cluster';
import { OPERATOR_CHARTS, type OperatorId } from '../facts';
import { CRD_DIR } from '../testing/crd-validator';
import { renderedClusters } from '../testing/rendered';
import { OPERATOR_WAVE } from './argocd';

/** Folder of ../shared/crds each operator's CRDs come from; `null` for a chart that ships no CRDs. */
const CRD_FOLDER_PREFIX: Readonly<Record<OperatorId, string | null>> = {
  strimzi: 'strimzi-',
  cloudnativePg: 'cloudnative-pg-',
  certManager: 'cert-manager-',
  externalSecrets: 'external-secrets-',
  keda: 'keda-',
  monitoring: 'prometheus-operator-',
  otelCollector: null,
};

type App = {
  metadata: { name: string; annotations: Record<string, string> };
  spec: Record<string, unknown> & {
    syncPolicy: { automated: { prune: boolean; selfHeal: boolean }; syncOptions?: string[] };
  };
};

describe('Argo CD bootstrap', () => {
  it('pins every operator to the app version whose CRDs are in ../shared/crds', () => {
    const folders = readdirSync(CRD_DIR);
    for (const [id, chart] of Object.entries(OPERATOR_CHARTS) as [OperatorId, (typeof OPERATOR_CHARTS)[OperatorId]][]) {
      if (CRD_FOLDER_PREFIX[id] === null) continue;
      assert.ok(
        folders.includes(`${CRD_FOLDER_PREFIX[id]}${chart.appVersion}`),
        `${id} ${chart.appVersion} has no CRD folder`,
      );
    }
    assert.equal(OPERATOR_CHARTS.monitoring.appVersion, VERSIONS.operators.prometheusOperator);
  });

  it('renders a Helm Application per operator at the pinned chart version, in the first sync wave, with server-side apply', async () => {
    for (const cluster of await renderedClusters()) {
      const apps = cluster.argocd.find((f) => f.file === 'operators.yaml')!.docs as unknown as App[];
      assert.equal(apps.length, Object.keys(OPERATOR_CHARTS).length);
      for (const chart of Object.values(OPERATOR_CHARTS)) {
        const app = apps.find((a) => (a.spec.source as { chart: string }).chart === chart.chart)!;
        assert.equal((app.spec.source as { targetRevision: string }).targetRevision, chart.chartVersion);
        assert.equal(app.metadata.annotations['argocd.argoproj.io/sync-wave'], String(OPERATOR_WAVE));
        assert.ok(app.spec.syncPolicy.syncOptions?.includes('ServerSideApply=true'));
      }
    }
  });

  it('syncs every rendered component with prune and self-heal, after the operators, data stores before apps', async () => {
    for (const cluster of await renderedClusters()) {
      const apps = cluster.argocd.find((f) => f.file === 'scalefu.yaml')!.docs as unknown as App[];
      assert.deepEqual(
        apps.map((a) => (a.spec.source as { directory: { include: string } }).directory.include).sort(),
        cluster.files.map((f) => f.file).sort(),
      );
      const wave = (chart: string) =>
        Number(
          apps.find((a) => a.metadata.name === `scalefu-${chart}`)!.metadata.annotations[
            'argocd.argoproj.io/sync-wave'
          ],
        );
      for (const a of apps) {
        assert.deepEqual(a.spec.syncPolicy.automated, { prune: true, selfHeal: true });
        if (a.metadata.name === 'scalefu-namespaces') continue;
        assert.ok(Number(a.metadata.annotations['argocd.argoproj.io/sync-wave']) > OPERATOR_WAVE, a.metadata.name);
      }
      // The Strimzi chart binds its operator into the watched namespace, so the namespace must exist first.
      assert.ok(wave('namespaces') < OPERATOR_WAVE);
      assert.ok(wave('network-policies') < wave('kafka') && wave('secrets') < wave('postgres'));
      assert.ok(
        wave('kafka') < wave('onboarder') && wave('postgres') < wave('user') && wave('redis') < wave('cache-updater'),
      );
      assert.equal(Object.keys(CHART_WAVES).length, cluster.files.length);
    }
  });

  it('limits the scalefu project to the GitOps repo and the app namespace', async () => {
    for (const cluster of await renderedClusters()) {
      const projects = cluster.argocd.find((f) => f.file === 'projects.yaml')!.docs as unknown as {
        metadata: { name: string };
        spec: { sourceRepos: string[]; destinations: { namespace: string }[] };
      }[];
      const scalefu = projects.find((p) => p.metadata.name === 'scalefu')!;
      assert.equal(scalefu.spec.sourceRepos.length, 1);
      assert.deepEqual(
        scalefu.spec.destinations.map((d) => d.namespace),
        ['scalefu'],
      );
    }
  });
});
