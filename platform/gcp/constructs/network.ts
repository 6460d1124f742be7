import { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall/index.js';
import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network/index.js';
import { ComputeRouter } from '@cdktf/provider-google/lib/compute-router/index.js';
import { ComputeRouterNat } from '@cdktf/provider-google/lib/compute-router-nat/index.js';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork/index.js';
import { Construct } from 'constructs';
import { GOOGLE_FRONT_END_RANGES } from '../../environments/index';
import { assertDisjoint, isRfc1918, parseCidr } from '../cidr';

/**
 * Admission-webhook ports the control plane must reach on nodes. A private cluster's auto-created rules
 * open only 443 and 10250, so webhooks on other ports (CNPG 9443, KEDA's metrics API 6443, 8443 is common)
 * time out without this.
 */
export const DEFAULT_WEBHOOK_PORTS = [6443, 8443, 9443] as const;

export interface NetworkProps {
  /** VPC name; subnets, router and rules are prefixed with it. */
  readonly name: string;
  /** Region of the subnets and the Cloud Router. */
  readonly region: string;
  /** Primary range of the GKE node subnet (RFC 1918). */
  readonly nodesCidr: string;
  /** Secondary range for pods. */
  readonly podsCidr: string;
  /** Secondary range for ClusterIP services. */
  readonly servicesCidr: string;
  /** The control plane's /28; reserved here so nothing else overlaps it, and the source of webhook calls. */
  readonly controlPlaneCidr: string;
  /** Network tag carried by the GKE nodes; the allow rules target it. */
  readonly nodeTag: string;
  /** Container ports Google's health checkers probe (container-native LB probes pods directly). */
  readonly healthCheckPorts: readonly number[];
  /** Share of flows logged. @default 0.5 */
  readonly flowLogSampling?: number;
  /** Ports the control plane may call on nodes for admission webhooks. @default DEFAULT_WEBHOOK_PORTS */
  readonly webhookPorts?: readonly number[];
  /**
   * Proxy-only subnet for regional Envoy-based load balancers. Only regional Gateway classes need it; the
   * global external Gateway ScaleFu uses does not. @default none
   */
  readonly proxyOnlyCidr?: string;
}

/**
 * Custom VPC: one node subnet with pod/service secondary ranges, Private Google Access and flow logs;
 * Cloud NAT for egress from private nodes; ingress denied unless a rule below names its source and port.
 */
export class Network extends Construct {
  readonly vpc: ComputeNetwork;
  readonly nodesSubnet: ComputeSubnetwork;
  /** Secondary range name of the pods (for the cluster's IP allocation policy). */
  readonly podsRangeName = 'pods';
  /** Secondary range name of the services. */
  readonly servicesRangeName = 'services';
  readonly router: ComputeRouter;
  readonly nat: ComputeRouterNat;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    validate(props);
    const { name, region } = props;

    this.vpc = new ComputeNetwork(this, 'vpc', {
      name,
      autoCreateSubnetworks: false,
      routingMode: 'REGIONAL',
      // Keep the default internet route: Cloud NAT needs it for egress.
      deleteDefaultRoutesOnCreate: false,
    });

    this.nodesSubnet = new ComputeSubnetwork(this, 'nodes', {
      name: `${name}-nodes`,
      region,
      network: this.vpc.id,
      ipCidrRange: props.nodesCidr,
      secondaryIpRange: [
        { rangeName: this.podsRangeName, ipCidrRange: props.podsCidr },
        { rangeName: this.servicesRangeName, ipCidrRange: props.servicesCidr },
      ],
      // Private nodes have no external IP: Google APIs (Artifact Registry, Secret Manager, GCS) go this way.
      privateIpGoogleAccess: true,
      logConfig: {
        aggregationInterval: 'INTERVAL_5_SEC',
        flowSampling: props.flowLogSampling ?? 0.5,
        metadata: 'INCLUDE_ALL_METADATA',
      },
    });

    if (props.proxyOnlyCidr) {
      new ComputeSubnetwork(this, 'proxy-only', {
        name: `${name}-proxy-only`,
        region,
        network: this.vpc.id,
        ipCidrRange: props.proxyOnlyCidr,
        purpose: 'REGIONAL_MANAGED_PROXY',
        role: 'ACTIVE',
      });
    }

    this.router = new ComputeRouter(this, 'router', { name: `${name}-router`, region, network: this.vpc.id });
    this.nat = new ComputeRouterNat(this, 'nat', {
      name: `${name}-nat`,
      region,
      router: this.router.name,
      natIpAllocateOption: 'AUTO_ONLY',
      // Only the node subnet (nodes and pods) egresses; a future subnet must opt in here.
      sourceSubnetworkIpRangesToNat: 'LIST_OF_SUBNETWORKS',
      subnetwork: [{ name: this.nodesSubnet.id, sourceIpRangesToNat: ['ALL_IP_RANGES'] }],
      // Many outbound connections per node (image pulls, SMTP, Kafka clients of external tools).
      enableDynamicPortAllocation: true,
      enableEndpointIndependentMapping: false,
      minPortsPerVm: 64,
      maxPortsPerVm: 4096,
      logConfig: { enable: true, filter: 'ERRORS_ONLY' },
    });

    this.firewall(props);
  }

  private firewall(props: NetworkProps): void {
    const { name, nodeTag } = props;
    // The VPC's implied rule already denies ingress; this explicit one makes the intent reviewable and logs
    // what it drops. Everything allowed sits at priority 1000 (GKE's own rules use 1000 too).
    new ComputeFirewall(this, 'deny-all-ingress', {
      name: `${name}-deny-all-ingress`,
      network: this.vpc.id,
      direction: 'INGRESS',
      priority: 65534,
      sourceRanges: ['0.0.0.0/0'],
      deny: [{ protocol: 'all' }],
      logConfig: { metadata: 'INCLUDE_ALL_METADATA' },
    });
    new ComputeFirewall(this, 'allow-health-checks', {
      name: `${name}-allow-health-checks`,
      network: this.vpc.id,
      direction: 'INGRESS',
      priority: 1000,
      sourceRanges: [...GOOGLE_FRONT_END_RANGES],
      targetTags: [nodeTag],
      allow: [{ protocol: 'tcp', ports: props.healthCheckPorts.map(String) }],
      logConfig: { metadata: 'EXCLUDE_ALL_METADATA' },
    });
    new ComputeFirewall(this, 'allow-control-plane-webhooks', {
      name: `${name}-allow-control-plane-webhooks`,
      network: this.vpc.id,
      direction: 'INGRESS',
      priority: 1000,
      sourceRanges: [props.controlPlaneCidr],
      targetTags: [nodeTag],
      allow: [{ protocol: 'tcp', ports: (props.webhookPorts ?? DEFAULT_WEBHOOK_PORTS).map(String) }],
      logConfig: { metadata: 'EXCLUDE_ALL_METADATA' },
    });
    // No SSH rule (not even from IAP): nodes are debugged through kubectl, and there is no bastion.
  }
}

