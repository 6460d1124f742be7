import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLUSTER_PORTS } from '@scalefu/contracts';
import { Testing } from 'cdk8s';
import { declaredGraph, type DependencyGraph, type Peer } from '../graph';
import { PLATFORM_ENVIRONMENTS } from '../../environments/index';
import { FAKE_UPSTREAM_PODS } from '../testing/fake-upstream-pods';
import { canConnect, inCidr, selects, type Endpoint, type NetworkPolicyDoc, type Port } from '../testing/reachability';
import { podTemplates, renderedClusters, type Doc } from '../testing/rendered';
import { NetworkPolicyGraph } from './network-policy-graph';

interface Located {
  readonly peer: string;
  readonly endpoint: Endpoint;
}

const key = (from: string, to: string, p: Port) => `${from} -> ${to} ${p.port}/${p.protocol}`;

/** Pods (rendered workloads + fake upstream pods) and representative addresses of the CIDR peers. */
function endpoints(docs: readonly Doc[], graph: DependencyGraph): Located[] {
  const pods = [
    ...podTemplates(docs).map(({ workload, template }) => ({
      name: workload.metadata.name,
      namespace: workload.metadata.namespace!,
      labels: template.metadata.labels,
    })),
    ...FAKE_UPSTREAM_PODS,
  ];
  const located: Located[] = pods.map((pod, i) => {
    const owners = graph.peers.filter(
      (p): p is Extract<Peer, { kind: 'pods' }> =>
        p.kind === 'pods' && p.namespace === pod.namespace && selects({ matchLabels: p.labels }, pod.labels),
    );
    assert.ok(
      owners.length <= 1,
      `pod ${pod.name} is selected by several peers: ${owners.map((o) => o.id).join(', ')}`,
    );
    return {
      peer: owners[0]?.id ?? `unlisted:${pod.name}`,
      endpoint: {
        kind: 'pod',
        namespace: pod.namespace,
        labels: pod.labels,
        ip: `10.8.${Math.floor(i / 200)}.${(i % 200) + 2}`,
      },
    };
  });
  for (const peer of graph.peers) {
    if (peer.kind !== 'cidr') continue;
    const [base] = peer.cidrs[0]!.split('/');
    const sample = peer.id === 'internet' ? '203.0.113.10' : base!.replace(/\.0$/, '.2');
    assert.ok(
      peer.cidrs.some((c) => inCidr(sample, c)),
      `sample ${sample} of ${peer.id} lies in its range`,
    );
    located.push({ peer: peer.id, endpoint: { kind: 'ip', ip: sample } });
  }
  return located;
}

/** Every (from, to, port) the policies allow, where at least one end is a pod in a policed namespace. */
function reachable(policies: readonly NetworkPolicyDoc[], docs: readonly Doc[], graph: DependencyGraph): Set<string> {
  const all = endpoints(docs, graph);
  const policed = new Set(graph.policedNamespaces);
  const isPoliced = (l: Located) => l.endpoint.kind === 'pod' && policed.has(l.endpoint.namespace);
  const cidrSources = new Set(graph.edges.map((e) => e.from));
  const cidrTargets = new Set(graph.edges.map((e) => e.to));
  const ports: Port[] = [
    ...new Map(graph.edges.flatMap((e) => e.ports).map((p) => [`${p.port}/${p.protocol}`, p])).values(),
    { port: 1, protocol: 'TCP' },
    { port: 1, protocol: 'UDP' },
  ];
  const result = new Set<string>();
  for (const src of all) {
    if (src.endpoint.kind === 'ip' && !cidrSources.has(src.peer)) continue;
    for (const dst of all) {
      if (dst.endpoint.kind === 'ip' && !cidrTargets.has(dst.peer)) continue;
      if (!isPoliced(src) && !isPoliced(dst)) continue;
      for (const port of ports) {
        if (canConnect(policies, src.endpoint, dst.endpoint, port)) result.add(key(src.peer, dst.peer, port));
      }
    }
  }
  return result;
}

function declared(graph: DependencyGraph): Set<string> {
  return new Set(graph.edges.flatMap((e) => e.ports.map((p) => key(e.from, e.to, p))));
}

function diff(actual: Set<string>, expected: Set<string>) {
  return {
    missing: [...expected].filter((k) => !actual.has(k)).sort(),
    unexpected: [...actual].filter((k) => !expected.has(k)).sort(),
  };
}

