import { EVENT_TYPES, RegistrationRequestedData, TOPICS, eventSourceOf } from '@scalefu/contracts';
import { checkIdentity, thaiIdCheckDigit } from '@scalefu/identity';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Value } from 'typebox/value';
import { identityClaims, registrationRequested } from './registration-command';

const KEY = 'unit-test-hmac-key-0123456789abcdef';
const nationalId = `110200300400${thaiIdCheckDigit('110200300400')}`;
const userID = '01936f4e-1a2b-7c3d-8e4f-0123456789ab';

function person(withId: boolean) {
  const r = checkIdentity(
    { name: "Po O'Ping", email: 'Po@Example.com', phoneNumber: '0812345678', ...(withId ? { nationalId } : {}) },
    KEY,
  );
  assert.ok(r.ok);
  return r.value;
}

test('builds a command that satisfies the contract schema and carries no clear national ID', () => {
  const event = registrationRequested({ userID, eventId: 'e-1' }, person(true), new Date('2026-01-02T03:04:05.000Z'));
  assert.ok(
    Value.Check(RegistrationRequestedData, event.data),
    JSON.stringify([...Value.Errors(RegistrationRequestedData, event.data)]),
  );
  assert.equal(event.type, EVENT_TYPES.registrationRequested);
  assert.equal(event.type, TOPICS.registrationRequest.eventType);
  assert.equal(event.source, eventSourceOf('onboarder'));
  assert.equal(event.subject, userID);
  assert.equal(event.data.requestedAt, '2026-01-02T03:04:05.000Z');
  assert.equal(event.data.name, "Po O'Ping");
  assert.equal(event.data.identity.email, 'po@example.com');
  assert.ok(!JSON.stringify(event).includes(nationalId), 'clear national ID must not be in the command');
  assert.match(event.data.nationalIdMasked!, /^\*{9}\d{4}$/);
});

test('leaves national ID fields out of the command when none was sent', () => {
  const event = registrationRequested({ userID, eventId: 'e-2' }, person(false), new Date());
  assert.ok(Value.Check(RegistrationRequestedData, event.data));
  assert.equal(event.data.nationalIdMasked, undefined);
  assert.equal(event.data.identity.nationalIdHmac, undefined);
});

test('claims every identity key of a person, naming the request field of each', () => {
  assert.deepEqual(
    identityClaims(person(true).identity).map((c) => [c.kind, c.field]),
    [
      ['email', 'email'],
      ['phone', 'phoneNumber'],
      ['nid', 'nationalId'],
    ],
  );
  assert.equal(identityClaims(person(false).identity).length, 2);
});
