import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdktf';
import { assertResource, resourcesOf } from '../testing';
import { Network, type NetworkProps } from './network';

const props: NetworkProps = {
  name: 'net',
  region: 'asia-southeast1',
  nodesCidr: '10.10.0.0/20',
  podsCidr: '10.16.0.0/14',
  servicesCidr: '10.20.0.0/20',
  controlPlaneCidr: '172.16.0.0/28',
  nodeTag: 'gke-node',
  healthCheckPorts: [8080],
};
const synth = (p: Partial<NetworkProps> = {}) => Testing.synthScope((s) => new Network(s, 'n', { ...props, ...p }));

describe('Network', () => {
  it('rejects pod and node ranges that overlap', () => {
    assert.throws(() => synth({ podsCidr: '10.10.0.0/16' }), /overlap: nodesCidr 10\.10\.0\.0\/20 and podsCidr/);
  });

  it('rejects a service range inside the control plane block', () => {
    assert.throws(() => synth({ servicesCidr: '172.16.0.0/20' }), /overlap/);
  });

  it('rejects a control plane block that is not a /28', () => {
    assert.throws(() => synth({ controlPlaneCidr: '172.16.0.0/27' }), /must be a \/28/);
  });

  it('rejects public address space for internal ranges', () => {
    assert.throws(() => synth({ nodesCidr: '34.10.0.0/20' }), /RFC 1918/);
  });

  it('rejects an empty health-check port list and a flow log sampling of 0', () => {
    assert.throws(() => synth({ healthCheckPorts: [] }), /healthCheckPorts must not be empty/);
    assert.throws(() => synth({ flowLogSampling: 0 }), /flowLogSampling/);
  });

  it('creates a proxy-only subnet only when asked, and never with flow logs', () => {
    assert.equal(resourcesOf(synth(), 'google_compute_subnetwork').length, 1);
    const withProxy = synth({ proxyOnlyCidr: '10.30.0.0/23' });
    assertResource(withProxy, 'google_compute_subnetwork', { purpose: 'REGIONAL_MANAGED_PROXY', role: 'ACTIVE' });
    assert.throws(() => synth({ proxyOnlyCidr: '10.10.0.0/23' }), /overlap/);
  });

  it('opens health-check and webhook ports only to their sources and the node tag', () => {
    const s = synth({ healthCheckPorts: [8080, 8081] });
    assertResource(s, 'google_compute_firewall', {
      source_ranges: ['35.191.0.0/16', '130.211.0.0/22'],
      target_tags: ['gke-node'],
      allow: [{ protocol: 'tcp', ports: ['8080', '8081'] }],
    });
    assertResource(s, 'google_compute_firewall', {
      source_ranges: ['172.16.0.0/28'],
      allow: [{ protocol: 'tcp', ports: ['6443', '8443', '9443'] }],
    });
  });
});
