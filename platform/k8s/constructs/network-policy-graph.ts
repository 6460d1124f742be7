import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { WAIVER_REASONS, waiverAnnotations } from './scanner-waivers';
import type { DependencyGraph, Edge, Peer, Port } from '../graph';
import { invalid } from './labels';

export interface NetworkPolicyGraphProps {
  /** The declared graph; every allow rule comes from one of its edges. */
  readonly graph: DependencyGraph;
}

/**
 * NetworkPolicies generated from a dependency graph: a default-deny (ingress and egress) policy per policed
 * namespace, then one policy per pod peer that opens exactly its declared incoming and outgoing edges.
 */
export class NetworkPolicyGraph extends Construct {
  private readonly peers: ReadonlyMap<string, Peer>;

  constructor(scope: Construct, id: string, props: NetworkPolicyGraphProps) {
    super(scope, id);
    const { graph } = props;
    this.peers = indexPeers(graph);
    const policed = new Set(graph.policedNamespaces);
    for (const edge of graph.edges) this.validateEdge(edge, policed);

    for (const namespace of [...policed].sort()) {
      new k8s.KubeNetworkPolicy(this, `default-deny-${namespace}`, {
        metadata: { name: 'default-deny-all', namespace },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      });
    }
    for (const peer of graph.peers) {
      if (peer.kind !== 'pods' || !policed.has(peer.namespace)) continue;
      const incoming = graph.edges.filter((e) => e.to === peer.id);
      const outgoing = graph.edges.filter((e) => e.from === peer.id);
      new k8s.KubeNetworkPolicy(this, `allow-${peer.id}`, {
        metadata: {
          name: `allow-${peer.id}`,
          namespace: peer.namespace,
          annotations: {
            'scalefu.io/paths': describe([...incoming, ...outgoing]),
            ...(peer.renderedHere
              ? {}
              : waiverAnnotations({ kubeScore: { 'networkpolicy-targets-pod': WAIVER_REASONS.operatorPods } })),
          },
        },
        spec: {
          podSelector: { matchLabels: { ...peer.labels } },
          policyTypes: ['Ingress', 'Egress'],
          // An empty rule list denies like an absent one, but the API server stores it as absent, so every
          // server-side apply of `[]` counts as a spec change (generation bump, a diff on every sync): omit it.
          ...(incoming.length > 0 && {
            ingress: incoming.map((e) => ({
              from: this.peerSelectors(e.from, peer.namespace),
              ports: portsOf(e.ports),
            })),
          }),
          ...(outgoing.length > 0 && {
            egress: outgoing.map((e) => ({ to: this.peerSelectors(e.to, peer.namespace), ports: portsOf(e.ports) })),
          }),
        },
      });
    }
  }

  private peerSelectors(peerId: string, fromNamespace: string): k8s.NetworkPolicyPeer[] {
    const peer = this.peers.get(peerId)!;
    if (peer.kind === 'cidr') {
      return peer.cidrs.map((cidr) => ({ ipBlock: { cidr, ...(peer.except ? { except: [...peer.except] } : {}) } }));
    }
    const podSelector = { matchLabels: { ...peer.labels } };
    if (peer.namespace === fromNamespace) return [{ podSelector }];
    return [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } }, podSelector }];
  }

  private validateEdge(edge: Edge, policed: ReadonlySet<string>): void {
    const where = `NetworkPolicyGraph edge ${edge.from} -> ${edge.to}`;
    const from = this.peers.get(edge.from);
    const to = this.peers.get(edge.to);
    if (!from) invalid(where, `unknown peer "${edge.from}"`);
    if (!to) invalid(where, `unknown peer "${edge.to}"`);
    if (edge.ports.length === 0) invalid(where, 'an edge must name its ports; "any port" is never declared');
    for (const p of edge.ports) {
      if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) invalid(where, `port ${p.port} is out of range`);
    }
    const isPoliced = (p: Peer) => p.kind === 'pods' && policed.has(p.namespace);
    if (!isPoliced(from) && !isPoliced(to)) {
      invalid(where, 'neither end is in a policed namespace, so no policy here could express it');
    }
  }
}

function indexPeers(graph: DependencyGraph): Map<string, Peer> {
  const peers = new Map<string, Peer>();
  for (const peer of graph.peers) {
    if (peers.has(peer.id)) invalid('NetworkPolicyGraph', `peer "${peer.id}" is declared twice`);
    if (peer.kind === 'pods' && Object.keys(peer.labels).length === 0) {
      invalid('NetworkPolicyGraph', `peer "${peer.id}" has no labels and would select every pod`);
    }
    peers.set(peer.id, peer);
  }
  return peers;
}

function portsOf(ports: readonly Port[]): k8s.NetworkPolicyPort[] {
  return ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol }));
}

function describe(edges: readonly Edge[]): string {
  return edges
    .map((e) => `${e.from} -> ${e.to} ${e.ports.map((p) => `${p.port}/${p.protocol}`).join(',')}: ${e.why}`)
    .join('\n');
}
