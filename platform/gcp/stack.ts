import { ComputeGlobalAddress } from '@cdktf/provider-google/lib/compute-global-address/index.js';
import { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project/index.js';
import { ProjectIamAuditConfig } from '@cdktf/provider-google/lib/project-iam-audit-config/index.js';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member/index.js';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider/index.js';
import { PUBLIC_RATE_LIMIT, SERVICES, SOURCE_REPO } from '@scalefu/contracts';
import { Aspects, GcsBackend, TerraformOutput, TerraformStack, dependable } from 'cdktf';
import type { Construct } from 'constructs';
import { gcpOutputsOf, type EnvironmentSettings } from '../environments';
import type { GcpEnvironmentConfig } from './config';
import { BackupBucket } from './constructs/backup-bucket';
import { CloudArmorPolicy } from './constructs/cloud-armor-policy';
import { Dns } from './constructs/dns';
import { GithubDeployer } from './constructs/github-deployer';
import { GkeCluster } from './constructs/gke-cluster';
import { Kms } from './constructs/kms';
import { Network } from './constructs/network';
import { ProjectServices } from './constructs/project-services';
import { Registry } from './constructs/registry';
import { Secrets } from './constructs/secrets';
import { StaticSite } from './constructs/static-site';
import { WorkloadIdentities } from './constructs/workload-identities';

export interface ScaleFuGcpStackProps {
  /** Shared environment facts (project, region, names) from `platform/environments`. */
  readonly env: EnvironmentSettings;
  /** The GCP side of the environment file (`platform/environments/<env>.ts`). */
  readonly config: GcpEnvironmentConfig;
}

/** KMS key that encrypts Kubernetes Secrets in the cluster's etcd. */
const GKE_SECRETS_KEY = 'gke-secrets';
/** Project roles of the OpenTelemetry Collector's Google service account (write-only, no read). */
export const OTEL_COLLECTOR_ROLES = ['roles/cloudtrace.agent', 'roles/logging.logWriter'] as const;

/** Everything ScaleFu needs in one GCP project; one stack per environment, state in that project's bucket. */
export class ScaleFuGcpStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: ScaleFuGcpStackProps) {
    super(scope, id);
    const { env, config } = props;
    const out = gcpOutputsOf(env);
    const prefix = `scalefu-${env.name}`;
    const labels = { app: 'scalefu', env: env.name, 'managed-by': 'cdktf' };

    new GoogleProvider(this, 'google', { project: env.projectId, region: env.region, defaultLabels: labels });
    // The state bucket is created by hand before the first init (README: bootstrap); it cannot hold its own state.
    new GcsBackend(this, { bucket: out.buckets.terraformState, prefix: 'scalefu/gcp' });

    const apis = new ProjectServices(this, 'apis', { projectId: env.projectId });
    Aspects.of(this).add(apis.dependencyAspect());
    const project = new DataGoogleProject(this, 'project', { projectId: env.projectId });

    const kms = new Kms(this, 'kms', { keyRingName: prefix, location: env.region, keys: [GKE_SECRETS_KEY] });
    // GKE's service agent wraps etcd's data keys with ours; without this grant the cluster fails to create.
    const gkeAgent = `serviceAccount:service-${project.number}@container-engine-robot.iam.gserviceaccount.com`;
    const gkeKeyGrant = kms.grantEncryptDecrypt(GKE_SECRETS_KEY, 'gke-agent', gkeAgent);

    const nodeTag = `${env.clusterName}-node`;
    const network = new Network(this, 'network', {
      name: prefix,
      region: env.region,
      nodesCidr: config.nodesCidr,
      podsCidr: config.podsCidr,
      servicesCidr: config.servicesCidr,
      controlPlaneCidr: env.controlPlaneCidr,
      flowLogSampling: config.flowLogSampling,
      nodeTag,
      // Only the HTTP APIs sit behind a load balancer, and NEG health checks probe their container ports.
      healthCheckPorts: Object.values(SERVICES)
        .filter((s) => s.kind === 'http-api')
        .map((s) => s.port),
    });

    const registry = new Registry(this, 'registry', {
      imageRegistry: out.imageRegistry,
      immutableTags: config.immutableImageTags,
    });

    const deployer = new GithubDeployer(this, 'github-deployer', {
      repository: SOURCE_REPO.slug,
      ref: `refs/heads/${SOURCE_REPO.revision}`,
      registry,
    });

