import { Construct } from 'constructs';
import {
  ClusterSecretStore,
  ExternalSecret,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetDeletionPolicy,
  ExternalSecretSpecTargetTemplateEngineVersion,
} from '../imports/external-secrets.io';
import { invalid } from './labels';

export interface SecretsStoreProps {
  /** GCP project whose Secret Manager holds the secrets. */
  readonly projectId: string;
  /** GKE cluster name, for the Workload Identity token exchange. */
  readonly clusterName: string;
  /** GKE cluster location (region), for the Workload Identity token exchange. */
  readonly clusterLocation: string;
  /**
   * Kubernetes service account the store impersonates; bound to the external-secrets GSA via Workload Identity.
   * @default { name: 'external-secrets', namespace: 'external-secrets' }
   */
  readonly serviceAccount?: { readonly name: string; readonly namespace: string };
  /**
   * Name of the ClusterSecretStore.
   * @default 'gcp-secret-manager'
   */
  readonly name?: string;
}

export interface SyncedSecretOptions {
  /** Name of the Kubernetes Secret to create (and of the ExternalSecret). */
  readonly name: string;
  /** Namespace of the Secret. */
  readonly namespace: string;
  /** Template variable -> Secret Manager secret id (latest version). */
  readonly remote: Readonly<Record<string, string>>;
  /**
   * Secret keys rendered from Go templates over the remote values (`{{ .password }}`), e.g. a URL with a password in it.
   * @default each remote value copied under its own name
   */
  readonly template?: Readonly<Record<string, string>>;
  /**
   * Kubernetes Secret type.
   * @default 'Opaque'
   */
  readonly type?: string;
  /**
   * How often to re-read Secret Manager, so a rotated secret reaches pods without a redeploy.
   * @default '1h'
   */
  readonly refreshInterval?: string;
}

/** A secret synced from Secret Manager: only its name and keys are in git, never a value. */
export interface SyncedSecret {
  readonly secretName: string;
  readonly keys: readonly string[];
}

/** GCP Secret Manager as a ClusterSecretStore (Workload Identity, no key files), and ExternalSecrets reading it. */
export class SecretsStore extends Construct {
  /** Name of the ClusterSecretStore ExternalSecrets refer to. */
  public readonly storeName: string;

  constructor(scope: Construct, id: string, props: SecretsStoreProps) {
    super(scope, id);
    if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(props.projectId)) {
      invalid('SecretsStore', `projectId "${props.projectId}" is not a GCP project id`);
    }
    this.storeName = props.name ?? 'gcp-secret-manager';
    const sa = props.serviceAccount ?? { name: 'external-secrets', namespace: 'external-secrets' };
    new ClusterSecretStore(this, 'store', {
      metadata: { name: this.storeName },
      spec: {
        provider: {
          gcpsm: {
            projectId: props.projectId,
            auth: {
              workloadIdentity: {
                clusterLocation: props.clusterLocation,
                clusterName: props.clusterName,
                clusterProjectId: props.projectId,
                serviceAccountRef: { name: sa.name, namespace: sa.namespace },
              },
            },
          },
        },
      },
    });
  }

  /** Sync Secret Manager secrets into one Kubernetes Secret, in `scope` (so it lands in the caller's chart). */
  public syncSecret(scope: Construct, id: string, options: SyncedSecretOptions): SyncedSecret {
    const remoteEntries = Object.entries(options.remote).sort(([a], [b]) => a.localeCompare(b));
    if (remoteEntries.length === 0) invalid('SecretsStore', `secret "${options.name}" reads no remote secret`);
    for (const [variable] of remoteEntries) {
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(variable)) {
        invalid('SecretsStore', `template variable "${variable}" of "${options.name}" must be an identifier`);
      }
    }
    const template = options.template ?? Object.fromEntries(remoteEntries.map(([v]) => [v, `{{ .${v} }}`]));
    for (const [key, body] of Object.entries(template)) {
      for (const match of body.matchAll(/\{\{\s*\.(\w+)\s*\}\}/g)) {
        if (!(match[1]! in options.remote)) {
          invalid('SecretsStore', `template of ${options.name}.${key} uses .${match[1]} which is not a remote secret`);
        }
      }
    }
    new ExternalSecret(scope, id, {
      metadata: { name: options.name, namespace: options.namespace },
      spec: {
        refreshInterval: options.refreshInterval ?? '1h',
        secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: this.storeName },
        target: {
          name: options.name,
          creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
          deletionPolicy: ExternalSecretSpecTargetDeletionPolicy.RETAIN,
          template: {
            type: options.type ?? 'Opaque',
            engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
            data: { ...template },
          },
        },
        data: remoteEntries.map(([variable, remoteId]) => ({ secretKey: variable, remoteRef: { key: remoteId } })),
      },
    });
    return { secretName: options.name, keys: Object.keys(template).sort() };
  }
}
