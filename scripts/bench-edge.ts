#!/usr/bin/env tsx
/**
 * Purpose: measure what the local HTTPS edge costs: POST /api/v1/register throughput with the same concurrency
 *          (64 concurrent keep-alive requests by default) directly against the onboarder (plain HTTP) and through the edge
 *          (TLS + proxy), in paired rounds, printing both figures and the median ratio; exits 1 when the edge costs
 *          more than the goal. The load generator is vegeta (Go): a Node generator's own TLS cost on a 2-core box
 *          would be charged to the edge.
 * Prerequisites: what `npm start` needs (JDK + Maven for Kafka, redis-server, nginx from apt) and a Go toolchain the
 *          first time (vegeta is built from the Go module proxy and cached); starts its own throw-away stack (Kafka,
 *          Postgres, Redis, mailpit), one onboarder with the rate limit lifted, and the edge; stops them all.
 * Usage: npm run bench:edge [-- --connections 64 --seconds 10 --rounds 5 --rate <req/s> --max-cost 0.10]
 *          [--engine nginx|node]   which edge to measure (default: the one `npm start` runs, nginx; ADR 0140)
 *          [--protocols http2,http1] how the generator talks to the edge, each measured in every round: HTTP/2 over
 *                                  TLS (what browsers and client libraries negotiate) and/or HTTP/1.1 keep-alive,
 *                                  one connection per worker; the first one listed is the one the gate judges
 *          [--gate throughput|cpu|server-cpu|service-cpu] what the exit code judges: the median edge/direct req/s ratio
 *                                  (default), the whole path's CPU per request (steadier on a machine shared with
 *                                  other work), that CPU without the generator's (clients have their own CPUs), or
 *                                  the onboarder's own CPU per request
 *          [--isolate backend|onboarder|off] backend (default): every round runs isolated — the system under test (the
 *                                  onboarder and the stores it calls) on one core, the generator and the edge on the
 *                                  other(s), as production gives the load balancer and the clients CPUs of their own
 *                                  (ADR 0143) — and shared; onboarder: the onboarder alone on one core, everything else
 *                                  on the other(s) (ADR 0142); the gate judges the isolated figures, both are printed
 *        BENCH_STACK_NAME (default bench; never local or test: the stack starts fresh) and BENCH_PORT_OFFSET (default
 *        15000) keep it apart from other stacks.
 *        --rate fixes the offered load of both runs; without it both run flat out (closed model).
 */
