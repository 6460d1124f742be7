/**
 * The chaos scenarios, as data: the fault each injects under steady load, how it recovers, and the repeated mails
 * ADR 0050 allows for it. `run.ts` puts each between warm-up load and the invariant check.
 */
import { RUNTIME_ENV, type ServiceName } from '@scalefu/contracts';
import { Redis } from 'ioredis';
import { failpointFiredLine } from '@scalefu/service-kit';
import { DlqTool } from '../../scripts/lib/dlq';
import type { ChaosRig } from './rig';
import type { SteadyLoad } from './sender';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The user service's failpoint after its transaction commit, before the handler returns and the offset commits. */
export const USER_COMMIT_FAILPOINT = 'user.after-db-commit';
/** Its hit that fires: well inside the warm-up, so load keeps arriving while the service is gone. */
const FAILPOINT_HIT = 120;

export interface Scenario {
  readonly name: string;
  /** One line: the fault and the recovery. */
  readonly what: string;
  /** True when the scenario stops or kills infrastructure, which only a stack the runner owns allows. */
  readonly needsInfra: boolean;
  /** Repeated mail deliveries ADR 0050 allows (same Message-ID, at most the notifier's sends in flight). @default 0 */
  readonly repeatedMailBound?: number;
  /** Extra env per service for this scenario's start. */
  readonly serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Inject the fault and recover; resolves when the recovery step is done. Returns notes for the report. */
  fault(rig: ChaosRig, load: SteadyLoad): Promise<string>;
}

/** The notifier sends for up to this many partitions at once (the kit's default): ADR 0050's repeat bound. */
const NOTIFIER_SENDS_IN_FLIGHT = 3;

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'user-kill-after-commit',
    what: `SIGKILL of the user service between its DB commit and its offset commit (failpoint ${USER_COMMIT_FAILPOINT}), then restart`,
    needsInfra: false,
    serviceEnv: { user: { [RUNTIME_ENV.failpoints]: `${USER_COMMIT_FAILPOINT}=kill@${FAILPOINT_HIT}` } },
    async fault(rig) {
      const deadline = Date.now() + 60_000;
      while (rig.pipeline.component('user')?.isAlive() && Date.now() < deadline) await sleep(50);
      if (rig.pipeline.component('user')?.isAlive()) throw new Error('the failpoint never fired within 60 s');
      const log = await rig.logSinceStart('user');
      const line = failpointFiredLine(USER_COMMIT_FAILPOINT, FAILPOINT_HIT);
      if (!log.includes(line))
        throw new Error(`the user service died, but not at the failpoint: no "${line}" in its log`);
      await rig.startService('user', { [RUNTIME_ENV.failpoints]: '' });
      return `killed at "${line}", restarted`;
    },
  },
  {
    name: 'kafka-kill',
    what: 'SIGKILL of the Kafka broker, restart 3 s later on the same log',
    needsInfra: true,
    repeatedMailBound: NOTIFIER_SENDS_IN_FLIGHT,
    async fault(rig) {
      await rig.infra!.kill('kafka', 'SIGKILL');
      await sleep(3000);
      const started = Date.now();
      await rig.infra!.start('kafka');
      return `broker back after ${((Date.now() - started) / 1000).toFixed(1)} s`;
    },
  },
  {
    name: 'redis-kill',
    what: 'SIGKILL of Redis, restart 5 s later (append-only file kept)',
    needsInfra: true,
    repeatedMailBound: NOTIFIER_SENDS_IN_FLIGHT,
    async fault(rig) {
      await rig.infra!.kill('redis', 'SIGKILL');
      await sleep(5000);
      await rig.infra!.start('redis');
      return 'redis restarted';
    },
  },
  {
    name: 'redis-flushall',
    what: 'FLUSHALL on Redis: reservations, caches, rate-limit counters and mail markers gone at once',
    needsInfra: false,
    repeatedMailBound: NOTIFIER_SENDS_IN_FLIGHT,
    async fault(rig) {
      const client = new Redis(rig.redisUrl);
      try {
        await client.flushall();
      } finally {
        client.disconnect();
      }
      return 'flushed';
    },
  },
  {
    name: 'postgres-restart',
    what: 'Postgres stopped (fast shutdown) and started again',
    needsInfra: true,
    async fault(rig) {
      await rig.infra!.kill('postgres', 'stop');
      await rig.infra!.start('postgres');
      return 'postgres restarted';
    },
  },
  {
    name: 'smtp-down',
    what: 'the SMTP server (mailpit) down for 30 s, then back',
    needsInfra: true,
    repeatedMailBound: NOTIFIER_SENDS_IN_FLIGHT,
    async fault(rig) {
      await rig.infra!.kill('mailpit', 'stop');
      await sleep(30_000);
      await rig.infra!.start('mailpit');
      // The notifier gives a send ~15 s (3 tries, 2 retry-topic rounds of 5 s) before its DLQ; what landed there
      // during the outage comes back by the runbook's replay (runbooks/dlq.md), once the last rounds are through.
      await sleep(20_000);
      const tool = new DlqTool({ brokers: process.env[RUNTIME_ENV.kafkaBrokers]! });
      let replayed = 0;
      for (const dlq of await tool.list()) if (dlq.pending > 0) replayed += (await tool.replay(dlq.topic)).length;
      return `SMTP back after 30 s; ${replayed} events replayed from the DLQs (runbooks/dlq.md)`;
    },
  },
  {
    name: 'consumer-paused',
    what: 'the user service paused (SIGSTOP) for 20 s while load continues, then resumed (SIGCONT)',
    needsInfra: false,
    async fault(rig, load) {
      const before = load.ackedCount;
      rig.signalService('user', 'SIGSTOP');
      await sleep(20_000);
      const lag = load.ackedCount - before;
      rig.signalService('user', 'SIGCONT');
      return `${lag} registrations queued while paused`;
    },
  },
];

export function scenarioNamed(name: string): Scenario {
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (!scenario) throw new Error(`no scenario ${name}; one of ${SCENARIOS.map((s) => s.name).join(', ')}`);
  return scenario;
}
