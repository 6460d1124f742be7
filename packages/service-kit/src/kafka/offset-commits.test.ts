import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '../logger';
import { OffsetCommits, type CommitThroughGroup } from './offset-commits';

type Request = Parameters<CommitThroughGroup>[0];

async function eventually(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(10);
  }
}

/** Records each OffsetCommit request; `hold` keeps the next ones unanswered until `release`. */
function recordingGroup() {
  const requests: Request[] = [];
  let gate: Promise<void> | undefined;
  let open: () => void = () => undefined;
  const commitThrough: CommitThroughGroup = async (offsets) => {
    requests.push(structuredClone(offsets));
    if (gate) await gate;
  };
  return {
    requests,
    commitThrough,
    hold: () => void (gate = new Promise<void>((resolve) => (open = resolve))),
    release: () => {
      gate = undefined;
      open();
    },
  };
}

function logLines() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    service: 'test',
    level: 'debug',
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  return { logger, lines };
}

test('the first commit goes at once; batches within the interval after it leave in one request, the newest offset per partition, grouped by topic', async () => {
  const group = recordingGroup();
  const commits = new OffsetCommits({ groupId: 'g', intervalMs: 1000, logger: logLines().logger });
  commits.add('a', 0, '0', group.commitThrough);
  await sleep(20);
  assert.equal(group.requests.length, 1, 'the first commit after a quiet spell is not held back');
  for (let offset = 1; offset < 10; offset++) {
    commits.add('a', offset % 3, String(offset), group.commitThrough);
    commits.add('b', 0, String(offset), group.commitThrough);
  }
  assert.equal(group.requests.length, 1, 'nothing more is sent within the interval');
  await sleep(1100);
  assert.deepEqual(group.requests.slice(1), [
    {
      topics: [
        {
          topic: 'a',
          partitions: [
            { partition: 1, offset: '8' },
            { partition: 2, offset: '9' },
            { partition: 0, offset: '10' },
          ],
        },
        { topic: 'b', partitions: [{ partition: 0, offset: '10' }] },
      ],
    },
  ]);
  assert.deepEqual(commits.waiting, []);
});

test('a commit never moves a partition back: not below what waits, nor below what was committed', async () => {
  const group = recordingGroup();
  const commits = new OffsetCommits({ groupId: 'g', intervalMs: 2000, logger: logLines().logger });
  commits.add('a', 0, '41', group.commitThrough);
  commits.add('a', 0, '7', group.commitThrough); // an older batch finishing late
  await commits.flush();
  assert.deepEqual(group.requests, [{ topics: [{ topic: 'a', partitions: [{ partition: 0, offset: '42' }] }] }]);
  commits.add('a', 0, '20', group.commitThrough); // records read again after a rebalance this member kept the partition through
  commits.retainOnly({ a: [0] });
  commits.add('a', 0, '30', group.commitThrough);
  await commits.flush();
  assert.equal(group.requests.length, 1, 'nothing at or below the committed 42 is sent');
  commits.add('a', 0, '50', group.commitThrough);
  await sleep(60);
  assert.equal(group.requests.length, 1, 'the next commit waits for the interval since the last');
  await sleep(2100);
  assert.equal(group.requests.length, 2);
  assert.equal(group.requests[1]!.topics[0]!.partitions[0]!.offset, '51');
});

test('one commit in flight at a time: a flush during a slow commit sends after it is answered', async () => {
  const group = recordingGroup();
  const commits = new OffsetCommits({ groupId: 'g', intervalMs: 0, logger: logLines().logger });
  group.hold();
  commits.add('a', 0, '1', group.commitThrough);
  const first = commits.flush();
  await sleep(10);
  commits.add('a', 0, '2', group.commitThrough);
  const second = commits.flush();
  await sleep(20);
  assert.equal(group.requests.length, 1, 'the second request waits for the first answer');
  group.release();
  await Promise.all([first, second]);
  assert.deepEqual(
    group.requests.map((r) => r.topics[0]!.partitions[0]!.offset),
    ['2', '3'],
  );
});

