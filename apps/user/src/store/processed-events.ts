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
