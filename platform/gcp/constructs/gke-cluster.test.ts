import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdktf';
import { assertResource } from '../testing';
import { GkeCluster, type GkeClusterProps } from './gke-cluster';

const pool = {
  name: 'general',
  machineType: 'e2-standard-4',
  minNodesPerZone: 1,
  maxNodesPerZone: 3,
  spot: false,
  diskSizeGb: 50,
  labels: {},
};
const props: GkeClusterProps = {
  name: 'c',
  projectId: 'p-12345',
  region: 'asia-southeast1',
  zones: ['asia-southeast1-a', 'asia-southeast1-b'],
  networkId: 'net',
  subnetworkId: 'sub',
  podsRangeName: 'pods',
  servicesRangeName: 'services',
  controlPlaneCidr: '172.16.0.0/28',
  authorizedNetworks: [{ cidr: '203.0.113.0/24', name: 'ops' }],
  nodePools: [pool],
  nodeServiceAccountEmail: 'gke-nodes@p-12345.iam.gserviceaccount.com',
  databaseEncryptionKeyId: 'key',
  nodeTag: 'c-node',
};
const synth = (p: Partial<GkeClusterProps> = {}) =>
  Testing.synthScope((s) => new GkeCluster(s, 'gke', { ...props, ...p }));

describe('GkeCluster', () => {
  it('rejects an empty zone list', () => {
    assert.throws(() => synth({ zones: [] }), /zones must not be empty/);
  });

  it('rejects a zone outside the region', () => {
    assert.throws(() => synth({ zones: ['europe-west1-b'] }), /not in region asia-southeast1/);
  });

  it('refuses to open the control plane to the whole internet', () => {
    assert.throws(() => synth({ authorizedNetworks: [{ cidr: '0.0.0.0/0', name: 'all' }] }), /too wide/);
    assert.throws(() => synth({ authorizedNetworks: [] }), /at least one block/);
  });

  it('refuses the Compute Engine default service account for nodes', () => {
    assert.throws(
      () => synth({ nodeServiceAccountEmail: '123-compute@developer.gserviceaccount.com' }),
      /dedicated service account/,
    );
  });

  it('rejects node pools with min above max or duplicate names', () => {
    assert.throws(() => synth({ nodePools: [{ ...pool, minNodesPerZone: 4 }] }), /min 4 > max 3/);
    assert.throws(() => synth({ nodePools: [pool, pool] }), /must be unique/);
  });

  it('defaults to deletion protection on', () => {
    assertResource(synth(), 'google_container_cluster', { deletion_protection: true });
    assertResource(synth({ deletionProtection: false }), 'google_container_cluster', { deletion_protection: false });
  });

  it('gives spot pools spot VMs and keeps surge upgrades from taking capacity away', () => {
    assertResource(synth({ nodePools: [{ ...pool, spot: true }] }), 'google_container_node_pool', {
      node_config: { spot: true, image_type: 'COS_CONTAINERD' },
      upgrade_settings: { max_surge: 1, max_unavailable: 0 },
    });
  });
});
