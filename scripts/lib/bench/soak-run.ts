import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { say } from '../console';
import { quantile, runOpenLoad } from './open-load';
import { awaitPipeline } from './outcome';
import type { ComponentGroups } from './proc-cpu';
import { registrationBody } from './registrations';
import { BENCH_RESULTS_DIR, resultStamp } from './report';
import { DATA_HOLDERS, drainPeaksMarkdown, judgeSoak, MemorySeries, soakMarkdown, SOAK_MARGIN } from './soak';

export interface SoakOptions {
  readonly components: readonly ComponentGroups[];
  readonly onboarderUrl: string;
  readonly databaseUrl: string;
  readonly run: string;
  readonly rate: number;
  readonly minutes: number;
  readonly sampleSeconds: number;
  readonly command: string;
}

/**
 * `npm run bench -- --soak <minutes>`: open load at `rate` for the whole soak while every component's RSS and PSS is
 * sampled, then the pipeline drains and each component is judged on PSS (summed RSS counts Postgres' shared buffers
 * once per backend). Writes `soak-<time>.md` (and `soak-latest.md`) beside the bench results. Returns the exit code:
 * 1 naming every component that grew, or when acked registrations were never CONFIRMED.
 */
export async function runSoak(o: SoakOptions): Promise<number> {
  say.step('bench', `soak: ${o.rate}/s for ${o.minutes} min, memory sampled every ${o.sampleSeconds} s`);
  const memory = new MemorySeries(o.components);
  memory.start(o.sampleSeconds * 1000);
  const load = await runOpenLoad({
    url: o.onboarderUrl,
    rate: o.rate,
    seconds: o.minutes * 60,
    body: (i) => registrationBody(o.run, 'soak', i),
  }).finally(() => memory.stop());
  // The memory verdict is written before the drain, so nothing that happens while draining can lose 30 minutes of samples.
  const names = Object.keys(memory.pss).sort();
  const pss = names.map((name) => judgeSoak(name, memory.pss[name]!));
  const rss = names.map((name) => judgeSoak(name, memory.rss[name]!));
  const dataGrowth = DATA_HOLDERS.filter((name) => memory.pss[name]?.length).map((name) => {
    const series = memory.pss[name]!;
    const perHundredThousand = ((series.at(-1)! - series[0]!) / Math.max(1, load.acceptedIds.length)) * 100_000;
    return `- ${name} holds the data it indexes: PSS ${series[0]!.toFixed(0)} → ${series.at(-1)!.toFixed(0)} MB, ${perHundredThousand.toFixed(0)} MB per 100,000 registrations.`;
  });
  const memoryReport = [
    `Judged on PSS: bounded = the last third's peak ≤ the middle third's peak + max(${SOAK_MARGIN.fraction * 100} %, ${SOAK_MARGIN.minimumMb} MB).`,
    '',
    soakMarkdown('PSS', pss),
    '',
    ...dataGrowth,
    '',
    'RSS for reference (summed over processes; not judged):',
    '',
    soakMarkdown('RSS', rss),
    '',
  ].join('\n');
  const stamp = resultStamp();
  const write = async (report: string) => {
    await mkdir(BENCH_RESULTS_DIR, { recursive: true });
    for (const name of [`soak-${stamp}`, 'soak-latest']) {
      await writeFile(path.join(BENCH_RESULTS_DIR, `${name}.md`), report);
    }
  };
  const heading = [
    `# Soak: ${o.rate}/s for ${o.minutes} min`,
    '',
    `Command: \`${o.command}\`, ${new Date().toISOString()}`,
    '',
  ];
  await write(
    [...heading, `offered ${load.offered}, acked ${load.acceptedIds.length} (draining…)`, '', memoryReport].join('\n'),
  );

  say.step('bench', `soak load sent; waiting for ${load.acceptedIds.length} registrations to be CONFIRMED`);
  const drainMemory = new MemorySeries(o.components);
  drainMemory.start(o.sampleSeconds * 1000);
  const outcome = await awaitPipeline(o.databaseUrl, load.acceptedIds, {
    onProgress: (n) => process.stdout.write(`\r  confirmed ${n}/${load.acceptedIds.length}   `),
  }).finally(() => drainMemory.stop());
  process.stdout.write('\n');
  const report = [
    ...heading,
    `offered ${load.offered}, acked ${load.acceptedIds.length}, stored ${outcome.stored}, confirmed ${outcome.confirmed}; ` +
      `ingest p50 / p99 ${quantile(load.latenciesMs, 0.5).toFixed(1)} / ${quantile(load.latenciesMs, 0.99).toFixed(1)} ms; ` +
      `accept→CONFIRMED p50 / p95 / p99 / max ${[outcome.e2eP50Ms, outcome.e2eP95Ms, outcome.e2eP99Ms, outcome.e2eMaxMs].map((ms) => ms.toFixed(0)).join(' / ')} ms`,
    '',
    memoryReport,
    'While the backlog drained after the load (not judged; **above** = beyond the judge margin over the load peak):',
    '',
    drainPeaksMarkdown(memory, drainMemory),
    '',
  ].join('\n');
  console.log(`\n${report}`);
  await write(report);
  say.step('bench', `soak results: ${path.join(BENCH_RESULTS_DIR, `soak-${stamp}.md`)}`);

  let exitCode = 0;
  for (const grown of pss.filter((v) => !v.bounded && !DATA_HOLDERS.includes(v.component))) {
    say.fail(grown.component, `memory grew: PSS ${grown.middlePeakMb.toFixed(0)} → ${grown.lastPeakMb.toFixed(0)} MB`);
    exitCode = 1;
  }
  if (outcome.confirmed < load.acceptedIds.length) {
    say.fail('bench', `${load.acceptedIds.length - outcome.confirmed} acked registrations never CONFIRMED`);
    exitCode = 1;
  }
  return exitCode;
}
