import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { EVENT_TYPES, REDIS_KEYS, RESERVATION_TTL_SECONDS, TOPICS } from '@scalefu/contracts';
import type { EventProducer, Redis } from '@scalefu/service-kit';
import { startApp, type CacheUpdaterApp } from '../src/app';
import { loadCacheUpdaterConfig } from '../src/config';
import {
  connectedProducer,
  connectedRedis,
  envelope,
  eventually,
  logger,
  occupiedPort,
  person,
  recordingLogger,
  userChanged,
  uuidv7,
  type Person,
} from './support';

let app: CacheUpdaterApp;
let producer: EventProducer;
let redis: Redis;

const dedup = {
  email: (p: Person) => REDIS_KEYS.dedup('email', p.email),
  phone: (p: Person) => REDIS_KEYS.dedup('phone', p.phone),
  nid: (p: Person) => REDIS_KEYS.dedup('nid', p.nid),
};
const keysOf = (p: Person) => [dedup.email(p), dedup.phone(p), dedup.nid(p)];
const status = (userID: string) => redis.hget(REDIS_KEYS.registration(userID), 'status');
const cachedVersion = async (userID: string) => redis.hget(REDIS_KEYS.user(userID), 'version');

async function created(p: Person, version = 1) {
  await producer.publish(
    TOPICS.userCreated.name,
    p.userID,
    envelope(EVENT_TYPES.userCreated, p.userID, userChanged(p, version)),
  );
  await eventually('user hash', async () => ((await cachedVersion(p.userID)) ? true : undefined));
}

/** How many events of a topic ended with an outcome, read from the app's own /metrics. */
async function outcomes(topic: string, outcome: string): Promise<number> {
  const port = (app.server.server.address() as { port: number }).port;
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('scalefu_cache_updater_changes_total{') &&
        l.includes(`topic="${topic}"`) &&
        l.includes(`outcome="${outcome}"`),
    );
  return line ? Number(line.split(' ').pop()) : 0;
}

before(async () => {
  app = await startApp(
    { ...loadCacheUpdaterConfig(), PORT: 0 },
    { logger, groupId: `scalefu.cache-updater.test-${randomUUID()}` },
  );
  producer = await connectedProducer();
  redis = await connectedRedis();
});

after(async () => {
  await Promise.allSettled([app?.stop(), producer?.disconnect(), redis?.quit()]);
});