    const gke = new GkeCluster(this, 'gke', {
      name: env.clusterName,
      projectId: env.projectId,
      region: env.region,
      zones: env.zones,
      networkId: network.vpc.id,
      subnetworkId: network.nodesSubnet.id,
      podsRangeName: network.podsRangeName,
      servicesRangeName: network.servicesRangeName,
      controlPlaneCidr: env.controlPlaneCidr,
      authorizedNetworks: config.authorizedNetworks,
      releaseChannel: config.releaseChannel,
      nodePools: config.nodePools,
      nodeServiceAccountEmail: out.nodeServiceAccount,
      databaseEncryptionKeyId: kms.key(GKE_SECRETS_KEY).id,
      nodeTag,
      deletionProtection: config.deletionProtection,
      resourceLabels: labels,
    });
    gke.cluster.dependsOn = [...(gke.cluster.dependsOn ?? []), dependable(gkeKeyGrant)];
    registry.grantRead('gke-nodes', gke.nodeServiceAccount.member);

    const identities = new WorkloadIdentities(this, 'workload-identities', {
      bindings: out.workloadIdentities,
      cluster: gke.cluster,
    });
    const secrets = new Secrets(this, 'secrets', { secretIds: out.secretIds, region: env.region });
    secrets.grantAccess('external-secrets', identities.member('external-secrets'));
    const backups = new BackupBucket(this, 'postgres-backups', {
      name: out.buckets.postgresBackups,
      location: env.region,
      softDeleteDays: config.backupSoftDeleteDays,
      forceDestroy: !config.deletionProtection,
    });
    backups.grantReadWrite('postgres-backup', identities.member('postgres-backup'));
    // Data-access audit logs for Cloud Storage: who read or wrote a backup object (and when) is on record. Audit
    // configuration is per project and service, so it covers the project's other buckets too (the admin web's
    // anonymous reads are not logged: Cloud Audit Logs skip allUsers access).
    new ProjectIamAuditConfig(this, 'storage-data-access-audit', {
      project: env.projectId,
      service: 'storage.googleapis.com',
      auditLogConfig: [{ logType: 'ADMIN_READ' }, { logType: 'DATA_READ' }, { logType: 'DATA_WRITE' }],
    });
    // The OpenTelemetry Collector's exporters: spans to Cloud Trace, OTLP logs to Cloud Logging; nothing else.
    for (const role of OTEL_COLLECTOR_ROLES) {
      new ProjectIamMember(this, `otel-collector-${role.split('/')[1]!.replace('.', '-')}`, {
        project: env.projectId,
        role,
        member: identities.member('otel-collector'),
      });
    }

    const armor = new CloudArmorPolicy(this, 'api-armor', {
      name: out.apiArmorPolicyName,
      // A backstop above the app's own Redis-backed limit, so legitimate clients see the app's 429 envelope
      // with Retry-After first, and floods stop at the edge.
      rateLimitCount: PUBLIC_RATE_LIMIT.max * config.armorRateLimitMultiplier,
      rateLimitIntervalSec: PUBLIC_RATE_LIMIT.windowMs / 1000,
    });
    const gatewayIp = new ComputeGlobalAddress(this, 'gateway-ip', {
      name: out.gatewayAddressName,
      addressType: 'EXTERNAL',
      ipVersion: 'IPV4',
    });
    const site = new StaticSite(this, 'admin-web', {
      prefix: `${prefix}-web`,
      projectId: env.projectId,
      bucketName: out.buckets.adminWeb,
      location: env.region,
      host: out.hosts.web,
      addressName: out.webAddressName,
      forceDestroy: !config.deletionProtection,
    });
    const dns = new Dns(this, 'dns', {
      zoneName: out.dnsZoneName,
      domain: env.dnsDomain,
      aRecords: {
        [out.hosts.api]: gatewayIp.address,
        [out.hosts.adminApi]: gatewayIp.address,
        [out.hosts.web]: site.address.address,
      },
    });

    const output = (id: string, value: string | string[], description: string) =>
      new TerraformOutput(this, id, { value, description });
    output('cluster_name', gke.cluster.name, 'GKE cluster (regional)');
    output('cluster_location', gke.cluster.location, 'GKE cluster location: get-credentials --region');
    output('gateway_ip', gatewayIp.address, `${out.hosts.api}, ${out.hosts.adminApi} -> GKE Gateway`);
    output('web_ip', site.address.address, `${out.hosts.web} -> admin web load balancer`);
    output('dns_name_servers', dns.zone.nameServers, 'delegate the zone to these at the parent');
    output('api_armor_policy', armor.policyName, 'GCPBackendPolicy securityPolicy');
    output('image_registry', out.imageRegistry, 'push images here');
    output('deployer_service_account', deployer.account.email, 'release.yml: GCP_DEPLOYER_SERVICE_ACCOUNT');
    output(
      'deployer_workload_identity_provider',
      deployer.provider.name,
      'release.yml: GCP_WORKLOAD_IDENTITY_PROVIDER',
    );
    output('web_bucket_url', site.bucket.url, 'upload the admin web static export here');
  }
}
