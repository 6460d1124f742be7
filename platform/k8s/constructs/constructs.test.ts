import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  OTEL_COLLECTOR_TRACES_URL,
  RUNTIME_ENV,
  SERVICE_MEMORY_LIMIT_FLOOR_MIB,
  TRACE_SAMPLING,
} from '@scalefu/contracts';
import { Testing } from 'cdk8s';
import { PLATFORM_ENVIRONMENTS } from '../../environments/index';
import { Edge, type EdgeProps } from './edge';
import { KafkaCluster, type KafkaClusterProps } from './kafka-cluster';
import { PlatformNamespace } from './platform-namespace';
import { PostgresCluster, type PostgresClusterProps } from './postgres-cluster';
import { RedisFailover, type RedisFailoverProps } from './redis-failover';
import { CONFIG_HASH_ANNOTATION, ScaleFuService, type ScaleFuServiceProps } from './scalefu-service';
import { SecretsStore } from './secrets-store';

const size = { cpu: { request: '100m', limit: '1' }, memory: { request: '128Mi', limit: '256Mi' } };
const serviceSize = { cpu: size.cpu, memory: { request: '256Mi', limit: '512Mi' } };

const service = (over: Partial<ScaleFuServiceProps> = {}): ScaleFuServiceProps => ({
  service: 'notifier',
  environment: 'dev',
  topics: PLATFORM_ENVIRONMENTS.dev.kubernetes.kafka.topics,
  namespace: 'scalefu',
  image: 'registry.example/scalefu-notifier:1.2.3',
  minReplicas: 1,
  maxReplicas: 3,
  resources: serviceSize,
  kafka: { bootstrapServers: 'k:9093', caSecretName: 'ca', userSecretName: 'notifier' },
  ...over,
});

