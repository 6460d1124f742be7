import type { EventData, TopicSpec } from '@scalefu/contracts';
import { traceparentOf, type PostgresClient } from '@scalefu/service-kit';
import { v7 as uuidv7 } from 'uuid';
import type { Queryable } from './db';

/** NOTIFY channel the outbox trigger signals on commit (see migrations/0002_outbox.sql). */
export const OUTBOX_CHANNEL = 'scalefu_user_outbox';

/**
 * Write an event to the outbox in the caller's transaction. The event id is minted here and stored, so every
 * publish of this row (including one after a crash) carries the same CloudEvents id and continues the same trace.
 */
export async function enqueueEvent<T extends TopicSpec>(
  db: Queryable,
  topic: T,
  key: string,
  data: EventData<T['eventType']>,
): Promise<string> {
  const eventId = uuidv7();
  // The relay publishes later, outside this unit of work: the stored context is what keeps its send in this trace.
  const traceparent = traceparentOf() ?? null;
  await db.query(
    `INSERT INTO outbox (event_id, topic, key, event_type, payload, traceparent) VALUES ($1, $2, $3, $4, $5, $6)`,
    [eventId, topic.name, key, topic.eventType, JSON.stringify(data), traceparent],
  );
  return eventId;
}

/** One event for `enqueueEvents`: what `enqueueEvent` takes, plus the trace its publish continues. */
export interface NewOutboxEvent {
  readonly topic: TopicSpec;
  readonly key: string;
  readonly data: unknown;
  /** The context the relay's send continues (a batch's records each carry their own). */
  readonly traceparent: string | undefined;
}

/** `enqueueEvent` for many events in one statement; rows get ids in the given order (the relay's publish order). */
export async function enqueueEvents(db: Queryable, events: readonly NewOutboxEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db.query(
    `INSERT INTO outbox (event_id, topic, key, event_type, payload, traceparent)
     SELECT e, t, k, y, p, tp
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::text[])
            WITH ORDINALITY AS r(e, t, k, y, p, tp, i)
      ORDER BY i`,
    [
      events.map(() => uuidv7()),
      events.map((e) => e.topic.name),
      events.map((e) => e.key),
      events.map((e) => e.topic.eventType),
      events.map((e) => JSON.stringify(e.data)),
      events.map((e) => e.traceparent ?? null),
    ],
  );
}

export interface OutboxRow {
  readonly id: string;
  readonly eventId: string;
  readonly topic: string;
  readonly key: string;
  readonly eventType: string;
  readonly payload: unknown;
  readonly traceparent: string | null;
  readonly createdAt: Date;
}

/** The relay's claim: the oldest unpublished rows, in id order, skipping rows another transaction holds. */
export const CLAIM_UNPUBLISHED = `SELECT id, event_id, topic, key, event_type, payload, traceparent, created_at
       FROM outbox
      WHERE published_at IS NULL
      ORDER BY id
      LIMIT $1
      FOR UPDATE SKIP LOCKED`;

/**
 * Set in the claim's transaction. Few rows match, so the planner picks a bitmap scan of `outbox_unpublished_idx`, and a
 * bitmap scan never marks the index entries of published rows dead: every claim read each entry published since the
 * table's last vacuum (1,096 index entries per registration in a 20 s run at 500/s, 2026-12-07). A plain index scan
 * marks them as it passes, so the next claim skips them.
 */
const CLAIM_BY_INDEX_SCAN = 'SET LOCAL enable_bitmapscan = off';

/**
 * Lock the oldest unpublished rows for this transaction; rows another relay holds are skipped, not waited for. A client
 * inside a transaction, not a pool: the planner setting must reach the claim's own connection and transaction.
 */
export async function claimUnpublished(db: PostgresClient, limit: number): Promise<OutboxRow[]> {
  await db.query(CLAIM_BY_INDEX_SCAN);
  const { rows } = await db.query<{
    id: string;
    event_id: string;
    topic: string;
    key: string;
    event_type: string;
    payload: unknown;
    traceparent: string | null;
    created_at: Date;
  }>(CLAIM_UNPUBLISHED, [limit]);
  return rows.map((r) => ({
    id: r.id,
    eventId: r.event_id,
    topic: r.topic,
    key: r.key,
    eventType: r.event_type,
    payload: r.payload,
    traceparent: r.traceparent,
    createdAt: r.created_at,
  }));
}

/**
 * Marks rows the broker acked. `clock_timestamp()`, not `now()`: the relay's transaction began before it claimed and
 * sent the rows, and `published_at` says when they were out.
 */
export async function markPublished(db: Queryable, ids: readonly string[]): Promise<void> {
  await db.query('UPDATE outbox SET published_at = clock_timestamp() WHERE id = ANY($1::bigint[])', [ids]);
}

/** Advisory lock key of the relay turn. */
export const RELAY_LOCK_KEY = 727_081;

/** Only one relay publishes at a time (per-key order across replicas); the others skip this round. */
export async function tryTakeRelayTurn(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ got: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS got', [RELAY_LOCK_KEY]);
  return rows[0]?.got === true;
}

/** Unpublished rows and the age of the oldest, for the lag gauges. */
export async function outboxBacklog(db: Queryable): Promise<{ pending: number; oldestAgeSeconds: number }> {
  const { rows } = await db.query<{ pending: string; age: number | null }>(
    `SELECT count(*) AS pending, extract(epoch FROM now() - min(created_at))::float8 AS age
       FROM outbox WHERE published_at IS NULL`,
  );
  return { pending: Number(rows[0]?.pending ?? 0), oldestAgeSeconds: Math.max(0, rows[0]?.age ?? 0) };
}

/** Drop rows published long ago; the outbox is a hand-over buffer, not an event store. */
export async function prunePublished(db: Queryable, olderThanHours: number): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM outbox WHERE published_at < now() - make_interval(hours => $1)`, [
    olderThanHours,
  ]);
  return rowCount ?? 0;
}