import { INFRA_PORTS, RUNTIME_ENV, SERVICES, localEdgeOrigin } from '@scalefu/contracts';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { StackError, say } from './lib/console';
import { EDGE_ENGINES, startEdgeComponent, type EdgeEngine } from './lib/stack/edge';
import { serviceEnv, startService } from './lib/stack/services';
import { benchStackName } from './lib/bench/stack-name';
import { stopStackOnSignals } from './lib/stack/stop-on-signals';
import { startStack, type Stack } from './lib/stack/stack';
import {
  affinityOf,
  allowedCores,
  assignCores,
  busyShare,
  isSaturated,
  pinProcesses,
  readCoreTimes,
  withDescendants,
  type CoreAssignment,
} from './lib/bench/cpu-isolation';
import { TICKS_PER_SECOND, readProcStat } from './lib/proc-stat';
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
    protocols: { type: 'string', default: 'http2,http1' },
    isolate: { type: 'string', default: 'backend' },
  },
});
const connections = Number(flags.connections);
const seconds = Number(flags.seconds);
const rounds = Number(flags.rounds);
const rate = flags.rate ? Number(flags.rate) : undefined;
const maxCost = Number(flags['max-cost']);
const GATES = ['throughput', 'cpu', 'server-cpu', 'service-cpu'] as const;
type Gate = (typeof GATES)[number];
const gate = flags.gate as Gate;
if (!GATES.includes(gate)) {
  console.error(`--gate must be one of ${GATES.join(', ')}`);
  process.exit(2);
}
const PROTOCOLS = ['http1', 'http2'] as const;
type Protocol = (typeof PROTOCOLS)[number];
const protocols = flags.protocols.split(',').map((p) => p.trim()) as Protocol[];
if (protocols.length === 0 || protocols.some((p) => !PROTOCOLS.includes(p))) {
  console.error(`--protocols must list some of ${PROTOCOLS.join(', ')}`);
  process.exit(2);
}
const ISOLATIONS = ['backend', 'onboarder', 'off'] as const;
type Isolation = (typeof ISOLATIONS)[number];
// `on` was the flag before ADR 0143 split the cores differently; it still means "isolate", now the default way.
const isolation = (flags.isolate === 'on' ? 'backend' : flags.isolate) as Isolation;
if (!ISOLATIONS.includes(isolation)) {
  console.error(`--isolate must be one of ${ISOLATIONS.join(', ')}`);
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

/** The processes whose CPU the bench reads from /proc during each run. */
interface Cpu {
  /** vegeta, the load generator (this process's reaped children). */
  readonly client: number;
  readonly edge: number;
  readonly onboarder: number;
  /** Everything else the stack runs (Kafka, Postgres, Redis, mailpit): the onboarder's work behind it. */
  readonly rest: number;
  /** All of the above: the whole path's CPU. */
  readonly path: number;
}

interface Figures extends AttackFigures {
  /** CPU per request in this run (µs) by process, from /proc. */
  readonly cpuUs: Cpu;
  /** Busy share (0..1) of the service's core(s) and of the others' during the run (isolated runs only). */
  readonly busy?: CoreUse;
}

/**
 * Per side of the isolation: the core(s)' busy share from /proc/stat (the neighbours' work included on a shared host)
 * and our own processes' share of them (the service side's on its core; the generator side's on the others').
 */
interface CoreUse {
  readonly service: number;
  readonly others: number;
  readonly ownService: number;
  readonly ownOthers: number;
}

/**
 * User + system CPU seconds a process and its descendants have used so far (Linux /proc; ticks of 1/100 s): nginx's
 * work happens in its worker processes, not in the master the supervisor started. Live descendants are read one by
 * one and those already reaped through the parent's cutime/cstime, so a child exiting mid-run does not take its CPU
 * out of the sum.
 */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  const ticks = withDescendants(pid).reduce((sum, p) => sum + (readProcStat(p)?.ticks ?? 0), 0);
  return ticks / TICKS_PER_SECOND;
}

const pids: { onboarder?: number; edge?: number; stack: number[] } = { stack: [] };

/** CPU of the processes on the service's core in isolated runs: the onboarder, and with `backend` its stores too. */
const serviceSideCpu = (used: (key: keyof Cpu) => number) =>
  used('onboarder') + (isolation === 'backend' ? used('rest') : 0);

/** CPU of this process's reaped children (vegeta), which the kernel adds to our cutime/cstime when they exit. */
function childrenCpuSeconds(): number {
  return (readProcStat(process.pid)?.reapedChildTicks ?? 0) / TICKS_PER_SECOND;
}

function cpuNow(): Cpu {
  const client = childrenCpuSeconds();
  const edge = cpuSeconds(pids.edge);
  const onboarder = cpuSeconds(pids.onboarder);
  const stack = pids.stack.reduce((t, pid) => t + cpuSeconds(pid), 0);
  return { client, edge, onboarder, rest: stack - edge - onboarder, path: stack + client };
}

async function run(
  targetsFile: string,
  url: string,
  extra: { rootCerts?: string[]; connectTo?: Record<string, string>; http2?: boolean } = {},
  runSeconds = seconds,
  cores?: CoreAssignment,
): Promise<Figures> {
  const targets = registrations(url, {}, TARGETS_PER_RUN);
  const before = cpuNow();
  const coresBefore = readCoreTimes();
  const startedAt = performance.now();
  const result = await attack({
    targetsFile,
    targets,
    connections,
    seconds: runSeconds,
    ...(rate ? { rate } : {}),
    ...(extra.rootCerts ? { rootCerts: extra.rootCerts } : {}),
    ...(extra.connectTo ? { connectTo: extra.connectTo } : {}),
    ...(extra.http2 ? { http2: true } : {}),
  });
  const after = cpuNow();
  const coresAfter = readCoreTimes();
  const wallSeconds = (performance.now() - startedAt) / 1000;
  const used = (key: keyof Cpu) => (after[key] - before[key]) / wallSeconds;
  const perRequest = (key: keyof Cpu) => (result.requests ? ((after[key] - before[key]) * 1e6) / result.requests : 0);
  return {
    ...result,
    cpuUs: {
      client: perRequest('client'),
      edge: perRequest('edge'),
      onboarder: perRequest('onboarder'),
      rest: perRequest('rest'),
      path: perRequest('path'),
    },
    ...(cores
      ? {
          busy: {
            service: busyShare(coresBefore, coresAfter, cores.service),
            others: busyShare(coresBefore, coresAfter, cores.others),
            ownService: serviceSideCpu(used) / cores.service.length,
            ownOthers: (used('path') - serviceSideCpu(used)) / cores.others.length,
          },
        }
      : {}),
  };
}

