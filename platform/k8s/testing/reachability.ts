/**
 * A small NetworkPolicy evaluator (networking.k8s.io/v1 semantics) used by tests to compute, from rendered
 * policies alone, which endpoint may open a connection to which other endpoint on which port.
 */
type Labels = Readonly<Record<string, string>>;

export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

export interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

export interface PolicyPort {
  port?: number | string;
  endPort?: number;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
}

export interface NetworkPolicyDoc {
  metadata: { name: string; namespace?: string };
  spec: {
    podSelector: LabelSelector;
    policyTypes?: ('Ingress' | 'Egress')[];
    ingress?: { from?: PolicyPeer[]; ports?: PolicyPort[] }[];
    egress?: { to?: PolicyPeer[]; ports?: PolicyPort[] }[];
  };
}

/** A pod (namespace, labels, IP) or an address outside the cluster. */
export type Endpoint = { kind: 'pod'; namespace: string; labels: Labels; ip: string } | { kind: 'ip'; ip: string };

export interface Port {
  port: number;
  protocol: 'TCP' | 'UDP';
}

export function selects(selector: LabelSelector | undefined, labels: Labels): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    const value = labels[e.key];
    const ok =
      e.operator === 'Exists'
        ? has
        : e.operator === 'DoesNotExist'
          ? !has
          : e.operator === 'In'
            ? has && (e.values ?? []).includes(value!)
            : !has || !(e.values ?? []).includes(value!);
    if (!ok) return false;
  }
  return true;
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipToInt(base) / size) * size;
  const value = ipToInt(ip);
  return value >= start && value < start + size;
}

function peerMatches(peer: PolicyPeer, policyNamespace: string, other: Endpoint): boolean {
  if (peer.ipBlock) {
    return inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(other.ip, c));
  }
  if (other.kind !== 'pod') return false;
  const nsLabels = { 'kubernetes.io/metadata.name': other.namespace };
  if (peer.namespaceSelector) {
    return selects(peer.namespaceSelector, nsLabels) && selects(peer.podSelector, other.labels);
  }
  return other.namespace === policyNamespace && selects(peer.podSelector, other.labels);
}

function portMatches(ports: PolicyPort[] | undefined, port: Port): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== port.protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') throw new Error(`named port "${p.port}" is not supported by this evaluator`);
    return port.port >= p.port && port.port <= (p.endPort ?? p.port);
  });
}

function typesOf(policy: NetworkPolicyDoc): string[] {
  return policy.spec.policyTypes ?? (policy.spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
}

function sideAllows(
  policies: readonly NetworkPolicyDoc[],
  direction: 'Ingress' | 'Egress',
  self: Extract<Endpoint, { kind: 'pod' }>,
  other: Endpoint,
  port: Port,
): boolean {
  const applicable = policies.filter(
    (p) =>
      (p.metadata.namespace ?? 'default') === self.namespace &&
      typesOf(p).includes(direction) &&
      selects(p.spec.podSelector, self.labels),
  );
  if (applicable.length === 0) return true;
  return applicable.some((p) => {
    const rules = direction === 'Ingress' ? (p.spec.ingress ?? []) : (p.spec.egress ?? []);
    return rules.some((rule) => {
      const peers = 'from' in rule ? rule.from : (rule as { to?: PolicyPeer[] }).to;
      const peerOk = !peers || peers.length === 0 || peers.some((peer) => peerMatches(peer, self.namespace, other));
      return peerOk && portMatches(rule.ports, port);
    });
  });
}

/** Whether `src` may open a connection to `dst` on `port`: egress of src and ingress of dst must both allow it. */
export function canConnect(policies: readonly NetworkPolicyDoc[], src: Endpoint, dst: Endpoint, port: Port): boolean {
  const egress = src.kind === 'pod' ? sideAllows(policies, 'Egress', src, dst, port) : true;
  const ingress = dst.kind === 'pod' ? sideAllows(policies, 'Ingress', dst, src, port) : true;
  return egress && ingress;
}
