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