type Side = 'direct' | Protocol;

const medianOf = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
/** The run of median throughput, with each latency and CPU figure the median over the runs. */
const medianRun = (figures: Figures[]): Figures => ({
  ...[...figures].sort((a, b) => a.throughput - b.throughput)[Math.floor(figures.length / 2)]!,
  p50Ms: medianOf(figures.map((f) => f.p50Ms)),
  p99Ms: medianOf(figures.map((f) => f.p99Ms)),
  cpuUs: Object.fromEntries(
    (Object.keys(figures[0]!.cpuUs) as (keyof Cpu)[]).map((k) => [k, medianOf(figures.map((f) => f.cpuUs[k]))]),
  ) as unknown as Cpu,
});

const failures = (f: Figures) =>
  Object.entries(f.statusCodes)
    .filter(([code]) => !code.startsWith('2'))
    .reduce((sum, [, n]) => sum + n, 0);
/** `non-2xx 12 (503: 10, 0: 2)`: which statuses, since a failing request is cheaper than a registration. */
const failureText = (f: Figures) => {
  const codes = Object.entries(f.statusCodes).filter(([code]) => !code.startsWith('2'));
  return `non-2xx ${failures(f)}${codes.length ? ` (${codes.map(([c, n]) => `${c}: ${n}`).join(', ')})` : ''}`;
};

/**
 * The others' core was full while the onboarder did not fill its own: the round measured the generator side (or the
 * neighbours on a shared host), not what the edge costs the service.
 */
const generatorBound = (use: CoreUse) => isSaturated(use.others) && !isSaturated(use.ownService);
const pct0 = (n: number) => `${(n * 100).toFixed(0)} %`;
const us = (n: number) => n.toFixed(0).padStart(4);
const line = (label: string, f: Figures) =>
  `${label.padEnd(11)} ${f.throughput.toFixed(0).padStart(6)} req/s  p50 ${f.p50Ms.toFixed(1).padStart(5)} ms  ` +
  `p99 ${f.p99Ms.toFixed(1).padStart(6)} ms  CPU µs/request: vegeta ${us(f.cpuUs.client)}  edge ${us(f.cpuUs.edge)}  ` +
  `onboarder ${us(f.cpuUs.onboarder)}  rest ${us(f.cpuUs.rest)}  path ${us(f.cpuUs.path)}  ${failureText(f)}` +
  (f.busy
    ? `  busy: service core ${pct0(f.busy.service)} (ours ${pct0(f.busy.ownService)}), others' ` +
      `${pct0(f.busy.others)} (ours ${pct0(f.busy.ownOthers)})` +
      (generatorBound(f.busy) ? ' GENERATOR-BOUND' : '')
    : '');

