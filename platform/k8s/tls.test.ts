/**
 * In-cluster connections over the rendered manifests: Kafka clients use the TLS listener and verify the Strimzi
 * cluster CA; Postgres clients use `sslmode=verify-full` against CloudNativePG's CA, mounted (certificate only) where
 * the URL says; Redis and Sentinel listen on TLS only, with a cert-manager certificate from their own CA that names
 * every host clients, replicas, Sentinels and probes dial, and every client verifies that CA (docs/adr/0107).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLUSTER_PORTS, RUNTIME_ENV, SERVICE_DEPENDENCIES, SERVICE_NAMES } from '@scalefu/contracts';
import { METRICS_PORTS, STORE_NAMES } from './facts';
import { plainEnv, podTemplates, renderedClusters, type Container, type Doc } from './testing/rendered';

type Volume = { name: string; secret?: { secretName: string; items?: { key: string; path: string }[] } };
type Mount = { name: string; mountPath: string };
type PodSpec = { volumes: Volume[]; containers: (Container & { volumeMounts?: Mount[] })[] };
type ExecProbe = { exec?: { command: string[] } };

/** The volume mounted at the folder of `file` in `pod`'s container `container`, or undefined. */
function volumeOf(pod: PodSpec, container: string, file: string): Volume | undefined {
  const mount = pod.containers
    .find((c) => c.name === container)!
    .volumeMounts?.find((m) => file.startsWith(`${m.mountPath}/`));
  return mount && pod.volumes.find((v) => v.name === mount.name);
}

function podSpec(docs: readonly Doc[], kind: string, name: string): PodSpec {
  const workload = docs.find((d) => d.kind === kind && d.metadata.name === name);
  assert.ok(workload, `${kind} ${name} is rendered`);
  return (workload.spec as { template: { spec: PodSpec } }).template.spec;
}

