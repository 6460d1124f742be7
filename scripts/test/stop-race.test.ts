import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { after, describe, test } from 'node:test';
import { DEPENDENCY_ENV, INFRA_PORTS, SERVICES, SERVICE_NAMES } from '@scalefu/contracts';
import { REPO_ROOT, stackDirs } from '../lib/paths';
import { STACK_MARKER_ENV } from '../lib/process-supervisor';

/**
 * Stops the real local stack at every phase of its start-up (issue 8): whatever the moment, no process of the stack
 * survives, and the next start finds every port free. Runs a separate stack (`--name`, ports +OFFSET) beside the
 * test stack `npm test` started.
 */
const NAME = 'stop-race';
const OFFSET = 12_000;
/** The same checks for a throw-away stack of the test runner (`npm test`). */
const TEST_RUNNER_NAME = 'stop-race-test';
const TEST_RUNNER_OFFSET = 14_000;
/** Ports of tools that are not part of a stack (the cluster check's API server, the release's registry). */
const NOT_STACK_PORTS: readonly (keyof typeof INFRA_PORTS)[] = ['kubeApiserver', 'etcd', 'etcdPeer', 'registry'];
const stackPorts = (offset: number) => [
  ...Object.entries(INFRA_PORTS)
    .filter(([name]) => !NOT_STACK_PORTS.includes(name as keyof typeof INFRA_PORTS))
    .map(([, p]) => p.port + offset),
  ...SERVICE_NAMES.map((s) => SERVICES[s].port + offset),
];

/** This test runs inside `npm test`: the runners it starts must start their own servers, not reuse the test stack's. */
function ownStackEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of Object.values(DEPENDENCY_ENV)) delete env[name];
  delete env['NODE_TEST_CONTEXT']; // else the inner npm test's runner thinks it is nested in ours and runs nothing
  for (const name of Object.keys(env)) if (name.startsWith('SCALEFU_') || name.endsWith('_URL')) delete env[name];
  return env;
}

/** A phase is the progress line after which the signal is sent. */
const starting = (component: string) => `${component.padEnd(14)} starting`;
const SUMMARY = `ScaleFu ${NAME} stack up`;
const PHASES = [
  starting('kafka'),
  starting('mailpit'),
  starting('zipkin'),
  ...SERVICE_NAMES.map(starting),
  starting('edge'),
  starting('prometheus'),
  SUMMARY,
];

interface Runner {
  readonly child: ChildProcess;
  readonly output: string[];
  readonly exited: Promise<number | null>;
  waitForLine(text: string, timeoutMs?: number): Promise<void>;
}

const runners: Runner[] = [];
after(async () => {
  for (const r of runners) if (r.child.exitCode === null) r.child.kill('SIGKILL');
  await stopCommand();
  await stopCommand(TEST_RUNNER_NAME);
});

