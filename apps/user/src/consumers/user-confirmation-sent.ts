/**
 * `user.confirmation.sent` → status CONFIRMED (version + 1) and `user.updated`, in one transaction with the
 * processed-event mark. A user that was deleted meanwhile is skipped. A user that never existed is an anomaly
 * (confirmations follow `user.created`, which the relay publishes only after the user row committed), so the
 * record goes to the DLQ for a human instead of being dropped.
 */
import { TOPICS } from '@scalefu/contracts';
import { PermanentFailure, inTransaction, subscribe, type PostgresPool } from '@scalefu/service-kit';
import { identityOf, toResource } from '../domain/user';
import { onConfirmationSent } from '../domain/user-status';
import { enqueueEvent } from '../store/outbox';
import { markProcessed } from '../store/processed-events';
import type { UserMetrics } from '../metrics';
import { findUser, isTombstoned, setStatus } from '../store/users';

const CONSUMER = `user/${TOPICS.confirmationSent.name}`;

export function userConfirmationSent(pool: PostgresPool, metrics: UserMetrics) {
  return subscribe(TOPICS.confirmationSent, async (event, ctx) => {
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
  });
}
