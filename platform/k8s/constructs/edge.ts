import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
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
      new ApiObject(this, `issuer-${issuer}`, {
        apiVersion: 'cert-manager.io/v1',
        kind: 'ClusterIssuer',
        metadata: { name: issuer },
        spec: {
          acme: {
            server,
            email: props.acmeEmail,
            privateKeySecretRef: { name: `${issuer}-account-key` },
            solvers: [{ http01: { gatewayHTTPRoute: { parentRefs: [gatewayRef('http')] } } }],
          },
        },
      });
    }

    new ApiObject(this, 'gateway', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: this.gatewayName, namespace: ns },
      spec: {
        gatewayClassName: props.gatewayClassName ?? 'gke-l7-global-external-managed',
        ...(props.addressName ? { addresses: [{ type: 'NamedAddress', value: props.addressName }] } : {}),
        listeners: [
          { name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'Same' } } },
          ...hosts.map((host) => ({
            name: listenerOf(host),
            protocol: 'HTTPS',
            port: 443,
            hostname: host,
            tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: tlsSecretOf(host) }] },
            allowedRoutes: { namespaces: { from: 'Same' } },
          })),
        ],
      },
    });

    for (const host of hosts) {
      new ApiObject(this, `certificate-${host}`, {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: { name: tlsSecretOf(host), namespace: ns },
        spec: {
          secretName: tlsSecretOf(host),
          dnsNames: [host],
          issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: props.issuer },
          privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
        },
      });
    }

    new ApiObject(this, 'http-redirect', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'http-to-https', namespace: ns },
      spec: {
        parentRefs: [gatewayRef('http')],
        hostnames: hosts,
        rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
      },
    });

    for (const route of props.routes) {
      new ApiObject(this, `route-${route.service}`, {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: route.service, namespace: ns },
        spec: {
          parentRefs: [gatewayRef(listenerOf(route.host))],
          hostnames: [route.host],
          rules: [
            {
              matches: route.pathPrefixes.map((value) => ({ path: { type: 'PathPrefix', value } })),
              backendRefs: [{ name: route.service, port: route.port }],
            },
          ],
        },
      });
      const targetRef = { group: '', kind: 'Service', name: route.service };
      new ApiObject(this, `backend-policy-${route.service}`, {
        apiVersion: 'networking.gke.io/v1',
        kind: 'GCPBackendPolicy',
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
      new ApiObject(this, `health-check-${route.service}`, {
        apiVersion: 'networking.gke.io/v1',
        kind: 'HealthCheckPolicy',
        metadata: { name: route.service, namespace: ns },
        spec: {
          default: {
            checkIntervalSec: 5,
            config: {
              type: 'HTTP',
              // The CRD's CEL rules read portSpecification unguarded: without it the API server rejects the policy.
              httpHealthCheck: {
                portSpecification: 'USE_FIXED_PORT',
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
