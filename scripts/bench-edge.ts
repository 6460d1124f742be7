#!/usr/bin/env tsx
/**
 * Purpose: measure what the local HTTPS edge costs: POST /api/v1/register throughput with the same concurrency
 *          (64 keep-alive connections by default) directly against the onboarder and through the edge (TLS + proxy),
 *          in paired rounds, printing both figures and the median ratio; exits 1 when the edge costs more than the goal.
 * Prerequisites: what `npm start` needs (JDK + Maven for Kafka, redis-server); starts its own throw-away stack
 *          (Kafka, Postgres, Redis, maildev), one onboarder with the rate limit lifted, and the edge; stops them all.
 * Usage: npm run bench:edge [-- --connections 64 --seconds 10 --rounds 3 --rate <req/s> --max-cost 0.10]
 *        BENCH_STACK_NAME (default bench) and BENCH_PORT_OFFSET (default 15000) keep it apart from other stacks.
 *        --rate fixes the offered load of both runs (autocannon overallRate); without it both run flat out.
 */
import { INFRA_PORTS, RUNTIME_ENV, SERVICES, localEdgeOrigin } from '@scalefu/contracts';
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { StackError, say } from './lib/console';
import { startEdgeComponent } from './lib/stack/edge';
import { serviceEnv, startService } from './lib/stack/services';
import { startStack, type Stack } from './lib/stack/stack';

const { values: flags } = parseArgs({
  options: {
    connections: { type: 'string', default: '64' },
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    rate: { type: 'string' },
    'max-cost': { type: 'string', default: '0.10' },
  },
});
const connections = Number(flags.connections);
const seconds = Number(flags.seconds);
const rounds = Number(flags.rounds);
const maxCost = Number(flags['max-cost']);
const offset = Number(process.env['BENCH_PORT_OFFSET'] ?? 15000);
const port = (spec: { port: number }) => spec.port + offset;

let sequence = Math.floor(Math.random() * 1e7);
/** A fresh valid registration per request (a repeated body would measure the 409 path, not registration). */
function nextBody(): string {
  sequence += 1;
  const subscriber = String(sequence % 100_000_000).padStart(8, '0');
  return JSON.stringify({
    name: 'Bench Panda',
    email: `bench-${process.pid}-${sequence}@example.co.th`,
    phoneNumber: `08${subscriber}`,
  });
}

interface Figures {
  readonly rps: number;
  /** CPU the onboarder and the edge spent per request in this run (µs), from /proc. */
  readonly cpuUs: { readonly onboarder: number; readonly edge: number };
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
}

/** User + system CPU seconds a process has used so far (Linux /proc; clock ticks of 1/100 s). */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const pids: { onboarder?: number; edge?: number } = {};

