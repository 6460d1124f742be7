import { ArtifactRegistryRepository } from '@cdktf/provider-google/lib/artifact-registry-repository/index.js';
import { ArtifactRegistryRepositoryIamMember } from '@cdktf/provider-google/lib/artifact-registry-repository-iam-member/index.js';
import { Construct } from 'constructs';

export interface RegistryProps {
  /** Full image registry path `<region>-docker.pkg.dev/<project>/<repository>` (from `namesOf(env)`). */
  readonly imageRegistry: string;
  /** Refuse to move an existing tag (a tag then always means the same image). @default true */
  readonly immutableTags?: boolean;
  /** Untagged images older than this many days are deleted. @default 14 */
  readonly untaggedRetentionDays?: number;
  /** Most recent versions kept per image regardless of age. @default 20 */
  readonly keepRecentVersions?: number;
}

/** Artifact Registry Docker repository for the service images, with a cleanup policy. */
export class Registry extends Construct {
  readonly repository: ArtifactRegistryRepository;

  constructor(scope: Construct, id: string, props: RegistryProps) {
    super(scope, id);
    const m = /^([a-z0-9-]+)-docker\.pkg\.dev\/([a-z][-a-z0-9]{4,28}[a-z0-9])\/([a-z0-9][-a-z0-9._]*)$/.exec(
      props.imageRegistry,
    );
    if (!m) throw new Error(`Registry: "${props.imageRegistry}" is not <region>-docker.pkg.dev/<project>/<repo>`);
    const [, location, , repositoryId] = m as unknown as [string, string, string, string];
    const retentionDays = props.untaggedRetentionDays ?? 14;
    const keep = props.keepRecentVersions ?? 20;
    if (retentionDays < 1 || keep < 1) throw new Error('Registry: retention days and kept versions must be >= 1');

    this.repository = new ArtifactRegistryRepository(this, 'docker', {
      repositoryId,
      location,
      format: 'DOCKER',
      description: 'ScaleFu service images',
      dockerConfig: { immutableTags: props.immutableTags ?? true },
      cleanupPolicyDryRun: false,
      cleanupPolicies: [
        {
          id: 'delete-old-untagged',
          action: 'DELETE',
          condition: { tagState: 'UNTAGGED', olderThan: `${retentionDays * 86_400}s` },
        },
        // KEEP wins over DELETE, so recent versions survive whatever else matches.
        { id: 'keep-recent', action: 'KEEP', mostRecentVersions: { keepCount: keep } },
      ],
    });
  }

  /** Lets `member` pull images from this repository only (labelled `who` in the construct tree). */
  grantRead(who: string, member: string): ArtifactRegistryRepositoryIamMember {
    return new ArtifactRegistryRepositoryIamMember(this, `reader-${who}`, {
      location: this.repository.location,
      repository: this.repository.name,
      role: 'roles/artifactregistry.reader',
      member,
    });
  }

  /** Lets `member` push images to this repository only (the release pipeline's deployer). */
  grantWrite(who: string, member: string): ArtifactRegistryRepositoryIamMember {
    return new ArtifactRegistryRepositoryIamMember(this, `writer-${who}`, {
      location: this.repository.location,
      repository: this.repository.name,
      role: 'roles/artifactregistry.writer',
      member,
    });
  }
}
