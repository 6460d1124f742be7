/** Renders every cluster and its Argo CD files in memory once per test process. */
import type { ClusterEnvironment } from '../../environments/index';
import { buildCluster } from '../cluster';
import { renderArgoCd } from '../gitops/argocd';
import { OVERLAYS } from '../overlays/index';
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
    Object.values(OVERLAYS).map(async (overlay) => {
      const files = renderApp(buildCluster(overlay));
      const argocd = await renderArgoCd(overlay, files);
      return { env: overlay.settings.name, files, argocd, docs: files.flatMap((f) => f.docs) as Doc[] };
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
  };
}
