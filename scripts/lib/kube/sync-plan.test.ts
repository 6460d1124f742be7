import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../paths';
import type { KubeObject } from './client';
import { warningText } from './client';
import { argoOrder, globToRegExp, planSync, type RenderedDocument } from './sync-plan';

const doc = (kind: string, name: string, extra: Partial<KubeObject['metadata']> = {}, apiVersion = 'v1') =>
  ({ file: 'f.yaml', index: 0, object: { apiVersion, kind, metadata: { name, ...extra } } }) as RenderedDocument;
const order = (docs: RenderedDocument[]) => argoOrder(docs).map((d) => `${d.object.kind}/${d.object.metadata.name}`);

test('orders by sync wave, then Argo CD kind order, then name; custom resources after known kinds', () => {
  const late = { annotations: { 'argocd.argoproj.io/sync-wave': '1' } };
  assert.deepEqual(
    order([
      doc('Deployment', 'b'),
      doc('HTTPRoute', 'a', {}, 'gateway.networking.k8s.io/v1'),
      doc('ConfigMap', 'z', late),
      doc('Service', 'a'),
      doc('Deployment', 'a'),
      doc('ServiceAccount', 'a'),
    ]),
    ['ServiceAccount/a', 'Service/a', 'Deployment/a', 'Deployment/b', 'HTTPRoute/a', 'ConfigMap/z'],
  );
});

test('moves a namespace before the first object in it, and a CRD before the first resource of its kind', () => {
  const early = { annotations: { 'argocd.argoproj.io/sync-wave': '-1' } };
  const crd = {
    file: 'f.yaml',
    index: 0,
    object: {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com', annotations: { 'argocd.argoproj.io/sync-wave': '5' } },
      spec: { group: 'example.com', names: { kind: 'Widget' } },
    },
  } as RenderedDocument;
  assert.deepEqual(
    order([
      doc('Namespace', 'late-ns', { annotations: { 'argocd.argoproj.io/sync-wave': '3' } }),
      doc('ConfigMap', 'c', { namespace: 'late-ns', ...early }),
      doc('Widget', 'w', early, 'example.com/v1'),
      crd,
    ]),
    ['Namespace/late-ns', 'ConfigMap/c', 'CustomResourceDefinition/widgets.example.com', 'Widget/w'],
  );
});

test('reads Argo CD directory include globs the way Argo CD matches file names', () => {
  assert.ok(globToRegExp('edge.k8s.yaml').test('edge.k8s.yaml'));
  assert.ok(!globToRegExp('edge.k8s.yaml').test('edgeXk8s.yaml'));
  assert.ok(globToRegExp('{a,b}.yaml').test('b.yaml'));
  assert.ok(globToRegExp('*.yaml').test('x.yaml'));
  assert.ok(!globToRegExp('*.yaml').test('x.json'));
});

test('extracts the text of an HTTP Warning header', () => {
  assert.equal(
    warningText('299 - "metadata.finalizers: \\"x\\": prefer a path"'),
    'metadata.finalizers: "x": prefer a path',
  );
});

test('plans the committed dev render: the root sync first, then one sync per Application by wave, every file synced', async () => {
  const plan = await planSync(REPO_ROOT, 'dev');
  assert.equal(plan.units[0]?.application, 'root-dev');
  assert.equal(plan.units[1]?.application, 'scalefu-namespaces', 'the namespaces Application has the lowest wave');
  assert.deepEqual(plan.orphanFiles, []);
  assert.equal(plan.units[1]?.documents[0]?.object.kind, 'Namespace');
});

test('reports a rendered file that no Application includes', async (t) => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'sync-plan-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  await mkdir(path.join(root, 'argocd', 'x'), { recursive: true });
  await mkdir(path.join(root, 'clusters', 'x'), { recursive: true });
  await writeFile(
    path.join(root, 'argocd', 'x', 'apps.yaml'),
    'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a, namespace: argocd}\n' +
      'spec: {destination: {namespace: n}, source: {path: clusters/x, directory: {include: a.yaml}}}\n',
  );
  await writeFile(path.join(root, 'clusters', 'x', 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
  await writeFile(path.join(root, 'clusters', 'x', 'b.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n');
  const plan = await planSync(root, 'x');
  assert.deepEqual(plan.orphanFiles, [path.join('clusters', 'x', 'b.yaml')]);
  assert.equal(plan.units[1]?.namespace, 'n');
});
