import { KmsCryptoKey } from '@cdktf/provider-google/lib/kms-crypto-key/index.js';
import { KmsCryptoKeyIamMember } from '@cdktf/provider-google/lib/kms-crypto-key-iam-member/index.js';
import { KmsKeyRing } from '@cdktf/provider-google/lib/kms-key-ring/index.js';
import { Construct } from 'constructs';

export interface KmsProps {
  /** Key ring name. Key rings can never be deleted, so a name is used once per project. */
  readonly keyRingName: string;
  /** Location; the same region as the resources the keys protect (GKE requires it). */
  readonly location: string;
  /** Names of the symmetric encryption keys in the ring. */
  readonly keys: readonly string[];
  /** Days between automatic key rotations. @default 90 */
  readonly rotationDays?: number;
}

/** A Cloud KMS key ring with symmetric keys that rotate on a schedule. */
export class Kms extends Construct {
  readonly keyRing: KmsKeyRing;
  private readonly keys = new Map<string, KmsCryptoKey>();

  constructor(scope: Construct, id: string, props: KmsProps) {
    super(scope, id);
    if (props.keys.length === 0) throw new Error('Kms: at least one key is required');
    if (new Set(props.keys).size !== props.keys.length) throw new Error('Kms: key names must be unique');
    const rotationDays = props.rotationDays ?? 90;
    if (!Number.isInteger(rotationDays) || rotationDays < 1) {
      throw new Error(`Kms: rotationDays ${rotationDays} must be a positive whole number of days`);
    }
    this.keyRing = new KmsKeyRing(this, 'ring', { name: props.keyRingName, location: props.location });
    for (const name of props.keys) {
      this.keys.set(
        name,
        new KmsCryptoKey(this, name, {
          name,
          keyRing: this.keyRing.id,
          purpose: 'ENCRYPT_DECRYPT',
          rotationPeriod: `${rotationDays * 86_400}s`,
          versionTemplate: { algorithm: 'GOOGLE_SYMMETRIC_ENCRYPTION', protectionLevel: 'SOFTWARE' },
          // Destroying the key's versions makes everything it wrapped (etcd's Secrets) unreadable for good; KMS keys
          // cannot be deleted anyway, so a teardown removes them from state instead (platform/README.md).
          lifecycle: { preventDestroy: true },
        }),
      );
    }
  }

  /** The key with this name; throws if the ring has none. */
  key(name: string): KmsCryptoKey {
    const key = this.keys.get(name);
    if (!key) throw new Error(`Kms: no key "${name}" (have ${[...this.keys.keys()].join(', ')})`);
    return key;
  }

  /** Lets `member` (labelled `who` in the construct tree) encrypt and decrypt with one key, nothing more. */
  grantEncryptDecrypt(keyName: string, who: string, member: string): KmsCryptoKeyIamMember {
    return new KmsCryptoKeyIamMember(this, `${keyName}-${who}`, {
      cryptoKeyId: this.key(keyName).id,
      role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
      member,
    });
  }
}
