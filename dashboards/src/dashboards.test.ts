import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { DEFAULT_METRICS_PREFIX, METRICS } from '@scalefu/contracts';
import { isClusterOnly, metricNamesIn } from './cluster-only';
import { DATASOURCE, dashboards, renderDashboards, ruleGroups, isAlert } from './index';

interface RenderedPanel {
  id?: number;
  type: string;
  title: string;
  gridPos?: { x: number; y: number; w: number; h: number };
  datasource?: { type?: string; uid?: string };
  targets?: { refId?: string; expr?: string; datasource?: unknown }[];
  options?: { legend?: { showLegend?: boolean } };
}

const rendered = renderDashboards().map(({ uid, json }) => ({
  uid,
  json,
  dashboard: JSON.parse(json) as { uid: string; panels: RenderedPanel[]; annotations?: { list?: unknown[] } },
}));

test('every dashboard has unique panel ids and grid positions that do not overlap', () => {
  for (const { uid, dashboard } of rendered) {
    const ids = dashboard.panels.map((p) => p.id);
    assert.ok(
      ids.every((id) => typeof id === 'number'),
      `${uid}: a panel has no id`,
    );
    assert.equal(new Set(ids).size, ids.length, `${uid}: duplicate panel ids`);
    const boxes = dashboard.panels.map((p) => ({ title: p.title, ...p.gridPos! }));
    for (const [i, a] of boxes.entries()) {
      assert.ok(a.w > 0 && a.h > 0 && a.x >= 0 && a.x + a.w <= 24, `${uid}/${a.title}: bad gridPos`);
      for (const b of boxes.slice(i + 1)) {
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        assert.ok(!overlap, `${uid}: "${a.title}" overlaps "${b.title}"`);
      }
    }
  }
});

test('every panel has a datasource and every query a unique refId, a datasource and a visible legend', () => {
  for (const { uid, dashboard } of rendered) {
    for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) {
      assert.deepEqual(panel.datasource, DATASOURCE, `${uid}/${panel.title}: no datasource`);
      const refIds = (panel.targets ?? []).map((t) => t.refId);
      assert.ok(refIds.length > 0, `${uid}/${panel.title}: no query`);
      assert.ok(
        refIds.every((r) => typeof r === 'string' && r.length > 0),
        `${uid}/${panel.title}: query without refId`,
      );
      assert.equal(new Set(refIds).size, refIds.length, `${uid}/${panel.title}: duplicate refIds`);
      for (const t of panel.targets ?? []) assert.deepEqual(t.datasource, DATASOURCE);
      if (panel.type === 'timeseries') assert.equal(panel.options?.legend?.showLegend, true, `${uid}/${panel.title}`);
    }
  }
});

test('the SLO, RED, Kafka, stores, business and security dashboards carry Argo CD sync annotations', () => {
  for (const { uid, dashboard } of rendered.filter((r) => r.uid !== 'scalefu-load-test')) {
    const list = (dashboard.annotations?.list ?? []) as { name?: string; expr?: string }[];
    assert.ok(
      list.some((a) => a.expr?.includes('argocd_app_sync_total')),
      `${uid} has no deploy annotation`,
    );
  }
});

/** Every series name the kit and services can expose, from contracts (histograms as their three series). */
function exposedNames(): Set<string> {
  const names = new Set<string>();
  for (const fact of Object.values(METRICS)) {
    if (fact.type === 'histogram') for (const s of ['_bucket', '_count', '_sum']) names.add(fact.name + s);
    else names.add(fact.name);
  }
  return names;
}

test('dashboards and alerts query only metrics defined in contracts, recorded by our rules, or listed as cluster-only', () => {
  const exposed = exposedNames();
  const recorded = new Set(ruleGroups().flatMap((g) => g.rules.flatMap((r) => (isAlert(r) ? [] : [r.record]))));
  const exprs = [
    ...rendered.flatMap(({ dashboard }) => dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? ''))),
    ...ruleGroups().flatMap((g) => g.rules.map((r) => r.expr)),
  ];
  for (const expr of exprs) {
    for (const name of metricNamesIn(expr)) {
      const known =
        exposed.has(name) ||
        recorded.has(name) ||
        isClusterOnly(name) ||
        name === 'up' ||
        (name.startsWith(`${DEFAULT_METRICS_PREFIX}process_`) && !exposed.has(name));
      assert.ok(known, `"${name}" in ${expr} is not defined anywhere`);
    }
  }
});

test('the committed dashboards/rendered files equal a fresh render (run `npm run dashboards`)', async () => {
  for (const { uid, json } of rendered) {
    const committed = await readFile(new URL(`../rendered/${uid}.json`, import.meta.url), 'utf8');
    assert.equal(committed, json, `dashboards/rendered/${uid}.json is stale`);
  }
  assert.equal(rendered.length, dashboards().length);
});
