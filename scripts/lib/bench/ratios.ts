import { METRICS, RUNTIME_ENV, SERVICES } from '@scalefu/contracts';
import autocannon from 'autocannon';
import path from 'node:path';
import pg from 'pg';
import { say } from '../console';
import { pinnedNode } from '../node-runtime';
import { REPO_ROOT } from '../paths';
import { waitUntil } from '../ports';
import type { Stack } from '../stack/stack';
import { kafkaConsumerPerfTest } from './consumer-perf';
import type { BenchFigures } from './goals';
import { registrationBody, registrationEmail } from './registrations';

export interface RatioOptions {
  readonly stack: Stack;
  readonly offset: number;
  readonly run: string;
  readonly onboarderUrl: string;
  /** Length of each flat-out run. */
  readonly seconds: number;
  /** The topic the user service consumes, for kafka-consumer-perf-test. */
  readonly topic: string;
}

/** Connections of the flat-out (closed-model) runs: enough to saturate one Node process. */
const CONNECTIONS = 64;

async function flatOut(url: string, seconds: number, body: () => string): Promise<number> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (request) => ({ ...request, body: body() }) }],
  });
  // Only answers of the kind measured count: a 409 or 503 would flatter the figure.
  return result['2xx'] / seconds;
}

/** Sum and count of the onboarder's produce batch-size histogram (records per produce call). */
async function produceBatches(metricsUrl: string): Promise<{ sum: number; count: number }> {
  const text = await (await fetch(metricsUrl)).text();
  const name = METRICS.kafkaProduceBatchSize.name;
  const read = (suffix: string) =>
    Number(new RegExp(`^${name}_${suffix}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { sum: read('sum'), count: read('count') };
}

/**
 * The three ratios of issue 13, measured after the main run on the same stack: register rps ÷ a fastify no-op's rps
 * (flat out, same schema, same box), records per produce request while the onboarder is saturated, and the user
 * service's consumption rate of the backlog that saturation left ÷ Kafka's own consumer on the same topic.
 */
export async function measureRatios(options: RatioOptions): Promise<BenchFigures['ratios']> {
  const { stack, offset, run } = options;
  const noopPort = SERVICES.onboarder.port + offset + 90;
  const noop = stack.supervisor.spawn({
    name: 'noop-fastify',
    command: pinnedNode(),
    args: ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', 'lib', 'bench', 'noop-server.ts')],
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(noopPort) },
    logFile: path.join(stack.dirs.logs, 'noop-fastify.log'),
  });
  const noopUrl = `http://127.0.0.1:${noopPort}`;
  let noopRps: number;
  try {
    await waitUntil('noop-fastify', 'GET /healthz', () => fetch(`${noopUrl}/healthz`), {
      timeoutMs: 30_000,
      alive: () => noop.isAlive(),
    });
    const fixed = registrationBody(run, 'idle', 0);
    say.step('bench', `fastify no-op POST flat out, ${options.seconds} s`);
    noopRps = await flatOut(`${noopUrl}/api/v1/register`, options.seconds, () => fixed);
  } finally {
    await noop.stop();
  }

  const metricsUrl = `${new URL(options.onboarderUrl).origin}/metrics`;
  const batchesBefore = await produceBatches(metricsUrl);
  let i = 0;
  say.step('bench', `register flat out, ${options.seconds} s`);
  const registerRps = await flatOut(options.onboarderUrl, options.seconds, () =>
    registrationBody(run, 'saturation', i++),
  );
  const batchesAfter = await produceBatches(metricsUrl);
  const recordsPerProduceRequest = (batchesAfter.sum - batchesBefore.sum) / (batchesAfter.count - batchesBefore.count);

  // The saturation left a backlog on the command topic: the rate the user service stored it at is its throughput.
  const pool = new pg.Pool({ connectionString: stack.env[RUNTIME_ENV.databaseUrl]!, max: 1 });
  let consumerRps: number;
  let topicRecords: number;
  try {
    const pattern = registrationEmail(run, 'saturation', 0).replace(/-0@/, '-%@');
    let last = -1;
    for (;;) {
      const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM users WHERE email LIKE $1', [
        pattern,
      ]);
      const n = Number(rows[0]!.n);
      if (n === last) break;
      last = n;
      await new Promise((r) => setTimeout(r, 5000));
    }
    const { rows } = await pool.query<{ n: string; span_ms: string }>(
      `SELECT count(*) AS n, extract(epoch FROM max(created_at) - min(created_at)) * 1000 AS span_ms
         FROM users WHERE email LIKE $1`,
      [pattern],
    );
    consumerRps = (Number(rows[0]!.n) * 1000) / Math.max(1, Number(rows[0]!.span_ms));
    topicRecords = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM users')).rows[0]!.n);
  } finally {
    await pool.end();
  }
  say.step('bench', `kafka-consumer-perf-test on ${options.topic} (${topicRecords} records)`);
  const perfTestRps = await kafkaConsumerPerfTest(
    stack.env[RUNTIME_ENV.kafkaBrokers]!,
    options.topic,
    topicRecords,
  ).catch((error: Error) => {
    say.warn('bench', error.message);
    return Number.NaN;
  });
  return {
    registerRps,
    noopRps,
    registerOverNoop: registerRps / noopRps,
    recordsPerProduceRequest,
    consumerRps,
    perfTestRps,
    consumerOverPerfTest: consumerRps / perfTestRps,
  };
}
