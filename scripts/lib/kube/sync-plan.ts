/**
 * The order Argo CD applies a rendered environment in, from the rendered files alone.
 *
 * `argocd/<env>` is one sync (the root app of apps); its Applications that point at `clusters/<env>` each sync the
 * files their `directory.include` selects, one after another by the Application's sync wave (then name). Inside one
 * sync, Argo CD's gitops-engine orders tasks by phase (PreSync, Sync, PostSync), sync wave, kind (its fixed kind
 * list; unknown kinds, i.e. custom resources, last) and name, then moves each Namespace before the first object in
 * it and each CRD before the first resource of its kind (argo-cd gitops-engine/pkg/sync/sync_tasks.go).
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from './client';

/** gitops-engine's kindOrder (Helm's install order); kinds not listed come after all of these. */
export const ARGO_KIND_ORDER: readonly string[] = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];

const PHASE_ORDER: Readonly<Record<string, number>> = { PreSync: -1, Sync: 0, PostSync: 1, SyncFail: 2 };
const WAVE = 'argocd.argoproj.io/sync-wave';
const HOOK = 'argocd.argoproj.io/hook';

export interface RenderedDocument {
  /** Path relative to the rendered tree's root, e.g. `clusters/dev/edge.k8s.yaml`. */
  readonly file: string;
  /** 0-based position of the document in its file. */
  readonly index: number;
  readonly object: KubeObject;
}

/** One Argo CD sync: an Application and the documents it applies, in apply order. */
export interface SyncUnit {
  readonly application: string;
  /** The Application's sync wave (the root app: -Infinity, it runs first). */
  readonly wave: number;
  /** Where namespaced documents without a namespace land (the Application's destination). */
  readonly namespace: string;
  readonly documents: readonly RenderedDocument[];
}

export interface SyncPlan {
  readonly env: string;
  readonly units: readonly SyncUnit[];
  /** Rendered files of `clusters/<env>` that no Application syncs (Argo CD would never apply them). */
  readonly orphanFiles: readonly string[];
}

function annotations(obj: KubeObject): Record<string, string> {
  return ((obj.metadata as { annotations?: Record<string, string> }).annotations ?? {}) as Record<string, string>;
}

export function waveOf(obj: KubeObject): number {
  const wave = Number(annotations(obj)[WAVE] ?? 0);
  return Number.isFinite(wave) ? wave : 0;
}

function phaseOf(obj: KubeObject): string {
  const hook = annotations(obj)[HOOK];
  return (
    hook
      ?.split(',')
      .map((h) => h.trim())
      .find((h) => h in PHASE_ORDER) ?? 'Sync'
  );
}

function kindRank(kind: string): number {
  const i = ARGO_KIND_ORDER.indexOf(kind);
  return i < 0 ? 0 : i - ARGO_KIND_ORDER.length;
}

/** Documents in gitops-engine's apply order (see the header). Stable for equal keys (file order). */
export function argoOrder(documents: readonly RenderedDocument[]): RenderedDocument[] {
  const sorted = [...documents].sort((a, b) => {
    const [x, y] = [a.object, b.object];
    return (
      (PHASE_ORDER[phaseOf(x)] ?? 0) - (PHASE_ORDER[phaseOf(y)] ?? 0) ||
      waveOf(x) - waveOf(y) ||
      kindRank(x.kind) - kindRank(y.kind) ||
      (x.metadata.name < y.metadata.name ? -1 : x.metadata.name > y.metadata.name ? 1 : 0)
    );
  });
  bubbleUp(
    sorted,
    (o) => (o.kind === 'Namespace' && o.apiVersion === 'v1' ? o.metadata.name : undefined),
    (o) => o.metadata.namespace,
  );
  bubbleUp(
    sorted,
    (o) => {
      if (o.kind !== 'CustomResourceDefinition') return undefined;
      const spec = o['spec'] as { group?: string; names?: { kind?: string } } | undefined;
      return spec?.group && spec.names?.kind ? `${spec.group}/${spec.names.kind}` : undefined;
    },
    (o) => `${o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : ''}/${o.kind}`,
  );
  return sorted;
}

