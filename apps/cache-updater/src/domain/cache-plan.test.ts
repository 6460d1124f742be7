import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  identityEntries,
  planConfirmationSent,
  planRegistrationRejected,
  planUserCreated,
  planUserDeleted,
  planUserUpdated,
} from './cache-plan';

const userID = '0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b';
const existingUserID = '0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6a70';
const at = '2026-01-01T00:00:00.000Z';
const user = {
  userID,
  name: 'Po',
  email: 'Po@Example.com',
  phoneNumber: '+66812345678',
  status: 'CREATED' as const,
  version: 1,
  createdAt: at,
  updatedAt: at,
};
const identity = { email: 'po@example.com', phone: '+66812345678', nationalIdHmac: 'abc123' };

describe('cache plans', () => {
  it('maps an identity to e-mail, phone and national-ID dedup entries, skipping an absent national ID', () => {
    assert.deepEqual(identityEntries(identity), [
      { kind: 'email', value: 'po@example.com' },
      { kind: 'phone', value: '+66812345678' },
      { kind: 'nid', value: 'abc123' },
    ]);
    assert.deepEqual(
      identityEntries({ email: 'a@b.c', phone: '+66800000000' }).map((e) => e.kind),
      ['email', 'phone'],
    );
  });

  it('on created holds every identity key, caches the whole resource and moves the status to CREATED', () => {
    const plan = planUserCreated({ user, identity });
    assert.equal(plan.version, 1);
    assert.deepEqual(plan.hold, identityEntries(identity));
    assert.deepEqual(plan.release, []);
    assert.equal(plan.user?.['email'], 'Po@Example.com');
    assert.equal(plan.user?.['version'], '1');
    assert.equal(plan.user?.['nationalIdMasked'], undefined, 'absent optional fields stay absent');
    assert.deepEqual(plan.status, { value: 'CREATED', updatedAt: at, version: 1 });
    assert.equal(plan.remove, false);
  });

  it('on updated releases only the identity keys that changed', () => {
    const plan = planUserUpdated({
      user: { ...user, version: 2, status: 'CONFIRMED' },
      identity: { ...identity, email: 'dragon@example.com' },
      previousIdentity: identity,
    });
    assert.deepEqual(plan.release, [{ kind: 'email', value: 'po@example.com' }]);
    assert.ok(plan.hold.some((e) => e.kind === 'email' && e.value === 'dragon@example.com'));
    assert.equal(plan.status?.value, 'CONFIRMED');
  });

  it('on updated without a national ID any more releases the old national-ID key', () => {
    const plan = planUserUpdated({
      user: { ...user, version: 2 },
      identity: { email: identity.email, phone: identity.phone },
      previousIdentity: identity,
    });
    assert.deepEqual(plan.release, [{ kind: 'nid', value: 'abc123' }]);
  });

  it('on deleted removes the user and releases every identity key it held', () => {
    const plan = planUserDeleted({ user, identity, deletedAt: at });
    assert.equal(plan.remove, true);
    assert.deepEqual(plan.release, identityEntries(identity));
    assert.equal(plan.status, undefined);
  });

  it('on confirmation moves the status to CONFIRMED and touches no keys', () => {
    const plan = planConfirmationSent({ userID, messageId: '<m@x>', sentAt: at });
    assert.deepEqual(plan.status, { value: 'CONFIRMED', updatedAt: at });
    assert.deepEqual([...plan.hold, ...plan.release, ...plan.releaseOwned], []);
  });

  it('on rejected hands the clashing keys to the existing user and frees the others', () => {
    const plan = planRegistrationRejected({
      userID,
      reason: 'DUPLICATE',
      existingUserID,
      conflictingFields: ['email', 'nationalId'],
      identity,
      rejectedAt: at,
    });
    assert.equal(plan.status?.value, 'DUPLICATE');
    assert.deepEqual(plan.redirect, {
      owner: existingUserID,
      entries: [
        { kind: 'email', value: 'po@example.com' },
        { kind: 'nid', value: 'abc123' },
      ],
    });
    assert.deepEqual(plan.releaseOwned, [{ kind: 'phone', value: '+66812345678' }]);
  });

  it('on rejected without a known existing user leaves the clashing keys alone', () => {
    const plan = planRegistrationRejected({
      userID,
      reason: 'DUPLICATE',
      conflictingFields: ['phoneNumber'],
      identity,
      rejectedAt: at,
    });
    assert.equal(plan.redirect, undefined);
    assert.deepEqual(
      plan.releaseOwned.map((e) => e.kind),
      ['email', 'nid'],
    );
  });
});
