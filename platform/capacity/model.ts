/**
 * Capacity model: from the CPU one registration costs in each component (measured by `npm run bench`, see
 * docs/capacity-model.md), the pods, partitions, brokers and Postgres size a registration rate needs on GKE, and
 * what a million registrations cost. The environments' autoscaling bounds and partition counts are checked against
 * it (capacity.test.ts), so the platform and the measurements cannot drift apart silently.
 */
import type { ServiceName } from '@scalefu/contracts';

/** CPU milliseconds per confirmed registration, per component, from one bench run (update with the run's figures). */
export interface MeasuredCost {
  /** The command that produced the figures. */
  readonly command: string;
  /** When it ran (UTC, ISO date). */
  readonly measuredAt: string;
  /** ms of CPU per registration in each service; the onboarder's figure is per accepted request. */
  readonly services: Readonly<Record<ServiceName, number>>;
  /** ms of CPU per registration in the Kafka broker (one replica; followers add the same again per extra replica). */
  readonly kafka: number;
  readonly postgres: number;
  readonly redis: number;
  /** ms of CPU per registration in the local SMTP catcher (mailpit); the clusters use a provider: not sized. */
  readonly smtpCatcher: number;
}

/**
 * The latest measured figures (`npm run bench`, 500/s for 60 s, on the 2-core dev box with nothing else running; see
 * docs/capacity-model.md for the run). The whole local stack shares two cores, so they are an upper bound for the
 * clusters.
 */
export const MEASURED_COST: MeasuredCost = {
  command: 'npm run bench -- --rate 500 --seconds 60',
  measuredAt: '2026-12-08',
  services: { onboarder: 0.43, user: 0.57, notifier: 0.56, 'cache-updater': 0.36 },
  kafka: 0.41,
  postgres: 0.65,
  redis: 0.19,
  smtpCatcher: 0.53,
};

/** What the model assumes about the clusters. */
export interface CapacityAssumptions {
  /** CPU a service pod requests (cores); the HPA/KEDA scale on it. */
  readonly podCpuCores: number;
  /** Largest Postgres primary worth running (cores); beyond it the users table is sharded by userID. */
  readonly postgresMaxPrimaryCores: number;
  /** Redis runs commands on one thread: beyond one busy core per primary the keyspace is sharded (Redis Cluster). */
  readonly redisCoresPerShard: number;
  /** Share of the request a pod may use at peak before the autoscaler adds one (the HPA target). */
  readonly targetUtilisation: number;
  /** Cores one Kafka broker requests. */
  readonly brokerCores: number;
  /** Kafka replication factor (every replica spends the broker CPU again on the bytes it copies). */
  readonly replicationFactor: number;
  /** Postgres is sized in steps of this many cores (CNPG primary; standbys mirror it). */
  readonly postgresStepCores: number;
  /** Postgres instances (primary + standbys), each sized like the primary. */
  readonly postgresInstances: number;
  /** On-demand price of one vCPU-hour with its share of memory on GKE (USD, asia-southeast1, n2-standard). */
  readonly usdPerVcpuHour: number;
  /** Consumer pods never exceed a topic's partitions; the model keeps this many partitions per peak pod. */
  readonly partitionsPerPod: number;
}

export const GKE_ASSUMPTIONS: CapacityAssumptions = {
  podCpuCores: 0.5,
  targetUtilisation: 0.7,
  brokerCores: 4,
  replicationFactor: 3,
  postgresStepCores: 2,
  postgresInstances: 3,
  postgresMaxPrimaryCores: 64,
  redisCoresPerShard: 1,
  usdPerVcpuHour: 0.0486,
  partitionsPerPod: 1,
};

/** What a registration rate needs. */
export interface CapacityPlan {
  readonly ratePerSecond: number;
  /** Pods per service at the rate, the autoscaler's target. */
  readonly pods: Readonly<Record<ServiceName, number>>;
  /** Partitions the busiest consumed topic needs so every consumer pod has one. */
  readonly partitions: number;
  readonly brokers: number;
  /** Broker cores the rate keeps busy across all replicas, at the target utilisation. */
  readonly brokerCoresNeeded: number;
  /** Cores of each Postgres primary (a multiple of the step; standbys mirror it). */
  readonly postgresCores: number;
  /** Postgres primaries (shards by userID); 1 while one primary is enough. */
  readonly postgresShards: number;
  /** Cores of each Redis primary. */
  readonly redisCores: number;
  /** Redis primaries (Redis Cluster shards); 1 while one thread is enough. */
  readonly redisShards: number;
  /** Every vCPU the plan reserves (services at their requests, brokers, Postgres instances, Redis). */
  readonly totalVcpu: number;
  readonly usdPerMillion: number;
}

const SERVICES_ORDER: readonly ServiceName[] = ['onboarder', 'user', 'notifier', 'cache-updater'];