describe('ScaleFuService', () => {
  it('refuses an image tagged latest', () => {
    assert.throws(
      () => new ScaleFuService(Testing.chart(), 's', service({ image: 'r/x:latest' })),
      /pinned tag other than latest/,
    );
  });
  it('refuses a memory limit the V8 heap ceiling does not fit in, and a quantity that is not memory', () => {
    const withMemoryLimit = (limit: string) =>
      service({ resources: { ...serviceSize, memory: { request: '128Mi', limit } } });
    assert.throws(
      () => new ScaleFuService(Testing.chart(), 's', withMemoryLimit('256Mi')),
      new RegExp(`memory.limit 256Mi is below the ${SERVICE_MEMORY_LIMIT_FLOOR_MIB}Mi a service needs`),
    );
    assert.throws(() => new ScaleFuService(Testing.chart(), 's', withMemoryLimit('400m')), /not a memory quantity/);
    for (const limit of [`${SERVICE_MEMORY_LIMIT_FLOOR_MIB}Mi`, '512Mi', '1Gi', '600M']) {
      assert.doesNotThrow(() => new ScaleFuService(Testing.chart(), 's', withMemoryLimit(limit)), limit);
    }
  });
  it('refuses an image without a tag', () => {
    assert.throws(() => new ScaleFuService(Testing.chart(), 's', service({ image: 'r/x' })), /pinned tag/);
  });
  it('refuses a consumer that could scale above the partitions it reads', () => {
    assert.throws(() => new ScaleFuService(Testing.chart(), 's', service({ maxReplicas: 7 })), /exceeds 6 partitions/);
  });
  it('refuses high availability with a single replica', () => {
    assert.throws(
      () => new ScaleFuService(Testing.chart(), 's', service({ highAvailability: true, minReplicas: 1 })),
      /highAvailability needs minReplicas >= 2/,
    );
  });
  it('refuses maxReplicas below minReplicas', () => {
    assert.throws(
      () => new ScaleFuService(Testing.chart(), 's', service({ minReplicas: 3, maxReplicas: 2 })),
      /below minReplicas/,
    );
  });
  it('refuses a resource size that is not a Kubernetes quantity', () => {
    const resources = { ...serviceSize, memory: { request: '128MB', limit: '512Mi' } };
    assert.throws(() => new ScaleFuService(Testing.chart(), 's', service({ resources })), /not a Kubernetes quantity/);
  });
  it('refuses a shutdown budget without a margin before the kubelet kills the pod', () => {
    assert.throws(
      () =>
        new ScaleFuService(
          Testing.chart(),
          's',
          service({ shutdown: { drainSeconds: 5, timeoutSeconds: 20, marginSeconds: 0 } }),
        ),
      /marginSeconds must be >= 1/,
    );
  });
  it('refuses a trace sample ratio that is not a share between 0 and 1', () => {
    for (const traceSampleRatio of [-0.1, 1.5, Number.NaN]) {
      assert.throws(
        () => new ScaleFuService(Testing.chart(), 's', service({ traceSampleRatio })),
        /traceSampleRatio must be between 0 and 1/,
      );
    }
  });
  it("exports traces over OTLP to the collector at the clusters' sample ratio unless told otherwise", () => {
    const config = (over: Partial<ScaleFuServiceProps>) => {
      const chart = Testing.chart();
      new ScaleFuService(chart, 's', service(over));
      const docs = Testing.synth(chart) as { kind: string; data?: Record<string, string> }[];
      return docs.find((d) => d.kind === 'ConfigMap')!.data!;
    };
    const data = config({});
    assert.equal(data[RUNTIME_ENV.otelTracesExporter], 'otlp');
    assert.equal(data[RUNTIME_ENV.otelTracesEndpoint], OTEL_COLLECTOR_TRACES_URL);
    assert.equal(data[RUNTIME_ENV.otelTracesSamplerArg], String(TRACE_SAMPLING.clusterRatio));
    assert.equal(data[RUNTIME_ENV.otelServiceName], 'notifier');
    assert.equal(config({ traceSampleRatio: 1 })[RUNTIME_ENV.otelTracesSamplerArg], '1');
  });
  it('gives the pod drain + timeout + margin seconds to stop and tells the app its drain and timeout', () => {
    const chart = Testing.chart();
    new ScaleFuService(chart, 's', service({ shutdown: { drainSeconds: 3, timeoutSeconds: 11, marginSeconds: 2 } }));
    const docs = Testing.synth(chart) as {
      kind: string;
      data?: Record<string, string>;
      spec?: { template: { spec: { terminationGracePeriodSeconds?: number } } };
    }[];
    const deployment = docs.find((d) => d.kind === 'Deployment')!;
    const config = docs.find((d) => d.kind === 'ConfigMap')!.data!;
    assert.equal(deployment.spec!.template.spec.terminationGracePeriodSeconds, 16);
    assert.equal(config.SHUTDOWN_DRAIN_SECONDS, '3');
    assert.equal(config.SHUTDOWN_TIMEOUT_SECONDS, '11');
  });
  it('rolls the pods when the config changes: the pod template carries a hash of the ConfigMap data', () => {
    const hashOf = (over: Partial<ScaleFuServiceProps>) => {
      const chart = Testing.chart();
      new ScaleFuService(chart, 's', service(over));
      const deployment = (
        Testing.synth(chart) as {
          kind: string;
          spec?: { template: { metadata: { annotations?: Record<string, string> } } };
        }[]
      ).find((d) => d.kind === 'Deployment')!;
      return deployment.spec!.template.metadata.annotations?.[CONFIG_HASH_ANNOTATION];
    };
    const base = hashOf({});
    assert.match(base ?? '', /^[0-9a-f]{16}$/);
    assert.equal(hashOf({}), base, 'deterministic');
    assert.notEqual(hashOf({ shutdown: { drainSeconds: 7, timeoutSeconds: 20, marginSeconds: 5 } }), base);
  });
  it('renders an HPA and no ScaledObject for an HTTP API', () => {
    const chart = Testing.chart();
    new ScaleFuService(
      chart,
      's',
      service({ service: 'onboarder', image: 'r/scalefu-onboarder:1.0.0', maxReplicas: 10 }),
    );
    const kinds = Testing.synth(chart).map((d: { kind: string }) => d.kind);
    assert.ok(kinds.includes('HorizontalPodAutoscaler'));
    assert.ok(!kinds.includes('ScaledObject'));
  });
});

