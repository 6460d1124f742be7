import type { Queryable } from './db';

/**
 * Mark an event as applied by a consumer, inside the transaction of its effect. False when it already was:
 * then the caller returns without doing anything (the commit of the earlier delivery holds the effect).
 */
export async function markProcessed(db: Queryable, consumer: string, eventId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
    [consumer, eventId],
  );
  return rowCount === 1;
}

/**
 * Forget marks older than anything Kafka could still redeliver (topics keep 7 days, DLQs 14, and a dead-lettered
 * record was never marked), so the table does not grow without bound.
 */
export async function pruneProcessed(db: Queryable, olderThanDays = 15): Promise<number> {
  const { rowCount } = await db.query(
    'DELETE FROM processed_events WHERE processed_at < now() - make_interval(days => $1)',
    [olderThanDays],
  );
  return rowCount ?? 0;
}

/**
 * `markProcessed` for a batch in one statement: the ids of `eventIds` marked now (the others already were). An id
 * given twice is marked once; the caller applies only its first occurrence.
 */
export async function markProcessedMany(
  db: Queryable,
  consumer: string,
  eventIds: readonly string[],
): Promise<Set<string>> {
  const { rows } = await db.query<{ event_id: string }>(
    `INSERT INTO processed_events (consumer, event_id)
     SELECT $1, id FROM unnest($2::text[]) AS t(id)
     ON CONFLICT DO NOTHING RETURNING event_id`,
    [consumer, eventIds],
  );
  return new Set(rows.map((r) => r.event_id));
}
