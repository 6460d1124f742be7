#!/usr/bin/env tsx
/**
 * Purpose: the one test command. Starts a throw-away test stack on real parts (Kafka, Postgres, Redis, mailpit on
 *          ports +10000, data under .scalefu/test), runs every `*.test.ts` with Node's built-in runner (tsx loader)
 *          on the pinned Node.js 24 (VERSIONS.node), prints a closing summary, stops the stack. Fails when a test
 *          fails or when no test ran. Ctrl-C or SIGTERM at any moment stops the stack and the test processes.
 * Prerequisites: those of `npm start` (JDK 17+, Maven, root or sudo for first apt installs).
 * Usage: npm test                      all tests
 *        npm test -- --unit            only tests that need no stack (no stack is started)
 *        npm test -- apps/onboarder    only test files whose path contains one of the given words
 *        KAFKA_BROKERS=… DATABASE_URL=… REDIS_URL=… SMTP_URL=… npm test   reuse running servers
 *        TEST_STACK_NAME=test-b TEST_PORT_OFFSET=20000 npm test   a second test stack beside the first
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureAdminWebBuilt } from '../apps/admin-web/scripts/build-lib';
import { StackError, say } from './lib/console';
import { pinnedNode } from './lib/node-runtime';
import { REPO_ROOT, stackDirs } from './lib/paths';
import { stopStackProcesses } from './lib/process-supervisor';
import { describe, startStack, type Stack } from './lib/stack/stack';

const { values: flags, positionals: filters } = parseArgs({
  allowPositionals: true,
  options: { unit: { type: 'boolean', default: false }, keep: { type: 'boolean', default: false } },
});

/** Tests under a `test/` folder are integration tests: they need the stack. Tests beside code are unit tests. */
const isIntegration = (file: string) => file.split(path.sep).includes('test');
const SEARCH_ROOTS = ['packages', 'apps', 'platform', 'scripts', 'dashboards', 'loadtests', 'test'];
const SKIP_DIRS = new Set(['node_modules', 'dist', '.next', 'out', 'imports', 'cdktf.out']);

async function findTests(dir: string): Promise<string[]> {
  const found: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !SKIP_DIRS.has(entry.name)) found.push(...(await findTests(full)));
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) found.push(full);
  }
  return found;
}

const all = (await Promise.all(SEARCH_ROOTS.map((r) => findTests(path.join(REPO_ROOT, r))))).flat().sort();
const selected = all
  .filter((f) => filters.length === 0 || filters.some((word) => path.relative(REPO_ROOT, f).includes(word)))
  .filter((f) => !flags.unit || !isIntegration(f));
if (selected.length === 0) {
  say.fail('test', `no test files matched${filters.length ? ` ${filters.join(', ')}` : ''}`);
  process.exit(1);
}

// Tests that load the admin web's export (browser, budgets, the edge) get a fresh build, once, only when stale.
if (selected.some((f) => /admin-web|[/\\]edge[/\\]/.test(path.relative(REPO_ROOT, f)))) {
  const started = Date.now();
  if (await ensureAdminWebBuilt()) say.step('admin-web', `built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

let stack: Stack | undefined;
const needsStack = selected.some(isIntegration);
const stackName = process.env['TEST_STACK_NAME'] ?? 'test';
const portOffset = Number(process.env['TEST_PORT_OFFSET'] ?? 10000);
let testRunner: ChildProcess | undefined;
let aborting = false;
/** A stop at any moment — mid start-up too — ends the test run and everything the stack spawned. */
async function abort(code: number): Promise<never> {
  aborting = true;
  stack?.supervisor.close();
  testRunner?.kill('SIGTERM');
  await stack?.stop();
  await sweepTestProcesses();
  process.exit(code);
}

/**
 * Tests start processes of their own under the test stack (the e2e services): whatever of them a killed or leaky
 * test left running carries the stack's marker and is stopped here.
 */
async function sweepTestProcesses(): Promise<void> {
  const leftovers = await stopStackProcesses(stackDirs(stackName).root, 5);
  if (leftovers.length) say.warn('test', `stopped ${leftovers.length} process(es) tests left: ${describe(leftovers)}`);
}
process.on('SIGINT', () => void abort(130));
process.on('SIGTERM', () => void abort(143));
// Last resort should this runner die before a stop finished (a crash, a bug): no component outlives it.
process.on('exit', () => (!flags.keep || aborting) && stack?.supervisor.killAll());
// Resolved before the stack starts: a failure here must not strand a running stack.
const node = pinnedNode();

if (needsStack) {
  const started = Date.now();
  try {
    stack = await startStack({
      name: stackName,
      portOffset,
      fresh: true,
      services: false,
      prometheus: false,
      // The trace test starts its own Zipkin (test/e2e/tracing.test.ts): other runs need no JVM for it.
      tracing: false,
      onCreated: (s) => (stack = s),
    });
  } catch (error) {
    // Only a signal's abort() exits on its own. A component that failed to start has stopped the stack too, and its
    // reason still has to be printed.
    if (aborting) await new Promise(() => undefined);
    say.fail(error instanceof StackError ? error.component : 'stack', (error as Error).message);
    process.exit(1);
  }
  say.step(
    'test',
    `stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s; running ${selected.length} test files`,
  );
}

const tapFile = path.join(stackDirs(stackName).run, `results-${process.pid}.tap`);
await rm(tapFile, { force: true });
await mkdir(path.dirname(tapFile), { recursive: true });
if (aborting) await new Promise(() => undefined); // a Ctrl-C right after start-up: abort() stops and exits
const exitCode = await new Promise<number>((resolve) => {
  const child = spawn(
    node,
    [
      '--import',
      'tsx',
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tapFile}`,
      ...selected.map((f) => path.relative(REPO_ROOT, f)),
    ],
    {
      cwd: REPO_ROOT,
      stdio: 'inherit',
      env: {
        ...process.env,
        ...(stack?.env ?? {}),
        SCALEFU_TEST_STACK: stack ? '1' : '0',
        SCALEFU_TEST_STACK_NAME: stackName,
        SCALEFU_PORT_OFFSET: String(portOffset),
        LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'silent',
      },
    },
  );
  testRunner = child;
  child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
});

if (aborting) await new Promise(() => undefined); // the tests ended because of the Ctrl-C: abort() exits 130
if (stack && !flags.keep) {
  await stack.stop();
  await sweepTestProcesses();
}

const tap = await readFile(tapFile, 'utf8').catch(() => '');
const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
const [tests, passed, failed, skipped] = [count('tests'), count('pass'), count('fail'), count('skipped')];
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
if (tests === 0) {
  say.fail('test', 'no test ran: that is a failure, not a pass');
  process.exit(1);
}
process.exit(failed > 0 || exitCode !== 0 ? 1 : 0);
