import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { STATE_ROOT } from '../paths';
import { PERFORMANCE_GOALS as G, fmt, type BenchFigures } from './goals';

/** Where `npm run bench` writes its results (git-ignored state folder). */
export const BENCH_RESULTS_DIR = path.join(STATE_ROOT, 'bench');

/** The run's figures as Markdown: the issue's goals, then CPU and memory per component, then the ratios. */
export function benchMarkdown(f: BenchFigures, missed: readonly string[], command: string): string {
  const c = f.counts;
  const r = f.ratios;
  const st = f.stages;
  const rows = Object.keys(f.cpuMsPerRegistration)
    .sort((a, b) => f.cpuMsPerRegistration[b]! - f.cpuMsPerRegistration[a]!)
    .map(
      (name) =>
        `| ${name} | ${fmt(f.cpuMsPerRegistration[name])} | ${fmt((f.idleCoreShareByComponent[name] ?? 0) * 100)} | ${fmt(f.peakRssMb[name])} |`,
    );
  return [
    `# Pipeline bench: ${f.rate} registrations/s for ${f.seconds} s`,
    '',
    `Produced by \`${command}\` at ${new Date().toISOString()}.`,
    '',
    '| figure | measured | goal |',
    '|---|---|---|',
    `| ingest p50 / p99 | ${fmt(f.ingest.p50Ms)} / ${fmt(f.ingest.p99Ms)} ms | p99 ≤ ${G.ingestP99Ms} ms |`,
    `| accept-queue overflows during the load (kernel ListenOverflows: dropped handshake packets, this network namespace) | ${f.listenQueueOverflows} | — |`,
    `| accept→CONFIRMED p50 / p95 / p99 / max | ${fmt(f.e2e.p50Ms)} / ${fmt(f.e2e.p95Ms)} / ${fmt(f.e2e.p99Ms)} / ${fmt(f.e2e.maxMs)} ms | p95 ≤ ${G.e2eP95Ms}, p99 ≤ ${G.e2eP99Ms} ms |`,
    `| of which accept→stored / stored→published (outbox relay) / published→mailed (notifier) / mailed→CONFIRMED (rest of the notifier's batch, confirmation back to the user service), p50 · p95 | ${[st.acceptToStored, st.storedToPublished, st.publishedToMailed, st.mailedToConfirmed].map((x) => `${fmt(x.p50Ms)} · ${fmt(x.p95Ms)}`).join(' / ')} ms | — |`,
    `| offered / acked / stored / confirmed / mailed once | ${c.offered} / ${c.acked} / ${c.stored} / ${c.confirmed} / ${c.mailedOnce} (mailed twice: ${c.mailedTwice}; answers: ${Object.entries(
      c.statuses,
    )
      .map(([k, v]) => `${k}×${v}`)
      .join(', ')}) | all equal |`,
    `| CPU per confirmed registration, all components | ${fmt(f.cpuMsPerRegistrationTotal)} ms | ≤ ${G.cpuMsPerRegistration} ms |`,
    `| onboarder CPU per accepted request | ${fmt(f.onboarderCpuMsPerRequest)} ms | ≤ ${G.onboarderCpuMsPerRequest} ms |`,
    `| idle stack CPU | ${fmt(f.idleCoreShare * 100)} % of a core | ≤ ${G.idleCoreShare * 100} % |`,
    `| one register on the idle stack (median of 20) | ${fmt(f.idleRegisterMs)} ms | ≤ ${G.idleRegisterMs} ms |`,
    `| breakpoint (highest rate with accept→CONFIRMED p95 ≤ ${G.e2eP95Ms} ms) | ${f.breakpoint ? `${f.breakpoint.rate}/s (steps: ${f.breakpoint.steps.map((s) => `${s.rate}/s → ${fmt(s.e2eP95Ms)} ms`).join(', ')})` : 'not run (--breakpoint)'} | ≥ ${G.sustainedRate}/s, stretch 1000/s |`,
    `| register rps ÷ fastify no-op rps | ${fmt(r.registerRps)} ÷ ${fmt(r.noopRps)} = ${fmt(r.registerOverNoop)} | — |`,
    `| records per Kafka produce request (onboarder, at saturation) | ${fmt(r.recordsPerProduceRequest)} | — |`,
    `| user consumer rps ÷ kafka-consumer-perf-test rps | ${fmt(r.consumerRps)} ÷ ${fmt(r.perfTestRps)} = ${fmt(r.consumerOverPerfTest)} | — |`,
    '',
    '| component | CPU ms / confirmed registration | idle % of a core | peak RSS MB |',
    '|---|---|---|---|',
    ...rows,
    '',
    missed.length ? `Missed goals:\n\n${missed.map((m) => `- ${m}`).join('\n')}` : 'Every goal met.',
    '',
  ].join('\n');
}

/** A result file's time stamp: the ISO time to the second, with `-` for `:` so every file system takes it. */
export function resultStamp(at = new Date()): string {
  return at.toISOString().replaceAll(':', '-').replace(/\..*/, '');
}

/** Write `<stamp>.json` and `<stamp>.md` plus `latest.*` copies; returns the Markdown path. */
export async function writeBenchResults(f: BenchFigures, missed: readonly string[], command: string): Promise<string> {
  await mkdir(BENCH_RESULTS_DIR, { recursive: true });
  const stamp = resultStamp();
  const json = JSON.stringify({ command, at: new Date().toISOString(), figures: f, missed }, null, 2) + '\n';
  const md = benchMarkdown(f, missed, command);
  for (const name of [stamp, 'latest']) {
    await writeFile(path.join(BENCH_RESULTS_DIR, `${name}.json`), json);
    await writeFile(path.join(BENCH_RESULTS_DIR, `${name}.md`), md);
  }
  return path.join(BENCH_RESULTS_DIR, `${stamp}.md`);
}
