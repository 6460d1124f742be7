// The release pipeline's keyless identity (Workload Identity Federation). Pure synth: nothing talks to GCP.
import assert from 'node:assert/strict';
import { TerraformStack, Testing } from 'cdktf';
import { describe, it } from 'node:test';
import { SOURCE_REPO } from '@scalefu/contracts';
import { ENVIRONMENT_SETTINGS } from '../../environments';
import { assertResource, onlyResourceOf, resourcesOf, synthEnv } from '../testing';
import { GITHUB_OIDC_ISSUER, GithubDeployer } from './github-deployer';
import { Registry } from './registry';

for (const name of ['dev', 'prod'] as const) {
  const synth = synthEnv(name);
  describe(`${name} stack: GitHub release deployer`, () => {
    it('accepts only GitHub tokens of this repository on main', () => {
      const provider = onlyResourceOf(synth, 'google_iam_workload_identity_pool_provider');
      assert.deepEqual(provider['oidc'], { issuer_uri: GITHUB_OIDC_ISSUER });
      assert.equal(
        provider['attribute_condition'],
        `assertion.sub == 'repo:${SOURCE_REPO.slug}:ref:refs/heads/${SOURCE_REPO.revision}' && ` +
          `assertion.repository == '${SOURCE_REPO.slug}' && assertion.ref == 'refs/heads/${SOURCE_REPO.revision}'`,
      );
    });

    it('lets those runs impersonate the deployer, which may only write images to the one repository', () => {
      const impersonation = resourcesOf(synth, 'google_service_account_iam_member').filter((b) =>
        String(b['member']).startsWith('principalSet://'),
      );
      assert.equal(impersonation.length, 1);
      assert.match(String(impersonation[0]!['member']), new RegExp(`/attribute\\.repository/${SOURCE_REPO.slug}$`));
      assertResource(synth, 'google_artifact_registry_repository_iam_member', {
        role: 'roles/artifactregistry.writer',
      });
      const writers = resourcesOf(synth, 'google_artifact_registry_repository_iam_member').filter(
        (g) => g['role'] === 'roles/artifactregistry.writer',
      );
      assert.equal(writers.length, 1, 'exactly one account may push images');
      assert.match(String(writers[0]!['member']), /google_service_account\.github-deployer_account/);
      const projectRoles = resourcesOf(synth, 'google_project_iam_member').map((g) => g['member']);
      assert.ok(!projectRoles.some((m) => String(m).includes('github-deployer')), 'no project-wide role');
    });
  });
}

describe('GithubDeployer validation', () => {
  const env = ENVIRONMENT_SETTINGS.dev;
  const registry = () =>
    new Registry(new TerraformStack(Testing.app(), 's'), 'r', {
      imageRegistry: `${env.region}-docker.pkg.dev/${env.projectId}/scalefu`,
    });
  it('refuses a repository that is not owner/name and a ref that is not a full ref', () => {
    const r = registry();
    assert.throws(() => new GithubDeployer(r, 'a', { repository: 'scalefu', registry: r }), /owner\/name/);
    assert.throws(() => new GithubDeployer(r, 'b', { repository: 'a/b', ref: 'main', registry: r }), /full ref/);
  });
});