describe('KafkaCluster', () => {
  const kafka = (over: Partial<KafkaClusterProps> = {}): KafkaClusterProps => ({
    name: 'k',
    namespace: 'scalefu',
    topics: PLATFORM_ENVIRONMENTS.prod.kubernetes.kafka.topics,
    layout: 'separate-controllers',
    controllers: 3,
    brokers: 3,
    storageSize: '10Gi',
    resources: size,
    ...over,
  });
  it('refuses fewer brokers than the replication factor', () => {
    assert.throws(
      () => new KafkaCluster(Testing.chart(), 'k', kafka({ brokers: 2 })),
      /cannot hold replication factor 3/,
    );
  });
  it('refuses an even controller quorum', () => {
    assert.throws(() => new KafkaCluster(Testing.chart(), 'k', kafka({ controllers: 2 })), /odd number of controllers/);
  });
  it('renders one KafkaTopic per broker topic with the environment partitions', () => {
    const chart = Testing.chart();
    new KafkaCluster(chart, 'k', kafka());
    const topics = Testing.synth(chart).filter((d: { kind: string }) => d.kind === 'KafkaTopic');
    const created = topics.find((t: { spec: { topicName: string } }) => t.spec.topicName === 'user.created');
    assert.equal(created.spec.partitions, 24);
    assert.equal(created.spec.replicas, 3);
    assert.equal(created.spec.config['min.insync.replicas'], '2');
  });
});

describe('PostgresCluster', () => {
  const pg = (over: Partial<PostgresClusterProps> = {}): PostgresClusterProps => ({
    name: 'pg',
    namespace: 'scalefu',
    instances: 3,
    storageSize: '10Gi',
    resources: size,
    database: 'db',
    owner: 'owner',
    ownerSecretName: 'creds',
    backupBucket: 'scalefu-prod-postgres-backups',
    backupServiceAccount: 'b@p.iam.gserviceaccount.com',
    ...over,
  });
  it('refuses zero instances', () => {
    assert.throws(() => new PostgresCluster(Testing.chart(), 'p', pg({ instances: 0 })), /instances must be >= 1/);
  });
  it('refuses a five-field cron schedule', () => {
    assert.throws(() => new PostgresCluster(Testing.chart(), 'p', pg({ backupSchedule: '0 3 * * *' })), /six fields/);
  });
  it('refuses a malformed retention', () => {
    assert.throws(
      () => new PostgresCluster(Testing.chart(), 'p', pg({ backupRetention: '30 days' })),
      /backupRetention/,
    );
  });
  it('turns on synchronous replication only when there is a standby', () => {
    const sync = (instances: number) => {
      const chart = Testing.chart();
      new PostgresCluster(chart, 'p', pg({ instances }));
      return Testing.synth(chart).find((d: { kind: string }) => d.kind === 'Cluster').spec.postgresql?.synchronous;
    };
    assert.deepEqual(sync(3), { method: 'any', number: 1 });
    assert.equal(sync(1), undefined);
  });
});

