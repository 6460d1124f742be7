#!/usr/bin/env tsx
/**
 * Purpose: measure what the local HTTPS edge costs: POST /api/v1/register throughput with the same concurrency
 *          (64 keep-alive connections by default) directly against the onboarder (plain HTTP) and through the edge
 *          (TLS + proxy), in paired rounds, printing both figures and the median ratio; exits 1 when the edge costs
 *          more than the goal. The load generator is vegeta (Go): a Node generator's own TLS cost on a 2-core box
 *          would be charged to the edge.
 * Prerequisites: what `npm start` needs (JDK + Maven for Kafka, redis-server, nginx from apt) and a Go toolchain the
 *          first time (vegeta is built from the Go module proxy and cached); starts its own throw-away stack (Kafka,
 *          Postgres, Redis, mailpit), one onboarder with the rate limit lifted, and the edge; stops them all.
 * Usage: npm run bench:edge [-- --connections 64 --seconds 10 --rounds 5 --rate <req/s> --max-cost 0.10]
 *          [--engine nginx|node]   which edge to measure (default: the one `npm start` runs, nginx; ADR 0140)
 *          [--gate throughput|cpu] what the exit code judges: the median edge/direct req/s ratio (default), or the
 *                                  whole path's CPU per request (steadier on a machine shared with other work)
 *        BENCH_STACK_NAME (default bench) and BENCH_PORT_OFFSET (default 15000) keep it apart from other stacks.
 *        --rate fixes the offered load of both runs; without it both run flat out (closed model).
 */
import { INFRA_PORTS, RUNTIME_ENV, SERVICES, localEdgeOrigin } from '@scalefu/contracts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { StackError, say } from './lib/console';
import { EDGE_ENGINES, startEdgeComponent, type EdgeEngine } from './lib/stack/edge';
import { serviceEnv, startService } from './lib/stack/services';
import { startStack, type Stack } from './lib/stack/stack';
import { attack, type AttackFigures, type AttackTarget } from './lib/vegeta-attack';

const { values: flags } = parseArgs({
  options: {
    connections: { type: 'string', default: '64' },
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '5' },
    rate: { type: 'string' },
    'max-cost': { type: 'string', default: '0.10' },
    engine: { type: 'string', default: process.env['EDGE_ENGINE'] ?? 'nginx' },
    gate: { type: 'string', default: 'throughput' },
  },
});
const connections = Number(flags.connections);
const seconds = Number(flags.seconds);
const rounds = Number(flags.rounds);
const rate = flags.rate ? Number(flags.rate) : undefined;
const maxCost = Number(flags['max-cost']);
const gate = flags.gate;
if (gate !== 'throughput' && gate !== 'cpu') {
  console.error('--gate must be throughput or cpu');
  process.exit(2);
}
const engine = flags.engine as EdgeEngine;
if (!EDGE_ENGINES.includes(engine)) {
  console.error(`--engine must be one of ${EDGE_ENGINES.join(', ')}`);
  process.exit(2);
}
const offset = Number(process.env['BENCH_PORT_OFFSET'] ?? 15000);
const port = (spec: { port: number }) => spec.port + offset;
/** Far more targets than one run can send (the onboarder does < 10k/s here), so none repeats within a run. */
const TARGETS_PER_RUN = Math.max(rate ?? 0, 20_000) * seconds;

let sequence = Math.floor(Math.random() * 1e7);
/** Fresh valid registrations (a repeated body would measure the 409 path, not registration). */
function* registrations(url: string, headers: Record<string, string>, count: number): Generator<AttackTarget> {
  for (let i = 0; i < count; i++) {
    sequence += 1;
    const subscriber = String(sequence % 100_000_000).padStart(8, '0');
    const body = JSON.stringify({
      name: 'Bench Panda',
      email: `bench-${process.pid}-${sequence}@example.co.th`,
      phoneNumber: `08${subscriber}`,
    });
    yield { method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, body };
  }
}

