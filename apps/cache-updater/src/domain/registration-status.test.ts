import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RegistrationStatus } from '@scalefu/contracts';
import { STATUS_RANK, canAdvanceStatus } from './registration-status';

describe('registration status transitions', () => {
  it('moves forward ACCEPTED -> CREATED -> CONFIRMED', () => {
    assert.ok(canAdvanceStatus(undefined, 'CREATED'));
    assert.ok(canAdvanceStatus('ACCEPTED', 'CREATED'));
    assert.ok(canAdvanceStatus('CREATED', 'CONFIRMED'));
    assert.ok(canAdvanceStatus('ACCEPTED', 'CONFIRMED'), 'a confirmation overtaking user.created still lands');
  });

  it('never moves a status backwards or sideways', () => {
    assert.equal(canAdvanceStatus('CONFIRMED', 'CREATED'), false);
    assert.equal(canAdvanceStatus('CREATED', 'CREATED'), false);
    assert.equal(canAdvanceStatus('CONFIRMED', 'CONFIRMED'), false);
  });

  it('treats DUPLICATE and REJECTED as terminal', () => {
    assert.ok(canAdvanceStatus('ACCEPTED', 'DUPLICATE'));
    for (const next of ['CREATED', 'CONFIRMED', 'REJECTED'] as const) {
      assert.equal(canAdvanceStatus('DUPLICATE', next), false, `DUPLICATE -> ${next}`);
    }
    assert.equal(canAdvanceStatus('REJECTED', 'DUPLICATE'), false);
  });

  it('ranks exactly the statuses the contracts define', () => {
    const contract = RegistrationStatus.anyOf.map((s: { const: string }) => s.const).sort();
    assert.deepEqual(Object.keys(STATUS_RANK).sort(), contract);
  });
});
