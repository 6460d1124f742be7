/**
 * The cluster check: install the pinned CRDs, then server-side apply (for real) every document of one rendered
 * environment in Argo CD's order, and collect what the API server says about each: rejections (schema, CEL rules,
 * strict fields, admission) and warnings (Pod Security, deprecated APIs, finalizer names…), pinned to file, kind and
 * name. A clean environment has neither.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeClient, KubeObject, KubeResponse } from './client';
import { statusMessage } from './client';
import { planSync, type RenderedDocument, type SyncPlan } from './sync-plan';

/** Kinds that would send admission or API traffic to Services that do not run here: left out, and reported. */
export const SKIPPED_KINDS: Readonly<Record<string, string>> = {
  MutatingWebhookConfiguration: 'webhook: its service does not run on the throw-away server',
  ValidatingWebhookConfiguration: 'webhook: its service does not run on the throw-away server',
  APIService: 'aggregated API: its service does not run on the throw-away server',
};

export interface Finding {
  /** rejected: not stored; warning: stored, with a Warning header; drift: a second identical apply changes it. */
  readonly severity: 'rejected' | 'warning' | 'drift';
  /** Rendered file (relative to the tree's root), or the CRD file. */
  readonly file: string;
  readonly kind: string;
  /** `namespace/name` or `name`. */
  readonly name: string;
  /** The Argo CD Application whose sync applies it. */
  readonly application: string;
  /** The API server's own words. */
  readonly message: string;
}

export interface Note {
  readonly file: string;
  readonly kind: string;
  readonly name: string;
  readonly reason: string;
}

export interface CheckReport {
  readonly env: string;
  /** Documents the server accepted (stored), CRDs from `../shared/crds` not counted. */
  readonly applied: number;
  readonly crds: number;
  readonly findings: readonly Finding[];
  /** Documents left out (webhooks) and adjustments (conversion webhooks dropped, namespaces created bare). */
  readonly notes: readonly Note[];
  readonly plan: SyncPlan;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function qualifiedName(obj: KubeObject, defaultNamespace?: string, namespaced = true): string {
  const ns = namespaced ? (obj.metadata.namespace ?? defaultNamespace) : undefined;
  return ns ? `${ns}/${obj.metadata.name}` : obj.metadata.name;
}

async function yamlFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) files.push(...(await yamlFilesUnder(full)));
    else if (/\.ya?ml$/.test(e.name)) files.push(full);
  }
  return files;
}

interface CrdSpec {
  group: string;
  names: { plural: string };
  versions: { name: string; served: boolean }[];
}

/**
 * Wait until every CRD is `Established`, then refresh discovery so its kinds can be applied. Discovery lists a CRD's
 * versions only once it is Established, and polling it is cheap; polling the CRDs themselves would re-read megabytes
 * of schema (Strimzi's) several times a second.
 */
async function waitEstablished(client: KubeClient, crds: readonly KubeObject[], timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = crds.flatMap((crd) => {
    const spec = crd['spec'] as CrdSpec;
    return spec.versions
      .filter((v) => v.served)
      .map((v) => ({ crd: crd.metadata.name, gv: `${spec.group}/${v.name}`, plural: spec.names.plural }));
  });
  while (pending.length > 0) {
    const served = new Map<string, Set<string>>();
    await Promise.all(
      [...new Set(pending.map((p) => p.gv))].map(async (gv) => {
        const list = (await client.get(`/apis/${gv}`)) as { resources?: { name: string }[] } | undefined;
        served.set(gv, new Set((list?.resources ?? []).map((r) => r.name)));
      }),
    );
    pending = pending.filter((p) => !served.get(p.gv)?.has(p.plural));
    if (pending.length === 0) break;
    if (Date.now() > deadline) {
      throw new Error(
        `CRDs not Established after ${timeoutMs / 1000} s: ${[...new Set(pending.map((p) => p.crd))].join(', ')}`,
      );
    }
    await sleep(200);
  }
  await client.discover();
}

/**
 * Install every CRD found under `crdsDir` (recursively), as the pinned operators would. Conversion webhooks are
 * dropped (nothing serves them here) and reported.
 */
export async function installCrds(
  client: KubeClient,
  crdsDir: string,
): Promise<{ count: number; findings: Finding[]; notes: Note[] }> {
  const findings: Finding[] = [];
  const notes: Note[] = [];
  const established: KubeObject[] = [];
  await client.discover();
  const crds: { relative: string; crd: KubeObject }[] = [];
  for (const file of await yamlFilesUnder(crdsDir)) {
    for (const doc of parseAllDocuments(await readFile(file, 'utf8'))) {
      const crd = doc.toJS() as (KubeObject & { spec?: { conversion?: { strategy?: string } } }) | null;
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      const relative = path.relative(path.dirname(crdsDir), file);
      if (crd.spec?.conversion?.strategy === 'Webhook') {
        crd.spec.conversion = { strategy: 'None' };
        notes.push({ file: relative, kind: crd.kind, name: crd.metadata.name, reason: 'conversion webhook dropped' });
      }
      crds.push({ relative, crd });
    }
  }
  const responses = await mapLimit(crds, 8, ({ crd }) => client.apply(crd));
  for (const [i, { relative, crd }] of crds.entries()) {
    const response = responses[i] as KubeResponse;
    if (response.status < 400) {
      established.push(crd);
      continue;
    }
    findings.push({
      severity: 'rejected',
      file: relative,
      kind: crd.kind,
      name: crd.metadata.name,
      application: 'pinned CRDs',
      message: statusMessage(response),
    });
  }
  await waitEstablished(client, established);
  return { count: established.length, findings, notes };
}

