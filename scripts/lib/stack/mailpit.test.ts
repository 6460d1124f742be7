import { RUNTIME_ENV } from '@scalefu/contracts';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { notifierSmtpEnvForMailpit } from './mailpit';

const { smtpPoolSize, smtpMaxInFlight } = RUNTIME_ENV;

test("the local stack gives the notifier 40 SMTP connections and 80 mails in flight, unless the caller's env says otherwise", () => {
  assert.deepEqual(notifierSmtpEnvForMailpit({}), { [smtpPoolSize]: '40', [smtpMaxInFlight]: '80' });
  assert.deepEqual(notifierSmtpEnvForMailpit({ [smtpPoolSize]: '5', [smtpMaxInFlight]: '20' }), {
    [smtpPoolSize]: '5',
    [smtpMaxInFlight]: '20',
  });
});
