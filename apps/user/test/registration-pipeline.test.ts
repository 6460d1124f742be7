import { TOPICS, failureTopicName } from '@scalefu/contracts';
import type { EventProducer } from '@scalefu/service-kit';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { RunningApp } from '../src/app';
import { SERVICE } from '../src/config';
import {
  TopicWatcher,
  connectProducer,
  newPerson,
  newUserID,
  publishCommand,
  publishEvent,
  registrationCommand,
  startTestApp,
  userIdOf,
  waitUntil,
} from './helpers';

const DLQ = failureTopicName(TOPICS.confirmationSent.name, SERVICE, 'dlq');
let app: RunningApp;
let producer: EventProducer;
let watcher: TopicWatcher;

before(async () => {
  watcher = await TopicWatcher.start([
    TOPICS.userCreated.name,
    TOPICS.userUpdated.name,
    TOPICS.registrationRejected.name,
    DLQ,
  ]);
  producer = await connectProducer();
  app = await startTestApp();
});

after(async () => {
  await app?.stop();
  await producer?.disconnect();
  await watcher?.stop();
});

async function usersRows(where: string, value: string) {
  const { rows } = await app.pool.query<{ user_id: string; status: string; version: number }>(
    `SELECT user_id, status, version FROM users WHERE ${where} = $1`,
    [value],
  );
  return rows;
}

const waitForUser = (userID: string) =>
  waitUntil(async () => (await usersRows('user_id', userID)).length === 1, 15_000, `user ${userID} stored`);

test('a registration command stores one user and publishes user.created with the whole resource', async () => {
  const person = newPerson();
  const userID = newUserID();
  const command = registrationCommand(userID, person);
  await publishCommand(producer, command);

  const [created] = await watcher.waitFor(TOPICS.userCreated.name, (e) => userIdOf(e) === userID);
  assert.equal(created!.key, userID);
  assert.equal(created!.event.type, TOPICS.userCreated.eventType);
  const data = created!.event.data as { user: Record<string, unknown>; identity: Record<string, unknown> };
  assert.equal(data.user['email'], person.email);
  assert.equal(data.user['phoneNumber'], person.phoneNumber);
  assert.equal(data.user['status'], 'CREATED');
  assert.equal(data.user['version'], 1);
  assert.equal(data.user['nationalIdMasked'], command.data.nationalIdMasked);
  assert.deepEqual(data.identity, command.data.identity);
  assert.deepEqual(await usersRows('user_id', userID), [{ user_id: userID, status: 'CREATED', version: 1 }]);
});

test('the same command delivered twice (same event id) stores one user and publishes one user.created', async () => {
  const person = newPerson();
  const userID = newUserID();
  const command = registrationCommand(userID, person);
  await publishCommand(producer, command);
  await publishCommand(producer, command);
  // A later command with the same key lands on the same partition, so once it is stored both copies were handled.
  const sentinel = registrationCommand(newUserID(), newPerson());
  await producer.publish(TOPICS.registrationRequest.name, command.data.identity.email, sentinel);
  await waitForUser(sentinel.data.userID);
  await watcher.waitFor(TOPICS.userCreated.name, (e) => userIdOf(e) === sentinel.data.userID);
  // The user's own event is keyed by its id, another partition than the sentinel's: it may reach the watcher later.
  await watcher.waitFor(TOPICS.userCreated.name, (e) => userIdOf(e) === userID);

  assert.equal((await usersRows('user_id', userID)).length, 1);
  const { rows } = await app.pool.query('SELECT count(*)::int AS n FROM outbox WHERE key = $1', [userID]);
  assert.equal(rows[0].n, 1);
  assert.equal(watcher.events(TOPICS.userCreated.name, (e) => userIdOf(e) === userID).length, 1);
});

test('a second command for the same person under another userID is rejected as a duplicate, never a second user', async () => {
  const person = newPerson();
  const firstID = newUserID();
  await publishCommand(producer, registrationCommand(firstID, person));
  await waitForUser(firstID);

  const secondID = newUserID();
  await publishCommand(producer, registrationCommand(secondID, { ...person, email: person.email.toLowerCase() }));
  const [rejected] = await watcher.waitFor(TOPICS.registrationRejected.name, (e) => userIdOf(e) === secondID);
  const data = rejected!.event.data as { reason: string; existingUserID: string; conflictingFields: string[] };
  assert.equal(data.reason, 'DUPLICATE');
  assert.equal(data.existingUserID, firstID);
  assert.deepEqual(data.conflictingFields, ['email', 'phoneNumber', 'nationalId']);

  const { rows } = await app.pool.query(
    'SELECT existing_user_id, conflicting_fields FROM registration_rejections WHERE user_id = $1',
    [secondID],
  );
  assert.deepEqual(rows, [{ existing_user_id: firstID, conflicting_fields: ['email', 'phoneNumber', 'nationalId'] }]);
  assert.equal((await usersRows('user_id', secondID)).length, 0);
  assert.equal((await usersRows('email_canonical', person.email.toLowerCase())).length, 1);
});

