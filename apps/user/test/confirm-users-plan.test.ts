import { RUNTIME_ENV } from '@scalefu/contracts';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { CONFIRM_USERS, confirmUsers } from '../src/store/users';
import { config } from './helpers';

const CONFIRMED_EARLIER = 5000;
const WAITING = 20;
let pool: pg.Pool;
let session: pg.PoolClient;
let waiting: string[];

/** Every node of an EXPLAIN (FORMAT JSON) plan, depth first. */
function planNodes(plan: Record<string, unknown>): Record<string, unknown>[] {
  const children = (plan['Plans'] as Record<string, unknown>[] | undefined) ?? [];
  return [plan, ...children.flatMap(planNodes)];
}

let inserted = 0;

async function insertUsers(count: number, status: 'CREATED' | 'CONFIRMED'): Promise<string[]> {
  const first = inserted;
  inserted += count;
  const { rows } = await session.query<{ user_id: string }>(
    `INSERT INTO users (user_id, name, email, email_canonical, phone_e164, status)
     SELECT gen_random_uuid(), 'Plan Panda', e, e, '+66' || ($4::int + n), $2
       FROM generate_series(1, $1) AS n, LATERAL (SELECT $3 || n || '@example.co.th' AS e) AS mail
     RETURNING user_id`,
    [count, status, `plan-${randomUUID()}-`, first],
  );
  return rows.map((r) => r.user_id);
}

before(async () => {
  pool = new pg.Pool({ connectionString: config[RUNTIME_ENV.databaseUrl], max: 1 });
  session = await pool.connect();
  // A temporary users table shadows the real one for this session only (pg_temp comes first in the search path), with
  // the real one's indexes. No autovacuum touches it, so its statistics and dead index entries stay as set up here:
  // those of a busy stack, where every registration was CREATED and then CONFIRMED, and few are CREATED right now.
  await session.query('CREATE TEMP TABLE users (LIKE public.users INCLUDING ALL)');
  const earlier = await insertUsers(CONFIRMED_EARLIER, 'CREATED');
  await session.query(`UPDATE users SET status = 'CONFIRMED' WHERE user_id = ANY($1::uuid[])`, [earlier]);
  await session.query('ANALYZE users');
  waiting = await insertUsers(WAITING, 'CREATED');
});

after(async () => {
  session?.release();
  await pool?.end();
});

test('confirming a batch finds its users by primary key, not among every CREATED entry of the status index (real Postgres)', async () => {
  await session.query('BEGIN');
  try {
    const batch = waiting.slice(0, 10);
    const at = batch.map(() => new Date());
    const { rows } = await session.query<{ 'QUERY PLAN': [{ Plan: Record<string, unknown> }] }>(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${CONFIRM_USERS}`,
      [batch, at],
    );
    const nodes = planNodes(rows[0]!['QUERY PLAN'][0].Plan);
    const indexes = nodes.map((n) => n['Index Name']).filter((name): name is string => typeof name === 'string');
    assert.ok(indexes.length > 0 && indexes.every((name) => /pkey/.test(name)), `indexes used: ${indexes.join(', ')}`);
    assert.equal(nodes[0]!['Actual Rows'], batch.length);
  } finally {
    await session.query('ROLLBACK');
  }
});

test('confirmUsers changes only CREATED users of the batch and returns them once each (real Postgres)', async () => {
  await session.query('BEGIN');
  try {
    const [first, second] = waiting;
    const absent = randomUUID();
    const once = await confirmUsers(session, [
      { userID: first!, at: new Date() },
      { userID: absent, at: new Date() },
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
