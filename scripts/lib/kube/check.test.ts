// Self-tests of the cluster check against a real kube-apiserver (built once per machine): each defect taken from the
// committed dev render makes the check fail with the server's own message, and the same document without the defect
// passes. One server for the file, on ports of its own so other test files' servers never collide with it.
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parseAllDocuments, stringify } from 'yaml';
import { REPO_ROOT, SHARED_CRDS_DIR, STATE_ROOT } from '../paths';
import { startApiServer, type ApiServer } from './api-server';
import { ensureKubernetesBinaries } from './binaries';
import { applyPlan, installCrds, type Finding } from './check';
import type { KubeObject } from './client';
import { defaultPortOffset, kubernetesVersionOf } from './environments';
import { planSync } from './sync-plan';

const PORT_OFFSET = defaultPortOffset() + 11;
let server: ApiServer | undefined;
const scratch: string[] = [];

before(
  async () => {
    const binaries = await ensureKubernetesBinaries(kubernetesVersionOf('dev'));
    server = await startApiServer({
      binaries,
      dir: path.join(STATE_ROOT, 'kube', `self-test-${process.pid}`),
      portOffset: PORT_OFFSET,
    });
    const crds = await installCrds(server.client, SHARED_CRDS_DIR);
    assert.deepEqual(crds.findings, []);
  },
  { timeout: 30 * 60_000 },
);

after(async () => {
  await server?.stop();
  await Promise.all(scratch.map((d) => rm(d, { recursive: true, force: true })));
  await rm(path.join(STATE_ROOT, 'kube', `self-test-${process.pid}`), { recursive: true, force: true });
});

async function rendered(file: string, kind: string, name: string): Promise<KubeObject> {
  const docs = parseAllDocuments(await readFile(path.join(REPO_ROOT, 'clusters', 'dev', file), 'utf8'));
  const found = docs.map((d) => d.toJS() as KubeObject).find((o) => o?.kind === kind && o.metadata.name === name);
  assert.ok(found, `${kind} ${name} is in clusters/dev/${file}`);
  return found;
}

/** Apply `objects` (after the rendered scalefu Namespace) as one Application's sync; the findings. */
async function check(objects: readonly KubeObject[]): Promise<Finding[]> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'cluster-check-'));
  scratch.push(root);
  await mkdir(path.join(root, 'argocd', 'selftest'), { recursive: true });
  await mkdir(path.join(root, 'clusters', 'selftest'), { recursive: true });
  const app = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: 'selftest',
      namespace: 'argocd',
      finalizers: ['resources-finalizer.argocd.argoproj.io/foreground'],
    },
    spec: {
      project: 'default',
      destination: { server: 'https://kubernetes.default.svc', namespace: 'scalefu' },
      source: { repoURL: 'https://example.invalid/scalefu.git', path: 'clusters/selftest', targetRevision: 'main' },
    },
  };
  await writeFile(path.join(root, 'argocd', 'selftest', 'apps.yaml'), stringify(app));
  const namespace = await rendered('namespaces.k8s.yaml', 'Namespace', 'scalefu');
  await writeFile(
    path.join(root, 'clusters', 'selftest', 'docs.yaml'),
    [namespace, ...objects].map((o) => stringify(o)).join('---\n'),
  );
  const result = await applyPlan((server as ApiServer).client, await planSync(root, 'selftest'));
  return result.findings;
}

const messages = (findings: readonly Finding[]) =>
  findings.map((f) => `${f.severity} ${f.kind} ${f.name}: ${f.message}`);

test('rejects an HTTPRoute whose path contains /../ with the CRD CEL rule message, and passes it without', async () => {
  const route = await rendered('edge.k8s.yaml', 'HTTPRoute', 'onboarder');
  const bad = structuredClone(route) as KubeObject & {
    spec: { rules: { matches: { path: { value: string } }[] }[] };
  };
  bad.spec.rules[0]!.matches[0]!.path.value = '/api/../admin';
  const findings = await check([bad]);
  assert.equal(findings.length, 1, messages(findings).join('\n'));
  assert.equal(findings[0]?.severity, 'rejected');
  assert.equal(findings[0]?.kind, 'HTTPRoute');
  assert.equal(findings[0]?.name, 'scalefu/onboarder');
  assert.match(findings[0]?.message ?? '', /must not contain '\/\.\.\/'/);
  assert.deepEqual(messages(await check([route])), []);
});

test('rejects a Deployment with an undeclared field (strict server-side apply), and passes it without', async () => {
  const deployment = await rendered('onboarder.k8s.yaml', 'Deployment', 'onboarder');
  const bad = structuredClone(deployment) as KubeObject & { spec: { template: { spec: Record<string, unknown> } } };
  bad.spec.template.spec['restartPolicyy'] = 'Always';
  const findings = await check([bad]);
  assert.equal(findings.length, 1, messages(findings).join('\n'));
  assert.equal(findings[0]?.severity, 'rejected');
  assert.match(findings[0]?.message ?? '', /\.spec\.template\.spec\.restartPolicyy: field not declared in schema/);
  assert.deepEqual(messages(await check([deployment])), []);
});

test('flags a pod template that violates the restricted Pod Security level with the admission warning', async () => {
  const deployment = await rendered('onboarder.k8s.yaml', 'Deployment', 'onboarder');
  const bad = structuredClone(deployment) as KubeObject & {
    spec: { template: { spec: { containers: { securityContext: Record<string, unknown> }[] } } };
  };
  bad.spec.template.spec.containers[0]!.securityContext['allowPrivilegeEscalation'] = true;
  const findings = await check([bad]);
  assert.equal(findings.length, 1, messages(findings).join('\n'));
  assert.equal(findings[0]?.severity, 'warning');
  assert.equal(findings[0]?.name, 'scalefu/onboarder');
  assert.match(
    findings[0]?.message ?? '',
    /would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false/,
  );
  assert.deepEqual(messages(await check([deployment])), []);
});

test('flags a document that every sync would rewrite (an empty rule list the server stores as absent)', async () => {
  const policy = await rendered('network-policies.k8s.yaml', 'NetworkPolicy', 'allow-kafka-entity-operator');
  const bad = structuredClone(policy) as KubeObject & { spec: Record<string, unknown> };
  assert.equal(bad.spec['ingress'], undefined, 'the render omits the empty ingress list');
  bad.spec['ingress'] = [];
  const findings = await check([bad]);
  assert.equal(findings.length, 1, messages(findings).join('\n'));
  assert.equal(findings[0]?.severity, 'drift');
  assert.match(findings[0]?.message ?? '', /generation \d+ → \d+/);
  assert.deepEqual(messages(await check([policy])), []);
});
