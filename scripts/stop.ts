#!/usr/bin/env tsx
/**
 * Purpose: stop a stack started by `npm start` (or a test stack left by an interrupted `npm test`) from another
 *          terminal. Asks a live runner to stop; then finds every process the stack started that is still running —
 *          from the PID records written at spawn time (checked against the process's fork time, so a reused PID is
 *          never touched) and from the stack marker in each process's environment — and stops it. Says what it
 *          stopped. No orphans, even after a runner was SIGKILLed mid-start.
 * Prerequisites: none (Linux /proc).
 * Usage: npm stop [-- --test | --name <stack> | --all]
 */
import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { say } from './lib/console';
import { pidAlive } from './lib/managed-process';
import { STATE_ROOT, stackDirs } from './lib/paths';
import { stopStackProcesses } from './lib/process-supervisor';
import { describe, readState } from './lib/stack/stack';

const { values } = parseArgs({
  options: {
    test: { type: 'boolean', default: false },
    name: { type: 'string' },
    all: { type: 'boolean', default: false },
  },
});

const SKIP = new Set(['cache']);
const names = values.all
  ? existsSync(STATE_ROOT)
    ? readdirSync(STATE_ROOT, { withFileTypes: true })
        .filter((d) => d.isDirectory() && !SKIP.has(d.name))
        .map((d) => d.name)
    : []
  : [values.name ?? (values.test ? 'test' : 'local')];

async function waitFor(pid: number, seconds: number): Promise<boolean> {
  for (let i = 0; i < seconds * 4 && pidAlive(pid); i++) await new Promise((r) => setTimeout(r, 250));
  return !pidAlive(pid);
}

let anything = false;
for (const name of names) {
  const dirs = stackDirs(name);
  const state = readState(name);
  if (state && state.runnerPid !== process.pid && pidAlive(state.runnerPid)) {
    anything = true;
    say.step(name, `asking the runner (pid ${state.runnerPid}) to stop everything`);
    process.kill(state.runnerPid, 'SIGTERM');
    if (!(await waitFor(state.runnerPid, 90)))
      say.warn(name, 'the runner did not exit in 90 s; stopping its processes');
    else say.step(name, 'runner stopped');
  }
  const leftovers = await stopStackProcesses(dirs.root);
  await rm(path.join(dirs.run, 'stack.json'), { force: true });
  if (leftovers.length) {
    anything = true;
    say.step(name, `stopped ${leftovers.length} process(es) no runner was looking after: ${describe(leftovers)}`);
  }
}
if (!anything) say.step('stack', `no ${names.join(', ') || 'local'} stack is running`);
else say.step('stack', 'stopped; nothing of the stack is left running');
