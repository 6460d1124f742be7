/**
 * Scanner waivers written on the object they waive, each with its reason: checkov reads `checkov.io/skip<n>:
 * <CHECK_ID>=<reason>`; kube-score reads `kube-score/ignore: <test>,<test>`, and the reason of each sits beside it in
 * `scalefu.io/kube-score-waiver.<test>`. `npm run scan` fails on any finding not waived here or in `.checkov.yaml`.
 */

/** What to waive, by scanner: check id → why it does not apply (a sentence a reviewer can judge). */
export interface ScannerWaivers {
  /** checkov check ids, e.g. `CKV_K8S_35`. */
  readonly checkov?: Readonly<Record<string, string>>;
  /** kube-score test ids, e.g. `networkpolicy-targets-pod`. */
  readonly kubeScore?: Readonly<Record<string, string>>;
}

/** The annotations that carry `waivers`; empty when there is nothing to waive. */
export function waiverAnnotations(waivers: ScannerWaivers): Record<string, string> {
  const annotations: Record<string, string> = {};
  const checkov = Object.entries(waivers.checkov ?? {}).sort(([a], [b]) => a.localeCompare(b));
  checkov.forEach(([id, reason], i) => {
    if (!reason.trim()) throw new Error(`checkov waiver ${id} needs a reason`);
    annotations[`checkov.io/skip${i + 1}`] = `${id}=${reason}`;
  });
  const kubeScore = Object.entries(waivers.kubeScore ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (kubeScore.length) {
    annotations['kube-score/ignore'] = kubeScore.map(([id]) => id).join(',');
    for (const [id, reason] of kubeScore) {
      if (!reason.trim()) throw new Error(`kube-score waiver ${id} needs a reason`);
      annotations[`scalefu.io/kube-score-waiver.${id}`] = reason;
    }
  }
  return annotations;
}

/** Reasons shared by several constructs, stated once. */
export const WAIVER_REASONS = {
  secretsAsEnv:
    'configuration, secrets included, is read from the environment (ARCHITECTURE §7); the values come from ' +
    'ExternalSecrets (never in git), the root filesystem is read-only and nothing execs into the pod',
  oneReplica:
    'one replica is what this environment sizes (platform/environments); highAvailability environments require ' +
    'minReplicas >= 2 and the construct refuses less',
  kedaReplicas:
    "replicas belong to KEDA's ScaledObject (minReplicaCount = minReplicas); spec.replicas stays unset so Argo CD " +
    'and the autoscaler never fight over it, and kube-score cannot see the ScaledObject',
  operatorPods:
    'the selected pods are created by an operator (Strimzi, CloudNativePG, cert-manager) from a custom resource, ' +
    'so they are not in the rendered files kube-score reads',
  noDigestYet:
    'no released digest yet: `npm run release` writes it into platform/environments/<env>.ts and the image is then ' +
    'deployed by digest',
} as const;
