/** Renders every cluster and its Argo CD files in memory once per test process. */
import { PLATFORM_ENVIRONMENTS, type ClusterEnvironment } from '../../environments/index';
import { buildCluster } from '../cluster';
import { renderArgoCd } from '../gitops/argocd';
import { renderApp, type RenderedFile } from '../render';

export type Doc = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
};

export interface RenderedCluster {
  readonly env: ClusterEnvironment;
  readonly files: readonly RenderedFile[];
  readonly argocd: readonly RenderedFile[];
  readonly docs: readonly Doc[];
}

let cache: Promise<RenderedCluster[]> | undefined;

export function renderedClusters(): Promise<RenderedCluster[]> {
  cache ??= Promise.all(
    Object.values(PLATFORM_ENVIRONMENTS).map(async (environment) => {
      const files = renderApp(buildCluster(environment));
      const argocd = await renderArgoCd(environment, files);
      return { env: environment.settings.name, files, argocd, docs: files.flatMap((f) => f.docs) as Doc[] };
    }),
  );
  return cache;
}

/** Pod templates of every workload rendered here. */
export function podTemplates(docs: readonly Doc[]): { workload: Doc; template: PodTemplate }[] {
  return docs
    .filter((d) => d.kind === 'Deployment' || d.kind === 'StatefulSet')
    .map((workload) => ({ workload, template: (workload.spec as { template: PodTemplate }).template }));
}

export interface Container {
  name: string;
  image: string;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  securityContext?: Record<string, unknown> & { capabilities?: { drop?: string[] }; seccompProfile?: { type: string } };
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  startupProbe?: unknown;
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
}

/**
 * The plain (non-secret) environment a container starts with: its ConfigMap `envFrom` sources in order, then its
 * literal `env` values, which win as in Kubernetes. Secret references are left out: their values are not in git.
 */
export function plainEnv(docs: readonly Doc[], namespace: string | undefined, c: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of c.envFrom ?? []) {
    const name = source.configMapRef?.name;
    if (!name) continue;
    const cm = docs.find(
      (d) => d.kind === 'ConfigMap' && d.metadata.name === name && d.metadata.namespace === namespace,
    );
    if (!cm) throw new Error(`container ${c.name} reads missing ConfigMap ${namespace}/${name}`);
    Object.assign(env, (cm as { data?: Record<string, string> }).data ?? {});
  }
  for (const e of c.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
  return env;
}

export interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: {
    containers: Container[];
    initContainers?: Container[];
    securityContext?: Record<string, unknown> & { seccompProfile?: { type: string } };
    automountServiceAccountToken?: boolean;
    serviceAccountName?: string;
    topologySpreadConstraints?: { topologyKey: string; whenUnsatisfiable: string }[];
    terminationGracePeriodSeconds?: number;
  };
}
