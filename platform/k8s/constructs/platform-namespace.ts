import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { assertQuantity, invalid } from './labels';

export interface PlatformNamespaceProps {
  /** Namespace name. */
  readonly name: string;
  /** Namespace-wide ceiling on CPU limits. */
  readonly cpu: string;
  /** Namespace-wide ceiling on memory limits. */
  readonly memory: string;
  /** Namespace-wide ceiling on requested persistent storage. */
  readonly storage: string;
  /**
   * Pod Security Standard enforced by Pod Security Admission.
   * @default 'restricted'
   */
  readonly podSecurity?: 'restricted' | 'baseline';
}

/**
 * A namespace that enforces a Pod Security Standard, caps what it can consume (ResourceQuota), and gives containers
 * that operators create without resources a sane default (LimitRange) so the quota never blocks them.
 */
export class PlatformNamespace extends Construct {
  constructor(scope: Construct, id: string, props: PlatformNamespaceProps) {
    super(scope, id);
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(props.name)) {
      invalid('PlatformNamespace', `"${props.name}" is not a valid namespace name`);
    }
    for (const field of ['cpu', 'memory', 'storage'] as const) assertQuantity('PlatformNamespace', field, props[field]);
    const level = props.podSecurity ?? 'restricted';
    new k8s.KubeNamespace(this, 'namespace', {
      metadata: {
        name: props.name,
        labels: {
          'pod-security.kubernetes.io/enforce': level,
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    });
    const q = (v: string) => k8s.Quantity.fromString(v);
    new k8s.KubeResourceQuota(this, 'quota', {
      metadata: { name: 'compute-and-storage', namespace: props.name },
      spec: {
        hard: {
          'limits.cpu': q(props.cpu),
          'limits.memory': q(props.memory),
          'requests.storage': q(props.storage),
        },
      },
    });
    new k8s.KubeLimitRange(this, 'limits', {
      metadata: { name: 'container-defaults', namespace: props.name },
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: { cpu: q('50m'), memory: q('64Mi') },
            default: { cpu: q('500m'), memory: q('256Mi') },
          },
        ],
      },
    });
  }
}