function startRunner(
  args = ['scripts/start.ts', '--name', NAME, '--port-offset', String(OFFSET)],
  extraEnv: NodeJS.ProcessEnv = {},
): Runner {
  // Its own process group, as in a terminal: a group signal is what Ctrl-C sends.
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...ownStackEnv(), ...extraEnv },
  });
  const output: string[] = [];
  const waiters: { text: string; resolve: () => void }[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      output.push(line);
      for (const w of waiters.filter((w) => line.includes(w.text))) w.resolve();
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const runner: Runner = {
    child,
    output,
    exited,
    waitForLine: (text, timeoutMs = 120_000) =>
      new Promise<void>((resolve, reject) => {
        if (output.some((l) => l.includes(text))) return resolve();
        const timer = setTimeout(
          () => reject(new Error(`no "${text}" line in ${timeoutMs} ms:\n${output.join('\n')}`)),
          timeoutMs,
        );
        waiters.push({
          text,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
        void exited.then(() =>
          setTimeout(() => reject(new Error(`runner exited before "${text}":\n${output.join('\n')}`)), 50),
        );
      }),
  };
  runners.push(runner);
  return runner;
}

async function stopCommand(name = NAME): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/stop.ts', '--name', name], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: ownStackEnv(),
  });
  let text = '';
  child.stdout.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr.on('data', (d: Buffer) => (text += d.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  return text;
}

async function waitForListener(port: number, runner: Runner): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await listening(port))) {
    if (Date.now() > deadline) assert.fail(`nothing listens on ${port} after 60 s:\n${runner.output.join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Processes "of the stack": marked with its folder, or with the folder on their command line. */
function stackProcesses(stackDir = stackDirs(NAME).root): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (cmdline.includes(stackDir) || environ.includes(`${STACK_MARKER_ENV}=${stackDir}`)) {
        found.push(`${pid} ${cmdline.slice(0, 120)}`);
      }
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}

/** Nothing of the stack left within 30 s: no listener on any of its ports, no process of its own. */
async function assertNothingLeft(context: string, name = NAME, offset = OFFSET): Promise<void> {
  const deadline = Date.now() + 30_000;
  let listeners: number[] = [];
  let processes: string[] = [];
  do {
    listeners = (await Promise.all(stackPorts(offset).map(async (p) => ((await listening(p)) ? p : 0)))).filter(
      Boolean,
    );
    processes = stackProcesses(stackDirs(name).root);
    if (listeners.length === 0 && processes.length === 0) return;
    await new Promise((r) => setTimeout(r, 250));
  } while (Date.now() < deadline);
  assert.fail(`${context}: after 30 s still listening on ${listeners.join(', ') || '-'}; ${processes.join('; ')}`);
}

describe('stopping the local stack at any moment of its start-up leaves nothing running', { concurrency: 1 }, () => {
  for (const phase of PHASES) {
    test(`Ctrl-C (SIGINT to the runner's group) after "${phase.trim()}"`, async () => {
      const runner = startRunner();
      await runner.waitForLine(phase);
      process.kill(-runner.child.pid!, 'SIGINT');
      const code = await runner.exited;
      await assertNothingLeft(`SIGINT after "${phase}"`);
      assert.equal(code, 0, runner.output.join('\n'));
      const upAt = runner.output.findIndex((l) => l.includes(SUMMARY));
      const stopAt = runner.output.findIndex((l) => l.includes('stopping'));
      if (upAt >= 0) assert.ok(upAt < stopAt, `summary printed after the stop began:\n${runner.output.join('\n')}`);
      assert.ok(!runner.output.some((l) => l.includes('already taken')), runner.output.join('\n'));
    });
  }

  for (const phase of [starting('user'), SUMMARY]) {
    test(`SIGTERM to the runner alone after "${phase.trim()}"`, async () => {
      const runner = startRunner();
      await runner.waitForLine(phase);
      process.kill(runner.child.pid!, 'SIGTERM');
      assert.equal(await runner.exited, 0, runner.output.join('\n'));
      await assertNothingLeft(`SIGTERM after "${phase}"`);
    });

    test(`SIGKILL of the runner after "${phase.trim()}", then npm stop`, async () => {
      const runner = startRunner();
      await runner.waitForLine(phase);
      process.kill(runner.child.pid!, 'SIGKILL');
      await runner.exited;
      assert.ok(stackProcesses().length > 0, 'the killed runner should have left its components running');
      const said = await stopCommand();
      assert.match(said, /stopped \d+ process\(es\) no runner was looking after: .*kafka \(pid \d+\)/);
      await assertNothingLeft(`SIGKILL after "${phase}" + npm stop`);
    });
  }

  // npm test: its stack, and the service processes an e2e test starts under it, go too.
  const testRunnerPhases = [
    { line: starting('kafka'), servicesUp: false },
    { line: 'running 1 test files', servicesUp: false },
    { line: 'running 1 test files', servicesUp: true },
  ];
  for (const { line: phase, servicesUp } of testRunnerPhases) {
    const moment = `"${phase.trim()}"${servicesUp ? ' and the e2e services are up' : ''}`;
    test(`Ctrl-C of npm test after ${moment} stops its stack and the processes its tests started`, async () => {
      const runner = startRunner(['scripts/test.ts', 'test/e2e/registration'], {
        TEST_STACK_NAME: TEST_RUNNER_NAME,
        TEST_PORT_OFFSET: String(TEST_RUNNER_OFFSET),
        LOG_LEVEL: 'info',
      });
      await runner.waitForLine(phase);
      if (servicesUp) await waitForListener(SERVICES.onboarder.port + TEST_RUNNER_OFFSET, runner);
      process.kill(-runner.child.pid!, 'SIGINT');
      const code = await runner.exited;
      const said = `exit code ${code}; the runner printed:\n${runner.output.slice(-40).join('\n')}`;
      await assertNothingLeft(`npm test SIGINT after "${phase}" (${said})`, TEST_RUNNER_NAME, TEST_RUNNER_OFFSET);
      assert.equal(code, 130, said);
    });
  }

  test('npm test whose stack cannot start (a port taken) names the component and the port, exits 1, leaves nothing', async () => {
    const taken = INFRA_PORTS.mailWeb.port + TEST_RUNNER_OFFSET;
    const squatter = net.createServer();
    await new Promise<void>((resolve, reject) => {
      squatter.once('error', reject);
      squatter.listen({ port: taken, host: '127.0.0.1' }, resolve);
    });
    let hung: NodeJS.Timeout | undefined;
    try {
      const runner = startRunner(['scripts/test.ts', 'test/e2e/registration'], {
        TEST_STACK_NAME: TEST_RUNNER_NAME,
        TEST_PORT_OFFSET: String(TEST_RUNNER_OFFSET),
      });
      // A runner that hangs instead of failing is stopped like Ctrl-C would (its exit code then fails the test).
      hung = setTimeout(() => process.kill(-runner.child.pid!, 'SIGINT'), 120_000);
      const code = await runner.exited;
      const said = `exit code ${code}; the runner printed:\n${runner.output.slice(-20).join('\n')}`;
      assert.equal(code, 1, said);
      assert.ok(
        runner.output.some((l) => l.includes('mailpit') && l.includes(`port ${taken} is already taken`)),
        said,
      );
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
      await assertNothingLeft(`npm test with port ${taken} taken (${said})`, TEST_RUNNER_NAME, TEST_RUNNER_OFFSET);
    } finally {
      clearTimeout(hung);
      if (squatter.listening) squatter.close();
    }
  });

  test('after all that, a new start comes up on the same ports and stops cleanly', async () => {
    const runner = startRunner();
    await runner.waitForLine(SUMMARY);
    assert.ok(!runner.output.some((l) => l.includes('left by a previous run')), runner.output.join('\n'));
    process.kill(-runner.child.pid!, 'SIGINT');
    assert.equal(await runner.exited, 0);
    await assertNothingLeft('final start');
  });
});
