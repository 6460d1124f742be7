/**
 * `user.registration.request` → store the user and emit `user.created`, or — when the database finds the person
 * already registered under another userID (a duplicate that passed Redis) — record the rejection and emit
 * `user.registration.rejected`. Everything happens in one transaction with the processed-event mark and the
 * outbox row, so a redelivery (same event id) or a re-sent command (same userID) changes nothing.
 */
import { TOPICS } from '@scalefu/contracts';
import { failpoint, inTransaction, subscribe, type PostgresClient, type PostgresPool } from '@scalefu/service-kit';
import type { NewPerson } from '../domain/person';
import { identityOf, toResource } from '../domain/user';
import { enqueueEvent } from '../store/outbox';
import type { UserMetrics } from '../metrics';
import { markProcessed } from '../store/processed-events';
import { recordRejection } from '../store/rejections';
import { findConflict, insertUserIfAbsent, isTombstoned, userExists } from '../store/users';

const CONSUMER = `user/${TOPICS.registrationRequest.name}`;

/** Raised when the conflicting row vanished between insert and lookup (deleted concurrently): a retry settles it. */
class ConflictVanished extends Error {
  override readonly name = 'ConflictVanished';
}

export function userRegistrationRequest(pool: PostgresPool, metrics: UserMetrics) {
  return subscribe(TOPICS.registrationRequest, async (event, ctx) => {
    const command = event.data;
    const outcome = await inTransaction(pool, async (tx) => {
      if (!(await markProcessed(tx, CONSUMER, event.id))) return 'already-processed';
      if (await isTombstoned(tx, command.userID)) return 'deleted-before';
      const person: NewPerson = {
        name: command.name,
        email: command.email,
        emailCanonical: command.identity.email,
        phoneE164: command.identity.phone,
        nationalIdHmac: command.identity.nationalIdHmac,
        nationalIdMasked: command.nationalIdMasked,
      };
      const user = await insertUserIfAbsent(tx, command.userID, person);
      if (user) {
        await enqueueEvent(tx, TOPICS.userCreated, user.userID, { user: toResource(user), identity: identityOf(user) });
        return 'created';
      }
      return rejectOrSkip(tx, command.userID, command.identity);
    });
    failpoint('user.after-db-commit'); // chaos: dies committed but unacknowledged (loadtests/chaos)
    if (outcome.startsWith('rejected:')) {
      for (const field of outcome.slice('rejected:'.length).split(',')) {
        metrics.duplicates.inc({ field, stage: 'database' });
      }
    }
    // A duplicate the database caught means Redis missed it: worth seeing at info; the rest is routine.
    if (outcome.startsWith('rejected:')) ctx.log.info({ outcome }, 'registration rejected as duplicate');
    else ctx.log.debug({ outcome }, 'registration command handled');
  });
}

async function rejectOrSkip(
  tx: PostgresClient,
  userID: string,
  identity: { email: string; phone: string; nationalIdHmac?: string | undefined },
): Promise<'exists' | `rejected:${string}` | 'rejected-before'> {
  // A re-sent command (new event id, same userID) for a user already stored changes nothing.
  if (await userExists(tx, userID)) return 'exists';
  const conflict = await findConflict(tx, identity, userID);
  // Nothing inserted yet nobody holds the keys: the holder was deleted a moment ago; another try settles it.
  if (!conflict) throw new ConflictVanished(`identity conflict for ${userID} vanished; retrying`);
  const { recorded, rejectedAt } = await recordRejection(tx, userID, conflict.existingUserID, conflict.fields);
  if (!recorded) return 'rejected-before';
  await enqueueEvent(tx, TOPICS.registrationRejected, userID, {
    userID,
    reason: 'DUPLICATE',
    existingUserID: conflict.existingUserID,
    conflictingFields: conflict.fields,
    identity: {
      email: identity.email,
      phone: identity.phone,
      ...(identity.nationalIdHmac ? { nationalIdHmac: identity.nationalIdHmac } : {}),
    },
    rejectedAt: rejectedAt.toISOString(),
  });
  // The conflicting fields ride along so the caller counts them once the transaction committed.
  return `rejected:${conflict.fields.join(',')}`;
}
