import { TOPICS } from '@scalefu/contracts';
import type { EventProducer } from '@scalefu/service-kit';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { RunningApp } from '../src/app';
import {
  TopicWatcher,
  connectProducer,
  newPerson,
  newUserID,
  registrationCommand,
  startTestApp,
  userIdOf,
  waitUntil,
} from './helpers';

// The batch path of the registration consumer (ADR 0131): commands published while no consumer runs arrive as one
// fetched batch, stored in one transaction, with the outcomes the per-record path gives them in offset order.
let producer: EventProducer;
let watcher: TopicWatcher;
const apps: RunningApp[] = [];

before(async () => {
  watcher = await TopicWatcher.start([TOPICS.userCreated.name, TOPICS.registrationRejected.name]);
  producer = await connectProducer();
});

after(async () => {
  for (const app of apps) await app.stop();
  await producer?.disconnect();
  await watcher?.stop();
});

type Command = ReturnType<typeof registrationCommand>;

test('one batch: first of a duplicate wins in offset order, redeliveries and re-sends change nothing, one transaction', async () => {
  const key = `batch-${randomUUID()}`; // one key, one partition: the commands arrive in this order
  const publish = (command: Command) => producer.publish(TOPICS.registrationRequest.name, key, command);
  const p = newPerson('Batch');
  const a = registrationCommand(newUserID(), p);
  const b = registrationCommand(newUserID(), { ...newPerson('Batch'), email: p.email }); // takes a's e-mail
  const aResent = registrationCommand(a.data.userID, p); // same user, new event id
  const bAgain = registrationCommand(b.data.userID, { ...newPerson('Batch'), email: p.email });
  // i loses on its e-mail to a; k, after it, takes i's phone, which is free because i was never stored. One by one,
  // i is rejected for its e-mail alone: k's row must not count against i although the batch inserted it first.
  const q = newPerson('Batch');
  const i = registrationCommand(newUserID(), { ...q, email: p.email });
  const k = registrationCommand(newUserID(), { ...newPerson('Batch'), phoneNumber: q.phoneNumber });
  const sentinel = registrationCommand(newUserID(), newPerson('Batch'));
  for (const command of [a, b, a, aResent, i, k, bAgain, sentinel]) await publish(command);

  const app = await startTestApp();
  apps.push(app);
  const created = (c: Command) => watcher.events(TOPICS.userCreated.name, (e) => userIdOf(e) === c.data.userID);
  const rejected = (c: Command) =>
    watcher.events(TOPICS.registrationRejected.name, (e) => userIdOf(e) === c.data.userID);
  // Every expected event, not only the sentinel's: the events are keyed by user, so they sit on different partitions
  // and reach the watcher in no fixed order.
  await waitUntil(
    () => [a, k, sentinel].every((c) => created(c).length > 0) && [b, i].every((c) => rejected(c).length > 0),
    15_000,
    'user.created for a, k and the sentinel and user.registration.rejected for b and i',
  );
  assert.equal(created(a).length, 1, 'a stored once');
  assert.equal(created(k).length, 1, 'k stored');
  assert.equal(created(b).length + created(i).length, 0, 'no user for the duplicates');
  assert.equal(rejected(b).length, 1, 'b rejected once, its second command rejected-before');
  const bData = rejected(b)[0]!.event.data as { existingUserID: string; conflictingFields: string[] };
  assert.equal(bData.existingUserID, a.data.userID);
  assert.deepEqual(bData.conflictingFields, ['email']);
  const iData = rejected(i)[0]!.event.data as { existingUserID: string; conflictingFields: string[] };
  assert.equal(iData.existingUserID, a.data.userID);
  assert.deepEqual(iData.conflictingFields, ['email'], 'only what held a key when i came');

  const { rows } = await app.pool.query<{ user_id: string; tx: string }>(
    'SELECT user_id, xmin::text AS tx FROM users WHERE user_id = ANY($1::uuid[])',
    [[a.data.userID, k.data.userID, sentinel.data.userID]],
  );
  assert.equal(rows.length, 3);
  assert.equal(new Set(rows.map((r) => r.tx)).size, 1, 'the batch was stored in one transaction');
  const outbox = await app.pool.query<{ key: string; topic: string }>(
    'SELECT key, topic FROM outbox WHERE key = ANY($1) ORDER BY id',
    [[a, b, i, k, sentinel].map((c) => c.data.userID)],
  );
  assert.deepEqual(
    outbox.rows.map((r) => [r.key, r.topic]),
    [
      [a.data.userID, TOPICS.userCreated.name],
      [b.data.userID, TOPICS.registrationRejected.name],
      [i.data.userID, TOPICS.registrationRejected.name],
      [k.data.userID, TOPICS.userCreated.name],
      [sentinel.data.userID, TOPICS.userCreated.name],
    ],
    'outbox rows in command order',
  );
});
