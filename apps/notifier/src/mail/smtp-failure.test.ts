import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { PermanentFailure } from '@scalefu/service-kit';
import { sanitisedSmtpError, SmtpSendError } from './smtp-failure';

const address = 'tigress.furious5@jade-palace.example';

/** What nodemailer's SMTP connection throws when the server refuses the only recipient (smtp-connection `_actionRCPT`). */
function recipientRejected(responseCode: number): Error {
  const reply = `${responseCode} 5.1.1 <${address}>: Recipient address rejected: User unknown`;
  const rejectedError = Object.assign(new Error(`Recipient command failed: ${reply}`), {
    code: 'EENVELOPE',
    response: reply,
    responseCode,
    command: 'RCPT TO',
    recipient: address,
  });
  return Object.assign(new Error(`Can't send mail - all recipients were rejected: ${reply}`), {
    code: 'EENVELOPE',
    response: reply,
    responseCode,
    command: 'RCPT TO',
    rejected: [address],
    rejectedErrors: [rejectedError],
  });
}

/** Everything a logger or the DLQ header could see of an error. */
function everythingVisible(error: Error): string {
  return [
    `${error.name}: ${error.message}`,
    error.stack ?? '',
    inspect(error, { depth: 10, showHidden: true }),
    JSON.stringify(error),
    JSON.stringify(Object.getOwnPropertyNames(error).map((name) => (error as never)[name])),
  ].join('\n');
}

// The stack's mailpit accepts every recipient, so the integration stack produces no 5xx rejection: unit only.
describe('SMTP failures (unit: the stack mailpit produces no 5xx rejection)', () => {
  it('keeps no recipient address from a nodemailer-shaped rejection, only code, reply code and command', () => {
    const sanitised = sanitisedSmtpError(recipientRejected(550));
    const visible = everythingVisible(sanitised);
    assert.ok(!visible.includes(address), visible);
    assert.ok(!visible.includes('jade-palace'), 'not even the domain');
    assert.ok(!visible.includes('Recipient address rejected'), 'no server reply text');
    assert.equal(sanitised.message, 'smtp rejected the mail: code=EENVELOPE response=550 command=RCPT TO');
    assert.deepEqual([sanitised.code, sanitised.responseCode, sanitised.command], ['EENVELOPE', 550, 'RCPT TO']);
    assert.equal(sanitised.cause, undefined);
  });

  it('makes a 5xx recipient or message rejection a PermanentFailure, so it goes straight to the DLQ', () => {
    assert.ok(sanitisedSmtpError(recipientRejected(550)) instanceof PermanentFailure);
    assert.ok(sanitisedSmtpError(recipientRejected(554)) instanceof PermanentFailure);
    const dataRejected = Object.assign(new Error('Message failed: 552 message too big'), {
      code: 'EMESSAGE',
      responseCode: 552,
      command: 'DATA',
    });
    assert.ok(sanitisedSmtpError(dataRejected) instanceof PermanentFailure);
  });

  it('keeps a 4xx rejection retryable, and still without the address', () => {
    const sanitised = sanitisedSmtpError(recipientRejected(450));
    assert.ok(sanitised instanceof SmtpSendError);
    assert.ok(!(sanitised instanceof PermanentFailure));
    assert.ok(!everythingVisible(sanitised).includes(address));
  });

  it('keeps connection errors and a refused login retryable', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2525'), {
      code: 'ESOCKET',
      command: 'CONN',
      syscall: 'connect',
    });
    const sanitised = sanitisedSmtpError(refused);
    assert.ok(sanitised instanceof SmtpSendError);
    assert.equal(sanitised.message, 'smtp send failed: code=ESOCKET response=none command=CONN');
    const badLogin = Object.assign(new Error('Invalid login: 535 5.7.8 bad credentials'), {
      code: 'EAUTH',
      responseCode: 535,
      command: 'AUTH PLAIN',
    });
    assert.ok(!(sanitisedSmtpError(badLogin) instanceof PermanentFailure), 'a login problem is not the message');
  });

  it('drops facts that do not look like nodemailer put them there', () => {
    const odd = { code: `EENVELOPE <${address}>`, responseCode: '550', command: `RCPT TO:<${address}>` };
    const sanitised = sanitisedSmtpError(odd);
    assert.equal(sanitised.message, 'smtp send failed: code=unknown response=none command=unknown');
    assert.ok(!everythingVisible(sanitised).includes(address));
    assert.ok(sanitisedSmtpError(undefined) instanceof SmtpSendError);
  });
});