/** `Math.ceil` without floating-point dust: 10,000 × 0.56 / 1000 / 0.35 is 16.000000000000004 and needs 16 pods. */
const ceilOf = (x: number): number => Math.ceil(x - 1e-9);

/** The plan for `ratePerSecond` registrations/s. */
export function capacityFor(
  ratePerSecond: number,
  cost: MeasuredCost = MEASURED_COST,
  a: CapacityAssumptions = GKE_ASSUMPTIONS,
): CapacityPlan {
  if (!(ratePerSecond > 0)) throw new Error(`capacityFor: the rate must be > 0, got ${ratePerSecond}`);
  const cores = (ms: number) => (ratePerSecond * ms) / 1000;
  const pods = Object.fromEntries(
    SERVICES_ORDER.map((s) => [
      s,
      Math.max(1, ceilOf(cores(cost.services[s]) / (a.podCpuCores * a.targetUtilisation))),
    ]),
  ) as Record<ServiceName, number>;
  const consumerPods = SERVICES_ORDER.filter((s) => s !== 'onboarder').map((s) => pods[s]);
  const partitions = Math.max(...consumerPods) * a.partitionsPerPod;
  const brokerCores = (cores(cost.kafka) * a.replicationFactor) / a.targetUtilisation;
  const brokers = Math.max(a.replicationFactor, ceilOf(brokerCores / a.brokerCores));
  const postgresTotal = cores(cost.postgres) / a.targetUtilisation;
  const postgresShards = ceilOf(postgresTotal / a.postgresMaxPrimaryCores);
  const postgresCores = Math.max(
    a.postgresStepCores,
    ceilOf(postgresTotal / postgresShards / a.postgresStepCores) * a.postgresStepCores,
  );
  const redisTotal = cores(cost.redis) / a.targetUtilisation;
  const redisShards = ceilOf(redisTotal / a.redisCoresPerShard);
  const redisCores = Math.max(0.25, ceilOf((redisTotal / redisShards) * 4) / 4);
  const totalVcpu =
    SERVICES_ORDER.reduce((sum, s) => sum + pods[s] * a.podCpuCores, 0) +
    brokers * a.brokerCores +
    postgresCores * postgresShards * a.postgresInstances +
    redisCores * redisShards * 3;
  const registrationsPerHour = ratePerSecond * 3600;
  return {
    ratePerSecond,
    pods,
    partitions,
    brokers,
    brokerCoresNeeded: brokerCores,
    postgresCores,
    postgresShards,
    redisCores,
    redisShards,
    totalVcpu,
    usdPerMillion: ((totalVcpu * a.usdPerVcpuHour) / registrationsPerHour) * 1e6,
  };
}

/** The peak each cluster is sized for: its autoscaling bounds must reach this rate's plan. */
export const DESIGN_PEAK_PER_SECOND = { dev: 100, prod: 1000 } as const;

/** The input table of docs/capacity-model.md (generated; the test keeps the doc equal to it), costliest first. */
export function measuredCostTable(cost: MeasuredCost = MEASURED_COST): string {
  const rows: [string, number][] = [
    ['Postgres', cost.postgres],
    ['user', cost.services.user],
    ['notifier', cost.services.notifier],
    ['onboarder (per accepted request)', cost.services.onboarder],
    ['Kafka broker (one replica)', cost.kafka],
    ['cache-updater', cost.services['cache-updater']],
    ['Redis', cost.redis],
  ];
  return [
    '| component | CPU ms per registration |',
    '|---|---|',
    ...rows.sort((a, b) => b[1] - a[1]).map(([name, ms]) => `| ${name} | ${ms.toFixed(2)} |`),
    `| (mailpit, local only; an SMTP provider in the clusters) | ${cost.smtpCatcher.toFixed(2)} |`,
  ].join('\n');
}

/** The capacity table of docs/capacity-model.md (generated; the test keeps the doc equal to it). */
export function capacityTable(rates: readonly number[] = [1000, 10_000, 250_000]): string {
  const rows = rates.map((r) => {
    const p = capacityFor(r);
    const pods = SERVICES_ORDER.map((s) => p.pods[s]).join(' / ');
    return `| ${r.toLocaleString('en-US')} | ${pods} | ${p.partitions} | ${p.brokers} | ${p.postgresShards} × ${p.postgresCores} vCPU (× ${GKE_ASSUMPTIONS.postgresInstances} instances) | ${p.redisShards} × ${p.redisCores} vCPU | ${p.totalVcpu.toFixed(0)} | ${p.usdPerMillion.toFixed(2)} |`;
  });
  return [
    '| registrations/s | pods onboarder / user / notifier / cache-updater | partitions (hot topics) | Kafka brokers | Postgres primaries × size | Redis primaries × size | vCPU total | USD per million |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
