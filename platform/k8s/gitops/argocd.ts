/**
 * Argo CD bootstrap of one cluster, generated from the same facts as the manifests: AppProjects, a self-managing
 * root Application (app of apps), the pinned operators as Helm Applications, and one Application per rendered
 * component file with sync waves (operators -> namespaces/policies/secrets -> data stores -> edge -> apps).
 */
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as prettier from 'prettier';
import { namesOf, type Environment } from '../../environments/index';
import { CHART_WAVES } from '../cluster';
import { APP_NAMESPACE, GITOPS_REPO, OPERATOR_CHARTS, OPERATOR_NAMESPACES, type OperatorId } from '../facts';
import { AppProject, Application, type ApplicationSpec, type ApplicationSpecSyncPolicy } from '../imports/argoproj.io';
import { GENERATED_HEADER, renderApp, type RenderedFile } from '../render';
import { operatorValues } from './operator-values';

const ARGOCD_NAMESPACE = 'argocd';
const IN_CLUSTER = 'https://kubernetes.default.svc';
/** Operators (and their CRDs) go first: everything else depends on them. */
export const OPERATOR_WAVE = -3;

const automated: ApplicationSpecSyncPolicy = {
  automated: { prune: true, selfHeal: true },
  retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
};

function application(scope: Construct, name: string, wave: number, spec: ApplicationSpec): void {
  new Application(scope, name, {
    metadata: {
      name,
      namespace: ARGOCD_NAMESPACE,
      annotations: { 'argocd.argoproj.io/sync-wave': String(wave) },
      // The bare `resources-finalizer.argocd.argoproj.io` draws an API server warning (finalizers want a domain-qualified
      // name with a path); `/foreground` is Argo CD's spelling of the same default cascading delete.
      finalizers: ['resources-finalizer.argocd.argoproj.io/foreground'],
    },
    spec,
  });
}

export function buildArgoCd(environment: Environment, clusterFiles: readonly RenderedFile[]): App {
  const env = environment.settings.name;
  const app = new App({ outdir: `argocd/${env}` });
  const chart = (id: string) => new Chart(app, id, { disableResourceNameHashes: true });
  const clusterPath = `clusters/${env}`;
  const operatorIds = Object.keys(OPERATOR_CHARTS).sort() as OperatorId[];

  const projects = chart('projects');
  new AppProject(projects, 'platform', {
    metadata: { name: 'platform', namespace: ARGOCD_NAMESPACE },
    spec: {
      description: 'Pinned upstream operators and the Argo CD app of apps',
      sourceRepos: [...new Set([GITOPS_REPO.url, ...operatorIds.map((id) => OPERATOR_CHARTS[id].repoURL)])],
      destinations: [...new Set([ARGOCD_NAMESPACE, ...operatorIds.map((id) => OPERATOR_NAMESPACES[id])])].map(
        (namespace) => ({
          server: IN_CLUSTER,
          namespace,
        }),
      ),
      // Operators ship CRDs, cluster roles and webhooks.
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    },
  });
  new AppProject(projects, 'scalefu', {
    metadata: { name: 'scalefu', namespace: ARGOCD_NAMESPACE },
    spec: {
      description: `ScaleFu ${env}: rendered manifests from ${clusterPath}`,
      sourceRepos: [GITOPS_REPO.url],
      destinations: [{ server: IN_CLUSTER, namespace: APP_NAMESPACE }],
      clusterResourceWhitelist: [
        { group: '', kind: 'Namespace' },
        { group: 'cert-manager.io', kind: 'ClusterIssuer' },
        { group: 'external-secrets.io', kind: 'ClusterSecretStore' },
      ],
    },
  });

  application(chart('root'), `root-${env}`, -10, {
    project: 'platform',
    source: { repoUrl: GITOPS_REPO.url, targetRevision: GITOPS_REPO.revision, path: `argocd/${env}` },
    destination: { server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE },
    syncPolicy: automated,
  });

  const operators = chart('operators');
  const names = namesOf(environment.settings);
  for (const id of operatorIds) {
    const helm = OPERATOR_CHARTS[id];
    application(operators, helm.chart, OPERATOR_WAVE, {
      project: 'platform',
      source: {
        repoUrl: helm.repoURL,
        chart: helm.chart,
        targetRevision: helm.chartVersion,
        helm: { releaseName: helm.chart, valuesObject: operatorValues(id, names) },
      },
      destination: { server: IN_CLUSTER, namespace: OPERATOR_NAMESPACES[id] },
      syncPolicy: {
        ...automated,
        // CRDs of these operators exceed the client-side apply annotation limit.
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
      },
    });
  }

  const components = chart('scalefu');
  for (const file of clusterFiles) {
    const wave = CHART_WAVES[file.chart];
    if (wave === undefined) throw new Error(`no sync wave for chart ${file.chart}`);
    application(components, `scalefu-${file.chart}`, wave, {
      project: 'scalefu',
      source: {
        repoUrl: GITOPS_REPO.url,
        targetRevision: GITOPS_REPO.revision,
        path: clusterPath,
        directory: { include: file.file },
      },
      destination: { server: IN_CLUSTER, namespace: APP_NAMESPACE },
      syncPolicy: { ...automated, syncOptions: ['PruneLast=true'] },
    });
  }
  return app;
}

/** Argo CD files of one cluster, formatted with the repo's Prettier config so `prettier --check argocd` passes. */
export async function renderArgoCd(
  environment: Environment,
  clusterFiles: readonly RenderedFile[],
): Promise<RenderedFile[]> {
  const options = (await prettier.resolveConfig(new URL('../../../package.json', import.meta.url).pathname)) ?? {};
  return Promise.all(
    renderApp(buildArgoCd(environment, clusterFiles)).map(async (f) => ({
      ...f,
      file: `${f.chart}.yaml`,
      content: await prettier.format(f.content, { ...options, parser: 'yaml' }),
    })),
  ).then((files) =>
    files.map((f) => ({
      ...f,
      content: f.content.startsWith(GENERATED_HEADER) ? f.content : GENERATED_HEADER + f.content,
    })),
  );
}
