/**
 * `user.confirmation.sent` → status CONFIRMED (version + 1) and `user.updated`, in one transaction with the
 * processed-event mark. A user that was deleted meanwhile is skipped. A user that never existed is an anomaly
 * (confirmations follow `user.created`, which the relay publishes only after the user row committed), so the
 * record goes to the DLQ for a human instead of being dropped.
 */
import { TOPICS, type EventData, type EventEnvelope } from '@scalefu/contracts';
import {
  PermanentFailure,
  inTransaction,
  subscribe,
  type BatchItem,
  type HandlerContext,
  type PostgresClient,
  type PostgresPool,
} from '@scalefu/service-kit';
import { identityOf, toResource } from '../domain/user';
import { onConfirmationSent } from '../domain/user-status';
import { enqueueEvent, enqueueEvents } from '../store/outbox';
import { markProcessed, markProcessedMany } from '../store/processed-events';
import type { UserMetrics } from '../metrics';
import { confirmUsers, existingAmong, findUser, isTombstoned, setStatus, tombstonedAmong } from '../store/users';

const CONSUMER = `user/${TOPICS.confirmationSent.name}`;

type ConfirmationEvent = EventEnvelope<EventData<typeof TOPICS.confirmationSent.eventType>>;

export function userConfirmationSent(pool: PostgresPool, metrics: UserMetrics) {
  const handleOne = async (event: ConfirmationEvent, ctx: HandlerContext) => {
    const { userID, sentAt } = event.data;
    const outcome = await inTransaction(pool, async (tx) => {
      if (!(await markProcessed(tx, CONSUMER, event.id))) return 'already-processed';
      const user = await findUser(tx, userID, true);
      if (!user) {
        if (await isTombstoned(tx, userID)) return 'deleted';
        throw new PermanentFailure(`confirmation for unknown user ${userID}`);
      }
      const transition = onConfirmationSent(user.status);
      if (!transition.change) return 'already-confirmed';
      const updated = await setStatus(tx, userID, transition.to, new Date(sentAt));
      const identity = identityOf(updated);
      await enqueueEvent(tx, TOPICS.userUpdated, userID, { user: toResource(updated), identity });
      return 'confirmed';
    });
    // Observed after the commit: the status is CONFIRMED for readers from this moment on.
    if (outcome === 'confirmed') metrics.confirmed(userID);
    ctx.log.debug({ outcome }, 'confirmation handled');
  };
  return subscribe(TOPICS.confirmationSent, handleOne, async (items) => {
    const confirmed = await inTransaction(pool, (tx) => confirmBatch(tx, items));
    for (const userID of confirmed) metrics.confirmed(userID);
  });
}

/**
 * The batch form, with the per-record outcomes: one UPDATE confirms every CREATED user of the batch (the first
 * confirmation of a user wins, as in offset order); the others were CONFIRMED already or deleted. A user that never
 * existed throws, which sends the whole batch the per-record way, where that record alone goes to the DLQ.
 * Returns the ids confirmed.
 */
async function confirmBatch(tx: PostgresClient, items: readonly BatchItem<ConfirmationEvent>[]): Promise<string[]> {
  const fresh = await markProcessedMany(
    tx,
    CONSUMER,
    items.map((i) => i.event.id),
  );
  const firstPerUser = new Map<string, BatchItem<ConfirmationEvent>>();
  for (const item of items) {
    const id = item.event.data.userID.toLowerCase();
    if (fresh.has(item.event.id) && !firstPerUser.has(id)) firstPerUser.set(id, item);
  }
  const todo = [...firstPerUser.values()];
  const updated = await confirmUsers(
    tx,
    todo.map((i) => ({ userID: i.event.data.userID, at: new Date(i.event.data.sentAt) })),
  );
  const changed = new Set(updated.map((u) => u.userID.toLowerCase()));
  const untouched = todo.map((i) => i.event.data.userID).filter((id) => !changed.has(id.toLowerCase()));
  const existing = await existingAmong(tx, untouched);
  const missing = untouched.filter((id) => !existing.has(id.toLowerCase()));
  const deleted = await tombstonedAmong(tx, missing);
  const unknown = missing.find((id) => !deleted.has(id.toLowerCase()));
  if (unknown) throw new PermanentFailure(`confirmation for unknown user ${unknown}`);
  const byId = new Map(updated.map((u) => [u.userID.toLowerCase(), u]));
  await enqueueEvents(
    tx,
    todo.flatMap((item) => {
      const user = byId.get(item.event.data.userID.toLowerCase());
      if (!user) return [];
      return [
        {
          topic: TOPICS.userUpdated,
          key: user.userID,
          traceparent: item.traceparent,
          data: { user: toResource(user), identity: identityOf(user) },
        },
      ];
    }),
  );
  return updated.map((u) => u.userID);
}
