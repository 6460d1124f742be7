#!/usr/bin/env tsx
/**
 * Purpose: measure the registration pipeline against issue 13's goals in one run and print every figure: ingest
 *          p50/p99 and accept→CONFIRMED p50/p95/p99 under open-model load at a fixed rate, acked/stored/confirmed/mailed
 *          counts, CPU ms per confirmed registration per component (from /proc, per process group the supervisor
 *          recorded), idle stack CPU, one register on the idle stack, peak RSS per component, and the ratios
 *          register rps ÷ fastify no-op rps, records per produce request, user consumer rps ÷ kafka-consumer-perf-test.
 *          Writes JSON + Markdown to .scalefu/bench/ and exits 1 naming every missed goal.
 * Prerequisites: what `npm start` needs (JDK 17+, Maven, redis-server). Starts its own fresh throw-away stack
 *          (Kafka, Postgres, Redis, mailpit, the four services, the edge; no Prometheus, no Zipkin) with the public
 *          rate limit lifted and info logs off, and stops it at the end. Load goes to 127.0.0.1 only.
 * Usage: npm run bench [-- --rate 500 --seconds 60 --idle-settle 60 --idle-seconds 20 --saturation-seconds 5
 *        --no-ratios --breakpoint --breakpoint-seconds 20 --idle-only | --soak <minutes> [--rate 250 --sample-seconds 5]]
 *        --idle-only prints the idle stack CPU per component and the idle register median, then stops (no load phases,
 *        no goal check): a quick loop for issue 13's two idle goals.
 *        --breakpoint also steps the offered rate up (50/s … 1,000/s) until accept→CONFIRMED p95 leaves the SLO, then
 *        halves the gap to the last rate that held until it is 50/s or less (scripts/lib/bench/breakpoint.ts).
 *        --soak <minutes> instead holds open load at --rate (default 250/s, a rate this box sustains) for that long
 *        while every component's RSS and PSS is sampled, and exits 1 naming each component whose memory kept growing
 *        (scripts/lib/bench/soak.ts).
 *        BENCH_STACK_NAME (default bench-pipeline; never local or test: the stack starts fresh) and BENCH_PORT_OFFSET
 *        (default 17000) keep it apart from others.
 */
import { RUNTIME_ENV, SERVICES, TOPICS, type ServiceName } from '@scalefu/contracts';
import { parseArgs } from 'node:util';
import { StackError, say } from './lib/console';
import { findBreakpoint } from './lib/bench/breakpoint';
import { fmt, missedGoals, type BenchFigures } from './lib/bench/goals';
import { awaitPipeline, mailsPerRecipient, pipelineStages } from './lib/bench/outcome';
import { cpuDelta, cpuSecondsByComponent, RssPeak } from './lib/bench/proc-cpu';
import { listenOverflows } from './lib/bench/listen-overflows';
import { quantile, runOpenLoad } from './lib/bench/open-load';
import { measureRatios } from './lib/bench/ratios';
import { benchMarkdown, writeBenchResults } from './lib/bench/report';
import { registrationBody, registrationEmail, sequentialRegisterMs } from './lib/bench/registrations';
import { runSoak } from './lib/bench/soak-run';
import { assertSoakFlags, SOAK_DEFAULT_RATE } from './lib/bench/soak';
import { benchStackName } from './lib/bench/stack-name';
import { stopStackOnSignals } from './lib/stack/stop-on-signals';
import { startStack, type Stack } from './lib/stack/stack';

/** Thrown once --idle-only or --soak has printed its figures: skips the goal phases, still stops the stack. */
class ModeDone extends Error {}

