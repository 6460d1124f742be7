/**
 * `user.registration.request` → store the user and emit `user.created`, or — when the database finds the person
 * already registered under another userID (a duplicate that passed Redis) — record the rejection and emit
 * `user.registration.rejected`. Everything happens in one transaction with the processed-event mark and the
 * outbox row, so a redelivery (same event id) or a re-sent command (same userID) changes nothing.
 */
import { TOPICS, type EventData, type EventEnvelope } from '@scalefu/contracts';
import {
  failpoint,
  inTransaction,
  subscribe,
  type BatchContext,
  type BatchItem,
  type PostgresClient,
  type PostgresPool,
} from '@scalefu/service-kit';
import type { NewPerson } from '../domain/person';
import { identityOf, toResource } from '../domain/user';
import { enqueueEvent, enqueueEvents, type NewOutboxEvent } from '../store/outbox';
import type { UserMetrics } from '../metrics';
import { markProcessed, markProcessedMany } from '../store/processed-events';
import { recordRejection, recordRejections, type NewRejection } from '../store/rejections';
import {
  conflictOf,
  existingAmong,
  findConflict,
  holdersOf,
  insertUserIfAbsent,
  insertUsersIfAbsent,
  isTombstoned,
  tombstonedAmong,
  userExists,
  type Conflict,
} from '../store/users';

const CONSUMER = `user/${TOPICS.registrationRequest.name}`;

/** Raised when the conflicting row vanished between insert and lookup (deleted concurrently): a retry settles it. */
class ConflictVanished extends Error {
  override readonly name = 'ConflictVanished';
}

type RegistrationEvent = EventEnvelope<EventData<typeof TOPICS.registrationRequest.eventType>>;

export function userRegistrationRequest(pool: PostgresPool, metrics: UserMetrics) {
  return subscribe(
    TOPICS.registrationRequest,
    async (event, ctx) => {
      const command = event.data;
      const outcome = await inTransaction(pool, async (tx) => {
        if (!(await markProcessed(tx, CONSUMER, event.id))) return 'already-processed';
        if (await isTombstoned(tx, command.userID)) return 'deleted-before';
        const user = await insertUserIfAbsent(tx, command.userID, personOf(command));
        if (user) {
          await enqueueEvent(tx, TOPICS.userCreated, user.userID, {
            user: toResource(user),
            identity: identityOf(user),
          });
          return 'created';
        }
        return rejectOrSkip(tx, command.userID, command.identity);
      });
      failpoint('user.after-db-commit'); // chaos: dies committed but unacknowledged (loadtests/chaos)
      report(metrics, outcome, ctx.log);
    },
    async (items, ctx) => {
      const outcomes = await inTransaction(pool, (tx) => storeBatch(tx, items));
      failpoint('user.after-db-commit');
      for (const outcome of outcomes) report(metrics, outcome, ctx.log);
    },
  );
}

function personOf(command: RegistrationEvent['data']): NewPerson {
  return {
    name: command.name,
    email: command.email,
    emailCanonical: command.identity.email,
    phoneE164: command.identity.phone,
    nationalIdHmac: command.identity.nationalIdHmac,
    nationalIdMasked: command.nationalIdMasked,
  };
}

function report(metrics: UserMetrics, outcome: string, log: BatchContext['log']): void {
  if (outcome.startsWith('rejected:')) {
    for (const field of outcome.slice('rejected:'.length).split(',')) {
      metrics.duplicates.inc({ field, stage: 'database' });
    }
    // A duplicate the database caught means Redis missed it: worth seeing at info; the rest is routine.
    log.info({ outcome }, 'registration rejected as duplicate');
  } else log.debug({ outcome }, 'registration command handled');
}

/**
 * A batch of commands with the outcomes the per-record handler would give them one after another in offset order,
 * in a fixed number of statements: mark the event ids, drop tombstoned users, insert the rest in order (of two
 * sharing an id or key the first wins), then settle the ones not inserted against the state *they* would have seen:
 * users stored before the batch or by an earlier command of it, never by a later one.
 */