describe('cache-updater', () => {
  it('on user.created caches the user, sets CREATED and makes the reserved dedup keys permanent', async () => {
    const p = person();
    for (const key of keysOf(p)) await redis.set(key, p.userID, 'EX', RESERVATION_TTL_SECONDS); // the onboarder's reservation
    await redis.hset(REDIS_KEYS.registration(p.userID), 'status', 'ACCEPTED');

    await created(p);

    const hash = await redis.hgetall(REDIS_KEYS.user(p.userID));
    assert.equal(hash['userID'], p.userID);
    assert.equal(hash['email'], p.email.toUpperCase());
    assert.equal(hash['nationalIdMasked'], '*********1234');
    assert.equal(hash['version'], '1');
    assert.equal(await status(p.userID), 'CREATED');
    for (const key of keysOf(p)) {
      assert.equal(await redis.get(key), p.userID, key);
      assert.equal(await redis.ttl(key), -1, `${key} has no expiry`);
    }
  });

  it('ignores a user event whose version is not newer than the cached one', async () => {
    const p = person();
    await created(p);
    const v3 = userChanged(p, 3, { name: 'Newest' });
    await producer.publish(TOPICS.userUpdated.name, p.userID, envelope(EVENT_TYPES.userUpdated, p.userID, v3));
    await eventually('version 3', async () => ((await cachedVersion(p.userID)) === '3' ? true : undefined));

    const staleBefore = await outcomes(TOPICS.userUpdated.name, 'stale');
    const v2 = userChanged(p, 2, { name: 'Older' });
    await producer.publish(TOPICS.userUpdated.name, p.userID, envelope(EVENT_TYPES.userUpdated, p.userID, v2));
    await eventually('the stale event handled', async () =>
      (await outcomes(TOPICS.userUpdated.name, 'stale')) > staleBefore ? true : undefined,
    );
    assert.equal(await cachedVersion(p.userID), '3');
    assert.equal(await redis.hget(REDIS_KEYS.user(p.userID), 'name'), 'Newest');
  });

  it('on an identity change moves the dedup keys and leaves an old key that another user already holds', async () => {
    const p = person();
    await created(p);
    const moved = { ...p, email: person().email, nid: person().nid };
    const data = { ...userChanged(moved, 2), previousIdentity: userChanged(p, 1).identity };
    await redis.set(dedup.nid(p), 'someone-else'); // taken over meanwhile (e.g. a newer registration)
    await producer.publish(TOPICS.userUpdated.name, p.userID, envelope(EVENT_TYPES.userUpdated, p.userID, data));
    await eventually('version 2', async () => ((await cachedVersion(p.userID)) === '2' ? true : undefined));

    assert.equal(await redis.get(dedup.email(p)), null, 'old e-mail key released');
    assert.equal(await redis.get(dedup.nid(p)), 'someone-else', 'a key of another user is never deleted');
    assert.equal(await redis.get(dedup.email(moved)), p.userID, 'new e-mail key held');
    assert.equal(await redis.get(dedup.nid(moved)), p.userID, 'new national-ID key held');
    assert.equal(await redis.get(dedup.phone(p)), p.userID, 'unchanged phone key kept');
    assert.equal(await redis.ttl(dedup.email(moved)), -1);
  });

  it('on user.deleted removes the user, its status and its keys, and late events do not bring it back', async () => {
    const p = person();
    await created(p);
    await redis.set(dedup.phone(p), 'another-user');
    const deleted = { ...userChanged(p, 1), deletedAt: new Date().toISOString() };
    await producer.publish(TOPICS.userDeleted.name, p.userID, envelope(EVENT_TYPES.userDeleted, p.userID, deleted));
    await eventually('user hash gone', async () => ((await cachedVersion(p.userID)) === null ? true : undefined));

    assert.equal(await status(p.userID), null);
    assert.equal(await redis.get(dedup.email(p)), null);
    assert.equal(await redis.get(dedup.nid(p)), null);
    assert.equal(await redis.get(dedup.phone(p)), 'another-user', 'a key of another user is never deleted');

    const before = await outcomes(TOPICS.userUpdated.name, 'tombstoned');
    await producer.publish(
      TOPICS.userUpdated.name,
      p.userID,
      envelope(EVENT_TYPES.userUpdated, p.userID, userChanged(p, 5)),
    );
    await eventually('late update handled', async () =>
      (await outcomes(TOPICS.userUpdated.name, 'tombstoned')) > before ? true : undefined,
    );
    assert.equal(await cachedVersion(p.userID), null, 'a late update does not resurrect a deleted user');
    assert.equal(await redis.get(dedup.email(p)), null);
  });

  it('on user.registration.rejected marks DUPLICATE, points the clashing keys at the existing user and frees the rest', async () => {
    const existing = person();
    await created(existing);
    const refused = { ...person(), email: existing.email, userID: uuidv7() };
    for (const key of keysOf(refused)) await redis.set(key, refused.userID, 'EX', RESERVATION_TTL_SECONDS);
    await redis.del(dedup.email(refused)); // Redis lost it: that is how the duplicate slipped through
    await redis.hset(REDIS_KEYS.registration(refused.userID), 'status', 'ACCEPTED');

    const data = {
      userID: refused.userID,
      reason: 'DUPLICATE' as const,
      existingUserID: existing.userID,
      conflictingFields: ['email' as const],
      identity: { email: refused.email, phone: refused.phone, nationalIdHmac: refused.nid },
      rejectedAt: new Date().toISOString(),
    };
    const topic = TOPICS.registrationRejected.name;
    await producer.publish(topic, refused.userID, envelope(EVENT_TYPES.registrationRejected, refused.userID, data));
    await eventually('DUPLICATE', async () => ((await status(refused.userID)) === 'DUPLICATE' ? true : undefined));

    assert.equal(await redis.get(dedup.email(refused)), existing.userID, 'e-mail key points at the existing user');
    assert.equal(await redis.get(dedup.phone(refused)), null, 'unclashing phone reservation released');
    assert.equal(await redis.get(dedup.nid(refused)), null, 'unclashing national-ID reservation released');
  });

  it('on user.confirmation.sent marks CONFIRMED and an older user.created never moves it back', async () => {
    const p = person();
    const sentAt = new Date().toISOString();
    const confirmation = { userID: p.userID, messageId: `<confirmation.${p.userID}@scalefu.local>`, sentAt };
    const topic = TOPICS.confirmationSent.name;
    await producer.publish(topic, p.userID, envelope(EVENT_TYPES.confirmationSent, p.userID, confirmation));
    await eventually('CONFIRMED', async () => ((await status(p.userID)) === 'CONFIRMED' ? true : undefined));

    await created(p); // user.created overtaken by the confirmation (different topics, no order between them)
    assert.equal(await status(p.userID), 'CONFIRMED');
    assert.equal(await redis.hget(REDIS_KEYS.registration(p.userID), 'updatedAt'), sentAt);
  });

  it('reports ready when Kafka and Redis answer', async () => {
    const port = (app.server.server.address() as { port: number }).port;
    const response = await fetch(`http://127.0.0.1:${port}/readyz`);
    assert.equal(response.status, 200);
  });
});

describe('cache-updater start-up', () => {
  it('closes Redis and Kafka again when start-up fails after they connected', async () => {
    const busy = await occupiedPort();
    const recording = recordingLogger();
    try {
      await assert.rejects(
        startApp({ ...loadCacheUpdaterConfig(), PORT: busy.port }, { logger: recording.logger }),
        /EADDRINUSE/,
      );
    } finally {
      await busy.release();
    }
    assert.deepEqual(recording.stoppedSteps(), ['http', 'kafka-producer', 'redis', 'tracing']);
  });
});
