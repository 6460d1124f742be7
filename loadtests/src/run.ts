import { LOAD_GENERATOR_SCRAPE_JOB, VERSIONS } from '@scalefu/contracts';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { attackStage, type RequestResult } from './engine/attack';
import { distribution, histogram, httpFigures, timeline } from './metrics';
import { analyseBottleneck } from './report/bottleneck';
import { renderHtml } from './report/html';
import type { RunSummary, RunTargetInfo, StageBreakdown } from './report/summary';
import { RegistrationFactory } from './requests/registrations';
import type { Scenario, ScenarioOptions } from './scenarios';
import {
  CpuSampler,
  buildLedger,
  mailsMatching,
  rejectedRegistrations,
  rowsWithEmailMarker,
  storedRegistrations,
  waitUntilSettled,
} from './stack-observer';
import { breached, evaluate } from './thresholds';

/** Hard bounds of any run, whatever the flags say: load from one machine stays bounded in count and time. */
export const RUN_LIMITS = { maxRate: 5000, maxDurationSeconds: 3 * 3600, maxRequests: 2_000_000 } as const;

/** Where a run sends load and what it can read of the stack behind it. */
export interface RunTarget extends RunTargetInfo {
  /** The admin API (user service), for the admin read mix. */
  readonly adminUrl?: string;
  /** The stack's Postgres: rows, E2E and loss figures. */
  readonly databaseUrl?: string;
  /** mailpit's web API: the mailed figures. */
  readonly mailWebUrl?: string;
  /** The stack folder whose PID records name the components for CPU accounting. */
  readonly stackDir?: string;
  /** The local Prometheus and its file of load targets (scripts/lib/stack/prometheus.ts). */
  readonly prometheus?: { readonly url: string; readonly targetsFile: string; readonly exporterPort: number };
}

export interface RunSettings {
  readonly vegeta: string;
  /** Parent folder of the run's report folder. */
  readonly reportsDir: string;
  /** Longest wait after the last request for every registration to be CONFIRMED. @default 60000 */
  readonly settleTimeoutMs?: number;
  /**
   * How long the exporter stays a Prometheus target after the last request, so the last figures get scraped (the
   * local scrape interval is 5 s). @default 6000
   */
  readonly prometheusLingerMs?: number;
  readonly log?: (line: string) => void;
}

export interface RunOutcome {
  readonly summary: RunSummary;
  readonly reportDir: string;
  readonly htmlFile: string;
  readonly jsonFile: string;
}

/** Refuse options outside RUN_LIMITS with a message naming the flag. */
export function checkOptions(scenario: Scenario, options: ScenarioOptions): void {
  if (!(options.rate > 0) || options.rate > RUN_LIMITS.maxRate) {
    throw new Error(`--rate must be between 1 and ${RUN_LIMITS.maxRate}, got ${options.rate}`);
  }
  if (!(options.durationSeconds > 0) || options.durationSeconds > RUN_LIMITS.maxDurationSeconds) {
    throw new Error(`--duration must be between 1 s and ${RUN_LIMITS.maxDurationSeconds} s`);
  }
  const planned = scenario
    .stages(options)
    .reduce((sum, s) => sum + (s.count ?? Math.ceil(s.rate * s.durationSeconds)), 0);
  if (planned > RUN_LIMITS.maxRequests) {
    throw new Error(`${scenario.name} would send up to ${planned} requests; the limit is ${RUN_LIMITS.maxRequests}`);
  }
}

const userIdOf = (r: RequestResult): string | undefined => {
  if (r.code !== 201 || !r.body) return undefined;
  try {
    return (JSON.parse(r.body) as { data?: { userID?: string } }).data?.userID;
  } catch {
    return undefined;
  }
};

const PIPELINE_STAGES = [
  ['accept → stored', 'Kafka command, user service consumes and inserts the row', 'acceptToStored'],
  ['stored → published', 'outbox relay publishes user.created', 'storedToPublished'],
  ['published → mailed', 'notifier claims the send in Redis and mails over SMTP', 'publishedToMailed'],
  [
    'mailed → CONFIRMED',
    "rest of the notifier's batch, user.confirmation.sent, user service marks the row",
    'mailedToConfirmed',
  ],
] as const;