let stack: Stack | undefined;
let exitCode = 0;
stopStackOnSignals('bench', () => stack);
try {
  process.env[RUNTIME_ENV.logLevel] = 'warn';
  stack = await startStack({
    name: benchStackName(process.env['BENCH_STACK_NAME'], 'bench'),
    portOffset: offset,
    // A stack left from an earlier run carries its Redis reservations and Kafka log (1.1 GB of Redis after a few
    // runs, minutes of loading): every run starts empty, so runs compare.
    fresh: true,
    services: false,
    prometheus: false,
    tracing: false,
    onCreated: (created) => (stack = created),
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
  const direct = (runSeconds = seconds, cores?: CoreAssignment) =>
    run(targetsFile, `http://127.0.0.1:${onboarderPort}/api/v1/register`, {}, runSeconds, cores);
  // vegeta dials loopback for the edge's API host name (the system resolver does not know *.localhost), so SNI, Host
  // and the certificate check are what a browser does; the CA is the stack's own.
  const viaEdge = (protocol: Protocol, runSeconds = seconds, cores?: CoreAssignment) =>
    run(
      targetsFile,
      `https://${apiHost}/api/v1/register`,
      {
        rootCerts: [edge.tls.caCert],
        connectTo: { [apiHost]: `127.0.0.1:${port(INFRA_PORTS.edgeHttps)}` },
        http2: protocol === 'http2',
      },
      runSeconds,
      cores,
    );

  // Isolation (ADR 0142, 0143): in production the load balancer and the clients have CPUs of their own. `backend`
  // (default) runs the system under test — the onboarder and the stores it calls — on one core and the generator (this
  // process; vegeta inherits its affinity) and the edge on the other(s); `onboarder` runs the onboarder alone on one
  // core and everything else on the other(s). Shared runs (every process on every core) are measured too.
  const allCores = await allowedCores();
  const cores = isolation === 'off' ? undefined : assignCores(allCores);
  if (isolation !== 'off' && !cores) say.warn('bench', `one core (${allCores.join(',')}): nothing to isolate`);
  const MODES = cores ? (['isolated', 'shared'] as const) : (['shared'] as const);
  type Mode = (typeof MODES)[number];
  const serviceSide = isolation === 'backend' ? pids.stack.filter((pid) => pid !== pids.edge) : [pids.onboarder!];
  const others = [...pids.stack.filter((pid) => !serviceSide.includes(pid)), process.pid];
  const serviceSideNames = isolation === 'backend' ? 'the onboarder, Kafka, Postgres, Redis, mailpit' : 'the onboarder';
  const othersNames =
    isolation === 'backend' ? `vegeta and ${engine}` : `vegeta, ${engine}, Kafka, Postgres, Redis, mailpit`;
  const pinFor = async (mode: Mode) => {
    if (mode === 'isolated' && cores) {
      // The bench process is the parent of the whole stack: pinning its tree must not take the service side along.
      await pinProcesses(others, cores.others, serviceSide);
      await pinProcesses(serviceSide, cores.service);
      for (const pid of serviceSide) {
        const pinned = await affinityOf(pid);
        if (pinned.join(',') !== cores.service.join(',')) {
          throw new StackError('bench', `pid ${pid} runs on cores ${pinned.join(',')}, not ${cores.service.join(',')}`);
        }
      }
    } else {
      await pinProcesses([...others, ...serviceSide], allCores);
    }
  };
  if (cores) {
    say.step(
      'bench',
      `isolated rounds: ${serviceSideNames} on core ${cores.service.join(',')}; ${othersNames} on core ` +
        `${cores.others.join(',')}; shared rounds: everything on cores ${allCores.join(',')}`,
    );
  }

  say.step('bench', `warming up (${connections} connections)`);
  await direct(3);
  for (const protocol of protocols) await viaEdge(protocol, 2);
  const sides: readonly Side[] = ['direct', ...protocols];
  const label = (side: Side) => (side === 'direct' ? 'direct' : `edge ${side}`);
  const key = (mode: Mode, side: Side) => `${mode} ${side}`;
  const runs = new Map<string, Figures[]>(MODES.flatMap((mode) => sides.map((side) => [key(mode, side), []])));
  for (let round = 1; round <= rounds; round++) {
    for (const mode of MODES) {
      await pinFor(mode);
      const modeCores = mode === 'isolated' ? cores : undefined;
      // Rotate which side goes first, so a drift in the neighbours' load does not always favour one side.
      const order = sides.map((_, i) => sides[(i + round - 1) % sides.length]!);
      for (const side of order) {
        const figures = side === 'direct' ? await direct(seconds, modeCores) : await viaEdge(side, seconds, modeCores);
        runs.get(key(mode, side))!.push(figures);
        console.log(`round ${round} ${mode.padEnd(8)} ${line(label(side), figures)}`);
      }
    }
  }
  // Each round pairs a direct and an edge run seconds apart, and the median of the pairs' ratios is the figure: on
  // a shared machine the neighbours' load drifts by more than the edge costs, and pairing cancels most of the drift.
  const costsByMode = new Map<Mode, Map<Protocol, Record<Gate, number>>>();
  for (const mode of MODES) {
    const directRuns = runs.get(key(mode, 'direct'))!;
    console.log(
      `\n${mode === 'isolated' ? `ISOLATED (${serviceSideNames} on core ${cores!.service.join(',')}, ${othersNames} on ` + `${cores!.others.join(',')})` : `SHARED (every process on cores ${allCores.join(',')})`}: ` +
        `register throughput (${engine} edge), ${connections} concurrent keep-alive requests` +
        `${rate ? `, offered ${rate} req/s` : ' (closed model: both sides flat out)'}, medians of ${rounds} rounds:\n` +
        line('direct', medianRun(directRuns)),
    );
    const costs = new Map<Protocol, Record<Gate, number>>();
    costsByMode.set(mode, costs);
    for (const protocol of protocols) console.log(line(label(protocol), medianRun(runs.get(key(mode, protocol))!)));
    for (const protocol of protocols) {
      const edgeRuns = runs.get(key(mode, protocol))!;
      const ratios = directRuns.map((dr, i) => edgeRuns[i]!.throughput / dr.throughput);
      // Throughput on a shared machine moves with the neighbours' load; CPU per request much less. Where the path is
      // CPU-bound (as here: no spare core), the throughput the edge costs is the share of the path's CPU it adds.
      const pathDirect = medianOf(directRuns.map((f) => f.cpuUs.path));
      const pathEdge = medianOf(edgeRuns.map((f) => f.cpuUs.path));
      // The same without the generator: what the edge costs where the clients have CPUs of their own (production).
      const serverDirect = medianOf(directRuns.map((f) => f.cpuUs.path - f.cpuUs.client));
      const serverEdge = medianOf(edgeRuns.map((f) => f.cpuUs.path - f.cpuUs.client));
      const serviceDirect = medianOf(directRuns.map((f) => f.cpuUs.onboarder));
      const serviceEdge = medianOf(edgeRuns.map((f) => f.cpuUs.onboarder));
      const cost = {
        throughput: 1 - medianOf(ratios),
        cpu: 1 - pathDirect / pathEdge,
        'server-cpu': 1 - serverDirect / serverEdge,
        // The onboarder's own CPU per request: what the edge adds to the service itself (connection reuse, headers).
        'service-cpu': 1 - serviceDirect / serviceEdge,
      };
      costs.set(protocol, cost);
      const pct = (n: number) => `${(n * 100).toFixed(1)} %`;
      console.log(
        `${mode} ${label(protocol)}/direct req/s per round: ${ratios.map((r) => r.toFixed(3)).join(', ')}; median ` +
          `${medianOf(ratios).toFixed(3)}: the edge costs ${pct(cost.throughput)} of the throughput ` +
          `(goal ≤ ${(maxCost * 100).toFixed(0)} %)\n  CPU µs/request, whole path ${pathDirect.toFixed(0)} → ` +
          `${pathEdge.toFixed(0)}: ${pct(cost.cpu)}; without the generator ${serverDirect.toFixed(0)} → ` +
          `${serverEdge.toFixed(0)}: ${pct(cost['server-cpu'])}; the onboarder's own ${serviceDirect.toFixed(0)} → ` +
          `${serviceEdge.toFixed(0)}: ${pct(cost['service-cpu'])}`,
      );
    }
  }
  const gatedMode: Mode = MODES[0];
  const cost = costsByMode.get(gatedMode)!.get(protocols[0]!)![gate];
  // A round whose generator core was saturated measures the generator, not what the edge costs the service.
  const gatedRuns = [...sides].flatMap((side) =>
    side === 'direct' || side === protocols[0] ? runs.get(key(gatedMode, side))! : [],
  );
  const saturated = gatedRuns.filter((f) => f.busy && generatorBound(f.busy)).length;
  const all = [...runs.values()].flat();
  if (all.some((f) => failures(f) > 0 || f.errors.length > 0)) {
    const errors = [...new Set(all.flatMap((f) => f.errors))].slice(0, 3);
    say.warn('bench', `some requests did not get 2xx: the figures include failures ${errors.join('; ')}`);
  }
  if (saturated * 2 > gatedRuns.length) {
    say.fail(
      'bench',
      `the others' core was full and the onboarder's was not in ${saturated} of ${gatedRuns.length} gated runs: the figure measures the generator side (or the neighbours), not the edge`,
    );
    exitCode = 1;
  } else if (saturated > 0) {
    say.warn(
      'bench',
      `the others' core was full and the onboarder's was not in ${saturated} of ${gatedRuns.length} gated runs`,
    );
  }
  if (cost > maxCost) {
    say.fail(
      'bench',
      `the edge costs ${(cost * 100).toFixed(1)} % (${gatedMode}, ${protocols[0]}, ${gate}), more than ${(maxCost * 100).toFixed(0)} %`,
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
