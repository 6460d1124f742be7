import { OTEL_COLLECTOR, SERVICE_NAMES } from '@scalefu/contracts';
import type { EnvironmentNames } from './types';

/** Every workload that has its own Google service account (the keys of `namesOf(env).workloadServiceAccounts`). */
export type WorkloadName = keyof EnvironmentNames['workloadServiceAccounts'];

/** Where a workload runs in Kubernetes: the KSA that Workload Identity maps to its Google service account. */
export interface KubernetesIdentity {
  /** Namespace of the pod. */
  readonly namespace: string;
  /** Kubernetes ServiceAccount the pod runs as. */
  readonly serviceAccount: string;
}

/** Namespace the ScaleFu services and their data stores (Kafka, Postgres, Redis) run in. */
export const APP_NAMESPACE = 'scalefu';

/** Namespace of the External Secrets operator (its controller reads Secret Manager). */
export const EXTERNAL_SECRETS_NAMESPACE = 'external-secrets';

/**
 * Name of the CloudNativePG `Cluster`. CNPG runs backups as a ServiceAccount named after the Cluster,
 * so this name is also the KSA bound to the postgres-backup Google service account.
 */
export const POSTGRES_CLUSTER_NAME = 'scalefu-postgres';

/**
 * The Kubernetes side of every Workload Identity binding. The GCP stacks grant
 * `roles/iam.workloadIdentityUser` to exactly these KSAs; the cdk8s charts must create them with these names
 * and annotate them with `iam.gke.io/gcp-service-account` (see `gcpOutputsOf(env).workloadIdentities`).
 */
export const WORKLOAD_KSAS: Readonly<Record<WorkloadName, KubernetesIdentity>> = {
  ...(Object.fromEntries(SERVICE_NAMES.map((s) => [s, { namespace: APP_NAMESPACE, serviceAccount: s }])) as Record<
    (typeof SERVICE_NAMES)[number],
    KubernetesIdentity
  >),
  'external-secrets': { namespace: EXTERNAL_SECRETS_NAMESPACE, serviceAccount: 'external-secrets' },
  'postgres-backup': { namespace: APP_NAMESPACE, serviceAccount: POSTGRES_CLUSTER_NAME },
  // The clusters' OpenTelemetry Collector writes traces to Cloud Trace and logs to Cloud Logging as this KSA.
  'otel-collector': { namespace: OTEL_COLLECTOR.namespace, serviceAccount: OTEL_COLLECTOR.serviceName },
};