function validate(props: NetworkProps): void {
  if (!props.name) throw new Error('Network: name is required');
  if (!props.region) throw new Error('Network: region is required');
  const internal: Record<string, string> = {
    nodesCidr: props.nodesCidr,
    podsCidr: props.podsCidr,
    servicesCidr: props.servicesCidr,
    controlPlaneCidr: props.controlPlaneCidr,
    ...(props.proxyOnlyCidr ? { proxyOnlyCidr: props.proxyOnlyCidr } : {}),
  };
  for (const [key, cidr] of Object.entries(internal)) {
    if (!isRfc1918(cidr)) throw new Error(`Network: ${key} ${cidr} must be RFC 1918 private space`);
  }
  assertDisjoint(internal);
  if (parseCidr(props.controlPlaneCidr).prefix !== 28) {
    throw new Error(`Network: controlPlaneCidr ${props.controlPlaneCidr} must be a /28 (GKE requires it)`);
  }
  const sampling = props.flowLogSampling ?? 0.5;
  if (!(sampling > 0 && sampling <= 1)) throw new Error(`Network: flowLogSampling ${sampling} must be in (0, 1]`);
  const ports = [...props.healthCheckPorts, ...(props.webhookPorts ?? DEFAULT_WEBHOOK_PORTS)];
  if (props.healthCheckPorts.length === 0) throw new Error('Network: healthCheckPorts must not be empty');
  for (const p of ports) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`Network: port ${p} is not a TCP port`);
  }
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(props.nodeTag)) {
    throw new Error(`Network: nodeTag "${props.nodeTag}" is not a valid network tag`);
  }
}
