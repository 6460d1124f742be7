#!/usr/bin/env tsx
/**
 * Purpose: run one load scenario (loadtests/src/scenarios) with vegeta and write its HTML + JSON report under
 *          .scalefu/loadtests/. Without --target it starts a fresh local stack (port offset 30000 by default) with the
 *          public rate limit raised, measures E2E, loss and CPU per component, and stops the stack afterwards.
 *          Exits 99 (as k6 does) naming each breached threshold, 1 on any other failure.
 * Prerequisites: those of `npm start`; Go 1.24+ the first time (vegeta is built from the Go module proxy).
 * Usage: npm run load -- --list
 *        npm run load -- smoke
 *        npm run load -- load --rate 100 --duration 30s
 *        npm run load -- duplicate-storm --rate 50          (50 variants of one person at once)
 *        npm run load -- load --target http://127.0.0.1:8080   (a running onboarder: HTTP figures only)
 *        LOAD_STACK_NAME=load LOAD_PORT_OFFSET=20000 npm run load -- smoke
 */
import { say } from '../../../scripts/lib/console';
import { runScenario } from '../run';
import { SCENARIOS } from '../scenarios';
import { REPORTS_DIR } from '../target-stack';
import { parseLoadArgs } from './args';
import { THRESHOLD_BREACHED_EXIT } from './exit-codes';
import { openSession } from './session';

async function main(): Promise<number> {
  const args = parseLoadArgs(process.argv.slice(2));
  if (args.list || args.positionals.length === 0) {
    for (const s of Object.values(SCENARIOS)) {
      console.log(
        `${s.name.padEnd(16)} ${s.description} (default --rate ${s.defaults.rate} --duration ${s.defaults.durationSeconds}s)`,
      );
    }
    return args.list ? 0 : 1;
  }
  const name = args.positionals[0]!;
  const scenario = SCENARIOS[name];
  if (!scenario) throw new Error(`no scenario ${name}; one of: ${Object.keys(SCENARIOS).join(', ')}`);
  const options = {
    rate: args.rate ?? scenario.defaults.rate,
    durationSeconds: args.durationSeconds ?? scenario.defaults.durationSeconds,
  };
  const session = await openSession(args);
  try {
    const outcome = await runScenario(scenario, options, session.target, {
      vegeta: session.vegeta,
      reportsDir: REPORTS_DIR,
      log: (line) => say.step('load', line),
    });
    const { summary } = outcome;
    for (const t of summary.thresholds) {
      const line = `${t.name}: ${t.actual ?? 'not measured'}${t.unit && t.actual !== null ? ` ${t.unit}` : ''} (${t.source})`;
      if (t.status === 'fail') say.fail('threshold', line);
      else say.step(t.status === 'pass' ? 'pass' : 'skipped', line);
    }
    for (const line of summary.bottleneck) say.step('bottleneck', line);
    say.step('report', outcome.htmlFile);
    say.step('report', outcome.jsonFile);
    const breached = summary.thresholds.filter((t) => t.status === 'fail').map((t) => t.name);
    if (breached.length) {
      say.fail('load', `${scenario.name}: threshold breached: ${breached.join('; ')}`);
      return THRESHOLD_BREACHED_EXIT;
    }
    return 0;
  } finally {
    await session.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    say.fail('load', error.message);
    process.exit(1);
  },
);
