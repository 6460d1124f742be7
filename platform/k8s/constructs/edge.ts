import { Construct } from 'constructs';
import {
  Certificate,
  CertificateSpecPrivateKeyAlgorithm,
  CertificateSpecPrivateKeyRotationPolicy,
  ClusterIssuer,
} from '../imports/cert-manager.io';
import {
  Gateway,
  GatewaySpecListenersAllowedRoutesNamespacesFrom,
  GatewaySpecListenersTlsMode,
  HttpRoute,
  HttpRouteSpecRulesFiltersRequestRedirectScheme,
  HttpRouteSpecRulesFiltersRequestRedirectStatusCode,
  HttpRouteSpecRulesFiltersType,
  HttpRouteSpecRulesMatchesPathType,
} from '../imports/gateway.networking.k8s.io';
import {
  GcpBackendPolicy,
  HealthCheckPolicy,
  HealthCheckPolicySpecDefaultConfigHttpHealthCheckPortSpecification,
  HealthCheckPolicySpecDefaultConfigType,
} from '../imports/networking.gke.io';
import { invalid } from './labels';

/** One public route: a host, path prefixes on it, and the Service behind them. */
export interface EdgeRoute {
  /** Route (and backend Service) name. */
  readonly service: string;
  /** Service port. */
  readonly port: number;
  /** Public host name the route answers on. */
  readonly host: string;
  /** Path prefixes sent to the service; anything else on the host is a 404 at the load balancer. */
  readonly pathPrefixes: readonly string[];
  /** Path the load balancer health-checks on the pods. */
  readonly healthCheckPath: string;
}

export interface EdgeProps {
  /** Namespace of the Gateway, routes, certificates and backends. */
  readonly namespace: string;
  /** Routes; their hosts get one HTTPS listener and one certificate each. */
  readonly routes: readonly EdgeRoute[];
  /** ClusterIssuer that signs the certificates. */
  readonly issuer: 'letsencrypt-staging' | 'letsencrypt-production';
  /** ACME account e-mail (expiry notices). */
  readonly acmeEmail: string;
  /** Cloud Armor security policy (created by the GCP stack) attached to every backend. */
  readonly cloudArmorPolicy: string;
  /**
   * GKE GatewayClass.
   * @default 'gke-l7-global-external-managed'
   */
  readonly gatewayClassName?: string;
  /**
   * Name of the reserved global static IP the GCP stack creates for the Gateway.
   * @default - an ephemeral address
   */
  readonly addressName?: string;
  /**
   * Backend timeout in seconds.
   * @default 30
   */
  readonly timeoutSec?: number;
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * The public edge: GKE Gateway (HTTP -> HTTPS redirect, one HTTPS listener per host), HTTPRoutes, cert-manager
 * Certificates from ACME ClusterIssuers (staging and production, HTTP-01 through the Gateway), and per-backend
 * Cloud Armor + health-check policies.
 */
export class Edge extends Construct {
  /** Gateway name (routes attach to it). */
  public readonly gatewayName = 'scalefu';

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    validate(props);
    const ns = props.namespace;
    const hosts = [...new Set(props.routes.map((r) => r.host))].sort();
    const listenerOf = (host: string) => `https-${host.split('.')[0]}`;
    const tlsSecretOf = (host: string) => `${host.split('.')[0]}-tls`;
    const gatewayRef = (sectionName: string) => ({ name: this.gatewayName, namespace: ns, sectionName });

    for (const [issuer, server] of [
      ['letsencrypt-staging', 'https://acme-staging-v02.api.letsencrypt.org/directory'],
      ['letsencrypt-production', 'https://acme-v02.api.letsencrypt.org/directory'],
    ] as const) {
      new ClusterIssuer(this, `issuer-${issuer}`, {
        metadata: { name: issuer },
        spec: {
          acme: {
            server,
            email: props.acmeEmail,
            privateKeySecretRef: { name: `${issuer}-account-key` },
            solvers: [{ http01: { gatewayHttpRoute: { parentRefs: [gatewayRef('http')] } } }],
          },
        },
      });
    }