/** Does a certificate with these DNS names cover `host` (one-label wildcards, as TLS clients match them)? */
function covers(dnsNames: readonly string[], host: string): boolean {
  return dnsNames.some((n) => n === host || (n.startsWith('*.') && host.slice(host.indexOf('.') + 1) === n.slice(2)));
}

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

  describe('Redis', () => {
    const scripts = (docs: readonly Doc[]) => {
      const cm = docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === `${STORE_NAMES.redis}-scripts`)!;
      return (cm as unknown as { data: Record<string, string> }).data;
    };
    const tlsPortOf = (script: string) => Number(/echo "tls-port (\d+)"/.exec(script)?.[1]);

    it('Redis and Sentinel listen on TLS only, replicate and gossip over TLS, and ask each other over TLS', async () => {
      for (const cluster of await renderedClusters()) {
        for (const [file, port] of [
          ['init-redis.sh', CLUSTER_PORTS.redis],
          ['init-sentinel.sh', CLUSTER_PORTS.redisSentinel],
        ] as const) {
          const script = scripts(cluster.docs)[file]!;
          assert.match(script, /echo "port 0"/, `${cluster.env} ${file}: the plaintext port is closed`);
          assert.equal(tlsPortOf(script), port, `${cluster.env} ${file}`);
          assert.match(script, /echo "tls-replication yes"/, `${cluster.env} ${file}`);
          for (const key of ['tls-cert-file', 'tls-key-file', 'tls-ca-cert-file']) {
            assert.match(script, new RegExp(`echo "${key} /\\S+"`), `${cluster.env} ${file} ${key}`);
          }
          const cliCalls = script.split('\n').filter((line) => line.includes('redis-cli'));
          assert.ok(cliCalls.length > 0);
          for (const call of cliCalls) assert.match(call, /redis-cli --tls --cacert \S+/, `${cluster.env} ${file}`);
        }
      }
    });

    it('a cert-manager certificate from an in-cluster CA names every host dialled, and the pods mount it', async () => {
      for (const cluster of await renderedClusters()) {
        const { docs, env } = cluster;
        const find = (kind: string, name: string) => {
          const doc = docs.find((d) => d.kind === kind && d.metadata.name === name);
          assert.ok(doc, `${env}: ${kind} ${name}`);
          return doc.spec as unknown;
        };
        const leaf = find('Certificate', `${STORE_NAMES.redis}-tls`) as {
          secretName: string;
          dnsNames: string[];
          ipAddresses?: string[];
          issuerRef: { kind: string; name: string };
        };
        assert.equal(leaf.issuerRef.kind, 'Issuer', 'a namespaced issuer: the CA signs nothing outside the namespace');
        const issuer = find('Issuer', leaf.issuerRef.name) as { ca?: { secretName: string } };
        assert.ok(issuer.ca, `${env}: a CA issuer signs the Redis certificate`);
        const ca = docs.find(
          (d) => d.kind === 'Certificate' && (d.spec as { secretName: string }).secretName === issuer.ca!.secretName,
        );
        assert.equal((ca?.spec as { isCA?: boolean } | undefined)?.isCA, true, `${env}: the issuer's secret is a CA`);

        // Hosts dialled: the Sentinel service and REDIS_URL host (clients), the pods' headless names Sentinel announces
        // (clients, replicas, Sentinels), localhost (probes, exporter).
        const user = podSpec(docs, 'Deployment', 'user');
        const userEnv = plainEnv(docs, 'scalefu', user.containers[0]!);
        const hosts = [
          ...userEnv[RUNTIME_ENV.redisSentinels]!.split(',').map((hostPort) => hostPort.split(':')[0]!),
          `${STORE_NAMES.redis}-0.${STORE_NAMES.redis}-headless.scalefu.svc.cluster.local`,
          `${STORE_NAMES.redisSentinel}-2.${STORE_NAMES.redisSentinel}-headless.scalefu.svc.cluster.local`,
          `${STORE_NAMES.redis}-headless.scalefu.svc`,
          'localhost',
        ];
        for (const host of hosts) assert.ok(covers(leaf.dnsNames, host), `${env}: the certificate names ${host}`);
        assert.ok(leaf.ipAddresses?.includes('127.0.0.1'), `${env}: probes may dial 127.0.0.1`);

        for (const [name, container, script] of [
          [STORE_NAMES.redis, 'redis', 'init-redis.sh'],
          [STORE_NAMES.redisSentinel, 'sentinel', 'init-sentinel.sh'],
        ] as const) {
          const pod = podSpec(docs, 'StatefulSet', name);
          const certFile = /echo "tls-cert-file (\S+)"/.exec(scripts(docs)[script]!)![1]!;
          assert.equal(volumeOf(pod, container, certFile)?.secret?.secretName, leaf.secretName, `${env} ${name}`);
        }
      }
    });

    it('probes and the exporter speak TLS and verify the CA; Services and NetworkPolicies carry only the TLS ports', async () => {
      for (const cluster of await renderedClusters()) {
        const { docs, env } = cluster;
        const tlsPorts = {
          [STORE_NAMES.redis]: tlsPortOf(scripts(docs)['init-redis.sh']!),
          [STORE_NAMES.redisSentinel]: tlsPortOf(scripts(docs)['init-sentinel.sh']!),
        };
        for (const [name, container] of [
          [STORE_NAMES.redis, 'redis'],
          [STORE_NAMES.redisSentinel, 'sentinel'],
        ] as const) {
          const c = podSpec(docs, 'StatefulSet', name).containers.find((x) => x.name === container)!;
          const probes = [c.readinessProbe, (c as { startupProbe?: unknown }).startupProbe] as ExecProbe[];
          for (const probe of probes) {
            assert.match(probe.exec!.command.join(' '), /redis-cli --tls --cacert \S+/, `${env} ${name} probe`);
          }
        }

        // A renewed certificate reaches the running processes: Redis reloads it in place, Sentinel is restarted.
        const probeOf = (name: string, container: string, probe: 'readinessProbe' | 'livenessProbe') =>
          (
            podSpec(docs, 'StatefulSet', name).containers.find((x) => x.name === container)![probe] as ExecProbe
          ).exec!.command.join(' ');
        assert.match(
          probeOf(STORE_NAMES.redis, 'redis', 'readinessProbe'),
          /config set tls-cert-file \S+ tls-key-file/,
        );
        assert.match(probeOf(STORE_NAMES.redisSentinel, 'sentinel', 'livenessProbe'), /cmp -s \S+tls\.crt /);

        const redisPod = podSpec(docs, 'StatefulSet', STORE_NAMES.redis);
        const exporter = redisPod.containers.find((c) => c.name === 'exporter')!;
        const exporterEnv = Object.fromEntries(
          ((exporter as { env?: { name: string; value?: string }[] }).env ?? []).map((e) => [e.name, e.value]),
        );
        assert.equal(new URL(exporterEnv['REDIS_ADDR']!).protocol, 'rediss:', `${env}: the exporter scrapes over TLS`);
        assert.notEqual(exporterEnv['REDIS_EXPORTER_SKIP_TLS_VERIFICATION'], 'true');
        const exporterCa = exporterEnv['REDIS_EXPORTER_TLS_CA_CERT_FILE']!;
        const exporterVolume = volumeOf(redisPod, 'exporter', exporterCa);
        assert.deepEqual(exporterVolume?.secret?.items, [{ key: 'ca.crt', path: 'ca.crt' }], 'the CA, never the key');

        for (const service of docs.filter((d) => d.kind === 'Service')) {
          const app = (service.spec as { selector?: Record<string, string> }).selector?.['app.kubernetes.io/name'];
          if (app !== STORE_NAMES.redis && app !== STORE_NAMES.redisSentinel) continue;
          for (const port of (service.spec as { ports: { name: string; port: number }[] }).ports) {
            assert.equal(port.port, tlsPorts[app], `${env} Service ${service.metadata.name}`);
            assert.match(port.name, /-tls$/, `${env} Service ${service.metadata.name}`);
          }
        }

        type Rule = { ports?: { port: number }[]; to?: { podSelector?: { matchLabels?: Record<string, string> } }[] };
        for (const policy of docs.filter((d) => d.kind === 'NetworkPolicy')) {
          const spec = policy.spec as {
            podSelector: { matchLabels?: Record<string, string> };
            ingress?: Rule[];
            egress?: Rule[];
          };
          const own = spec.podSelector.matchLabels?.['app.kubernetes.io/name'];
          if (own === STORE_NAMES.redis || own === STORE_NAMES.redisSentinel) {
            const allowed = own === STORE_NAMES.redis ? [tlsPorts[own], METRICS_PORTS.redisExporter] : [tlsPorts[own]];
            for (const rule of spec.ingress ?? []) {
              for (const { port } of rule.ports ?? [])
                assert.ok(allowed.includes(port), `${env} ${own} ingress ${port}`);
            }
          }
          for (const rule of spec.egress ?? []) {
            for (const peer of rule.to ?? []) {
              const to = peer.podSelector?.matchLabels?.['app.kubernetes.io/name'];
              if (to !== STORE_NAMES.redis && to !== STORE_NAMES.redisSentinel) continue;
              assert.deepEqual(
                (rule.ports ?? []).map((p) => p.port),
                [tlsPorts[to]],
                `${env} ${policy.metadata.name} -> ${to}`,
              );
            }
          }
        }
      }
    });

    it('every Redis client uses TLS and verifies the in-cluster CA, whose certificate (not key) is mounted', async () => {
      for (const cluster of await renderedClusters()) {
        const ca = cluster.docs.find(
          (d) => d.kind === 'Certificate' && (d.spec as { isCA?: boolean }).isCA && d.metadata.name.startsWith('redis'),
        )!;
        const users = SERVICE_NAMES.filter((s) => SERVICE_DEPENDENCIES[s].includes('redis'));
        assert.ok(users.length > 0);
        for (const service of users) {
          const pod = podSpec(cluster.docs, 'Deployment', service);
          const env = plainEnv(cluster.docs, 'scalefu', pod.containers[0]!);
          assert.equal(env[RUNTIME_ENV.redisTls], 'true', `${cluster.env} ${service}`);
          const caFile = env[RUNTIME_ENV.redisTlsCaFile]!;
          const volume = volumeOf(pod, service, caFile);
          assert.equal(
            volume?.secret?.secretName,
            (ca.spec as { secretName: string }).secretName,
            `${cluster.env} ${service}`,
          );
          assert.deepEqual(volume?.secret?.items, [{ key: 'ca.crt', path: 'ca.crt' }], 'never the CA key');

          const secret = cluster.docs.find((d) => d.kind === 'ExternalSecret' && d.metadata.name === `${service}-env`)!;
          const url = (secret.spec as { target: { template: { data: Record<string, string> } } }).target.template.data[
            RUNTIME_ENV.redisUrl
          ]!;
          assert.match(url, /^rediss:\/\//, `${cluster.env} ${service}: REDIS_URL is TLS too`);
        }
      }
    });
  });
});
