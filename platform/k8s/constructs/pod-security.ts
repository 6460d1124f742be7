import { IMAGE_USER } from '@scalefu/contracts';
import { k8s } from 'cdk8s-plus-28';
import type { ResourceSize } from '../../environments/index';
import { assertQuantity } from './labels';

/** UID/GID ScaleFu images run as (`npm run images` builds them with this user). */
export const NON_ROOT_UID: number = IMAGE_USER.uid;

/** The restricted Pod Security Standard, spelled out for containers that are not built with cdk8s-plus. */
export function restrictedContainerSecurity(uid = NON_ROOT_UID): k8s.SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Pod-level half of the restricted standard. */
export function restrictedPodSecurity(uid = NON_ROOT_UID): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Requests and limits as plain JSON (custom resources, JSON patches), after checking every quantity. */
export function plainResources(construct: string, size: ResourceSize) {
  for (const [field, value] of [
    ['cpu.request', size.cpu.request],
    ['cpu.limit', size.cpu.limit],
    ['memory.request', size.memory.request],
    ['memory.limit', size.memory.limit],
  ] as const) {
    assertQuantity(construct, field, value);
  }
  return {
    requests: { cpu: size.cpu.request, memory: size.memory.request },
    limits: { cpu: size.cpu.limit, memory: size.memory.limit },
  };
}

/**
 * Scratch disk of a container that states none: logs and small emptyDirs (`/tmp`). With the root filesystem read-only
 * nothing else writes locally, and a limit keeps one runaway pod from filling a node's disk.
 */
export const DEFAULT_EPHEMERAL_STORAGE = { request: '64Mi', limit: '256Mi' } as const;

/**
 * Requests and limits for a generated custom-resource class (`platform/k8s/imports`), whose quantities are
 * `fromString` wrappers: `request`/`limit` are those factories.
 */
export function typedResources<R, L>(
  construct: string,
  size: ResourceSize,
  request: (value: string) => R,
  limit: (value: string) => L,
): { requests: Record<string, R>; limits: Record<string, L> } {
  const plain = plainResources(construct, size);
  return {
    requests: { cpu: request(plain.requests.cpu), memory: request(plain.requests.memory) },
    limits: { cpu: limit(plain.limits.cpu), memory: limit(plain.limits.memory) },
  };
}

/** Requests and limits (CPU, memory, ephemeral storage) typed for the core kinds of cdk8s-plus' `k8s` imports. */
export function resourceRequirements(construct: string, size: ResourceSize): k8s.ResourceRequirements {
  const plain = plainResources(construct, size);
  const disk = size.ephemeralStorage ?? DEFAULT_EPHEMERAL_STORAGE;
  assertQuantity(construct, 'ephemeralStorage.request', disk.request);
  assertQuantity(construct, 'ephemeralStorage.limit', disk.limit);
  return {
    requests: {
      cpu: k8sQuantity(plain.requests.cpu),
      memory: k8sQuantity(plain.requests.memory),
      'ephemeral-storage': k8sQuantity(disk.request),
    },
    limits: {
      cpu: k8sQuantity(plain.limits.cpu),
      memory: k8sQuantity(plain.limits.memory),
      'ephemeral-storage': k8sQuantity(disk.limit),
    },
  };
}

/** Zone spread that still schedules when a zone is short of capacity (ScheduleAnyway) for one-replica dev pods. */
export function zoneSpread(labels: Record<string, string>, strict: boolean): k8s.TopologySpreadConstraint[] {
  return [
    {
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: strict ? 'DoNotSchedule' : 'ScheduleAnyway',
      labelSelector: { matchLabels: labels },
    },
    {
      maxSkew: 1,
      topologyKey: 'kubernetes.io/hostname',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: labels },
    },
  ];
}

/** A preference (never a requirement) to put pods with `labels` on different nodes. */
export function hostAntiAffinity(labels: Record<string, string>): k8s.Affinity {
  return {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: labels } },
        },
      ],
    },
  };
}

function k8sQuantity(value: string): k8s.Quantity {
  return k8s.Quantity.fromString(value);
}