/** Run one scenario against a target and write its HTML and JSON reports. */
export async function runScenario(
  scenario: Scenario,
  options: ScenarioOptions,
  target: RunTarget,
  settings: RunSettings,
): Promise<RunOutcome> {
  checkOptions(scenario, options);
  const log = settings.log ?? console.log;
  const started = new Date();
  const runTag = `${started.getTime().toString(36)}${randomBytes(2).toString('hex')}`;
  const factory = new RegistrationFactory(runTag);
  const notes: string[] = [];
  const targets = await scenario.targets({
    baseUrl: target.baseUrl,
    factory,
    ...(target.adminUrl ? { adminUrl: target.adminUrl } : {}),
    ...(target.databaseUrl ? { databaseUrl: target.databaseUrl } : {}),
  });

  const sampler = target.stackDir
    ? new CpuSampler(target.stackDir, () => ({ 'load generator': [process.pid] }))
    : undefined;
  if (!sampler) notes.push('CPU per component not measured: the target is not a stack this run can see.');
  const prometheusAddr = target.prometheus ? `127.0.0.1:${target.prometheus.exporterPort}` : undefined;
  if (target.prometheus) {
    await writeFile(
      target.prometheus.targetsFile,
      JSON.stringify([{ targets: [prometheusAddr], labels: { scenario: scenario.name, run: runTag } }]),
    );
  }
  sampler?.start();

  const results: RequestResult[] = [];
  const stages: RunSummary['stages'][number][] = [];
  let knee: RunSummary['knee'];
  try {
    for (const stage of scenario.stages(options)) {
      log(`${scenario.name}: ${stage.label} at ${stage.rate || 'max'}/s for ${stage.durationSeconds} s`);
      const stageResults = await attackStage(stage, targets, {
        vegeta: settings.vegeta,
        ...(prometheusAddr ? { prometheusAddr } : {}),
      });
      results.push(...stageResults);
      const http = httpFigures(stageResults);
      stages.push({ ...stage, http });
      if (scenario.stopWhen) {
        const broke = breached(evaluate(scenario.stopWhen, { http }));
        if (broke.length) {
          const held = stages.at(-2);
          knee = {
            ...(held ? { heldAt: `${held.label} (${held.rate}/s)` } : {}),
            brokeAt: `${stage.label} (${stage.rate}/s)`,
            rate: held?.rate ?? 0,
            breached: broke.map((b) => `${b.name}: ${b.actual}${b.unit ? ` ${b.unit}` : ''}`),
          };
          log(`${scenario.name}: knee — ${knee.brokeAt} broke ${knee.breached.join('; ')}`);
          break;
        }
      }
    }
  } catch (error) {
    // A failed stage ends the run: stop sampling and take the exporter out of Prometheus's targets.
    sampler?.stop();
    if (target.prometheus) await writeFile(target.prometheus.targetsFile, '[]\n');
    throw error;
  }
  // Keep the exporter target up one scrape interval longer so the last figures reach Prometheus.
  if (target.prometheus) await new Promise((resolve) => setTimeout(resolve, settings.prometheusLingerMs ?? 6000));
  const attackEnded = Date.now();

  const http = httpFigures(results);
  const ackedIds = results.map(userIdOf).filter((id): id is string => !!id);
  let ledgerPart: Pick<RunSummary, 'ledger' | 'endToEndMs' | 'settle' | 'pipelineStages'> = {};
  if (scenario.followsRegistrations && target.databaseUrl) {
    const pool = new pg.Pool({ connectionString: target.databaseUrl, max: 2 });
    try {
      const settle = await waitUntilSettled(pool, ackedIds, settings.settleTimeoutMs ?? 60_000);
      const [rows, rejectedIds, marked] = await Promise.all([
        storedRegistrations(pool, ackedIds),
        rejectedRegistrations(pool, ackedIds),
        rowsWithEmailMarker(pool, factory.emailMarker),
      ]);
      const mails = target.mailWebUrl ? await mailsMatching(target.mailWebUrl, factory.emailMarker) : [];
      if (!target.mailWebUrl) notes.push('Mails not counted: no SMTP catcher API known for this target.');
      const { ledger, stages: times } = buildLedger({ ackedIds, rows, rejectedIds, mails, rowsWithMarker: marked });
      const pipelineStages: StageBreakdown[] = [
        { stage: 'HTTP accept', what: 'onboarder validates, reserves in Redis, Kafka ack', ms: http.latencyMs },
        ...PIPELINE_STAGES.map(([stage, what, key]) => ({ stage, what, ms: distribution(times[key]) })),
      ];
      ledgerPart = {
        ledger,
        endToEndMs: distribution(times.endToEnd),
        settle: { waitedMs: settle.settledAfterMs, unsettled: settle.unsettled },
        pipelineStages,
      };
    } finally {
      await pool.end();
    }
  } else if (scenario.followsRegistrations) {
    notes.push('E2E and loss not measured: no database URL for this target (run on a started stack).');
  }
  const cpuSeries = sampler?.stop();
  if (target.prometheus) await writeFile(target.prometheus.targetsFile, '[]\n');
  const prometheus = target.prometheus ? await scrapedByPrometheus(target.prometheus.url, runTag) : undefined;

  const cpu = cpuSeries ? { ...cpuSeries, machineCores: os.cpus().length } : undefined;
  const measured = { http, ...ledgerPart };
  const thresholds = evaluate(scenario.thresholds, measured);
  const summary: RunSummary = {
    scenario: scenario.name,
    description: scenario.description,
    runTag,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    target: {
      baseUrl: target.baseUrl,
      note: target.note,
      ...(target.rateLimitPerMinute ? { rateLimitPerMinute: target.rateLimitPerMinute } : {}),
    },
    engine: { name: 'vegeta', version: VERSIONS.vegeta },
    options,
    stages,
    ...(knee ? { knee } : {}),
    http,
    timeline: timeline(results),
    histogram: histogram(results.map((r) => r.latencyMs)),
    ...ledgerPart,
    ...(cpu ? { cpu } : {}),
    ...(prometheus ? { prometheus } : {}),
    thresholds,
    bottleneck: analyseBottleneck({ http, ...ledgerPart, ...(cpu ? { cpu } : {}) }),
    passed: breached(thresholds).length === 0,
    notes,
  };
  log(
    `${scenario.name}: ${results.length} requests, settled ${((Date.now() - attackEnded) / 1000).toFixed(1)} s after`,
  );

  const reportDir = path.join(settings.reportsDir, `${started.toISOString().replace(/[:.]/g, '-')}-${scenario.name}`);
  await mkdir(reportDir, { recursive: true });
  const htmlFile = path.join(reportDir, 'report.html');
  const jsonFile = path.join(reportDir, 'summary.json');
  await writeFile(jsonFile, `${JSON.stringify(summary, null, 2)}\n`);
  await writeFile(htmlFile, renderHtml(summary));
  return { summary, reportDir, htmlFile, jsonFile };
}

/** Ask the local Prometheus whether it scraped this run's exporter (the `run` label the targets file set). */
async function scrapedByPrometheus(
  url: string,
  runTag: string,
): Promise<{ url: string; scraped: boolean; detail: string }> {
  const query = `count(last_over_time({job="${LOAD_GENERATOR_SCRAPE_JOB}",run="${runTag}"}[10m]))`;
  try {
    const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`);
    const body = (await response.json()) as { data?: { result?: { value?: [number, string] }[] } };
    const series = Number(body.data?.result?.[0]?.value?.[1] ?? 0);
    return {
      url,
      scraped: series > 0,
      detail: `${series} vegeta series scraped (job="${LOAD_GENERATOR_SCRAPE_JOB}", run="${runTag}")`,
    };
  } catch (error) {
    return { url, scraped: false, detail: `query failed: ${(error as Error).message}` };
  }
}
