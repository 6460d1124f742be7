import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiObject, Chart, Testing, type App } from 'cdk8s';
import { PLATFORM_ENVIRONMENTS } from '../environments/index';
import { buildCluster } from './cluster';
import { buildArgoCd } from './gitops/argocd';
import * as argoproj from './imports/argoproj.io';
import type { AppProjectSpecDestinations, ApplicationSpec } from './imports/argoproj.io';
import * as certManager from './imports/cert-manager.io';
import {
  CertificateSpecPrivateKeyAlgorithm,
  type CertificateSpecPrivateKey,
  type ClusterIssuerSpecAcmeSolversHttp01,
} from './imports/cert-manager.io';
import * as externalSecrets from './imports/external-secrets.io';
import { ExternalSecretSpecTargetCreationPolicy, type ExternalSecretSpecTarget } from './imports/external-secrets.io';
import * as gatewayApi from './imports/gateway.networking.k8s.io';
import type { GatewaySpecListeners, HttpRouteSpec } from './imports/gateway.networking.k8s.io';
import * as strimzi from './imports/kafka.strimzi.io';
import * as keda from './imports/keda.sh';
import * as monitoring from './imports/monitoring.coreos.com';
import { PrometheusRuleSpecGroupsRulesExpr, type PrometheusRuleSpecGroupsRules } from './imports/monitoring.coreos.com';
import * as gke from './imports/networking.gke.io';
import type {
  GcpBackendPolicySpec,
  HealthCheckPolicySpecDefaultConfigHttpHealthCheck,
} from './imports/networking.gke.io';
import * as cnpg from './imports/postgresql.cnpg.io';
import { renderApp } from './render';

/** Every class `npm run import:crds` generated (one module per API group). */
const GENERATED: ReadonlySet<unknown> = new Set(
  [argoproj, certManager, externalSecrets, gatewayApi, strimzi, keda, monitoring, gke, cnpg].flatMap((m) =>
    Object.values(m),
  ),
);

/** Every cluster app and its Argo CD app, built in memory. */
function apps(): { env: string; app: App }[] {
  return Object.values(PLATFORM_ENVIRONMENTS).flatMap((environment) => {
    const cluster = buildCluster(environment);
    const argocd = buildArgoCd(environment, renderApp(cluster));
    return [
      { env: environment.settings.name, app: cluster },
      { env: `argocd/${environment.settings.name}`, app: argocd },
    ];
  });
}

const apiObjects = (app: App) => app.node.findAll().filter((n): n is ApiObject => n instanceof ApiObject);

describe('typed resources', () => {
  it('renders every object through a generated class (CRD imports, cdk8s-plus k8s), never a raw ApiObject spec', () => {
    for (const { env, app } of apps()) {
      const raw = apiObjects(app).filter((o) => o.constructor === ApiObject);
      assert.deepEqual(
        raw.map((o) => `${o.apiVersion}/${o.kind} ${o.name}`),
        [],
        `${env}: raw ApiObjects; generate a class (npm run import:crds) and use it`,
      );
    }
  });

  it('renders each custom resource exactly as cdk8s renders the same document, key order included', () => {
    // The generated toJson rebuilds objects in schema order; scripts/import-crds.ts sorts them back. Without that the
    // committed YAML would reorder on the switch from raw specs, and `npm run synth` would show a diff of nothing.
    const chart = new Chart(Testing.app(), 'raw');
    for (const { env, app } of apps()) {
      const custom = apiObjects(app).filter((o) => GENERATED.has(o.constructor));
      assert.ok(custom.length > 10, `${env}: custom resources not found`);
      for (const [i, typed] of custom.entries()) {
        const rendered = typed.toJson() as Record<string, unknown>;
        const raw = new ApiObject(chart, `${env}-${i}`, rendered as never).toJson() as unknown;
        assert.equal(JSON.stringify(rendered), JSON.stringify(raw), `${env}: ${typed.kind} ${typed.name}`);
      }
    }
  });

  it('keeps a wrong field a type error (checked by `npm run typecheck`: an unused @ts-expect-error fails it)', () => {
    // One mistake per line that a raw ApiObject spec let through silently; each must stay a compile error.
    // @ts-expect-error the wire name is gatewayHTTPRoute; the class takes gatewayHttpRoute and writes the wire name
    const solver: ClusterIssuerSpecAcmeSolversHttp01 = { gatewayHTTPRoute: {} };
    // @ts-expect-error algorithm is the CRD's enum (RSA, ECDSA, Ed25519), not any string
    const key: CertificateSpecPrivateKey = { algorithm: 'EC' };
    // @ts-expect-error a Gateway listener needs a port
    const listener: GatewaySpecListeners = { name: 'http', protocol: 'HTTP' };
    // @ts-expect-error HTTPRoute matches belong to a rule, not to the spec
    const route: HttpRouteSpec = { matches: [] };
    // @ts-expect-error the Cloud Armor policy goes under spec.default
    const backend: GcpBackendPolicySpec = { securityPolicy: 'p', targetRef: { group: '', kind: 'Service', name: 's' } };
    // @ts-expect-error the health-check port is a number
    const check: HealthCheckPolicySpecDefaultConfigHttpHealthCheck = { port: '8080' };
    // @ts-expect-error creationPolicy is the CRD's enum (Owner, Orphan, Merge, None, CreateOrMerge)
    const target: ExternalSecretSpecTarget = { creationPolicy: 'owner' };
    // @ts-expect-error a rule's expr is an IntOrString (PrometheusRuleSpecGroupsRulesExpr.fromString), not a bare string
    const rule: PrometheusRuleSpecGroupsRules = { record: 'r', expr: 'up' };
    // @ts-expect-error an Application needs a destination
    const application: ApplicationSpec = { project: 'p' };
    // @ts-expect-error an AppProject destination is { server, namespace }, not a URL
    const destination: AppProjectSpecDestinations = 'https://kubernetes.default.svc';
    const mistakes = [solver, key, listener, route, backend, check, target, rule, application, destination];
    assert.equal(mistakes.length, 10);
    // The right spellings compile, so each error above is the mistake and not its surroundings.
    const right: [
      CertificateSpecPrivateKey,
      GatewaySpecListeners,
      ExternalSecretSpecTarget,
      PrometheusRuleSpecGroupsRules,
    ] = [
      { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA },
      { name: 'http', protocol: 'HTTP', port: 80 },
      { creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER },
      { record: 'r', expr: PrometheusRuleSpecGroupsRulesExpr.fromString('up') },
    ];
    assert.equal(right.length, 4);
  });
});
