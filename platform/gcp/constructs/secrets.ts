import { SecretManagerSecret } from '@cdktf/provider-google/lib/secret-manager-secret/index.js';
import { SecretManagerSecretIamMember } from '@cdktf/provider-google/lib/secret-manager-secret-iam-member/index.js';
import { Construct } from 'constructs';

export interface SecretsProps {
  /** Secret ids keyed by a short logical name (from `namesOf(env).secretIds`). */
  readonly secretIds: Readonly<Record<string, string>>;
  /** The only region the payloads are stored in (data residency). */
  readonly region: string;
}

/**
 * Secret Manager secret shells. Values are never in code or state: an operator adds versions out of band
 * (`gcloud secrets versions add`), External Secrets reads them into the cluster.
 */
export class Secrets extends Construct {
  readonly secrets: readonly SecretManagerSecret[];

  constructor(scope: Construct, id: string, props: SecretsProps) {
    super(scope, id);
    const entries = Object.entries(props.secretIds);
    if (entries.length === 0) throw new Error('Secrets: no secret ids given');
    const ids = entries.map(([, v]) => v);
    if (new Set(ids).size !== ids.length) throw new Error(`Secrets: duplicate secret ids in ${ids.join(', ')}`);
    this.secrets = entries.map(([key, secretId]) => {
      if (!/^[A-Za-z0-9_-]{1,255}$/.test(secretId)) throw new Error(`Secrets: "${secretId}" is not a valid secret id`);
      return new SecretManagerSecret(this, key, {
        secretId,
        replication: { userManaged: { replicas: [{ location: props.region }] } },
        labels: { secret: key },
      });
    });
  }

  /** Lets `member` read the payloads of exactly these secrets (not the project's other secrets). */
  grantAccess(who: string, member: string): void {
    for (const secret of this.secrets) {
      new SecretManagerSecretIamMember(this, `${secret.node.id}-accessor-${who}`, {
        secretId: secret.id,
        role: 'roles/secretmanager.secretAccessor',
        member,
      });
    }
  }
}