    const sameNamespace = { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME } };
    new Gateway(this, 'gateway', {
      metadata: { name: this.gatewayName, namespace: ns },
      spec: {
        gatewayClassName: props.gatewayClassName ?? 'gke-l7-global-external-managed',
        ...(props.addressName ? { addresses: [{ type: 'NamedAddress', value: props.addressName }] } : {}),
        listeners: [
          { name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: sameNamespace },
          ...hosts.map((host) => ({
            name: listenerOf(host),
            protocol: 'HTTPS',
            port: 443,
            hostname: host,
            tls: {
              mode: GatewaySpecListenersTlsMode.TERMINATE,
              certificateRefs: [{ kind: 'Secret', name: tlsSecretOf(host) }],
            },
            allowedRoutes: sameNamespace,
          })),
        ],
      },
    });

    for (const host of hosts) {
      new Certificate(this, `certificate-${host}`, {
        metadata: { name: tlsSecretOf(host), namespace: ns },
        spec: {
          secretName: tlsSecretOf(host),
          dnsNames: [host],
          issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: props.issuer },
          privateKey: {
            algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA,
            size: 256,
            rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
          },
        },
      });
    }

    new HttpRoute(this, 'http-redirect', {
      metadata: { name: 'http-to-https', namespace: ns },
      spec: {
        parentRefs: [gatewayRef('http')],
        hostnames: hosts,
        rules: [
          {
            filters: [
              {
                type: HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
                requestRedirect: {
                  scheme: HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS,
                  statusCode: HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301,
                },
              },
            ],
          },
        ],
      },
    });

    for (const route of props.routes) {
      new HttpRoute(this, `route-${route.service}`, {
        metadata: { name: route.service, namespace: ns },
        spec: {
          parentRefs: [gatewayRef(listenerOf(route.host))],
          hostnames: [route.host],
          rules: [
            {
              matches: route.pathPrefixes.map((value) => ({
                path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value },
              })),
              backendRefs: [{ name: route.service, port: route.port }],
            },
          ],
        },
      });
      const targetRef = { group: '', kind: 'Service', name: route.service };
      new GcpBackendPolicy(this, `backend-policy-${route.service}`, {
        metadata: { name: route.service, namespace: ns },
        spec: {
          default: {
            securityPolicy: props.cloudArmorPolicy,
            timeoutSec: props.timeoutSec ?? 30,
            logging: { enabled: true },
          },
          targetRef,
        },
      });
      new HealthCheckPolicy(this, `health-check-${route.service}`, {
        metadata: { name: route.service, namespace: ns },
        spec: {
          default: {
            checkIntervalSec: 5,
            config: {
              type: HealthCheckPolicySpecDefaultConfigType.HTTP,
              // The CRD's CEL rules read portSpecification unguarded: without it the API server rejects the policy.
              httpHealthCheck: {
                portSpecification:
                  HealthCheckPolicySpecDefaultConfigHttpHealthCheckPortSpecification.USE_UNDERSCORE_FIXED_UNDERSCORE_PORT,
                port: route.port,
                requestPath: route.healthCheckPath,
              },
            },
          },
          targetRef,
        },
      });
    }
  }
}

function validate(props: EdgeProps): void {
  if (props.routes.length === 0) invalid('Edge', 'at least one route is needed');
  if (!/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/.test(props.acmeEmail))
    invalid('Edge', `acmeEmail "${props.acmeEmail}" is not an e-mail address`);
  for (const route of props.routes) {
    const where = `Edge route ${route.service}`;
    if (!HOSTNAME.test(route.host))
      invalid(where, `host "${route.host}" is not a fully qualified lower-case host name`);
    if (route.pathPrefixes.length === 0) invalid(where, 'needs at least one path prefix');
    for (const prefix of route.pathPrefixes) {
      if (!prefix.startsWith('/')) invalid(where, `path prefix "${prefix}" must start with /`);
    }
  }
  const hosts = props.routes.map((r) => `${r.host}`);
  const labels = new Set(hosts.map((h) => h.split('.')[0]));
  if (labels.size !== new Set(hosts).size)
    invalid('Edge', 'hosts must differ in their first label (listener and secret names use it)');
}
