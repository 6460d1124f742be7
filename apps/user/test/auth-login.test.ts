import { AUTH_ROUTES, REDIS_KEYS } from '@scalefu/contracts';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { RunningApp } from '../src/app';
import { subjectOfEmail } from '../src/store/auth-throttle';
import {
  assertEnvelope,
  assertNoSecretsLogged,
  call,
  logLines,
  newAccount,
  secrets,
  startAuthApp,
  type Reply,
  type TestAccount,
} from './auth-helpers';

let app: RunningApp;
let account: TestAccount;

before(async () => {
  app = await startAuthApp();
  account = await newAccount(app, 'viewer', false);
});

after(async () => {
  await app?.stop();
});

const login = (email: string, password: string) => {
  secrets.add(password);
  return call(app, 'POST', AUTH_ROUTES.login, { body: { email, password } });
};

/** The body without its per-request trace id. */
const comparable = (reply: Reply) => ({ ...reply.body, traceId: undefined });

/** Forget the failures of an e-mail and of this client, so lockout delays stay out of a measurement. */
async function resetCounters(email: string): Promise<void> {
  await app.redis.del(
    REDIS_KEYS.authFailures('loginAccount', subjectOfEmail(email)),
    REDIS_KEYS.authFailures('loginIp', '127.0.0.1'),
  );
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[Math.floor((sorted.length - 1) / 2)]! + sorted[Math.ceil((sorted.length - 1) / 2)]!) / 2;
};

describe('login: no account enumeration, lockout with Retry-After, rehash', () => {
  test('unknown e-mail and wrong password: same status and body', async () => {
    const unknown = await login(`nobody-${randomUUID()}@example.com`, 'some long password 1');
    const wrong = await login(account.email, 'some long password 1');
    assertEnvelope(unknown, 401, 'UNAUTHORIZED');
    assert.deepEqual(comparable(unknown), comparable(wrong));
    assert.equal(unknown.headers.get('www-authenticate'), wrong.headers.get('www-authenticate'));
  });

  test('unknown e-mail and wrong password: median times within 20 % over 50 attempts each', async () => {
    const unknownEmail = `nobody-${randomUUID()}@example.com`;
    const times = { unknown: [] as number[], wrong: [] as number[] };
    const timed = async (email: string, password: string) => {
      await resetCounters(email);
      const started = performance.now();
      const reply = await login(email, password);
      const elapsed = performance.now() - started;
      assert.equal(reply.status, 401);
      return elapsed;
    };
    await timed(unknownEmail, 'warm-up password');
    for (let i = 0; i < 50; i++) {
      // argon2id's second half indexes memory by the data, so one (hash, password) pair is consistently a little
      // faster or slower than another: each pair guesses its own password, as an attacker would. Interleaved, each
      // side first in half of the pairs, so a noisy neighbour on the CPU or an order effect hits both alike.
      const password = `wrong guess ${i} ${randomUUID()}`;
      if (i % 2 === 0) {
        times.unknown.push(await timed(unknownEmail, password));
        times.wrong.push(await timed(account.email, password));
      } else {
        times.wrong.push(await timed(account.email, password));
        times.unknown.push(await timed(unknownEmail, password));
      }
    }
    const [u, w] = [median(times.unknown), median(times.wrong)];
    console.log(`login medians: unknown e-mail ${u.toFixed(1)} ms, wrong password ${w.toFixed(1)} ms`);
    assert.ok(
      Math.abs(u - w) / Math.max(u, w) <= 0.2,
      `medians ${u.toFixed(1)} vs ${w.toFixed(1)} ms differ by > 20 %`,
    );
    await resetCounters(account.email);
  });

  test('10 failures lock an e-mail (known or not) with 429 and Retry-After, even for the right password', async () => {
    const victim = await newAccount(app, 'viewer', false);
    const unknownEmail = `nobody-${randomUUID()}@example.com`;
    for (const email of [victim.email, unknownEmail]) {
      for (let i = 0; i < 10; i++) assertEnvelope(await login(email, 'wrong password here'), 401, 'UNAUTHORIZED');
    }
    const [knownLocked, unknownLocked] = [
      await login(victim.email, victim.password),
      await login(unknownEmail, 'wrong password here'),
    ];
    for (const locked of [knownLocked, unknownLocked]) {
      assertEnvelope(locked, 429, 'RATE_LIMITED');
      assert.ok(Number(locked.headers.get('retry-after')) >= 1);
    }
    assert.deepEqual(comparable(knownLocked), comparable(unknownLocked));
    assert.equal(knownLocked.headers.get('retry-after'), unknownLocked.headers.get('retry-after'));
    await resetCounters(victim.email);
    await app.redis.del(REDIS_KEYS.authLock('loginAccount', subjectOfEmail(victim.email)));
    assert.equal((await login(victim.email, victim.password)).status, 200);
  });

  test('a password hashed with older parameters is re-hashed at the next successful login', async () => {
    const old = await newAccount(app, 'viewer', false);
    const { hash } = await import('@node-rs/argon2');
    const weak = await hash(old.password, { algorithm: 2, memoryCost: 8192, timeCost: 1, parallelism: 1 });
    await app.pool.query(`UPDATE admin_accounts SET password_hash = $2 WHERE account_id = $1`, [old.accountId, weak]);
    const reply = await login(old.email, old.password);
    assert.equal(reply.status, 200);
    secrets.add(reply.body.data.accessToken);
    const { rows } = await app.pool.query<{ password_hash: string }>(
      `SELECT password_hash FROM admin_accounts WHERE account_id = $1`,
      [old.accountId],
    );
    assert.match(rows[0]!.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  test('login outcomes are audited without the e-mail or password', async () => {
    const { rows } = await app.pool.query<{ details: Record<string, string> }>(
      `SELECT details FROM audit_events WHERE action = 'auth.login' AND outcome = 'failure' ORDER BY id DESC LIMIT 200`,
    );
    const reasons = new Set(rows.map((r) => r.details['reason']));
    for (const reason of ['unknown_email', 'wrong_password', 'locked']) assert.ok(reasons.has(reason), reason);
    const text = JSON.stringify(rows);
    assert.equal(text.includes(account.email), false);
    assert.equal(text.includes(account.password), false);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    const failures = /scalefu_auth_events_total\{[^}]*event="login"[^}]*outcome="failure"[^}]*\} (\d+)/.exec(metrics);
    assert.ok(Number(failures?.[1]) >= 100, `auth failures counted: ${failures?.[0]}`);
  });

  test('no password, token, TOTP secret or code in any log line of this run', () => {
    assertNoSecretsLogged();
    const line = logLines.find((l) => l.includes(account.email));
    assert.equal(line, undefined, `an admin e-mail was logged: ${line}`);
  });
});
