import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket/index.js';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member/index.js';
import { Construct } from 'constructs';

export interface BackupBucketProps {
  /** Bucket name (from `namesOf(env).buckets`). */
  readonly name: string;
  /** Region; the same as the cluster so backups do not leave it. */
  readonly location: string;
  /** Days a deleted object stays restorable (protects against a compromised writer). @default 30 */
  readonly softDeleteDays?: number;
  /** Let `terraform destroy` delete a bucket that still holds backups. @default false */
  readonly forceDestroy?: boolean;
}

/** A private bucket for database backups: uniform access, never public, deleted objects recoverable. */
export class BackupBucket extends Construct {
  readonly bucket: StorageBucket;

  constructor(scope: Construct, id: string, props: BackupBucketProps) {
    super(scope, id);
    const days = props.softDeleteDays ?? 30;
    if (days < 7 || days > 90) throw new Error(`BackupBucket ${props.name}: softDeleteDays ${days} must be 7..90`);
    this.bucket = new StorageBucket(this, 'bucket', {
      name: props.name,
      location: props.location,
      storageClass: 'STANDARD',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      softDeletePolicy: { retentionDurationSeconds: days * 86_400 },
      forceDestroy: props.forceDestroy ?? false,
    });
  }

  /**
   * Lets `member` write, read, list and delete objects in this bucket only (barman-cloud prunes old
   * backups itself, and checks the bucket exists).
   */
  grantReadWrite(who: string, member: string): void {
    for (const role of ['roles/storage.objectAdmin', 'roles/storage.legacyBucketReader']) {
      new StorageBucketIamMember(this, `${who}-${role.split('.')[1]}`, { bucket: this.bucket.name, role, member });
    }
  }
}
