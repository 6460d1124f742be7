import { ServiceAccount } from '@cdktf/provider-google/lib/service-account/index.js';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member/index.js';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { WorkloadIdentityBinding, WorkloadName } from '../../environments';

export interface WorkloadIdentitiesProps {
  /** Every workload's GSA and KSA (from `gcpOutputsOf(env).workloadIdentities`). */
  readonly bindings: Readonly<Record<WorkloadName, WorkloadIdentityBinding>>;
  /** The cluster: its Workload Identity pool must exist before a KSA member can be granted. */
  readonly cluster: ITerraformDependable;
}

/**
 * One Google service account per workload, each impersonable by exactly one Kubernetes service account.
 * The accounts get no project roles here: each is granted on the one resource it needs (see the stack).
 */
export class WorkloadIdentities extends Construct {
  private readonly accounts = new Map<WorkloadName, ServiceAccount>();

  constructor(scope: Construct, id: string, props: WorkloadIdentitiesProps) {
    super(scope, id);
    const members = Object.values(props.bindings).map((b) => b.member);
    if (new Set(members).size !== members.length) {
      throw new Error('WorkloadIdentities: two workloads share one Kubernetes service account');
    }
    for (const [workload, binding] of Object.entries(props.bindings) as [WorkloadName, WorkloadIdentityBinding][]) {
      const accountId = binding.gsaEmail.split('@')[0]!;
      if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(accountId)) {
        throw new Error(`WorkloadIdentities: "${accountId}" (${workload}) is not a valid service account id`);
      }
      const gsa = new ServiceAccount(this, workload, {
        accountId,
        displayName: `ScaleFu ${workload}`,
        description: `Workload Identity of ${binding.namespace}/${binding.serviceAccount}`,
      });
      new ServiceAccountIamMember(this, `${workload}-wi`, {
        serviceAccountId: gsa.name,
        role: 'roles/iam.workloadIdentityUser',
        member: binding.member,
        dependsOn: [props.cluster],
      });
      this.accounts.set(workload, gsa);
    }
  }

  /** IAM member string (`serviceAccount:<email>`) of a workload's GSA, for resource-level grants. */
  member(workload: WorkloadName): string {
    const gsa = this.accounts.get(workload);
    if (!gsa) throw new Error(`WorkloadIdentities: no service account for ${workload}`);
    return gsa.member;
  }
}
