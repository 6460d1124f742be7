import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { cpuDelta, cpuSecondsByComponent, rssMbByComponent } from './proc-cpu';

describe('per-component CPU from /proc', () => {
  it('counts the CPU a busy child spends, found as a descendant of the recorded leader', async () => {
    // A detached shell (its own group) that starts a busy loop in a new session, as Postgres backends do.
    const leader = spawn('sh', ['-c', 'setsid timeout 1.5 sh -c "while :; do :; done" & wait'], {
      detached: true,
      stdio: 'ignore',
    });
    const components = [{ name: 'busy', pids: [leader.pid!] }];
    const before = cpuSecondsByComponent(components);
    await new Promise((resolve) => setTimeout(resolve, 700));
    const during = cpuSecondsByComponent(components);
    assert.ok(rssMbByComponent(components)['busy']! > 0, 'the processes have resident memory');
    await new Promise((resolve) => leader.once('exit', resolve));
    assert.ok(cpuDelta(before, during)['busy']! > 0.05, `busy child spent ${cpuDelta(before, during)['busy']} s`);
  });
});