interface Figures extends AttackFigures {
  /**
   * CPU per request in this run (µs), from /proc: the onboarder, the edge, and the whole path (onboarder, its Redis,
   * Kafka and the rest of the stack, the edge, and vegeta itself).
   */
  readonly cpuUs: { readonly onboarder: number; readonly edge: number; readonly path: number };
}

/**
 * User + system CPU seconds a process and its live descendants have used so far (Linux /proc; ticks of 1/100 s):
 * nginx's work happens in its worker processes, not in the master the supervisor started.
 */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean);
    return (Number(fields[11]) + Number(fields[12])) / 100 + children.reduce((t, c) => t + cpuSeconds(Number(c)), 0);
  } catch {
    return 0; // exited between the listing and the read
  }
}

const pids: { onboarder?: number; edge?: number; stack: number[] } = { stack: [] };

/** CPU of this process's reaped children (vegeta), which the kernel adds to our cutime/cstime when they exit. */
function childrenCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function pathCpuSeconds(): number {
  return pids.stack.reduce((t, pid) => t + cpuSeconds(pid), 0) + childrenCpuSeconds();
}

async function run(
  targetsFile: string,
  url: string,
  extra: { headers?: Record<string, string>; rootCerts?: string[]; connectTo?: Record<string, string> } = {},
  runSeconds = seconds,
): Promise<Figures> {
  const targets = registrations(url, extra.headers ?? {}, TARGETS_PER_RUN);
  const before = { onboarder: cpuSeconds(pids.onboarder), edge: cpuSeconds(pids.edge), path: pathCpuSeconds() };
  const result = await attack({
    targetsFile,
    targets,
    connections,
    seconds: runSeconds,
    ...(rate ? { rate } : {}),
    ...(extra.rootCerts ? { rootCerts: extra.rootCerts } : {}),
    ...(extra.connectTo ? { connectTo: extra.connectTo } : {}),
  });
  const perRequest = (cpu: number) => (result.requests ? (cpu * 1e6) / result.requests : 0);
  return {
    ...result,
    cpuUs: {
      onboarder: perRequest(cpuSeconds(pids.onboarder) - before.onboarder),
      edge: perRequest(cpuSeconds(pids.edge) - before.edge),
      path: perRequest(pathCpuSeconds() - before.path),
    },
  };
}

const failures = (f: Figures) =>
  Object.entries(f.statusCodes)
    .filter(([code]) => !code.startsWith('2'))
    .reduce((sum, [, n]) => sum + n, 0);
/** `non-2xx 12 (503: 10, 0: 2)`: which statuses, since a failing request is cheaper than a registration. */
const failureText = (f: Figures) => {
  const codes = Object.entries(f.statusCodes).filter(([code]) => !code.startsWith('2'));
  return `non-2xx ${failures(f)}${codes.length ? ` (${codes.map(([c, n]) => `${c}: ${n}`).join(', ')})` : ''}`;
};