/** Move each dependency before the first document that references it (gitops-engine's adjustDeps). */
function bubbleUp(
  docs: RenderedDocument[],
  isDependency: (o: KubeObject) => string | undefined,
  references: (o: KubeObject) => string | undefined,
): void {
  const firstReference = new Map<string, number>();
  for (let i = 0; i < docs.length; i++) {
    const doc = docs[i] as RenderedDocument;
    const key = isDependency(doc.object);
    if (key !== undefined) {
      const at = firstReference.get(key);
      if (at !== undefined) {
        docs.splice(i, 1);
        docs.splice(at, 0, doc);
        for (const [k, index] of firstReference) if (index >= at) firstReference.set(k, index + 1);
      }
    } else {
      const ref = references(doc.object);
      if (ref && !firstReference.has(ref)) firstReference.set(ref, i);
    }
  }
}

/** Every document of every `.yaml`/`.yml` file in `dir` (sorted by file name), empty documents dropped. */
export async function loadDocuments(root: string, dir: string): Promise<RenderedDocument[]> {
  const names = (await readdir(path.join(root, dir)).catch(() => [] as string[]))
    .filter((n) => /\.ya?ml$/.test(n))
    .sort();
  const docs: RenderedDocument[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const parsed = parseAllDocuments(await readFile(path.join(root, file), 'utf8'));
    parsed.forEach((d, index) => {
      if (d.errors.length > 0) throw new Error(`${file} document ${index + 1}: ${d.errors[0]?.message}`);
      const object = d.toJS() as KubeObject | null;
      if (object && typeof object === 'object') docs.push({ file, index, object });
    });
  }
  return docs;
}

/** Minimal glob (`*`, `?`, `{a,b}`) as Argo CD's directory include/exclude use it on file names. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      re += `(?:${glob
        .slice(i + 1, end)
        .split(',')
        .map((p) => p.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
        .join('|')})`;
      i = end;
    } else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

interface ApplicationSpec {
  destination?: { namespace?: string };
  source?: { path?: string; directory?: { include?: string; exclude?: string } };
}

/**
 * The sync plan of one environment of a rendered tree rooted at `root` (a checkout, or an export of one git ref):
 * the root sync of `argocd/<env>`, then one sync per Application over `clusters/<env>`.
 */
export async function planSync(root: string, env: string): Promise<SyncPlan> {
  const argoDocs = await loadDocuments(root, path.join('argocd', env));
  const clusterDocs = await loadDocuments(root, path.join('clusters', env));
  if (argoDocs.length === 0 && clusterDocs.length === 0) throw new Error(`nothing rendered for "${env}" under ${root}`);
  const applications = argoDocs.filter(
    (d) => d.object.kind === 'Application' && d.object.apiVersion.startsWith('argoproj.io/'),
  );
  const clusterPath = `clusters/${env}`;
  const rootApp = applications.find((a) => (a.object['spec'] as ApplicationSpec).source?.path === `argocd/${env}`);

  const units: SyncUnit[] = [
    {
      application: rootApp?.object.metadata.name ?? `argocd/${env}`,
      wave: Number.NEGATIVE_INFINITY,
      namespace: (rootApp?.object['spec'] as ApplicationSpec | undefined)?.destination?.namespace ?? 'argocd',
      documents: argoOrder(argoDocs),
    },
  ];
  const synced = new Set<string>();
  const children = applications
    .filter((a) => (a.object['spec'] as ApplicationSpec).source?.path === clusterPath)
    .sort(
      (a, b) => waveOf(a.object) - waveOf(b.object) || a.object.metadata.name.localeCompare(b.object.metadata.name),
    );
  for (const app of children) {
    const spec = app.object['spec'] as ApplicationSpec;
    const include = spec.source?.directory?.include ? globToRegExp(spec.source.directory.include) : undefined;
    const exclude = spec.source?.directory?.exclude ? globToRegExp(spec.source.directory.exclude) : undefined;
    const selected = clusterDocs.filter((d) => {
      const name = path.basename(d.file);
      return (!include || include.test(name)) && !exclude?.test(name);
    });
    selected.forEach((d) => synced.add(d.file));
    units.push({
      application: app.object.metadata.name,
      wave: waveOf(app.object),
      namespace: spec.destination?.namespace ?? 'default',
      documents: argoOrder(selected),
    });
  }
  const orphanFiles = [...new Set(clusterDocs.map((d) => d.file))].filter((f) => !synced.has(f));
  return { env, units, orphanFiles };
}
