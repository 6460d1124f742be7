// Validation of the small supporting constructs: Kms, Registry, Secrets, Dns, BackupBucket, ProjectServices.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Aspects, Testing } from 'cdktf';
import { assertResource, resourcesOf } from '../testing';
import { BackupBucket } from './backup-bucket';
import { Dns } from './dns';
import { Kms } from './kms';
import { ProjectServices } from './project-services';
import { Registry } from './registry';
import { Secrets } from './secrets';

describe('Kms', () => {
  it('rejects an empty or duplicated key list and asks for a known key by name', () => {
    assert.throws(
      () => Testing.synthScope((s) => new Kms(s, 'k', { keyRingName: 'r', location: 'l', keys: [] })),
      /at least one key/,
    );
    assert.throws(
      () => Testing.synthScope((s) => new Kms(s, 'k', { keyRingName: 'r', location: 'l', keys: ['a', 'a'] })),
      /unique/,
    );
    assert.throws(
      () => Testing.synthScope((s) => new Kms(s, 'k', { keyRingName: 'r', location: 'l', keys: ['a'] }).key('b')),
      /no key "b"/,
    );
  });

  it('rotates keys every 90 days by default', () => {
    const s = Testing.synthScope((sc) => new Kms(sc, 'k', { keyRingName: 'r', location: 'l', keys: ['a'] }));
    assertResource(s, 'google_kms_crypto_key', { rotation_period: '7776000s', purpose: 'ENCRYPT_DECRYPT' });
  });
});

describe('Registry', () => {
  it('derives location and repository from the image registry path and rejects anything else', () => {
    const s = Testing.synthScope(
      (sc) => new Registry(sc, 'r', { imageRegistry: 'asia-southeast1-docker.pkg.dev/p-12345/scalefu' }),
    );
    assertResource(s, 'google_artifact_registry_repository', {
      location: 'asia-southeast1',
      repository_id: 'scalefu',
      format: 'DOCKER',
      docker_config: { immutable_tags: true },
    });
    assert.throws(
      () => Testing.synthScope((sc) => new Registry(sc, 'r', { imageRegistry: 'docker.io/scalefu' })),
      /not <region>/,
    );
  });
});

describe('Secrets', () => {
  it('rejects duplicate and malformed secret ids', () => {
    assert.throws(
      () => Testing.synthScope((s) => new Secrets(s, 's', { secretIds: { a: 'x', b: 'x' }, region: 'r' })),
      /duplicate/,
    );
    assert.throws(
      () => Testing.synthScope((s) => new Secrets(s, 's', { secretIds: { a: 'bad id' }, region: 'r' })),
      /not a valid/,
    );
  });
});

describe('Dns', () => {
  it('rejects a record outside the zone and signs the zone with DNSSEC', () => {
    assert.throws(
      () =>
        Testing.synthScope(
          (s) => new Dns(s, 'd', { zoneName: 'z', domain: 'example.com', aRecords: { 'app.other.com': '1.2.3.4' } }),
        ),
      /not inside zone/,
    );
    const s = Testing.synthScope(
      (sc) => new Dns(sc, 'd', { zoneName: 'z', domain: 'example.com', aRecords: { 'app.example.com': '1.2.3.4' } }),
    );
    assertResource(s, 'google_dns_managed_zone', { dns_name: 'example.com.', dnssec_config: { state: 'on' } });
    assertResource(s, 'google_dns_record_set', {
      type: 'CAA',
      rrdatas: ['0 issue "pki.goog"', '0 issue "letsencrypt.org"'],
    });
  });
});

describe('BackupBucket', () => {
  it('is never public and rejects a soft-delete window GCS does not allow', () => {
    const s = Testing.synthScope((sc) => new BackupBucket(sc, 'b', { name: 'p-backups', location: 'l' }));
    assertResource(s, 'google_storage_bucket', {
      public_access_prevention: 'enforced',
      uniform_bucket_level_access: true,
    });
    assert.throws(
      () => Testing.synthScope((sc) => new BackupBucket(sc, 'b', { name: 'p', location: 'l', softDeleteDays: 3 })),
      /7\.\.90/,
    );
  });
});

describe('ProjectServices', () => {
  it('makes other resources wait for the APIs through one terraform_data anchor, without disabling APIs on destroy', () => {
    const s = Testing.synthScope((sc) => {
      const apis = new ProjectServices(sc, 'apis', { projectId: 'p', apis: ['compute.googleapis.com'] });
      Aspects.of(sc).add(apis.dependencyAspect());
      new Secrets(sc, 's', { secretIds: { a: 'a' }, region: 'r' });
    });
    assertResource(s, 'google_project_service', { service: 'compute.googleapis.com', disable_on_destroy: false });
    const anchor = Object.keys(JSON.parse(s).resource.terraform_data)[0];
    assert.deepEqual(resourcesOf(s, 'google_secret_manager_secret')[0]!['depends_on'], [`terraform_data.${anchor}`]);
    assert.deepEqual(resourcesOf(s, 'terraform_data')[0]!['depends_on'], [
      `google_project_service.${Object.keys(JSON.parse(s).resource.google_project_service)[0]}`,
    ]);
  });
});
