import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { renderDashboards, rulesDocument } from '@scalefu/dashboards';
import { Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { GRAFANA_DASHBOARD_LABEL, GRAFANA_FOLDER_ANNOTATION } from '../gitops/operator-values';
import { renderedClusters } from '../testing/rendered';
import { Observability } from './observability';

type Doc = { kind: string; metadata: { name: string; labels?: Record<string, string> }; data?: Record<string, string> };

describe('observability in the clusters', () => {
  it('renders every dashboard as a sidecar-labelled ConfigMap equal to dashboards/rendered, and the rules file as a PrometheusRule', async () => {
    const rulesFile = parse(
      await readFile(new URL('../../../dashboards/rendered/rules.yaml', import.meta.url), 'utf8'),
    ) as unknown;
    for (const cluster of await renderedClusters()) {
      const docs = cluster.files.find((f) => f.file === 'monitoring.k8s.yaml')!.docs as unknown as Doc[];
      for (const { uid } of renderDashboards()) {
        const map = docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === `grafana-dashboard-${uid}`);
        assert.ok(map, `${cluster.env}: no ConfigMap for ${uid}`);
        assert.equal(map.metadata.labels?.[GRAFANA_DASHBOARD_LABEL.name], GRAFANA_DASHBOARD_LABEL.value);
        const committed = await readFile(new URL(`../../../dashboards/rendered/${uid}.json`, import.meta.url), 'utf8');
        assert.equal(map.data?.[`${uid}.json`], committed);
      }
      const rule = docs.find((d) => d.kind === 'PrometheusRule') as unknown as { spec: unknown } | undefined;
      assert.deepEqual(rule?.spec, rulesFile, `${cluster.env}: PrometheusRule differs from the local rules file`);
      assert.ok(docs.some((d) => d.kind === 'ServiceMonitor' && d.metadata.name === 'argocd-metrics'));
    }
  });

  it('refuses a dashboard uid given twice', () => {
    const [first] = renderDashboards();
    assert.throws(
      () =>
        new Observability(new Chart(Testing.app(), 'c'), 'o', {
          namespace: 'n',
          dashboards: [first!, first!],
          rules: rulesDocument(),
          dashboardLabel: GRAFANA_DASHBOARD_LABEL,
          folderAnnotation: GRAFANA_FOLDER_ANNOTATION,
        }),
      /appears twice/,
    );
  });
});