function generationOf(text: string): number | undefined {
  try {
    return (JSON.parse(text) as { metadata?: { generation?: number } }).metadata?.generation;
  } catch {
    return undefined;
  }
}

/** `fn` over `items` with at most `limit` calls in flight; results in input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Apply with a few retries while a just-established CRD's endpoint still answers 404. */
async function applyDocument(client: KubeClient, obj: KubeObject, namespace: string) {
  for (let attempt = 0; ; attempt++) {
    const response = await client.apply(obj, namespace);
    if (response.status !== 404 || attempt >= 10) return response;
    await sleep(300);
  }
}

/** Apply a sync plan to a server that already has the CRDs, collecting findings. */
export async function applyPlan(
  client: KubeClient,
  plan: SyncPlan,
): Promise<{ applied: number; findings: Finding[]; notes: Note[] }> {
  const findings: Finding[] = [];
  const notes: Note[] = [];
  const stored: {
    obj: KubeObject;
    namespace: string;
    finding: (severity: Finding['severity'], message: string) => Finding;
    generation: number | undefined;
  }[] = [];
  let applied = 0;
  await client.discover();

  // Namespaces the documents live in but the render does not create (argocd: installed before the root app;
  // Applications with CreateNamespace): they exist in a real cluster, so create them bare.
  const rendered = new Set(
    plan.units.flatMap((u) =>
      u.documents.filter((d) => d.object.kind === 'Namespace').map((d) => d.object.metadata.name),
    ),
  );
  const used = new Set<string>();
  for (const unit of plan.units) {
    for (const d of unit.documents) {
      const info = client.resourceOf(d.object.apiVersion, d.object.kind);
      if (info?.namespaced !== false) used.add(d.object.metadata.namespace ?? unit.namespace);
    }
  }
  for (const ns of [...used].filter((n) => !rendered.has(n)).sort()) {
    const exists = await client.get(`/api/v1/namespaces/${ns}`);
    if (exists) continue;
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    notes.push({
      file: '-',
      kind: 'Namespace',
      name: ns,
      reason: 'not rendered (exists in a real cluster): created bare',
    });
  }

  for (const unit of plan.units) {
    for (const doc of unit.documents) {
      const obj = doc.object;
      const skipped = SKIPPED_KINDS[obj.kind];
      if (skipped) {
        notes.push({ file: doc.file, kind: obj.kind, name: obj.metadata.name, reason: skipped });
        continue;
      }
      const info = client.resourceOf(obj.apiVersion, obj.kind);
      const finding = (severity: Finding['severity'], message: string): Finding => ({
        severity,
        file: doc.file,
        kind: obj.kind,
        name: qualifiedName(obj, unit.namespace, info?.namespaced !== false),
        application: unit.application,
        message,
      });
      if (!info) {
        findings.push(finding('rejected', `the server does not serve ${obj.apiVersion} ${obj.kind} (no CRD for it?)`));
        continue;
      }
      const response = await applyDocument(client, obj, unit.namespace);
      for (const warning of response.warnings) findings.push(finding('warning', warning));
      if (response.status >= 400) {
        findings.push(finding('rejected', statusMessage(response)));
        continue;
      }
      applied++;
      stored.push({ obj, namespace: unit.namespace, finding, generation: generationOf(response.text) });
      if (obj.kind === 'CustomResourceDefinition') await waitEstablished(client, [obj]);
    }
  }
  // The next sync applies the same render again: it must change nothing, or Argo CD updates the object forever.
  const again = await mapLimit(stored, 8, (s) => client.apply(s.obj, s.namespace, { dryRun: true }));
  for (const [i, s] of stored.entries()) {
    const response = again[i] as KubeResponse;
    const generation = generationOf(response.text);
    if (response.status < 400 && generation !== s.generation) {
      findings.push(
        s.finding(
          'drift',
          `applying the same document again changes it (generation ${s.generation} → ${generation}): ` +
            'the server normalises something the render states differently, so every sync rewrites it',
        ),
      );
    }
  }
  return { applied, findings, notes };
}

/** Plan and apply one environment of the rendered tree at `root`, CRDs first. */
export async function checkEnvironment(
  client: KubeClient,
  options: { root: string; env: string; crdsDir: string },
): Promise<CheckReport> {
  const crds = await installCrds(client, options.crdsDir);
  const plan = await planSync(options.root, options.env);
  const result = await applyPlan(client, plan);
  const orphans: Finding[] = plan.orphanFiles.map((file) => ({
    severity: 'rejected',
    file,
    kind: '-',
    name: '-',
    application: '-',
    message: `no Application in argocd/${options.env} includes this file: Argo CD would never apply it`,
  }));
  return {
    env: options.env,
    applied: result.applied,
    crds: crds.count,
    findings: [...crds.findings, ...orphans, ...result.findings],
    notes: [...crds.notes, ...result.notes],
    plan,
  };
}

/** One line per finding: `✖ rejected <file> <Kind> <ns/name> (app <app>): <message>`. */
export function formatFinding(f: Finding): string {
  const mark = { rejected: '✖ rejected', warning: '! warning ', drift: '✖ drift   ' }[f.severity];
  return `${mark} ${f.file} ${f.kind} ${f.name} (app ${f.application}): ${f.message}`;
}

export function formatNote(n: Note): string {
  return `· skipped/adjusted ${n.file} ${n.kind} ${n.name}: ${n.reason}`;
}

/** Documents of a plan, flattened in apply order (for counts and diffs). */
export function planDocuments(plan: SyncPlan): RenderedDocument[] {
  return plan.units.flatMap((u) => [...u.documents]);
}
