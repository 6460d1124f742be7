import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type pg from 'pg';
import { USER_STATUSES, onConfirmationSent } from '../src/domain/user-status';
import { CONFIRM_USERS, confirmUsers } from '../src/store/users';
import { explainedNodes, indexesUsed, openPlanSession } from './query-plans';

const CONFIRMED_EARLIER = 5000;
const WAITING = 20;
let session: pg.PoolClient;
let close: () => Promise<void>;
let waiting: string[];

let inserted = 0;

/** Inserts `count` CREATED users into the session's users table; their ids. */
async function insertUsers(count: number): Promise<string[]> {
  const first = inserted;
  inserted += count;
  const { rows } = await session.query<{ user_id: string }>(
    `INSERT INTO users (user_id, name, email, email_canonical, phone_e164, status)
     SELECT gen_random_uuid(), 'Plan Panda', e, e, '+66' || ($3::int + n), 'CREATED'
       FROM generate_series(1, $1) AS n, LATERAL (SELECT $2 || n || '@example.co.th' AS e) AS mail
     RETURNING user_id`,
    [count, `plan-${randomUUID()}-`, first],
  );
  return rows.map((r) => r.user_id);
}

before(async () => {
  ({ session, close } = await openPlanSession());
  // A temporary users table shadows the real one for this session only (pg_temp comes first in the search path), with
  // the real one's indexes. No autovacuum touches it, so its statistics and dead index entries stay as set up here:
  // those of a busy stack, where every registration was CREATED and then CONFIRMED, and few are CREATED right now.
  await session.query('CREATE TEMP TABLE users (LIKE public.users INCLUDING ALL)');
  const earlier = await insertUsers(CONFIRMED_EARLIER);
  await session.query(`UPDATE users SET status = 'CONFIRMED' WHERE user_id = ANY($1::uuid[])`, [earlier]);
  await session.query('ANALYZE users');
  waiting = await insertUsers(WAITING);
});

after(() => close?.());

test('confirming a batch finds its users by primary key, not among every CREATED entry of the status index (real Postgres)', async () => {
  await session.query('BEGIN');
  try {
    const batch = waiting.slice(0, 10);
    const at = batch.map(() => new Date());
    const nodes = await explainedNodes(session, CONFIRM_USERS, [batch, at]);
    const indexes = indexesUsed(nodes);
    assert.ok(indexes.length > 0 && indexes.every((name) => /pkey/.test(name)), `indexes used: ${indexes.join(', ')}`);
    assert.equal(nodes[0]!['Actual Rows'], batch.length);
    // The control: this table does lure `status = 'CREATED'` into the status index, so the check above can fail.
    const byStatus = CONFIRM_USERS.replace("status <> 'CONFIRMED'", "status = 'CREATED'");
    assert.notEqual(byStatus, CONFIRM_USERS);
    const lured = indexesUsed(await explainedNodes(session, byStatus, [batch, at]));
    assert.ok(
      lured.some((name) => /status/.test(name)),
      `with = 'CREATED' the plan used: ${lured.join(', ') || 'no index'}`,
    );
  } finally {
    await session.query('ROLLBACK');
  }
});

test("<> 'CONFIRMED' picks exactly the users a confirmation changes: the table allows no status the domain does not know (real Postgres)", async () => {
  const { rows } = await session.query<{ definition: string }>(
    `SELECT pg_get_constraintdef(c.oid) AS definition
       FROM pg_constraint c
      WHERE c.conrelid = 'public.users'::regclass AND c.contype = 'c' AND pg_get_constraintdef(c.oid) LIKE '%status%'`,
  );
  assert.equal(rows.length, 1, 'one CHECK on users.status');
  const allowed = [...rows[0]!.definition.matchAll(/'((?:[^']|'')*)'::/g)].map((m) => m[1]).sort();
  assert.deepEqual(allowed, [...USER_STATUSES].sort());
  for (const status of USER_STATUSES) assert.equal(onConfirmationSent(status).change, status !== 'CONFIRMED', status);
});

test('confirmUsers changes only CREATED users of the batch and returns them once each (real Postgres)', async () => {
  await session.query('BEGIN');
  try {
    const [first, second] = waiting;
    const absent = randomUUID();
    const once = await confirmUsers(session, [
      { userID: first!, at: new Date() },
      { userID: absent, at: new Date() },
      { userID: first!, at: new Date() },
    ]);
    assert.deepEqual(
      once.map((u) => [u.userID, u.status, u.version]),
      [[first, 'CONFIRMED', 2]],
    );
    const again = await confirmUsers(session, [
      { userID: first!, at: new Date() },
      { userID: second!, at: new Date() },
    ]);
    assert.deepEqual(
      again.map((u) => u.userID),
      [second],
    );
  } finally {
    await session.query('ROLLBACK');
  }
});