test('after a rebalance only the partitions still owned wait; after a crash or a stop nothing does', () => {
  const group = recordingGroup();
  const commits = new OffsetCommits({ groupId: 'g', intervalMs: 1000, logger: logLines().logger });
  commits.add('a', 0, '5', group.commitThrough);
  commits.add('a', 1, '5', group.commitThrough);
  commits.add('b', 2, '5', group.commitThrough);
  commits.retainOnly({ a: [1], c: [0] });
  assert.deepEqual(commits.waiting, [{ topic: 'a', partition: 1, offset: '6' }]);
  commits.discard();
  assert.deepEqual(commits.waiting, [], 'a crashed or stopped consumer sends nothing more');
});

test('a partition lost and owned again may be committed below what this member committed before', async () => {
  const group = recordingGroup();
  const commits = new OffsetCommits({ groupId: 'g', intervalMs: 0, logger: logLines().logger });
  commits.add('a', 0, '41', group.commitThrough);
  await commits.flush();
  commits.retainOnly({ a: [1] }); // lost: another member owns it and the broker's offset is now its business
  commits.retainOnly({ a: [0, 1] }); // owned again, read from whatever the other owner committed
  commits.add('a', 0, '20', group.commitThrough);
  await commits.flush();
  assert.deepEqual(
    group.requests.map((r) => r.topics[0]!.partitions[0]!.offset),
    ['42', '21'],
  );
});

test('a failed commit is retried on its own, with no new batch, once the backoff has passed', async () => {
  const group = recordingGroup();
  const commits = new OffsetCommits({ groupId: 'g', intervalMs: 20, logger: logLines().logger });
  let refusals = 1;
  const flaky: CommitThroughGroup = async (offsets) => {
    if (refusals-- > 0) throw new Error('REBALANCE_IN_PROGRESS');
    await group.commitThrough(offsets);
  };
  commits.add('a', 0, '5', flaky);
  await commits.flush();
  assert.equal(group.requests.length, 0, 'the first try was refused');
  await eventually(() => group.requests.length === 1);
  assert.deepEqual(group.requests, [{ topics: [{ topic: 'a', partitions: [{ partition: 0, offset: '6' }] }] }]);
  commits.cancel();
});

test('a failed commit is logged, not thrown, and retried with the next one unless the assignment changed meanwhile', async () => {
  const { logger, lines } = logLines();
  const commits = new OffsetCommits({ groupId: 'g', intervalMs: 1000, logger });
  const failing: CommitThroughGroup = () => Promise.reject(new Error('REBALANCE_IN_PROGRESS'));
  commits.add('a', 0, '5', failing);
  await commits.flush();
  assert.equal(lines.find((l) => l['msg'] === 'offset commit failed')?.['groupId'], 'g');
  assert.deepEqual(commits.waiting, [{ topic: 'a', partition: 0, offset: '6' }], 'kept for the next commit');

  const group = recordingGroup();
  group.hold();
  const slowFailure: CommitThroughGroup = async (offsets) => {
    await group.commitThrough(offsets);
    throw new Error('ILLEGAL_GENERATION');
  };
  commits.add('a', 1, '9', slowFailure);
  const sending = commits.flush();
  await sleep(10);
  commits.retainOnly({ a: [0, 1] }); // a rebalance ends while the commit is in flight
  group.release();
  await sending;
  assert.deepEqual(commits.waiting, [], 'not retried under the new assignment');
  commits.cancel();
});

test('an interval that is not a finite number ≥ 0 is refused', () => {
  const { logger } = logLines();
  assert.throws(() => new OffsetCommits({ groupId: 'g', intervalMs: -1, logger }), /intervalMs must be/);
  assert.throws(() => new OffsetCommits({ groupId: 'g', intervalMs: Number.NaN, logger }), /intervalMs must be/);
});
