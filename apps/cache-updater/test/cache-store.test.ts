import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { REDIS_KEYS, type RegistrationStatusName } from '@scalefu/contracts';
import type { Redis } from '@scalefu/service-kit';
import { planConfirmationSent, planUserCreated, type CachePlan } from '../src/domain/cache-plan';
import { CacheStore } from '../src/store/cache-store';
import { connectedRedis, person, userChanged } from './support';

let redis: Redis;
let store: CacheStore;

before(async () => {
  redis = await connectedRedis();
  store = new CacheStore(redis);
});

after(async () => {
  await redis?.quit();
});

const registration = (userID: string) => redis.hgetall(REDIS_KEYS.registration(userID));

/** A plan that only moves the status, like the rejected and confirmed events produce. */
const statusPlan = (userID: string, value: RegistrationStatusName, updatedAt: string): CachePlan => ({
  userID,
  hold: [],
  release: [],
  releaseOwned: [],
  remove: false,
  status: { value, updatedAt },
});

/** What the onboarder writes when it accepts a registration. */
const accepted = (userID: string) =>
  redis.hset(REDIS_KEYS.registration(userID), 'status', 'ACCEPTED', 'updatedAt', '2026-01-01T00:00:00.000Z');

describe('CacheStore registration status (real Redis)', () => {
  it('moves ACCEPTED -> CREATED -> CONFIRMED', async () => {
    const p = person();
    await accepted(p.userID);
    assert.equal((await store.apply(planUserCreated(userChanged(p, 1)))).status, 'applied');
    assert.equal((await registration(p.userID))['status'], 'CREATED');
    const sentAt = new Date().toISOString();
    const confirmed = planConfirmationSent({ userID: p.userID, messageId: '<m@scalefu.local>', sentAt });
    assert.equal((await store.apply(confirmed)).status, 'applied');
    assert.deepEqual(await registration(p.userID), { status: 'CONFIRMED', updatedAt: sentAt, version: '1' });
  });

  it('keeps CONFIRMED when an old user.created arrives after the confirmation', async () => {
    const p = person();
    await accepted(p.userID);
    const sentAt = new Date().toISOString();
    await store.apply(planConfirmationSent({ userID: p.userID, messageId: '<m@scalefu.local>', sentAt }));

    const late = await store.apply(planUserCreated(userChanged(p, 1)));
    assert.deepEqual(late, { user: 'applied', status: 'kept' }, 'the user is cached, the status is not walked back');
    const status = await registration(p.userID);
    assert.equal(status['status'], 'CONFIRMED');
    assert.equal(status['updatedAt'], sentAt);
  });

  it('does not rewrite a status with the same status (a replay keeps the first time)', async () => {
    const p = person();
    await store.apply(statusPlan(p.userID, 'CREATED', '2026-01-01T00:00:01.000Z'));
    assert.equal((await store.apply(statusPlan(p.userID, 'CREATED', '2026-01-01T00:00:09.000Z'))).status, 'kept');
    assert.equal((await registration(p.userID))['updatedAt'], '2026-01-01T00:00:01.000Z');
  });

  it('treats DUPLICATE and REJECTED as terminal', async () => {
    for (const terminal of ['DUPLICATE', 'REJECTED'] as const) {
      const p = person();
      await accepted(p.userID);
      assert.equal((await store.apply(statusPlan(p.userID, terminal, '2026-01-01T00:00:01.000Z'))).status, 'applied');
      for (const next of ['CREATED', 'CONFIRMED', 'DUPLICATE', 'REJECTED'] as const) {
        const outcome = await store.apply(statusPlan(p.userID, next, '2026-01-01T00:00:09.000Z'));
        assert.equal(outcome.status, 'kept', `${terminal} -> ${next}`);
      }
      assert.equal((await registration(p.userID))['status'], terminal);
    }
  });

  it('lets a confirmation land on a registration nothing has cached yet', async () => {
    const p = person();
    const sentAt = new Date().toISOString();
    const outcome = await store.apply(planConfirmationSent({ userID: p.userID, messageId: '<m@x.example>', sentAt }));
    assert.equal(outcome.status, 'applied');
    assert.equal((await registration(p.userID))['status'], 'CONFIRMED');
  });
});

describe('CacheStore.applyAll (one pipeline, real Redis)', () => {
  it('gives the outcomes and the state that applying the same plans one by one gives', async () => {
    const [p, q] = [person(), person()];
    const sentAt = '2026-01-01T00:00:05.000Z';
    const plans = (x: typeof p) => [
      planConfirmationSent({ userID: x.userID, messageId: '<m@scalefu.local>', sentAt }),
      planUserCreated(userChanged(x, 1)), // late: kept behind the confirmation
      statusPlan(x.userID, 'CREATED', '2026-01-01T00:00:09.000Z'),
    ];
    await accepted(p.userID);
    await accepted(q.userID);
    const one = [];
    for (const plan of plans(p)) one.push(await store.apply(plan));
    const all = await store.applyAll(plans(q));
    assert.deepEqual(all, one);
    const [mine, theirs] = [await registration(q.userID), await registration(p.userID)];
    assert.deepEqual(mine, theirs);
    assert.equal(mine['status'], 'CONFIRMED');
  });

  it('loads the script when Redis lost it (SCRIPT FLUSH, as after a restart) and applies the batch once', async () => {
    const p = person();
    await accepted(p.userID);
    await redis.script('FLUSH');
    const outcomes = await store.applyAll([planUserCreated(userChanged(p, 1))]);
    assert.deepEqual(outcomes, [{ user: 'applied', status: 'applied' }]);
    assert.equal((await registration(p.userID))['status'], 'CREATED');
  });
});
