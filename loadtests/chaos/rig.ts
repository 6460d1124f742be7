/**
 * What a chaos scenario acts on: the four services (through the e2e Pipeline, so `npm test` and `npm run chaos`
 * start them the same way) and, when the runner owns the stack, its infrastructure components — SIGKILL or stop
 * one, start it again on the same data and ports.
 */
import { INFRA_PORTS, type ServiceName } from '@scalefu/contracts';
import { statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type pg from 'pg';
import { signalGroup } from '../../scripts/lib/managed-process';
import { startKafka } from '../../scripts/lib/stack/kafka';
import { startMailpit } from '../../scripts/lib/stack/mailpit';
import { startPostgres } from '../../scripts/lib/stack/postgres';
import { startRedis } from '../../scripts/lib/stack/redis';
import type { Stack } from '../../scripts/lib/stack/stack';
import type { RunningComponent, StartContext } from '../../scripts/lib/stack/types';
import type { Pipeline } from '../../test/e2e/pipeline';

export type InfraName = 'kafka' | 'redis' | 'postgres' | 'mailpit';

export interface InfraControl {
  /** SIGKILL the component's process group, or stop it gracefully; resolves once it is gone. */
  kill(name: InfraName, how: 'SIGKILL' | 'stop'): Promise<void>;
  /** Start it again on the same data folder and ports; resolves once it answers its protocol check. */
  start(name: InfraName): Promise<void>;
}

export interface ChaosRig {
  readonly onboarderUrl: string;
  readonly mailWebUrl: string;
  readonly redisUrl: string;
  readonly db: pg.Pool;
  readonly pipeline: Pipeline;
  /** Undefined when the stack belongs to someone else (the `npm test` runner): such scenarios cannot run. */
  readonly infra: InfraControl | undefined;
  /** Start a service, remembering where its log stood so `logSinceStart` shows only this run. */
  startService(name: ServiceName, extraEnv?: Record<string, string>): Promise<void>;
  logSinceStart(name: ServiceName): Promise<string>;
  /** Signal a running service's process group (SIGSTOP / SIGCONT to pause and resume it). */
  signalService(name: ServiceName, signal: NodeJS.Signals): void;
}

export function pipelineRig(options: {
  readonly pipeline: Pipeline;
  readonly onboarderUrl: string;
  readonly mailWebUrl: string;
  readonly redisUrl: string;
  readonly db: pg.Pool;
  readonly infra?: InfraControl;
}): ChaosRig {
  const logStart = new Map<ServiceName, { file: string; size: number }>();
  return {
    ...options,
    infra: options.infra,
    async startService(name, extraEnv = {}) {
      await options.pipeline.start(name, extraEnv);
      const file = options.pipeline.logFile(name);
      // The service has logged its start already; what matters is what comes after this moment.
      logStart.set(name, { file, size: statSync(file).size });
    },
    async logSinceStart(name) {
      const at = logStart.get(name);
      if (!at) return '';
      const handle = await open(at.file, 'r');
      try {
        const { size } = await handle.stat();
        const buffer = Buffer.alloc(Math.max(0, size - at.size));
        await handle.read(buffer, 0, buffer.length, at.size);
        return buffer.toString('utf8');
      } finally {
        await handle.close();
      }
    },
    signalService(name, signal) {
      const component = options.pipeline.component(name);
      if (!component) throw new Error(`${name} is not running`);
      for (const pid of component.pids) signalGroup(pid, signal);
    },
  };
}

/** Infrastructure control over a stack this process started (`npm run chaos`). */
export function stackInfra(stack: Stack, portOffset: number): InfraControl {
  const ctx: StartContext = { dirs: stack.dirs, supervisor: stack.supervisor };
  const port = (spec: { port: number }) => spec.port + portOffset;
  const find = (name: InfraName): RunningComponent => {
    const component = stack.components.find((c) => c.name === name);
    if (!component) throw new Error(`${name} is not part of this stack`);
    return component;
  };
  const starters: Record<InfraName, () => Promise<RunningComponent>> = {
    kafka: () => startKafka(ctx, { port: port(INFRA_PORTS.kafka), controllerPort: port(INFRA_PORTS.kafkaController) }),
    redis: () => startRedis(ctx, port(INFRA_PORTS.redis)),
    postgres: () => startPostgres(ctx, port(INFRA_PORTS.postgres)),
    mailpit: () => startMailpit(ctx, { smtp: port(INFRA_PORTS.smtp), web: port(INFRA_PORTS.mailWeb) }),
  };
  return {
    async kill(name, how) {
      const component = find(name);
      if (how === 'stop') await component.stop();
      else for (const pid of component.pids) signalGroup(pid, 'SIGKILL');
      while (component.isAlive()) await new Promise((resolve) => setTimeout(resolve, 50));
      stack.components.splice(stack.components.indexOf(component), 1);
    },
    async start(name) {
      stack.components.push(await starters[name]());
      await stack.writeState();
    },
  };
}
