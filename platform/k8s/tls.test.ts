/**
 * In-cluster connections over the rendered manifests: Kafka clients use the TLS listener and verify the Strimzi
 * cluster CA; Postgres clients use `sslmode=verify-full` against CloudNativePG's CA, mounted (certificate only) where
 * the URL says. Redis is not covered yet (see docs/adr/0103).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RUNTIME_ENV, SERVICE_DEPENDENCIES, SERVICE_NAMES } from '@scalefu/contracts';
import { STORE_NAMES } from './facts';
import { plainEnv, podTemplates, renderedClusters, type Doc } from './testing/rendered';

type Volume = { name: string; secret?: { secretName: string; items?: { key: string; path: string }[] } };
type Mount = { name: string; mountPath: string };

describe('in-cluster TLS', () => {
  it('Kafka: the only client listener is TLS, and every service verifies the cluster CA', async () => {
    for (const cluster of await renderedClusters()) {
      const kafka = cluster.docs.find((d) => d.kind === 'Kafka')!;
      const listeners = (kafka.spec as { kafka: { listeners: { tls: boolean; authentication?: unknown }[] } }).kafka
        .listeners;
      assert.ok(listeners.length > 0 && listeners.every((l) => l.tls === true && l.authentication), cluster.env);
      for (const { workload, template } of podTemplates(cluster.docs)) {
        if (!(SERVICE_NAMES as readonly string[]).includes(workload.metadata.name)) continue;
        const env = plainEnv(cluster.docs, workload.metadata.namespace, template.spec.containers[0]!);
        assert.equal(env[RUNTIME_ENV.kafkaSsl], 'true', `${cluster.env} ${workload.metadata.name}`);
        assert.ok(env[RUNTIME_ENV.kafkaSslCaFile], `${cluster.env} ${workload.metadata.name} has a CA file`);
      }
    }
  });

  it('Postgres: verify-full against the CNPG CA, whose certificate (not key) is mounted where sslrootcert points', async () => {
    for (const cluster of await renderedClusters()) {
      const users = SERVICE_NAMES.filter((s) => SERVICE_DEPENDENCIES[s].includes('postgres'));
      assert.ok(users.length > 0);
      for (const service of users) {
        const secret = cluster.docs.find((d) => d.kind === 'ExternalSecret' && d.metadata.name === `${service}-env`)!;
        const url = new URL(
          String(
            (secret.spec as { target: { template: { data: Record<string, string> } } }).target.template.data[
              RUNTIME_ENV.databaseUrl
            ],
          ).replace(/\{\{[^}]*\}\}/, 'secret'),
        );
        assert.equal(url.searchParams.get('sslmode'), 'verify-full', `${cluster.env} ${service}`);
        assert.equal(url.hostname, `${STORE_NAMES.postgres}-rw.scalefu.svc`, 'a name on the CNPG server certificate');
        const rootCert = url.searchParams.get('sslrootcert')!;

        const deployment = cluster.docs.find((d) => d.kind === 'Deployment' && d.metadata.name === service) as Doc;
        const pod = (
          deployment.spec as { template: { spec: { volumes: Volume[]; containers: { volumeMounts: Mount[] }[] } } }
        ).template.spec;
        const mount = pod.containers[0]!.volumeMounts.find((m) => rootCert === `${m.mountPath}/ca.crt`);
        assert.ok(mount, `${cluster.env} ${service}: ${rootCert} is mounted`);
        const volume = pod.volumes.find((v) => v.name === mount.name)!;
        assert.equal(volume.secret?.secretName, `${STORE_NAMES.postgres}-ca`);
        assert.deepEqual(volume.secret?.items, [{ key: 'ca.crt', path: 'ca.crt' }], 'never the CA key');
      }
    }
  });
});
