import { CLUSTER_PORTS } from '@scalefu/contracts';
import { Construct } from 'constructs';
import type { ResourceSize } from '../../environments/index';
import { METRICS_PORTS, POSTGRES_IMAGE } from '../facts';
import { assertQuantity, invalid } from './labels';
import {
  Cluster,
  ClusterSpecBackupBarmanObjectStoreDataCompression,
  ClusterSpecBackupBarmanObjectStoreWalCompression,
  ClusterSpecPostgresqlSynchronousMethod,
  ClusterSpecPrimaryUpdateStrategy,
  ClusterSpecResourcesLimits,
  ClusterSpecResourcesRequests,
  ScheduledBackup,
  ScheduledBackupSpecBackupOwnerReference,
  ScheduledBackupSpecMethod,
} from '../imports/postgresql.cnpg.io';
import { typedResources } from './pod-security';
import { PodMonitor } from '../imports/monitoring.coreos.com';

export interface PostgresClusterProps {
  /** CloudNativePG cluster name; services are `<name>-rw` / `-ro`. */
  readonly name: string;
  /** Namespace. */
  readonly namespace: string;
  /** Postgres instances: one primary, the rest synchronous-capable standbys. */
  readonly instances: number;
  /** Volume size per instance. */
  readonly storageSize: string;
  /** Resources per instance. */
  readonly resources: ResourceSize;
  /** Application database created at bootstrap. */
  readonly database: string;
  /** Role that owns the application database (the user service logs in as it). */
  readonly owner: string;
  /** Secret (basic-auth: username, password) with the owner's password, synced from Secret Manager. */
  readonly ownerSecretName: string;
  /** GCS bucket for base backups and WAL archive. */
  readonly backupBucket: string;
  /** Google service account with write access to the bucket (Workload Identity). */
  readonly backupServiceAccount: string;
  /**
   * Recovery window kept in the bucket.
   * @default '30d'
   */
  readonly backupRetention?: string;
  /**
   * Six-field cron of the daily base backup (seconds first, CloudNativePG style).
   * @default '0 0 3 * * *'
   */
  readonly backupSchedule?: string;
  /**
   * Postgres image.
   * @default POSTGRES_IMAGE from facts
   */
  readonly imageName?: string;
}

/**
 * CloudNativePG Cluster with the application database and owner role, zone anti-affinity, synchronous replication
 * when there are standbys, WAL archiving + daily base backups to GCS via Workload Identity, and a PodMonitor.
 */
export class PostgresCluster extends Construct {
  /** Read-write service host clients connect to (follows the primary on failover). */
  public readonly primaryHost: string;
  /** Secret CloudNativePG keeps its CA in (`ca.crt`, which signs the server certificates clients verify). */
  public readonly caSecretName: string;
  /** Port clients connect to. */
  public readonly port = CLUSTER_PORTS.postgres;

  constructor(scope: Construct, id: string, props: PostgresClusterProps) {
    super(scope, id);
    const where = `PostgresCluster(${props.name})`;
    if (!Number.isInteger(props.instances) || props.instances < 1)
      invalid(where, `instances must be >= 1, got ${props.instances}`);
    assertQuantity(where, 'storageSize', props.storageSize);
    const retention = props.backupRetention ?? '30d';
    if (!/^[1-9][0-9]*[dwm]$/.test(retention))
      invalid(where, `backupRetention "${retention}" must look like 30d, 4w or 3m`);
    if (!/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/.test(props.backupBucket)) {
      invalid(where, `backupBucket "${props.backupBucket}" is not a GCS bucket name`);
    }
    const schedule = props.backupSchedule ?? '0 0 3 * * *';
    if (schedule.trim().split(/\s+/).length !== 6)
      invalid(where, `backupSchedule "${schedule}" must have six fields (seconds first)`);
    this.primaryHost = `${props.name}-rw.${props.namespace}.svc`;
    this.caSecretName = `${props.name}-ca`;
    const standbys = props.instances - 1;

    new Cluster(this, 'cluster', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        instances: props.instances,
        imageName: props.imageName ?? POSTGRES_IMAGE,
        primaryUpdateStrategy: ClusterSpecPrimaryUpdateStrategy.UNSUPERVISED,
        enableSuperuserAccess: false,
        storage: { size: props.storageSize },
        resources: typedResources(
          where,
          props.resources,
          ClusterSpecResourcesRequests.fromString,
          ClusterSpecResourcesLimits.fromString,
        ),
        affinity: {
          enablePodAntiAffinity: true,
          topologyKey: 'topology.kubernetes.io/zone',
          podAntiAffinityType: props.instances > 1 ? 'required' : 'preferred',
        },
        // A commit is acknowledged only once a standby has it: losing the primary loses no registration.
        ...(standbys > 0
          ? { postgresql: { synchronous: { method: ClusterSpecPostgresqlSynchronousMethod.ANY, number: 1 } } }
          : {}),
        bootstrap: {
          initdb: { database: props.database, owner: props.owner, secret: { name: props.ownerSecretName } },
        },
        serviceAccountTemplate: {
          metadata: { annotations: { 'iam.gke.io/gcp-service-account': props.backupServiceAccount } },
        },
        backup: {
          retentionPolicy: retention,
          barmanObjectStore: {
            destinationPath: `gs://${props.backupBucket}/${props.name}`,
            googleCredentials: { gkeEnvironment: true },
            wal: { compression: ClusterSpecBackupBarmanObjectStoreWalCompression.GZIP },
            data: { compression: ClusterSpecBackupBarmanObjectStoreDataCompression.GZIP },
          },
        },
      },
    });

    new ScheduledBackup(this, 'scheduled-backup', {
      metadata: { name: `${props.name}-daily`, namespace: props.namespace },
      spec: {
        schedule,
        immediate: true,
        backupOwnerReference: ScheduledBackupSpecBackupOwnerReference.SELF,
        method: ScheduledBackupSpecMethod.BARMAN_OBJECT_STORE,
        cluster: { name: props.name },
      },
    });

    new PodMonitor(this, 'pod-monitor', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        selector: { matchLabels: { 'cnpg.io/cluster': props.name, 'cnpg.io/podRole': 'instance' } },
        podMetricsEndpoints: [{ port: 'metrics', interval: '30s' }],
      },
    });
  }

  /** Ports of the instance pods, by purpose. */
  public static ports() {
    return { postgres: CLUSTER_PORTS.postgres, metrics: METRICS_PORTS.postgres, status: METRICS_PORTS.cnpgStatus };
  }
}
