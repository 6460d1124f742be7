#!/usr/bin/env tsx
/**
 * Purpose: the tournament's chaos suite. Starts its own throw-away stack (so it may kill Kafka, Redis, Postgres and
 *          SMTP), then runs each scenario under steady registration load (≥ 500 acked around the fault) and checks
 *          after recovery that every acked registration is stored once, CONFIRMED and mailed (repeats as ADR 0050
 *          allows). One verdict per scenario with the figures and the time to recover; exits 1 when one fails.
 * Prerequisites: those of `npm start` (JDK 17+, Maven). Load goes to 127.0.0.1 only.
 * Usage: npm run chaos                               every scenario (about 10 min)
 *        npm run chaos -- kafka-kill smtp-down       only these
 *        npm run chaos -- --list                     the scenarios and what each does
 *        npm run chaos -- --rate 60 --min-acked 500 --port-offset 31000 --name chaos
 */
import { RUNTIME_ENV } from '@scalefu/contracts';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { say } from '../../scripts/lib/console';
import { startStack, type Stack } from '../../scripts/lib/stack/stack';
import { pipelineRig, stackInfra } from './rig';
import { formatChaos, runScenario, type ChaosResult } from './run';
import { SCENARIOS, scenarioNamed } from './scenarios';

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    list: { type: 'boolean', default: false },
    rate: { type: 'string', default: '60' },
    'min-acked': { type: 'string', default: '500' },
    name: { type: 'string', default: 'chaos' },
    'port-offset': { type: 'string', default: '31000' },
  },
});

if (flags.list) {
  for (const s of SCENARIOS) console.log(`${s.name.padEnd(24)} ${s.what}`);
  process.exit(0);
}
const chosen = positionals.length ? positionals.map(scenarioNamed) : SCENARIOS;
const offset = Number(flags['port-offset']);

let stack: Stack | undefined;
process.on('SIGINT', () => void stack?.stop().then(() => process.exit(130)));
stack = await startStack({
  name: flags.name,
  portOffset: offset,
  fresh: true,
  services: false,
  prometheus: false,
  tracing: false,
  onCreated: (s) => (stack = s),
});
// The e2e Pipeline reads the stack's addresses from the environment, as under `npm test`.
Object.assign(process.env, stack.env, {
  SCALEFU_PORT_OFFSET: String(offset),
  SCALEFU_TEST_STACK_NAME: flags.name,
  LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'info',
});
const { Pipeline, serviceUrl } = await import('../../test/e2e/pipeline');
const pipeline = new Pipeline();
const db = new pg.Pool({ connectionString: stack.env[RUNTIME_ENV.databaseUrl], max: 2 });
const rig = pipelineRig({
  pipeline,
  onboarderUrl: serviceUrl('onboarder'),
  mailWebUrl: stack.env['MAIL_WEB_URL']!,
  redisUrl: stack.env[RUNTIME_ENV.redisUrl]!,
  db,
  infra: stackInfra(stack, offset),
});

const results: ChaosResult[] = [];
let errors = 0;
try {
  for (const scenario of chosen) {
    say.step('chaos', `${scenario.name}: ${scenario.what}`);
    try {
      const result = await runScenario(rig, scenario, {
        minAcked: Number(flags['min-acked']),
        ratePerSecond: Number(flags.rate),
      });
      results.push(result);
      console.log(formatChaos(result));
    } catch (error) {
      errors += 1;
      console.log(`FAIL ${scenario.name} — ${(error as Error).message}`);
    } finally {
      await pipeline.stopAll();
    }
  }
} finally {
  await db.end().catch(() => undefined);
  await stack.stop();
}
const failed = results.filter((r) => !r.passed).length + errors;
console.log(`\n${chosen.length - failed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
