import { namesOf } from './names';
import { WORKLOAD_KSAS, type KubernetesIdentity, type WorkloadName } from './kubernetes';
import type { EnvironmentNames, EnvironmentSettings } from './types';

/**
 * Source ranges of Google's front ends and health checkers for the global external Application Load Balancer
 * (the GKE Gateway's class). The VPC firewall lets health checks in from them and the NetworkPolicies let
 * load-balanced traffic reach the API pods from them; Google publishes them, so they are stated here once.
 */
export const GOOGLE_FRONT_END_RANGES: readonly string[] = ['35.191.0.0/16', '130.211.0.0/22'];

/** A Workload Identity binding as both sides see it. */
export interface WorkloadIdentityBinding extends KubernetesIdentity {
  /** Google service account e-mail; the KSA annotation `iam.gke.io/gcp-service-account` carries it. */
  readonly gsaEmail: string;
  /** IAM member string the GSA trusts: `serviceAccount:<project>.svc.id.goog[<namespace>/<ksa>]`. */
  readonly member: string;
}

/**
 * Names of the GCP resources the CDKTF stacks create and the cdk8s charts refer to. The GCP stacks name
 * their resources from this object, so a name is defined here once and read by both sides.
 */
export interface GcpOutputs extends EnvironmentNames {
  /** GCP project id. */
  readonly projectId: string;
  /** Region of the cluster and regional resources. */
  readonly region: string;
  /** Zones the cluster's nodes are spread across. */
  readonly zones: readonly string[];
  /** GKE cluster name (regional: its location is `region`). */
  readonly clusterName: string;
  /** The control plane's private /28 (API-server egress in NetworkPolicies). */
  readonly controlPlaneCidr: string;
  /** Workload Identity pool of the cluster. */
  readonly workloadIdentityPool: string;
  /** Cloud DNS managed zone name (not the DNS name). */
  readonly dnsZoneName: string;
  /** Cloud Armor policy for the API backends; the GKE Gateway attaches it with a `GCPBackendPolicy`. */
  readonly apiArmorPolicyName: string;
  /** Global static IP the GKE Gateway uses (`spec.addresses: [{type: NamedAddress, value}]`). */
  readonly gatewayAddressName: string;
  /** Global static IP of the admin-web HTTPS load balancer (created by CDKTF, not by the Gateway). */
  readonly webAddressName: string;
  /** Least-privilege Google service account of the GKE nodes. */
  readonly nodeServiceAccount: string;
  /** Every workload's Google service account and the KSA bound to it. */
  readonly workloadIdentities: Readonly<Record<WorkloadName, WorkloadIdentityBinding>>;
}

/** Everything the Kubernetes side needs from the GCP side, derived in exactly one place. */
export function gcpOutputsOf(env: EnvironmentSettings): GcpOutputs {
  const names = namesOf(env);
  const pool = `${env.projectId}.svc.id.goog`;
  const workloadIdentities = Object.fromEntries(
    (Object.keys(WORKLOAD_KSAS) as WorkloadName[]).map((w) => {
      const ksa = WORKLOAD_KSAS[w];
      const binding: WorkloadIdentityBinding = {
        ...ksa,
        gsaEmail: names.workloadServiceAccounts[w],
        member: `serviceAccount:${pool}[${ksa.namespace}/${ksa.serviceAccount}]`,
      };
      return [w, binding];
    }),
  ) as Record<WorkloadName, WorkloadIdentityBinding>;
  return {
    ...names,
    projectId: env.projectId,
    region: env.region,
    zones: env.zones,
    clusterName: env.clusterName,
    controlPlaneCidr: env.controlPlaneCidr,
    workloadIdentityPool: pool,
    dnsZoneName: `scalefu-${env.name}`,
    apiArmorPolicyName: `scalefu-${env.name}-api`,
    gatewayAddressName: `scalefu-${env.name}-gateway-ip`,
    webAddressName: `scalefu-${env.name}-web-ip`,
    nodeServiceAccount: `scalefu-gke-nodes@${env.projectId}.iam.gserviceaccount.com`,
    workloadIdentities,
  };
}
