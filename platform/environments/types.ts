import type { ServiceName } from '@scalefu/contracts';

/** A deployable environment (a GCP project with one GKE cluster). The local stack is not one of these. */
export type ClusterEnvironment = 'dev' | 'prod';

/** Facts about one environment that both the GCP stacks (CDKTF) and the Kubernetes charts (cdk8s) need. */
export interface EnvironmentSettings {
  /** Environment name; also the `clusters/<name>` folder. */
  readonly name: ClusterEnvironment;
  /** GCP project id that holds everything of this environment. */
  readonly projectId: string;
  /** GCP region of the cluster, the registry and the buckets. */
  readonly region: string;
  /** Zones the regional cluster spreads nodes (and so pods) across. */
  readonly zones: readonly string[];
  /** GKE cluster name. */
  readonly clusterName: string;
  /** DNS zone apex; hosts below are derived from it. */
  readonly dnsDomain: string;
  /** Image tag deployed to this environment; promote by changing it in the overlay. */
  readonly imageTag: string;
  /**
   * Manifest digest of each service's image at `imageTag`, written by the release pipeline (`npm run release`) for
   * dev and copied to prod by the promotion pull request; a service with a digest is deployed by digest.
   */
  readonly imageDigests: Readonly<Partial<Record<ServiceName, string>>>;
  /**
   * The GKE control plane's private /28: the GCP stack reserves it for the cluster, and the cdk8s
   * NetworkPolicies allow egress to the API server there.
   */
  readonly controlPlaneCidr: string;
}

/** Names derived from the settings: computed once here so no side retypes them. */
export interface EnvironmentNames {
  /** Public hosts. */
  readonly hosts: { readonly api: string; readonly adminApi: string; readonly web: string };
  /** Artifact Registry path images are pushed to. */
  readonly imageRegistry: string;
  /** Google service account e-mail each workload impersonates through Workload Identity. */
  readonly workloadServiceAccounts: Readonly<
    Record<ServiceName | 'external-secrets' | 'postgres-backup' | 'otel-collector', string>
  >;
  /** GCS buckets. */
  readonly buckets: { readonly postgresBackups: string; readonly adminWeb: string; readonly terraformState: string };
  /** Secret Manager secret ids (shells in CDKTF, read by ExternalSecrets). */
  readonly secretIds: Readonly<
    Record<
      'postgres-app' | 'redis-auth' | 'national-id-hmac-key' | 'smtp' | 'jwt-signing-key' | 'mfa-encryption-key',
      string
    >
  >;
}
