import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { confirmationEventId, confirmationMessageId, mailDomainOf } from './ids';

const userID = '0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b';
const other = '0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6a7c';

describe('confirmation ids', () => {
  it('derives the same Message-ID for the same user every time, and a different one per user', () => {
    const from = 'ScaleFu <no-reply@Jade.Example>';
    assert.equal(confirmationMessageId(userID, from), `<confirmation.${userID}@jade.example>`);
    assert.equal(confirmationMessageId(userID, from), confirmationMessageId(userID, from));
    assert.notEqual(confirmationMessageId(other, from), confirmationMessageId(userID, from));
  });

  it('takes the Message-ID domain from a bare or a named sender and refuses one without a domain', () => {
    assert.equal(mailDomainOf('no-reply@scalefu.local'), 'scalefu.local');
    assert.equal(mailDomainOf('"Jade Palace" <a@b.th>'), 'b.th');
    assert.throws(() => mailDomainOf('nobody'));
  });

  it('derives a stable UUID-shaped event id per user so a republish is the same event', () => {
    const id = confirmationEventId(userID);
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(confirmationEventId(userID), id);
    assert.notEqual(confirmationEventId(other), id);
  });

  it('keeps the event id of a user unchanged across releases, so a republish after an upgrade is still a duplicate', () => {
    assert.equal(confirmationEventId(userID), '3a11787f-6a8e-8603-ad78-055ab385a4bc');
  });
});