const line = (label: string, f: Figures) =>
  `${label.padEnd(8)} ${f.throughput.toFixed(0).padStart(7)} req/s   p50 ${f.p50Ms.toFixed(1)} ms   ` +
  `p99 ${f.p99Ms.toFixed(1)} ms   ${failureText(f)}   CPU/request: onboarder ${f.cpuUs.onboarder.toFixed(0)} µs, ` +
  `edge ${f.cpuUs.edge.toFixed(0)} µs, whole path ${f.cpuUs.path.toFixed(0)} µs`;

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
    engine,
  });
  stack.components.push(edge);
  pids.edge = edge.pids[0];
  pids.stack = stack.components.flatMap((c) => c.pids);
  const apiHost = new URL(localEdgeOrigin('api', port(INFRA_PORTS.edgeHttps))).host;
  const targetsFile = path.join(stack.dirs.run, 'bench-edge-targets.jsonl');
  const direct = (runSeconds = seconds) =>
    run(targetsFile, `http://127.0.0.1:${onboarderPort}/api/v1/register`, {}, runSeconds);
  // vegeta dials loopback for the edge's API host name (the system resolver does not know *.localhost), so SNI, Host
  // and the certificate check are what a browser does; the CA is the stack's own.
  const viaEdge = () =>
    run(targetsFile, `https://${apiHost}/api/v1/register`, {
      rootCerts: [edge.tls.caCert],
      connectTo: { [apiHost]: `127.0.0.1:${port(INFRA_PORTS.edgeHttps)}` },
    });

  say.step('bench', `warming up (${connections} connections)`);
  await direct(3);
  const directRuns: Figures[] = [];
  const edgeRuns: Figures[] = [];
  for (let round = 1; round <= rounds; round++) {
    // Alternate which side goes first, so a drift in the neighbours' load does not always favour one side.
    const order = round % 2 === 1 ? (['direct', 'edge'] as const) : (['edge', 'direct'] as const);
    for (const side of order) {
      const figures = side === 'direct' ? await direct() : await viaEdge();
      (side === 'direct' ? directRuns : edgeRuns).push(figures);
      console.log(line(side, figures));
    }
  }
  // Each round pairs a direct and an edge run seconds apart, and the median of the pairs' ratios is the figure: on
  // a shared machine the neighbours' load drifts by more than the edge costs, and pairing cancels most of the drift.
  const ratios = directRuns.map((d, i) => edgeRuns[i]!.throughput / d.throughput).sort((a, b) => a - b);
  const ratio = ratios[Math.floor(ratios.length / 2)]!;
  const median = (runs: Figures[]) =>
    [...runs].sort((a, b) => a.throughput - b.throughput)[Math.floor(runs.length / 2)]!;
  const [d, e] = [median(directRuns), median(edgeRuns)];
  const throughputCost = 1 - ratio;
  console.log(
    `\nregister throughput (${engine} edge), ${connections} keep-alive connections${rate ? `, offered ${rate} req/s` : ''}, ` +
      `median of ${rounds} rounds:\n${line('direct', d)}\n${line('edge', e)}\n` +
      `edge/direct per round: ${ratios.map((r) => r.toFixed(3)).join(', ')}; median ${ratio.toFixed(3)}: ` +
      `the edge costs ${(throughputCost * 100).toFixed(1)} % (goal ≤ ${(maxCost * 100).toFixed(0)} %)`,
  );
  // Throughput on a shared machine moves with the neighbours' load; CPU per request much less. Where the path is
  // CPU-bound (as here: no spare core), the throughput the edge costs is the share of the path's CPU it adds.
  const medianOf = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const pathDirect = medianOf(directRuns.map((f) => f.cpuUs.path));
  const pathEdge = medianOf(edgeRuns.map((f) => f.cpuUs.path));
  const cpuCost = 1 - pathDirect / pathEdge;
  console.log(
    `CPU per request, whole path (medians): direct ${pathDirect.toFixed(0)} µs, through the edge ` +
      `${pathEdge.toFixed(0)} µs: on CPU-bound cores the edge costs ${(cpuCost * 100).toFixed(1)} %`,
  );
  const cost = gate === 'cpu' ? cpuCost : throughputCost;
  if ([...directRuns, ...edgeRuns].some((f) => failures(f) > 0 || f.errors.length > 0)) {
    const errors = [...new Set([...directRuns, ...edgeRuns].flatMap((f) => f.errors))].slice(0, 3);
    say.warn('bench', `some requests did not get 2xx: the figures include failures ${errors.join('; ')}`);
  }
  if (cost > maxCost) {
    say.fail(
      'bench',
      `the edge costs ${(cost * 100).toFixed(1)} % (${gate}), more than ${(maxCost * 100).toFixed(0)} %`,
    );
    exitCode = 1;
  }
} catch (error) {
  say.fail(error instanceof StackError ? error.component : 'bench', (error as Error).message);
  exitCode = 1;
} finally {
  await stack?.stop();
}
process.exit(exitCode);
