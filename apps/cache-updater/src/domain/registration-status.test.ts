import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RegistrationStatus } from '@scalefu/contracts';
import { STATUS_RANK } from './registration-status';

describe('registration status ranks', () => {
  it('ranks exactly the statuses the contracts define', () => {
    const contract = RegistrationStatus.anyOf.map((s: { const: string }) => s.const).sort();
    assert.deepEqual(Object.keys(STATUS_RANK).sort(), contract);
  });
});
