// Least privilege and Workload Identity in the synthesized stacks. Pure synth: nothing talks to GCP.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENVIRONMENT_SETTINGS, WORKLOAD_KSAS, gcpOutputsOf, type WorkloadName } from '../environments';
import { OTEL_COLLECTOR_ROLES } from './stack';
import { addressOf, assertResource, resourcesOf, synthEnv } from './testing';

for (const name of ['dev', 'prod'] as const) {
  const synth = synthEnv(name);
  const out = gcpOutputsOf(ENVIRONMENT_SETTINGS[name]);
  const gsa = (w: WorkloadName) =>
    addressOf(synth, 'google_service_account', 'account_id', out.workloadServiceAccounts[w].split('@')[0]);
  const memberOf = (w: WorkloadName) => `\${${gsa(w)}.member}`;

  describe(`${name} stack: workload identities`, () => {
    /** Bindings that let a Kubernetes service account act as a GSA (the release deployer's is GitHub's, not a KSA). */
    const workloadBindings = () =>
      resourcesOf(synth, 'google_service_account_iam_member').filter((b) =>
        String(b['member']).startsWith('serviceAccount:'),
      );

    it('creates one Google service account per workload, impersonable only by its own Kubernetes SA', () => {
      const bindings = workloadBindings();
      assert.equal(bindings.length, Object.keys(WORKLOAD_KSAS).length);
      for (const [w, ksa] of Object.entries(WORKLOAD_KSAS) as [WorkloadName, (typeof WORKLOAD_KSAS)[WorkloadName]][]) {
        assertResource(synth, 'google_service_account_iam_member', {
          service_account_id: `\${${gsa(w)}.name}`,
          role: 'roles/iam.workloadIdentityUser',
          member: `serviceAccount:${out.projectId}.svc.id.goog[${ksa.namespace}/${ksa.serviceAccount}]`,
        });
      }
    });

    it('grants Workload Identity only after the cluster (and so its identity pool) exists', () => {
      const cluster = addressOf(synth, 'google_container_cluster', 'name', out.clusterName);
      for (const b of workloadBindings()) {
        assert.ok((b['depends_on'] as string[]).includes(cluster));
      }
    });

    it('gives project-wide roles only to the node SA (curated node role) and the collector (write-only trace/log roles)', () => {
      const projectGrants = resourcesOf(synth, 'google_project_iam_member');
      assert.deepEqual(
        projectGrants.map((g) => g['role']),
        ['roles/container.defaultNodeServiceAccount', ...OTEL_COLLECTOR_ROLES],
      );
      // Cloud Trace and Cloud Logging have no narrower resource to grant on; these two roles can only write.
      for (const g of projectGrants.slice(1)) assert.equal(g['member'], memberOf('otel-collector'));
    });

    it('lets external-secrets read exactly the ScaleFu secrets, one grant per secret', () => {
      const grants = resourcesOf(synth, 'google_secret_manager_secret_iam_member');
      assert.equal(grants.length, Object.keys(out.secretIds).length);
      for (const g of grants) {
        assert.equal(g['role'], 'roles/secretmanager.secretAccessor');
        assert.equal(g['member'], memberOf('external-secrets'));
      }
    });

    it('lets the postgres-backup identity write only the backup bucket', () => {
      const backupBucket = addressOf(synth, 'google_storage_bucket', 'name', out.buckets.postgresBackups);
      const grants = resourcesOf(synth, 'google_storage_bucket_iam_member').filter(
        (g) => g['member'] === memberOf('postgres-backup'),
      );
      assert.ok(grants.length > 0);
      for (const g of grants) assert.equal(g['bucket'], `\${${backupBucket}.name}`);
      assert.ok(grants.some((g) => g['role'] === 'roles/storage.objectAdmin'));
    });

    it('lets nodes pull images from the ScaleFu repository only', () => {
      const nodeSa = addressOf(synth, 'google_service_account', 'account_id', out.nodeServiceAccount.split('@')[0]);
      assertResource(synth, 'google_artifact_registry_repository_iam_member', {
        role: 'roles/artifactregistry.reader',
        member: `\${${nodeSa}.member}`,
      });
    });

    it('creates secret shells pinned to the region and never a secret value', () => {
      assert.equal(resourcesOf(synth, 'google_secret_manager_secret').length, Object.keys(out.secretIds).length);
      assertResource(synth, 'google_secret_manager_secret', {
        secret_id: out.secretIds['jwt-signing-key'],
        replication: { user_managed: { replicas: [{ location: out.region }] } },
      });
      assert.equal(resourcesOf(synth, 'google_secret_manager_secret_version').length, 0);
    });
  });
}
