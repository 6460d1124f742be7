import assert from 'node:assert/strict';
import { test } from 'node:test';
import { notifierSmtpEnvForMailpit } from './mailpit';

test("the local stack gives the notifier 40 SMTP connections and 80 mails in flight, unless the caller's env says otherwise", () => {
  assert.deepEqual(notifierSmtpEnvForMailpit({}), { SMTP_POOL_SIZE: '40', SMTP_MAX_IN_FLIGHT: '80' });
  assert.deepEqual(notifierSmtpEnvForMailpit({ SMTP_POOL_SIZE: '5', SMTP_MAX_IN_FLIGHT: '20' }), {
    SMTP_POOL_SIZE: '5',
    SMTP_MAX_IN_FLIGHT: '20',
  });
});