const { values: flags } = parseArgs({
  options: {
    rate: { type: 'string' },
    seconds: { type: 'string', default: '60' },
    'idle-settle': { type: 'string', default: '60' },
    'idle-seconds': { type: 'string', default: '20' },
    'saturation-seconds': { type: 'string', default: '5' },
    'no-ratios': { type: 'boolean', default: false },
    breakpoint: { type: 'boolean', default: false },
    'breakpoint-seconds': { type: 'string', default: '20' },
    'idle-only': { type: 'boolean', default: false },
    soak: { type: 'string' },
    'sample-seconds': { type: 'string', default: '5' },
  },
});
const rate = Number(flags.rate ?? (flags.soak ? SOAK_DEFAULT_RATE : 500));
if (flags.soak) assertSoakFlags(Number(flags.soak), Number(flags['sample-seconds']), rate);
const seconds = Number(flags.seconds);
const offset = Number(process.env['BENCH_PORT_OFFSET'] ?? 17000);
const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

let stack: Stack | undefined;
let exitCode = 0;
stopStackOnSignals('bench', () => stack);
try {
  // Children inherit the runner's env: the bench measures the path, not the public limit of 100/min per IP, and
  // info logs are off as in a tuned deployment.
  process.env[RUNTIME_ENV.rateLimitPerMinute] = '100000000';
  process.env[RUNTIME_ENV.logLevel] = 'warn';
  stack = await startStack({
    name: benchStackName(process.env['BENCH_STACK_NAME'], 'bench-pipeline'),
    portOffset: offset,
    fresh: true,
    prometheus: false,
    tracing: false,
    onCreated: (created) => (stack = created),
  });
  const components = stack.components.filter((c) => c.pids.length > 0).map((c) => ({ name: c.name, pids: c.pids }));
  const services = components.map((c) => c.name).filter((n): n is ServiceName => n in SERVICES);
  const onboarderUrl = `http://127.0.0.1:${SERVICES.onboarder.port + offset}${'/api/v1/register'}`;
  const run = Date.now().toString(36);

  if (flags.soak) {
    exitCode = await runSoak({
      components,
      onboarderUrl,
      databaseUrl: stack.env[RUNTIME_ENV.databaseUrl]!,
      run,
      rate,
      minutes: Number(flags.soak),
      sampleSeconds: Number(flags['sample-seconds']),
      command,
    });
    throw new ModeDone();
  }

  say.step('bench', `idle: settling ${flags['idle-settle']} s, then measuring ${flags['idle-seconds']} s`);
  await sleep(Number(flags['idle-settle']));
  const idleBefore = cpuSecondsByComponent(components);
  await sleep(Number(flags['idle-seconds']));
  const idleCpu = cpuDelta(idleBefore, cpuSecondsByComponent(components));
  const idleShare = Object.fromEntries(Object.entries(idleCpu).map(([n, s]) => [n, s / Number(flags['idle-seconds'])]));
  // 500 ms apart: each register meets an idle stack (the previous one is CONFIRMED well within that).
  const idleRegisterMs = await sequentialRegisterMs(onboarderUrl, 20, (i) => registrationBody(run, 'idle', i), 500);
  say.step(
    'bench',
    `idle stack ${fmt(sum(Object.values(idleShare)) * 100)} % of a core; idle register ${fmt(idleRegisterMs)} ms`,
  );
  if (flags['idle-only']) {
    for (const [name, share] of Object.entries(idleShare)) say.step('bench', `idle ${name}: ${fmt(share * 100)} %`);
    throw new ModeDone();
  }

  say.step('bench', `warming up 5 s at ${Math.min(rate, 100)}/s`);
  const warm = await runOpenLoad({
    url: onboarderUrl,
    rate: Math.min(rate, 100),
    seconds: 5,
    body: (i) => registrationBody(run, 'warm', i),
  });
  await awaitPipeline(stack.env[RUNTIME_ENV.databaseUrl]!, warm.acceptedIds, { stallMs: 15_000 });

  say.step('bench', `open load: ${rate}/s for ${seconds} s`);
  const rss = new RssPeak(components);
  rss.start();
  const before = cpuSecondsByComponent(components);
  const overflowsBefore = listenOverflows();
  const load = await runOpenLoad({ url: onboarderUrl, rate, seconds, body: (i) => registrationBody(run, 'main', i) });
  const listenQueueOverflows = listenOverflows() - overflowsBefore;
  const onboarderCpu = cpuDelta(before, cpuSecondsByComponent(components))['onboarder'] ?? 0;
  say.step('bench', `load sent; waiting for ${load.acceptedIds.length} registrations to be CONFIRMED`);
  const outcome = await awaitPipeline(stack.env[RUNTIME_ENV.databaseUrl]!, load.acceptedIds, {
    onProgress: (n) => process.stdout.write(`\r  confirmed ${n}/${load.acceptedIds.length}   `),
  });
  process.stdout.write('\n');
  const cpu = cpuDelta(before, cpuSecondsByComponent(components));
  const peakRss = rss.stop();
  const stages = await pipelineStages(stack.env[RUNTIME_ENV.databaseUrl]!, load.acceptedIds);
  const acceptedEmails = new Set(load.acceptedIndexes.map((i) => registrationEmail(run, 'main', i)));
  const mails = await mailsPerRecipient(stack.env['MAIL_WEB_URL']!, acceptedEmails);
  const perRegistration = Object.fromEntries(
    Object.entries(cpu).map(([n, s]) => [n, outcome.confirmed ? (s * 1000) / outcome.confirmed : Number.NaN]),
  );
  const ratios = flags['no-ratios']
    ? {}
    : await measureRatios({
        stack,
        offset,
        run,
        onboarderUrl,
        seconds: Number(flags['saturation-seconds']),
        topic: TOPICS.registrationRequest.name,
      });
  const breakpoint = flags.breakpoint
    ? await findBreakpoint({
        url: onboarderUrl,
        databaseUrl: stack.env[RUNTIME_ENV.databaseUrl]!,
        run,
        seconds: Number(flags['breakpoint-seconds']),
      })
    : undefined;
  const figures: BenchFigures = {
    rate,
    seconds,
    ingest: { p50Ms: quantile(load.latenciesMs, 0.5), p99Ms: quantile(load.latenciesMs, 0.99) },
    listenQueueOverflows,
    e2e: { p50Ms: outcome.e2eP50Ms, p95Ms: outcome.e2eP95Ms, p99Ms: outcome.e2eP99Ms, maxMs: outcome.e2eMaxMs },
    stages,
    counts: {
      offered: load.offered,
      acked: load.acceptedIds.length,
      stored: outcome.stored,
      confirmed: outcome.confirmed,
      mailedOnce: [...mails.values()].filter((n) => n === 1).length,
      mailedTwice: [...mails.values()].filter((n) => n > 1).length,
      failed: load.offered - load.acceptedIds.length,
      statuses: {
        ...load.statuses,
        ...Object.fromEntries(Object.entries(load.errorCodes).map(([code, n]) => [`error ${code}`, n])),
        ...(load.dropped ? { dropped: load.dropped } : {}),
      },
    },
    cpuMsPerRegistration: perRegistration,
    cpuMsPerRegistrationTotal: sum(Object.values(perRegistration)),
    onboarderCpuMsPerRequest: (onboarderCpu * 1000) / Math.max(1, load.acceptedIds.length),
    idleCoreShare: sum(Object.values(idleShare)),
    idleCoreShareByComponent: idleShare,
    idleRegisterMs,
    peakRssMb: peakRss,
    ...(breakpoint ? { breakpoint } : {}),
    ratios,
  };
  const missed = missedGoals(figures, services);
  console.log('\n' + benchMarkdown(figures, missed, command));
  say.step('bench', `results: ${await writeBenchResults(figures, missed, command)}`);
  if (missed.length) {
    for (const reason of missed) say.fail('bench', `missed goal: ${reason}`);
    exitCode = 1;
  }
} catch (error) {
  // --idle-only and --soak end here on purpose once their figures are printed.
  if (!(error instanceof ModeDone)) {
    say.fail(error instanceof StackError ? error.component : 'bench', (error as Error).stack ?? String(error));
    exitCode = 1;
  }
} finally {
  await stack?.stop();
}
process.exit(exitCode);

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