test('twenty commands for one person under twenty userIDs, handled concurrently, end as one user and nineteen rejections', async () => {
  const person = newPerson();
  const commands = Array.from({ length: 20 }, () => registrationCommand(newUserID(), person));
  // Random keys spread them over partitions, so they race in the database instead of queueing on one partition.
  await Promise.all(commands.map((c) => producer.publish(TOPICS.registrationRequest.name, randomUUID(), c)));
  const ids = new Set(commands.map((c) => c.data.userID));
  await watcher.waitFor(TOPICS.registrationRejected.name, (e) => ids.has(userIdOf(e) ?? ''), 19);
  const [created] = await watcher.waitFor(TOPICS.userCreated.name, (e) => ids.has(userIdOf(e) ?? ''));
  const winner = userIdOf(created!.event)!;
  assert.equal((await usersRows('email_canonical', commands[0]!.data.identity.email)).length, 1);
  const rejected = watcher.events(TOPICS.registrationRejected.name, (e) => ids.has(userIdOf(e) ?? ''));
  assert.equal(rejected.length, 19);
  assert.ok(rejected.every((r) => (r.event.data as { existingUserID: string }).existingUserID === winner));
});

test('a duplicate sharing only the phone number with an existing user is rejected naming that field', async () => {
  const person = newPerson();
  const firstID = newUserID();
  await publishCommand(producer, registrationCommand(firstID, person));
  await waitForUser(firstID);

  const secondID = newUserID();
  const other = { ...newPerson(), phoneNumber: person.phoneNumber };
  await publishCommand(producer, registrationCommand(secondID, other));
  const [rejected] = await watcher.waitFor(TOPICS.registrationRejected.name, (e) => userIdOf(e) === secondID);
  assert.deepEqual((rejected!.event.data as { conflictingFields: string[] }).conflictingFields, ['phoneNumber']);
  assert.equal((await usersRows('user_id', secondID)).length, 0);
});

test('user.confirmation.sent confirms the user once and publishes user.updated, even when redelivered', async () => {
  const userID = newUserID();
  const sentinelID = newUserID();
  await publishCommand(producer, registrationCommand(userID, newPerson()));
  await publishCommand(producer, registrationCommand(sentinelID, newPerson()));
  await waitForUser(userID);
  await waitForUser(sentinelID);

  const eventId = randomUUID();
  const sentAt = new Date().toISOString();
  const confirmation = { userID, messageId: `<${randomUUID()}@test>`, sentAt };
  await publishEvent(producer, TOPICS.confirmationSent, userID, confirmation, eventId);
  await publishEvent(producer, TOPICS.confirmationSent, userID, confirmation, eventId);
  await publishEvent(producer, TOPICS.confirmationSent, userID, confirmation); // a new id for the same mail
  // Same key, same partition: once the sentinel user is confirmed, all three above were handled.
  await publishEvent(producer, TOPICS.confirmationSent, userID, { ...confirmation, userID: sentinelID });
  await waitUntil(async () => (await usersRows('user_id', sentinelID))[0]?.status === 'CONFIRMED');

  const [updated] = await watcher.waitFor(TOPICS.userUpdated.name, (e) => userIdOf(e) === userID);
  const data = updated!.event.data as { user: { status: string; version: number; confirmedAt: string } };
  assert.equal(data.user.status, 'CONFIRMED');
  assert.equal(data.user.version, 2);
  assert.equal(data.user.confirmedAt, sentAt);
  assert.deepEqual(await usersRows('user_id', userID), [{ user_id: userID, status: 'CONFIRMED', version: 2 }]);
  const { rows } = await app.pool.query('SELECT count(*)::int AS n FROM outbox WHERE key = $1 AND topic = $2', [
    userID,
    TOPICS.userUpdated.name,
  ]);
  assert.equal(rows[0].n, 1);
  await watcher.waitFor(TOPICS.userUpdated.name, (e) => userIdOf(e) === sentinelID);
  assert.equal(watcher.events(TOPICS.userUpdated.name, (e) => userIdOf(e) === userID).length, 1);
});

test('a confirmation for a user that never existed goes to the DLQ and later events keep flowing', async () => {
  const ghost = newUserID();
  const eventId = randomUUID();
  await publishEvent(
    producer,
    TOPICS.confirmationSent,
    ghost,
    { userID: ghost, messageId: '<ghost@test>', sentAt: new Date().toISOString() },
    eventId,
  );
  await watcher.waitFor(DLQ, (e) => e.id === eventId);
  const userID = newUserID();
  await publishCommand(producer, registrationCommand(userID, newPerson()));
  await watcher.waitFor(TOPICS.userCreated.name, (e) => userIdOf(e) === userID);
  assert.equal((await usersRows('user_id', ghost)).length, 0);
});