async function storeBatch(tx: PostgresClient, items: readonly BatchItem<RegistrationEvent>[]): Promise<string[]> {
  const fresh = await markProcessedMany(
    tx,
    CONSUMER,
    items.map((i) => i.event.id),
  );
  const firstOf = new Set<string>();
  const todo = items.filter((i) => fresh.has(i.event.id) && !firstOf.has(i.event.id) && firstOf.add(i.event.id));
  const tombstoned = await tombstonedAmong(
    tx,
    todo.map((i) => i.event.data.userID),
  );
  const candidates = todo.filter((i) => !tombstoned.has(i.event.data.userID.toLowerCase()));
  const stored = await insertUsersIfAbsent(
    tx,
    candidates.map((i) => ({ userID: i.event.data.userID, person: personOf(i.event.data) })),
  );
  const createdBy = new Map<string, number>(); // user id -> index in `candidates` of the command that stored it
  const storedById = new Map(stored.map((u) => [u.userID.toLowerCase(), u]));
  candidates.forEach((item, index) => {
    const id = item.event.data.userID.toLowerCase();
    if (storedById.has(id) && !createdBy.has(id)) createdBy.set(id, index);
  });

  const outcome = new Map<BatchItem<RegistrationEvent>, string>();
  const events: { at: number; event: NewOutboxEvent }[] = []; // `at`: the command's place in the batch
  const leftOver = candidates.flatMap((item, index) =>
    createdBy.get(item.event.data.userID.toLowerCase()) === index ? [] : [index],
  );
  const existing = await existingAmong(
    tx,
    leftOver.map((index) => candidates[index]!.event.data.userID),
  );
  const holders = await holdersOf(
    tx,
    leftOver.map((index) => candidates[index]!.event.data),
  );
  const rejections: (NewRejection & { item: BatchItem<RegistrationEvent>; conflict: Conflict })[] = [];
  leftOver.forEach((index, position) => {
    const item = candidates[index]!;
    const id = item.event.data.userID.toLowerCase();
    const seenBy = (userID: string) => {
      const by = createdBy.get(userID.toLowerCase());
      return by === undefined || by < index; // stored before the batch, or by an earlier command of it
    };
    // A re-sent command (new event id, same userID) for a user already stored changes nothing.
    if (existing.has(id) && seenBy(id)) return outcome.set(item, 'exists');
    const conflict = conflictOf(holders.filter((h) => h.index === position && seenBy(h.userID)));
    // Nothing inserted yet nobody holds the keys: the holder was deleted a moment ago; the per-record way settles it.
    if (!conflict) throw new ConflictVanished(`identity conflict for ${id} vanished; retrying`);
    rejections.push({ item, conflict, userID: item.event.data.userID, ...conflict });
  });
  const recorded = await recordRejections(tx, rejections);
  for (const { item, conflict } of rejections) {
    const rejectedAt = recorded.get(item.event.data.userID.toLowerCase());
    if (!rejectedAt) {
      outcome.set(item, 'rejected-before');
      continue;
    }
    recorded.delete(item.event.data.userID.toLowerCase()); // a second command for this id in the batch: rejected before
    const { userID, identity } = item.event.data;
    outcome.set(item, `rejected:${conflict.fields.join(',')}`);
    events.push({
      at: items.indexOf(item),
      event: {
        topic: TOPICS.registrationRejected,
        key: userID,
        traceparent: item.traceparent,
        data: rejectedEvent(userID, identity, conflict, rejectedAt),
      },
    });
  }
  candidates.forEach((item, index) => {
    const user = storedById.get(item.event.data.userID.toLowerCase());
    if (!user || createdBy.get(user.userID.toLowerCase()) !== index) return;
    outcome.set(item, 'created');
    events.push({
      at: items.indexOf(item),
      event: {
        topic: TOPICS.userCreated,
        key: user.userID,
        traceparent: item.traceparent,
        data: { user: toResource(user), identity: identityOf(user) },
      },
    });
  });
  // The relay publishes in outbox id order: keep the commands' order, so one key's events stay in order.
  await enqueueEvents(
    tx,
    events.sort((a, b) => a.at - b.at).map((e) => e.event),
  );
  const todoSet = new Set(todo);
  return items.map((item) => {
    if (!todoSet.has(item)) return 'already-processed';
    if (tombstoned.has(item.event.data.userID.toLowerCase())) return 'deleted-before';
    return outcome.get(item)!;
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
  await enqueueEvent(tx, TOPICS.registrationRejected, userID, rejectedEvent(userID, identity, conflict, rejectedAt));
  // The conflicting fields ride along so the caller counts them once the transaction committed.
  return `rejected:${conflict.fields.join(',')}`;
}

function rejectedEvent(
  userID: string,
  identity: { email: string; phone: string; nationalIdHmac?: string | undefined },
  conflict: Conflict,
  rejectedAt: Date,
): EventData<typeof TOPICS.registrationRejected.eventType> {
  return {
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
  };
}