describe('network policies', () => {
  for (const env of ['dev', 'prod'] as const) {
    it(`open exactly the declared dependency graph in ${env}: every needed path, nothing else`, async () => {
      const cluster = (await renderedClusters()).find((c) => c.env === env)!;
      const policies = cluster.docs.filter((d) => d.kind === 'NetworkPolicy') as unknown as NetworkPolicyDoc[];
      const graph = declaredGraph(PLATFORM_ENVIRONMENTS[env]);
      const result = diff(reachable(policies, cluster.docs, graph), declared(graph));
      assert.deepEqual(result, { missing: [], unexpected: [] });
    });
  }

  it('every rendered and operator-created pod in a policed namespace is selected by a default-deny policy', async () => {
    for (const cluster of await renderedClusters()) {
      const denyAll = (cluster.docs.filter((d) => d.kind === 'NetworkPolicy') as unknown as NetworkPolicyDoc[]).filter(
        (p) =>
          Object.keys(p.spec.podSelector).length === 0 &&
          (p.spec.policyTypes ?? []).includes('Ingress') &&
          (p.spec.policyTypes ?? []).includes('Egress') &&
          !p.spec.ingress?.length &&
          !p.spec.egress?.length,
      );
      const graph = declaredGraph(PLATFORM_ENVIRONMENTS[cluster.env]);
      const pods = [
        ...podTemplates(cluster.docs).map((t) => ({
          name: t.workload.metadata.name,
          namespace: t.workload.metadata.namespace!,
        })),
        ...FAKE_UPSTREAM_PODS.filter((p) => graph.policedNamespaces.includes(p.namespace)),
      ];
      assert.ok(pods.length > 5);
      for (const pod of pods) {
        assert.ok(
          denyAll.some((p) => p.metadata.namespace === pod.namespace),
          `${cluster.env}: pod ${pod.name} in ${pod.namespace} has no default-deny policy`,
        );
      }
    }
  });

  const devWorkloads = async () =>
    (await renderedClusters()).find((c) => c.env === 'dev')!.docs.filter((d) => d.kind !== 'NetworkPolicy');

  it('the reachability check notices a path the graph declares but the policies do not open', async () => {
    const graph = declaredGraph(PLATFORM_ENVIRONMENTS.dev);
    const dropped = graph.edges.find((e) => e.from === 'notifier' && e.to === 'internet')!;
    const chart = Testing.chart();
    new NetworkPolicyGraph(chart, 'g', { graph: { ...graph, edges: graph.edges.filter((e) => e !== dropped) } });
    const policies = Testing.synth(chart) as NetworkPolicyDoc[];
    const result = diff(reachable(policies, await devWorkloads(), graph), declared(graph));
    assert.deepEqual(result.missing, ['notifier -> internet 587/TCP']);
  });

  it('the reachability check notices an opened path the graph does not declare', async () => {
    const graph = declaredGraph(PLATFORM_ENVIRONMENTS.dev);
    const chart = Testing.chart();
    const extra = {
      from: 'onboarder',
      to: 'postgres',
      ports: [{ port: CLUSTER_PORTS.postgres, protocol: 'TCP' as const }],
      why: 'test',
    };
    new NetworkPolicyGraph(chart, 'g', { graph: { ...graph, edges: [...graph.edges, extra] } });
    const result = diff(
      reachable(Testing.synth(chart) as NetworkPolicyDoc[], await devWorkloads(), graph),
      declared(graph),
    );
    assert.deepEqual(result.unexpected, [`onboarder -> postgres ${CLUSTER_PORTS.postgres}/TCP`]);
  });

  it('rejects an edge to an undeclared peer', () => {
    const graph = declaredGraph(PLATFORM_ENVIRONMENTS.dev);
    const edges = [
      ...graph.edges,
      { from: 'onboarder', to: 'mystery', ports: [{ port: 1, protocol: 'TCP' as const }], why: '' },
    ];
    assert.throws(
      () => new NetworkPolicyGraph(Testing.chart(), 'g', { graph: { ...graph, edges } }),
      /unknown peer "mystery"/,
    );
  });

  it('rejects an edge without ports, which would mean "any port"', () => {
    const graph = declaredGraph(PLATFORM_ENVIRONMENTS.dev);
    const edges = [...graph.edges, { from: 'onboarder', to: 'redis', ports: [], why: '' }];
    assert.throws(
      () => new NetworkPolicyGraph(Testing.chart(), 'g', { graph: { ...graph, edges } }),
      /must name its ports/,
    );
  });

  it('rejects a peer without labels, which would select every pod', () => {
    const graph = declaredGraph(PLATFORM_ENVIRONMENTS.dev);
    const peers = [
      ...graph.peers,
      { kind: 'pods' as const, id: 'all', namespace: 'scalefu', labels: {}, renderedHere: false },
    ];
    assert.throws(() => new NetworkPolicyGraph(Testing.chart(), 'g', { graph: { ...graph, peers } }), /no labels/);
  });
});
