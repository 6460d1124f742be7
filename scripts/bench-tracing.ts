#!/usr/bin/env tsx
/**
 * Purpose: measure what tracing costs the register path. Starts a throw-away stack (Kafka, Postgres, Redis, mailpit,
 *          Zipkin) and the onboarder twice per round — tracing off (OTEL_SDK_DISABLED=true) and on (sampling 10 %,
 *          the clusters' ratio, exporting to Zipkin) — drives POST /api/v1/register with autocannon at the same
 *          offered rate and concurrency (unique people, rate limit lifted), prints both throughputs and their ratio,
 *          and exits 1 when tracing costs more than 10 %. Only the onboarder runs (the register path: validation,
 *          Redis reservation, Kafka produce): downstream consumers would compete for the same cores in both modes and
 *          only add noise. Each measure is the best of --rounds, alternating off/on, after a 3 s warm-up.
 * Prerequisites: those of `npm start` (JDK 17+, Maven). Load goes to 127.0.0.1 only.
 * Usage: npm run bench:tracing
 *        npm run bench:tracing -- --port-offset 40000 --duration 20 --connections 32 --rate 3000 --rounds 2
 */
import { RUNTIME_ENV, SERVICES, TRACE_SAMPLING, type Dependency } from '@scalefu/contracts';
import autocannon from 'autocannon';
import { parseArgs } from 'node:util';
import { StackError, say } from './lib/console';
import { serviceEnv, startService, zipkinTracingEnv } from './lib/stack/services';
import { stopStackOnSignals } from './lib/stack/stop-on-signals';
import { startStack, type Stack } from './lib/stack/stack';
import type { RunningComponent } from './lib/stack/types';

/** The budget: tracing may cost at most this share of the register throughput. */
const MAX_COST = 0.1;

const { values: flags } = parseArgs({
  options: {
    'port-offset': { type: 'string', default: '30000' },
    duration: { type: 'string', default: '15' },
    connections: { type: 'string', default: '32' },
    rate: { type: 'string', default: '3000' },
    rounds: { type: 'string', default: '2' },
  },
});
const number = (name: keyof typeof flags) => {
  const value = Number(flags[name]);
  if (!Number.isFinite(value) || value <= 0) {
    say.fail('bench', `--${name} must be a positive number, got "${flags[name]}"`);
    process.exit(2);
  }
  return value;
};
const portOffset = number('port-offset');
const duration = number('duration');
const connections = number('connections');
const rate = number('rate');
const rounds = number('rounds');

interface Measure {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
}

/** A unique, valid Thai registration per request, so every one is a real 201 (no duplicate short-cut). */
let counter = 0;
function nextBody(): string {
  counter++;
  const tag = `${process.pid.toString(36)}${counter.toString(36)}`;
  const phone = `081${String((counter * 7919 + process.pid) % 10_000_000).padStart(7, '0')}`;
  return JSON.stringify({ name: 'Bench Ping', email: `bench.${tag}@example.co.th`, phoneNumber: phone });
}

function load(url: string, seconds: number): Promise<Measure> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        overallRate: rate,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            path: '/api/v1/register',
            headers: { 'content-type': 'application/json' },
            setupRequest: (request) => ({ ...request, body: nextBody() }),
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          rps: result.requests.average,
          p50: result.latency.p50,
          p99: result.latency.p99,
          non2xx: result.non2xx,
        });
      },
    );
  });
}

let stack: Stack | undefined;
stopStackOnSignals('bench', () => stack);

try {
  stack = await startStack({
    name: 'bench-tracing',
    portOffset,
    fresh: true,
    services: false,
    prometheus: false,
    onCreated: (s) => (stack = s),
  });
  const env = stack.env;
  const connectionsEnv = {
    kafka: env[RUNTIME_ENV.kafkaBrokers]!,
    postgres: env[RUNTIME_ENV.databaseUrl]!,
    redis: env[RUNTIME_ENV.redisUrl]!,
    smtp: env[RUNTIME_ENV.smtpUrl]!,
  } satisfies Record<Dependency, string>;
  const port = SERVICES.onboarder.port + portOffset;
  const common = {
    [RUNTIME_ENV.nationalIdHmacKey]: env[RUNTIME_ENV.nationalIdHmacKey]!,
    [RUNTIME_ENV.rateLimitPerMinute]: '100000000',
    [RUNTIME_ENV.logLevel]: 'warn',
  };
  const modes = {
    off: { [RUNTIME_ENV.otelSdkDisabled]: 'true' },
    on: {
      ...zipkinTracingEnv(`${env['ZIPKIN_URL']}/api/v2/spans`),
      [RUNTIME_ENV.otelTracesSamplerArg]: String(TRACE_SAMPLING.clusterRatio),
    },
  } as const;

  const best: Record<keyof typeof modes, Measure | undefined> = { off: undefined, on: undefined };
  for (let round = 1; round <= rounds; round++) {
    for (const mode of ['off', 'on'] as const) {
      const ctx = { dirs: stack.dirs, supervisor: stack.supervisor };
      const onboarder: RunningComponent = await startService(
        ctx,
        'onboarder',
        port,
        serviceEnv('onboarder', port, connectionsEnv, { ...common, ...modes[mode] }),
      );
      try {
        const url = `http://127.0.0.1:${port}`;
        await load(url, 3); // warm-up: JIT, connection pools, Kafka metadata
        const measure = await load(url, duration);
        say.step(
          'bench',
          `round ${round} tracing ${mode.padEnd(3)}: ${measure.rps.toFixed(0)} req/s, p50 ${measure.p50} ms, ` +
            `p99 ${measure.p99} ms, non-2xx ${measure.non2xx}`,
        );
        if (measure.non2xx > 0) throw new StackError('bench', `${measure.non2xx} registrations were not accepted`);
        if (!best[mode] || measure.rps > best[mode].rps) best[mode] = measure;
      } finally {
        await onboarder.stop();
      }
    }
  }
  const off = best.off!;
  const on = best.on!;
  const ratio = on.rps / off.rps;
  console.log(
    `\nregister throughput, ${connections} connections, offered ${rate} req/s, ${duration} s, best of ${rounds}:\n` +
      `  tracing off                 ${off.rps.toFixed(0)} req/s (p50 ${off.p50} ms, p99 ${off.p99} ms)\n` +
      `  tracing on (${(TRACE_SAMPLING.clusterRatio * 100).toFixed(0)} % sampled)  ${on.rps.toFixed(0)} req/s (p50 ${on.p50} ms, p99 ${on.p99} ms)\n` +
      `  on/off ratio                ${ratio.toFixed(3)} (tracing costs ${((1 - ratio) * 100).toFixed(1)} %, budget ${MAX_COST * 100} %)\n`,
  );
  await stack.stop();
  if (ratio < 1 - MAX_COST) {
    say.fail(
      'bench',
      `tracing costs ${((1 - ratio) * 100).toFixed(1)} % of the register throughput (> ${MAX_COST * 100} %)`,
    );
    process.exit(1);
  }
  say.step('bench', `tracing within the ${MAX_COST * 100} % budget`);
} catch (error) {
  await stack?.stop();
  say.fail(error instanceof StackError ? error.component : 'bench', (error as Error).message);
  process.exit(1);
}
