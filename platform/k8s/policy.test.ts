import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLUSTER_TRUSTED_PROXY_HOPS, RUNTIME_ENV, SERVICE_NAMES, SERVICES, topicsConsumedBy } from '@scalefu/contracts';
import { ENVIRONMENT_SETTINGS, PLATFORM_ENVIRONMENTS, WORKLOAD_KSAS, namesOf } from '../environments/index';
import { podTemplates, plainEnv, renderedClusters, type Container, type Doc } from './testing/rendered';

const allContainers = (t: ReturnType<typeof podTemplates>[number]) => [
  ...t.template.spec.containers,
  ...(t.template.spec.initContainers ?? []),
];
const id = (t: ReturnType<typeof podTemplates>[number], c?: Container) =>
  `${t.workload.kind}/${t.workload.metadata.name}${c ? `/${c.name}` : ''}`;

async function each(check: (docs: readonly Doc[], env: 'dev' | 'prod') => string[]): Promise<void> {
  const problems: string[] = [];
  for (const cluster of await renderedClusters())
    problems.push(...check(cluster.docs, cluster.env).map((p) => `${cluster.env}: ${p}`));
  assert.deepEqual(problems, []);
}

describe('workload policy', () => {
  it('every container has cpu and memory requests and limits', () =>
    each((docs) =>
      podTemplates(docs).flatMap((t) =>
        allContainers(t)
          .filter(
            (c) =>
              !(
                c.resources?.requests?.cpu &&
                c.resources.requests.memory &&
                c.resources.limits?.cpu &&
                c.resources.limits.memory
              ),
          )
          .map((c) => `${id(t, c)} lacks requests/limits`),
      ),
    ));

  it('every long-running container has startup, readiness and liveness probes', () =>
    each((docs) =>
      podTemplates(docs).flatMap((t) =>
        t.template.spec.containers
          .filter((c) => !c.startupProbe || !c.readinessProbe || !c.livenessProbe)
          .map((c) => `${id(t, c)} lacks a probe`),
      ),
    ));

  it('ScaleFu services probe the kit endpoints: /healthz for liveness and startup, /readyz for readiness', () =>
    each((docs) =>
      podTemplates(docs)
        .filter((t) => (SERVICE_NAMES as readonly string[]).includes(t.workload.metadata.name))
        .flatMap((t) => {
          const c = t.template.spec.containers[0]!;
          const path = (p: unknown) => (p as { httpGet?: { path: string } }).httpGet?.path;
          return path(c.livenessProbe) === '/healthz' &&
            path(c.startupProbe) === '/healthz' &&
            path(c.readinessProbe) === '/readyz'
            ? []
            : [`${id(t, c)} probes the wrong paths`];
        }),
    ));

  it('every container runs as non-root with a read-only root filesystem, no privilege escalation, all capabilities dropped and the RuntimeDefault seccomp profile', () =>
    each((docs) =>
      podTemplates(docs).flatMap((t) => {
        const pod = t.template.spec.securityContext ?? {};
        return allContainers(t).flatMap((c) => {
          const sc = c.securityContext ?? {};
          const problems: string[] = [];
          if (!(sc.runAsNonRoot ?? pod.runAsNonRoot)) problems.push('may run as root');
          if (sc.runAsUser === 0 || pod.runAsUser === 0) problems.push('runs as UID 0');
          if (sc.readOnlyRootFilesystem !== true) problems.push('has a writable root filesystem');
          if (sc.allowPrivilegeEscalation !== false) problems.push('may escalate privileges');
          if (!sc.capabilities?.drop?.includes('ALL')) problems.push('keeps capabilities');
          if ((sc.seccompProfile ?? pod.seccompProfile)?.type !== 'RuntimeDefault')
            problems.push('lacks RuntimeDefault seccomp');
          return problems.map((p) => `${id(t, c)} ${p}`);
        });
      }),
    ));

  it('no pod mounts a service-account token (none of them calls the Kubernetes API)', () =>
    each((docs) =>
      podTemplates(docs)
        .filter((t) => t.template.spec.automountServiceAccountToken !== false)
        .map((t) => `${id(t)} automounts a token`),
    ));

  it('no image is unpinned or :latest', () =>
    each((docs) =>
      podTemplates(docs).flatMap((t) =>
        allContainers(t)
          .filter((c) => !/:[^/:@]+$/.test(c.image) || c.image.endsWith(':latest'))
          .map((c) => `${id(t, c)} uses ${c.image}`),
      ),
    ));

  it('in prod every workload has at least two replicas and a PodDisruptionBudget selecting its pods', async () => {
    const prod = (await renderedClusters()).find((c) => c.env === 'prod')!;
    const pdbs = prod.docs.filter((d) => d.kind === 'PodDisruptionBudget');
    const autoscalers = prod.docs.filter((d) => d.kind === 'HorizontalPodAutoscaler' || d.kind === 'ScaledObject');
    const problems: string[] = [];
    for (const t of podTemplates(prod.docs)) {
      const name = t.workload.metadata.name;
      const scaler = autoscalers.find(
        (a) => (a.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name === name,
      );
      const min = scaler
        ? ((scaler.spec as { minReplicas?: number; minReplicaCount?: number }).minReplicas ??
          (scaler.spec as { minReplicaCount?: number }).minReplicaCount)
        : (t.workload.spec as { replicas?: number }).replicas;
      if (!min || min < 2) problems.push(`${id(t)} runs with ${min} replica(s)`);
      const labels = t.template.metadata.labels;
      const covered = pdbs.some((p) =>
        Object.entries((p.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels).every(
          ([k, v]) => labels[k] === v,
        ),
      );
      if (!covered) problems.push(`${id(t)} has no PodDisruptionBudget`);
    }
    assert.ok(podTemplates(prod.docs).length >= 6);
    assert.deepEqual(problems, []);
  });

  it('in prod pods spread across zones and refuse to pile into one', async () => {
    const prod = (await renderedClusters()).find((c) => c.env === 'prod')!;
    const problems = podTemplates(prod.docs)
      .filter(
        (t) =>
          !(t.template.spec.topologySpreadConstraints ?? []).some(
            (c) => c.topologyKey === 'topology.kubernetes.io/zone' && c.whenUnsatisfiable === 'DoNotSchedule',
          ),
      )
      .map((t) => id(t));
    assert.deepEqual(problems, []);
  });

  it('HTTP APIs scale with an HPA and consumers with a KEDA lag trigger per consumed topic, never above its partitions', () =>
    each((docs, env) =>
      SERVICE_NAMES.flatMap((s) => {
        const hpa = docs.find((d) => d.kind === 'HorizontalPodAutoscaler' && d.metadata.name === s);
        const so = docs.find((d) => d.kind === 'ScaledObject' && d.metadata.name === s);
        if (SERVICES[s].kind === 'http-api') return hpa && !so ? [] : [`${s} should scale with an HPA only`];
        if (!so || hpa) return [`${s} should scale with a ScaledObject only`];
        const spec = so.spec as { maxReplicaCount: number; triggers: { type: string; metadata: { topic: string } }[] };
        const topics = topicsConsumedBy(s);
        const partitions = Math.min(
          ...topics.map((t) => PLATFORM_ENVIRONMENTS[env].kubernetes.kafka.topics.partitions[t.load]),
        );
        const problems: string[] = [];
        if (spec.maxReplicaCount > partitions)
          problems.push(`${s} may scale to ${spec.maxReplicaCount} > ${partitions} partitions`);
        const triggered = spec.triggers
          .filter((t) => t.type === 'kafka')
          .map((t) => t.metadata.topic)
          .sort();
        if (JSON.stringify(triggered) !== JSON.stringify(topics.map((t) => t.name).sort())) {
          problems.push(`${s} lag triggers ${triggered.join(',')} differ from its consumed topics`);
        }
        return problems;
      }),
    ));

  it('consumer Deployments leave the replica count to KEDA', () =>
    each((docs) =>
      SERVICE_NAMES.filter((s) => SERVICES[s].kind === 'consumer').flatMap((s) => {
        const d = docs.find((x) => x.kind === 'Deployment' && x.metadata.name === s)!;
        return (d.spec as { replicas?: number }).replicas === undefined ? [] : [`${s} pins spec.replicas`];
      }),
    ));

  it('each service runs as the Kubernetes service account the GCP side binds to its Google service account', () =>
    each((docs) =>
      SERVICE_NAMES.flatMap((s) => {
        const d = docs.find((x) => x.kind === 'Deployment' && x.metadata.name === s)!;
        const spec = (d.spec as { template: { spec: { serviceAccountName: string } } }).template.spec;
        const ksa = WORKLOAD_KSAS[s];
        return spec.serviceAccountName === ksa.serviceAccount && d.metadata.namespace === ksa.namespace
          ? []
          : [`${s} runs as ${d.metadata.namespace}/${spec.serviceAccountName}`];
      }),
    ));

  it('the notifier links mails to the admin web’s status page over HTTPS and sends from the environment domain', () =>
    each((docs, env) => {
      const t = podTemplates(docs).find(
        (x) => x.workload.kind === 'Deployment' && x.workload.metadata.name === 'notifier',
      )!;
      const vars = plainEnv(docs, t.workload.metadata.namespace, t.template.spec.containers[0]!);
      const settings = ENVIRONMENT_SETTINGS[env];
      const problems: string[] = [];
      if (vars[RUNTIME_ENV.publicBaseUrl] !== `https://${namesOf(settings).hosts.web}`)
        problems.push(`${RUNTIME_ENV.publicBaseUrl} is ${vars[RUNTIME_ENV.publicBaseUrl]}`);
      if (!vars[RUNTIME_ENV.mailFrom]?.endsWith(`@${settings.dnsDomain}`))
        problems.push(`${RUNTIME_ENV.mailFrom} is ${vars[RUNTIME_ENV.mailFrom]}`);
      return problems;
    }));

  it('the onboarder takes the client IP from X-Forwarded-For by hop count, not by trusting the front-end ranges', () =>
    each((docs) => {
      const t = podTemplates(docs).find(
        (x) => x.workload.kind === 'Deployment' && x.workload.metadata.name === 'onboarder',
      )!;
      const value = plainEnv(docs, t.workload.metadata.namespace, t.template.spec.containers[0]!)[
        RUNTIME_ENV.trustedProxies
      ];
      return value === String(CLUSTER_TRUSTED_PROXY_HOPS) ? [] : [`${RUNTIME_ENV.trustedProxies} is ${value}`];
    }));

  it('no container is pointed at localhost, except the Redis exporter scraping the Redis in its own pod', () =>
    each((docs) =>
      podTemplates(docs).flatMap((t) =>
        allContainers(t).flatMap((c) =>
          Object.entries(plainEnv(docs, t.workload.metadata.namespace, c))
            .filter(([, value]) => /localhost|127\.0\.0\.1|\[::1\]/.test(value))
            .filter(
              ([name]) => !(t.workload.metadata.name === 'redis' && c.name === 'exporter' && name === 'REDIS_ADDR'),
            )
            .map(([name, value]) => `${id(t, c)} sets ${name}=${value}`),
        ),
      ),
    ));

  it("every Deployment's grace period outlasts the drain and shutdown timeout it gives the app", async () => {
    await each((docs) =>
      podTemplates(docs)
        .filter((t) => t.workload.kind === 'Deployment')
        .flatMap((t) => {
          const vars = plainEnv(docs, t.workload.metadata.namespace, t.template.spec.containers[0]!);
          const drain = Number(vars[RUNTIME_ENV.shutdownDrainSeconds]);
          const timeout = Number(vars[RUNTIME_ENV.shutdownTimeoutSeconds]);
          const grace = t.template.spec.terminationGracePeriodSeconds ?? 30;
          if (!Number.isInteger(drain) || !Number.isInteger(timeout) || drain <= 0 || timeout <= 0)
            return [`${id(t)} lacks ${RUNTIME_ENV.shutdownDrainSeconds} / ${RUNTIME_ENV.shutdownTimeoutSeconds}`];
          return grace > drain + timeout ? [] : [`${id(t)} grace ${grace}s <= drain ${drain}s + timeout ${timeout}s`];
        }),
    );
    const prod = (await renderedClusters()).find((c) => c.env === 'prod')!;
    assert.ok(podTemplates(prod.docs).filter((t) => t.workload.kind === 'Deployment').length >= SERVICE_NAMES.length);
  });

  it('no Secret object and no secret-looking literal value is rendered into git', () =>
    each((docs) => {
      const problems = docs.filter((d) => d.kind === 'Secret').map((d) => `Secret/${d.metadata.name} is in git`);
      for (const t of podTemplates(docs)) {
        for (const c of allContainers(t)) {
          for (const e of c.env ?? []) {
            if (/PASSWORD|SECRET|KEY|TOKEN|DATABASE_URL|REDIS_URL|SMTP_URL/.test(e.name) && e.value !== undefined) {
              problems.push(`${id(t, c)} sets ${e.name} to a literal`);
            }
          }
        }
      }
      return problems;
    }));

  it('every namespace rendered here enforces the restricted Pod Security Standard and has a quota and limit range', () =>
    each((docs) =>
      docs
        .filter((d) => d.kind === 'Namespace')
        .flatMap((ns) => {
          const problems: string[] = [];
          if (ns.metadata.labels?.['pod-security.kubernetes.io/enforce'] !== 'restricted')
            problems.push(`${ns.metadata.name} not restricted`);
          for (const kind of ['ResourceQuota', 'LimitRange']) {
            if (!docs.some((d) => d.kind === kind && d.metadata.namespace === ns.metadata.name))
              problems.push(`${ns.metadata.name} lacks ${kind}`);
          }
          return problems;
        }),
    ));
});
