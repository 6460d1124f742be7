import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type pg from 'pg';
import { CLAIM_UNPUBLISHED, claimUnpublished } from '../src/store/outbox';
import { explainedNodes, openPlanSession } from './query-plans';

const PUBLISHED = 5000;
const UNPUBLISHED = 5;
let session: pg.PoolClient;
let close: () => Promise<void>;

before(async () => {
  ({ session, close } = await openPlanSession());
  // A temporary outbox shadows the real one for this session only (pg_temp comes first in the search path), so no
  // relay of another test file publishes these rows, and no autovacuum clears their dead index entries or analyzes
  // the table: left to itself, the planner then takes the bitmap scan, as it did on the stack at 500/s.
  // Its own ids: the real table's default would draw from the shared sequence, which other test files advance.
  await session.query('CREATE TEMP TABLE outbox (LIKE public.outbox INCLUDING ALL EXCLUDING DEFAULTS)');
  await session.query(
    `INSERT INTO outbox (id, event_id, topic, key, event_type, payload, created_at)
     SELECT n, gen_random_uuid(), 'user.created', 'k' || n, 'user.created', '{}'::jsonb, now()
       FROM generate_series(1, $1) AS n`,
    [PUBLISHED + UNPUBLISHED],
  );
  // Published in a transaction of its own, as the relay does: the unpublished index keeps an entry for each old version.
  await session.query('UPDATE outbox SET published_at = clock_timestamp() WHERE id <= $1', [PUBLISHED]);
});

after(() => close?.());

test('the relay claim walks the unpublished index in id order and skips published entries it has passed once (real Postgres)', async () => {
  await session.query('BEGIN');
  try {
    const claimed = await claimUnpublished(session, 500);
    assert.equal(claimed.length, UNPUBLISHED);
    assert.deepEqual(
      claimed.map((r) => Number(r.id)),
      claimed.map((r) => Number(r.id)).sort((a, b) => a - b),
    );
    // The same claim again, as the next relay round would run it, planned and measured in the claim's transaction.
    const nodes = await explainedNodes(session, CLAIM_UNPUBLISHED, [500]);
    const types = nodes.map((n) => n['Node Type']);
    assert.ok(types.includes('Index Scan') && !types.some((t) => /Bitmap/.test(String(t))), types.join(', '));
    const root = nodes[0]!;
    // A bitmap scan would read all 5,000 dead entries, and the heap pages they point to, on every claim.
    assert.ok(
      Number(root['Shared Hit Blocks']) < 20,
      `the second claim read ${String(root['Shared Hit Blocks'])} buffers`,
    );
  } finally {
    await session.query('ROLLBACK');
  }
});
