#!/usr/bin/env tsx
/**
 * Purpose: stop a local stack started by `npm start` (or a test stack left by an interrupted `npm test`),
 *          from another terminal; kills leftovers if the runner itself is gone. No orphans.
 * Prerequisites: none.
 * Usage: npm stop [-- --test | --name <stack>]
 */
import { parseArgs } from 'node:util';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { say } from './lib/console';
import { pidAlive, signalGroup } from './lib/managed-process';
import { stackDirs } from './lib/paths';
import { readState } from './lib/stack/stack';

const { values } = parseArgs({ options: { test: { type: 'boolean', default: false }, name: { type: 'string' } } });
const name = values.name ?? (values.test ? 'test' : 'local');
const state = readState(name);
if (!state) {
  say.step('stack', `no ${name} stack is running`);
  process.exit(0);
}

const waitFor = async (pids: number[], seconds: number) => {
  for (let i = 0; i < seconds * 4 && pids.some(pidAlive); i++) await new Promise((r) => setTimeout(r, 250));
  return pids.filter(pidAlive);
};

if (pidAlive(state.runnerPid)) {
  say.step('stack', `asking the runner (pid ${state.runnerPid}) to stop everything`);
  process.kill(state.runnerPid, 'SIGTERM');
  await waitFor([state.runnerPid], 90);
}
const leftovers = state.components.flatMap((c) => c.pids).filter(pidAlive);
for (const pid of leftovers) signalGroup(pid, 'SIGTERM');
const stubborn = await waitFor(leftovers, 20);
for (const pid of stubborn) signalGroup(pid, 'SIGKILL');
await rm(path.join(stackDirs(name).run, 'stack.json'), { force: true });
say.step('stack', `stopped${leftovers.length ? ` (${leftovers.length} leftover process(es) killed)` : ''}`);
