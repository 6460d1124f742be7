import { IamWorkloadIdentityPool } from '@cdktf/provider-google/lib/iam-workload-identity-pool/index.js';
import { IamWorkloadIdentityPoolProvider } from '@cdktf/provider-google/lib/iam-workload-identity-pool-provider/index.js';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account/index.js';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member/index.js';
import { Construct } from 'constructs';
import type { Registry } from './registry';

/** GitHub's OIDC issuer: the tokens GitHub Actions mints for a workflow run. */
export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';

export interface GithubDeployerProps {
  /** `owner/name` of the one repository whose workflows may push images. */
  readonly repository: string;
  /** Git ref whose runs may push (the release runs on main only). @default 'refs/heads/main' */
  readonly ref?: string;
  /** Repository the deployer may write images to, and nothing else. */
  readonly registry: Registry;
  /** Workload Identity pool id. @default 'github' */
  readonly poolId?: string;
  /** Service account id of the deployer. @default 'scalefu-deployer' */
  readonly accountId?: string;
}

/**
 * Keyless pushes from GitHub Actions (Workload Identity Federation): a pool with one OIDC provider that accepts only
 * tokens of `repository` on `ref`, and a deployer service account those runs may impersonate, allowed to write images
 * to the one Artifact Registry repository — no key to leak, no other role.
 */
export class GithubDeployer extends Construct {
  readonly account: ServiceAccount;
  readonly provider: IamWorkloadIdentityPoolProvider;

  constructor(scope: Construct, id: string, props: GithubDeployerProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(props.repository)) {
      throw new Error(`GithubDeployer: repository must be "owner/name", got "${props.repository}"`);
    }
    const ref = props.ref ?? 'refs/heads/main';
    if (!ref.startsWith('refs/')) throw new Error(`GithubDeployer: ref must be a full ref (refs/…), got "${ref}"`);

    const pool = new IamWorkloadIdentityPool(this, 'pool', {
      workloadIdentityPoolId: props.poolId ?? 'github',
      displayName: 'GitHub Actions',
      description: `Workflow runs of ${props.repository}`,
    });
    this.provider = new IamWorkloadIdentityPoolProvider(this, 'provider', {
      workloadIdentityPoolId: pool.workloadIdentityPoolId,
      workloadIdentityPoolProviderId: 'github-oidc',
      displayName: 'GitHub OIDC',
      oidc: { issuerUri: GITHUB_OIDC_ISSUER },
      attributeMapping: {
        'google.subject': 'assertion.sub',
        'attribute.repository': 'assertion.repository',
        'attribute.ref': 'assertion.ref',
      },
      // Without a condition any GitHub repository's token would be accepted by the pool. The `sub` claim pins
      // repository and branch in one string (what checkov's CKV_GCP_125 reads); the separate claims say it plainly.
      attributeCondition:
        `assertion.sub == 'repo:${props.repository}:ref:${ref}' && ` +
        `assertion.repository == '${props.repository}' && assertion.ref == '${ref}'`,
    });
    this.account = new ServiceAccount(this, 'account', {
      accountId: props.accountId ?? 'scalefu-deployer',
      displayName: 'ScaleFu release pipeline',
      description: `Pushes images from ${props.repository} (${ref}); nothing else`,
    });
    new ServiceAccountIamMember(this, 'impersonation', {
      serviceAccountId: this.account.name,
      role: 'roles/iam.workloadIdentityUser',
      member: `principalSet://iam.googleapis.com/${pool.name}/attribute.repository/${props.repository}`,
    });
    props.registry.grantWrite('deployer', `serviceAccount:${this.account.email}`);
  }
}