describe('RedisFailover', () => {
  const redis = (over: Partial<RedisFailoverProps> = {}): RedisFailoverProps => ({
    name: 'redis',
    namespace: 'scalefu',
    replicas: 3,
    sentinels: 3,
    masterSet: 'm',
    passwordSecretName: 'redis-auth',
    persistence: false,
    resources: size,
    ...over,
  });
  it('refuses an even number of sentinels', () => {
    assert.throws(() => new RedisFailover(Testing.chart(), 'r', redis({ sentinels: 2 })), /must be odd/);
  });
  it('refuses high availability with one Redis pod', () => {
    assert.throws(
      () => new RedisFailover(Testing.chart(), 'r', redis({ replicas: 1, highAvailability: true })),
      /highAvailability/,
    );
  });
  it('asks for a volume only when persistence is on', () => {
    const claims = (persistence: RedisFailoverProps['persistence']) => {
      const chart = Testing.chart();
      new RedisFailover(chart, 'r', redis({ persistence }));
      return Testing.synth(chart).find(
        (d: { kind: string; metadata: { name: string } }) => d.kind === 'StatefulSet' && d.metadata.name === 'redis',
      ).spec.volumeClaimTemplates;
    };
    assert.equal(claims(false), undefined);
    assert.equal(claims({ storageSize: '1Gi' }).length, 1);
  });
});

describe('Edge', () => {
  const edge = (over: Partial<EdgeProps> = {}): EdgeProps => ({
    namespace: 'scalefu',
    issuer: 'letsencrypt-staging',
    acmeEmail: 'ops@example.com',
    cloudArmorPolicy: 'p',
    routes: [
      { service: 'onboarder', port: 8080, host: 'api.example.com', pathPrefixes: ['/api'], healthCheckPath: '/readyz' },
    ],
    ...over,
  });
  it('refuses a host that is not a fully qualified name', () => {
    const routes = [{ service: 'a', port: 1, host: 'API', pathPrefixes: ['/'], healthCheckPath: '/' }];
    assert.throws(() => new Edge(Testing.chart(), 'e', edge({ routes })), /not a fully qualified/);
  });
  it('refuses a path prefix without a leading slash', () => {
    const routes = [{ service: 'a', port: 1, host: 'api.example.com', pathPrefixes: ['api'], healthCheckPath: '/' }];
    assert.throws(() => new Edge(Testing.chart(), 'e', edge({ routes })), /must start with \//);
  });
  it('issues one certificate per host from the chosen issuer', () => {
    const chart = Testing.chart();
    new Edge(chart, 'e', edge({ issuer: 'letsencrypt-production' }));
    const certs = Testing.synth(chart).filter((d: { kind: string }) => d.kind === 'Certificate');
    assert.equal(certs.length, 1);
    assert.equal(certs[0].spec.issuerRef.name, 'letsencrypt-production');
  });
});

describe('SecretsStore and PlatformNamespace', () => {
  it('refuses a template that uses a variable it does not read', () => {
    const chart = Testing.chart();
    const store = new SecretsStore(chart, 's', { projectId: 'scalefu-dev', clusterName: 'c', clusterLocation: 'r' });
    assert.throws(
      () =>
        store.syncSecret(chart, 'x', { name: 'x', namespace: 'n', remote: { a: 'id' }, template: { X: '{{ .b }}' } }),
      /uses \.b which is not a remote secret/,
    );
  });
  it('refuses a project id that GCP would not accept', () => {
    assert.throws(
      () =>
        new SecretsStore(Testing.chart(), 's', { projectId: 'Bad_Project', clusterName: 'c', clusterLocation: 'r' }),
      /not a GCP project id/,
    );
  });
  it('refuses an invalid namespace name', () => {
    assert.throws(
      () => new PlatformNamespace(Testing.chart(), 'n', { name: 'Sc_alefu', cpu: '1', memory: '1Gi', storage: '1Gi' }),
      /not a valid namespace/,
    );
  });
});

describe('environment files', () => {
  it('prod differs from dev only in sizes, counts, issuer and addresses, and keeps at least two of every service', () => {
    for (const o of Object.values(PLATFORM_ENVIRONMENTS.prod.kubernetes.services)) assert.ok(o.minReplicas >= 2);
    assert.equal(PLATFORM_ENVIRONMENTS.prod.kubernetes.acmeIssuer, 'letsencrypt-production');
    assert.equal(PLATFORM_ENVIRONMENTS.dev.kubernetes.acmeIssuer, 'letsencrypt-staging');
  });
});
