import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdktf';
import { assertResource, resourcesOf } from '../testing';
import { StaticSite, type StaticSiteProps } from './static-site';

const props: StaticSiteProps = {
  prefix: 'site',
  projectId: 'p-12345',
  bucketName: 'p-12345-web',
  location: 'asia-southeast1',
  host: 'app.example.com',
  addressName: 'site-ip',
};
const synth = (p: Partial<StaticSiteProps> = {}) =>
  Testing.synthScope((s) => new StaticSite(s, 'site', { ...props, ...p }));

describe('StaticSite', () => {
  it('rejects a host that is not a fully qualified name and an invalid bucket name', () => {
    assert.throws(() => synth({ host: 'app' }), /fully qualified/);
    assert.throws(() => synth({ bucketName: 'Bad_Bucket' }), /not a valid bucket name/);
  });

  it('serves index.html for the root and for unknown client-side routes', () => {
    const s = synth();
    assertResource(s, 'google_storage_bucket', { website: { main_page_suffix: 'index.html' } });
    assertResource(s, 'google_compute_url_map', {
      default_custom_error_response_policy: {
        error_response_rule: [{ path: '/index.html', override_response_code: 200 }],
      },
    });
  });

  it('puts both forwarding rules (80 redirect, 443) on the one static IP of the current global LB', () => {
    const rules = resourcesOf(synth(), 'google_compute_global_forwarding_rule');
    assert.deepEqual(rules.map((r) => r['port_range']).sort(), ['443', '80']);
    for (const r of rules) assert.equal(r['load_balancing_scheme'], 'EXTERNAL_MANAGED');
    assert.equal(new Set(rules.map((r) => r['ip_address'])).size, 1);
  });

  it('keeps the bucket by default and force-destroys it only when asked', () => {
    assertResource(synth(), 'google_storage_bucket', { force_destroy: false });
    assertResource(synth({ forceDestroy: true }), 'google_storage_bucket', { force_destroy: true });
  });
});
