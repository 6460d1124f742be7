#!/usr/bin/env tsx
/**
 * Purpose: the "Take me down" tournament's load half: run the tournament set of scenarios (TOURNAMENT_SET: smoke,
 *          load, spike, duplicate-storm, admin-read, breakpoint) on one fresh local stack with the rate limit raised,
 *          then write one Markdown + HTML report a team can present, linking each scenario's own report.
 *          Exits 99 when any scenario breached a threshold (each named), 1 on any other failure.
 * Prerequisites: those of `npm run load`.
 * Usage: npm run tournament
 *        npm run tournament -- smoke load        (a subset, in this order)
 *        LOAD_STACK_NAME=load LOAD_PORT_OFFSET=20000 npm run tournament
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { say } from '../../../scripts/lib/console';
import { tournamentHtml, tournamentMarkdown, type TournamentEntry } from '../report/tournament';
import { runScenario } from '../run';
import { SCENARIOS, TOURNAMENT_SET } from '../scenarios';
import { REPORTS_DIR } from '../target-stack';
import { parseLoadArgs } from './args';
import { THRESHOLD_BREACHED_EXIT } from './exit-codes';
import { openSession } from './session';

async function main(): Promise<number> {
  const args = parseLoadArgs(process.argv.slice(2));
  const names = args.positionals.length ? args.positionals : [...TOURNAMENT_SET];
  const unknown = names.filter((n) => !SCENARIOS[n]);
  if (unknown.length)
    throw new Error(`no scenario ${unknown.join(', ')}; one of: ${Object.keys(SCENARIOS).join(', ')}`);
  const started = new Date();
  const dir = path.join(REPORTS_DIR, `tournament-${started.toISOString().replace(/[:.]/g, '-')}`);
  const session = await openSession(args);
  const entries: TournamentEntry[] = [];
  try {
    for (const name of names) {
      const scenario = SCENARIOS[name]!;
      const outcome = await runScenario(scenario, scenario.defaults, session.target, {
        vegeta: session.vegeta,
        reportsDir: dir,
        log: (line) => say.step('tournament', line),
      });
      entries.push({ summary: outcome.summary, reportHref: path.relative(dir, outcome.htmlFile) });
      say.step('tournament', `${name}: ${outcome.summary.passed ? 'PASS' : 'FAIL'} — ${outcome.htmlFile}`);
    }
  } finally {
    await session.close();
  }
  const title = `ScaleFu load tournament ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const context = `Target: ${session.target.note}; public rate limit ${
    session.target.rateLimitPerMinute ? `raised to ${session.target.rateLimitPerMinute}/min` : 'as the target runs it'
  }. Engine: vegeta. Thresholds from packages/contracts SLOs.`;
  await mkdir(dir, { recursive: true });
  const md = path.join(dir, 'tournament.md');
  const html = path.join(dir, 'tournament.html');
  await writeFile(md, tournamentMarkdown(title, entries, context));
  await writeFile(html, tournamentHtml(title, entries, context));
  say.step('report', md);
  say.step('report', html);
  const failed = entries.filter((e) => !e.summary.passed);
  for (const f of failed) {
    say.fail(
      f.summary.scenario,
      f.summary.thresholds
        .filter((t) => t.status === 'fail')
        .map((t) => t.name)
        .join('; '),
    );
  }
  return failed.length ? THRESHOLD_BREACHED_EXIT : 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    say.fail('tournament', error.message);
    process.exit(1);
  },
);
