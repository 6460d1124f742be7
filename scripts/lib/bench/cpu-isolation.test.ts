import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { assignCores, busyShare, isSaturated, parseCoreList, parseCoreTimes, withDescendants } from './cpu-isolation';

describe('assignCores', () => {
  it('gives the service the last core and everything else the rest', () => {
    assert.deepEqual(assignCores([0, 1]), { service: [1], others: [0] });
    assert.deepEqual(assignCores([3, 0, 2]), { service: [3], others: [0, 2] });
  });
  it('cannot isolate on one core', () => {
    assert.equal(assignCores([0]), undefined);
  });
});

describe('parseCoreList', () => {
  it('expands ranges', () => {
    assert.deepEqual(parseCoreList('0-2,5'), [0, 1, 2, 5]);
    assert.deepEqual(parseCoreList('1'), [1]);
  });
});

describe('busyShare', () => {
  const before = parseCoreTimes('cpu  9 9 9 9\ncpu0 100 0 50 800 50 0 0 0\ncpu1 10 0 0 990 0 0 0 0\n');
  const after = parseCoreTimes('cpu  9 9 9 9\ncpu0 180 0 68 800 50 1 1 0\ncpu1 20 0 0 1080 0 0 0 0\n');
  it('is the busy share of the named cores only, iowait counted idle', () => {
    assert.equal(busyShare(before, after, [0]), 1);
    assert.ok(Math.abs(busyShare(before, after, [1]) - 0.1) < 1e-9);
    assert.ok(Math.abs(busyShare(before, after, [0, 1]) - 110 / 200) < 1e-9);
  });
  it('judges a core saturated near full', () => {
    assert.equal(isSaturated(busyShare(before, after, [0])), true);
    assert.equal(isSaturated(busyShare(before, after, [1])), false);
  });
});

describe('withDescendants', () => {
  // A real process tree: this test process → sh → sleep.
  const shell = spawn('sh', ['-c', 'sleep 30 & wait'], { stdio: 'ignore', detached: true });
  after(() => process.kill(-shell.pid!, 'SIGKILL')); // the whole group: sleep too, not only sh
  const grandchild = async () => {
    for (let i = 0; i < 50; i += 1) {
      const found = withDescendants(shell.pid!).filter((pid) => pid !== shell.pid);
      if (found.length > 0) return found[0]!;
      await sleep(20);
    }
    throw new Error('sleep did not start');
  };

  it('finds children and grandchildren', async () => {
    const sleeper = await grandchild();
    const tree = withDescendants(process.pid);
    assert.ok(
      tree.includes(shell.pid!) && tree.includes(sleeper),
      `${tree.join(',')} lacks ${shell.pid} or ${sleeper}`,
    );
  });
  it('leaves out an excluded subtree (the bench must not re-pin the service it isolated)', async () => {
    const sleeper = await grandchild();
    const tree = withDescendants(process.pid, new Set([shell.pid!]));
    assert.ok(tree.includes(process.pid));
    assert.ok(!tree.includes(shell.pid!) && !tree.includes(sleeper), `${tree.join(',')} includes the excluded tree`);
  });
});