async function run(url: string, extra: Partial<autocannon.Options>): Promise<Figures> {
  const before = { onboarder: cpuSeconds(pids.onboarder), edge: cpuSeconds(pids.edge) };
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(flags.rate ? { overallRate: Number(flags.rate) } : {}),
    requests: [{ setupRequest: (request) => ({ ...request, body: nextBody() }) }],
    ...extra,
  });
  const perRequest = (seconds: number) => (result.requests.total ? (seconds * 1e6) / result.requests.total : 0);
  return {
    rps: result.requests.average,
    cpuUs: {
      onboarder: perRequest(cpuSeconds(pids.onboarder) - before.onboarder),
      edge: perRequest(cpuSeconds(pids.edge) - before.edge),
    },
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

const line = (label: string, f: Figures) =>
  `${label.padEnd(8)} ${f.rps.toFixed(0).padStart(7)} req/s   p50 ${f.p50} ms   p99 ${f.p99} ms   ` +
  `non-2xx ${f.non2xx}   errors ${f.errors}   CPU/request: onboarder ${f.cpuUs.onboarder.toFixed(0)} µs, ` +
  `edge ${f.cpuUs.edge.toFixed(0)} µs`;

let stack: Stack | undefined;
let exitCode = 0;
try {
  process.env[RUNTIME_ENV.logLevel] = 'warn';
  stack = await startStack({
    name: process.env['BENCH_STACK_NAME'] ?? 'bench',
    portOffset: offset,
    services: false,
    prometheus: false,
  });
  const ctx = { dirs: stack.dirs, supervisor: stack.supervisor };
  const onboarderPort = port(SERVICES.onboarder);
  const connectionsEnv = {
    kafka: stack.env[RUNTIME_ENV.kafkaBrokers]!,
    postgres: stack.env[RUNTIME_ENV.databaseUrl]!,
    redis: stack.env[RUNTIME_ENV.redisUrl]!,
    smtp: stack.env[RUNTIME_ENV.smtpUrl]!,
  };
  const onboarder = await startService(
    ctx,
    'onboarder',
    onboarderPort,
    serviceEnv('onboarder', onboarderPort, connectionsEnv, {
      [RUNTIME_ENV.nationalIdHmacKey]: stack.env[RUNTIME_ENV.nationalIdHmacKey]!,
      // The bench measures the path, not the public limit of 100/min per IP.
      [RUNTIME_ENV.rateLimitPerMinute]: '100000000',
    }),
  );
  stack.components.push(onboarder);
  pids.onboarder = onboarder.pids[0];
  const edge = await startEdgeComponent(ctx, {
    httpsPort: port(INFRA_PORTS.edgeHttps),
    httpPort: port(INFRA_PORTS.edgeHttp),
    upstreams: { onboarder: `http://127.0.0.1:${onboarderPort}` },
  });
  stack.components.push(edge);
  pids.edge = edge.pids[0];
  const ca = readFileSync(edge.tls.caCert, 'utf8');
  const apiHost = new URL(localEdgeOrigin('api', port(INFRA_PORTS.edgeHttps))).host;
  const direct = () => run(`http://127.0.0.1:${onboarderPort}/api/v1/register`, {});
  // autocannon dials the IP; Host and SNI carry the edge's API host name, the CA is the stack's own.
  const viaEdge = () =>
    run(`https://127.0.0.1:${port(INFRA_PORTS.edgeHttps)}/api/v1/register`, {
      headers: { 'content-type': 'application/json', host: apiHost },
      servername: apiHost.split(':')[0],
      tlsOptions: { ca },
    } as Partial<autocannon.Options>);

  say.step('bench', `warming up (${connections} connections)`);
  await run(`http://127.0.0.1:${onboarderPort}/api/v1/register`, { duration: 3 });
  const directRuns: Figures[] = [];
  const edgeRuns: Figures[] = [];
  for (let round = 1; round <= rounds; round++) {
    directRuns.push(await direct());
    console.log(line(`direct`, directRuns.at(-1)!));
    edgeRuns.push(await viaEdge());
    console.log(line(`edge`, edgeRuns.at(-1)!));
  }
  // Each round pairs a direct and an edge run seconds apart, and the median of the pairs' ratios is the figure: on
  // a shared machine the neighbours' load drifts by more than the edge costs, and pairing cancels most of the drift.
  const ratios = directRuns.map((d, i) => edgeRuns[i]!.rps / d.rps).sort((a, b) => a - b);
  const ratio = ratios[Math.floor(ratios.length / 2)]!;
  const median = (runs: Figures[]) => [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)]!;
  const [d, e] = [median(directRuns), median(edgeRuns)];
  const cost = 1 - ratio;
  console.log(
    `\nregister throughput, ${connections} keep-alive connections${flags.rate ? `, offered ${flags.rate} req/s` : ''}, ` +
      `median of ${rounds} rounds:\n${line('direct', d)}\n${line('edge', e)}\n` +
      `edge/direct per round: ${ratios.map((r) => r.toFixed(3)).join(', ')}; median ${ratio.toFixed(3)}: ` +
      `the edge costs ${(cost * 100).toFixed(1)} % (goal ≤ ${(maxCost * 100).toFixed(0)} %)`,
  );
  console.log(
    `CPU per request through the edge: the edge ${e.cpuUs.edge.toFixed(0)} µs vs the onboarder ` +
      `${e.cpuUs.onboarder.toFixed(0)} µs — on a machine with spare cores the edge adds that CPU, not a throughput loss`,
  );
  if (d.non2xx + e.non2xx + d.errors + e.errors > 0) {
    say.warn('bench', 'some requests did not get 2xx: the figures include failures');
  }
  if (cost > maxCost) {
    say.fail('bench', `the edge costs ${(cost * 100).toFixed(1)} %, more than ${(maxCost * 100).toFixed(0)} %`);
    exitCode = 1;
  }
} catch (error) {
  say.fail(error instanceof StackError ? error.component : 'bench', (error as Error).message);
  exitCode = 1;
} finally {
  await stack?.stop();
}
process.exit(exitCode);
