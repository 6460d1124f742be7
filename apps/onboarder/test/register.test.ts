import { EVENT_TYPES, REDIS_KEYS, eventSourceOf } from '@scalefu/contracts';
import { nationalIdHmac } from '@scalefu/identity';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { v7 as uuidv7 } from 'uuid';
import type { OnboarderApp } from '../src/app';
import {
  CommandWatcher,
  dedupHolder,
  get,
  post,
  startTestApp,
  testRedis,
  uniqueEmail,
  uniquePhone,
  validBody,
  validNationalId,
} from './helpers';

let app: OnboarderApp;
let baseUrl: string;
let watcher: CommandWatcher;
const redis = testRedis();

before(async () => {
  ({ app, baseUrl } = await startTestApp());
  watcher = await CommandWatcher.start();
});
after(async () => {
  await watcher.stop();
  await app.stop();
  redis.disconnect();
});

test('accepts a registration with 201 and Location, and the command is on the topic keyed by the canonical e-mail', async () => {
  const email = uniqueEmail('happy');
  const phone = uniquePhone();
  const nationalId = validNationalId();
  const res = await post(baseUrl, {
    name: ' Po Ping ',
    email: email.toUpperCase(),
    phoneNumber: phone.raw,
    nationalId,
  });

  assert.equal(res.status, 201);
  const userID = (res.json['data'] as { userID: string }).userID;
  assert.deepEqual(res.json, { status: 'success', message: 'Registration successful', data: { userID } });
  assert.match(userID, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'userID is a UUIDv7');
  assert.equal(res.headers.get('location'), `/api/v1/registrations/${userID}`);

  // 201 comes only after the broker's ack, so the record is already durable: a fresh consumer finds it.
  await watcher.waitFor(() => watcher.byKey(email).length > 0);
  const [command] = watcher.byKey(email);
  assert.equal(command!.event.type, EVENT_TYPES.registrationRequested);
  assert.equal(command!.event.source, eventSourceOf('onboarder'));
  assert.ok(command!.headers['traceparent'], 'trace context propagated');
  const data = command!.event.data;
  assert.equal(data.userID, userID);
  assert.equal(data.name, 'Po Ping');
  const [local, domain] = email.split('@') as [string, string];
  assert.equal(
    data.email,
    `${local.toUpperCase()}@${domain}`,
    'deliverable form: local part as typed, domain lower-case',
  );
  assert.equal(data.phoneNumber, phone.e164);
  const hmac = nationalIdHmac(nationalId, process.env['NATIONAL_ID_HMAC_KEY']!);
  assert.deepEqual(data.identity, { email, phone: phone.e164, nationalIdHmac: hmac });
  assert.equal(data.nationalIdMasked, `*********${nationalId.slice(-4)}`);
  assert.ok(!command!.value.includes(nationalId), 'the clear national ID never leaves the onboarder');

  // Every identity key is reserved for this userID.
  assert.equal(await dedupHolder(redis, 'email', email), userID);
  assert.equal(await dedupHolder(redis, 'phone', phone.e164), userID);
  assert.equal(await dedupHolder(redis, 'nid', hmac), userID);
  assert.ok((await redis.ttl(REDIS_KEYS.dedup('email', email))) > 0, 'a reservation expires unless confirmed');
});

test('status endpoint returns ACCEPTED right after register', async () => {
  const res = await post(baseUrl, validBody('status'));
  assert.equal(res.status, 201);
  const location = res.headers.get('location')!;
  const status = await get(baseUrl, location);
  assert.equal(status.status, 200);
  const data = status.json['data'] as Record<string, string>;
  assert.equal(status.json['status'], 'success');
  assert.equal(data['userID'], (res.json['data'] as { userID: string }).userID);
  assert.equal(data['registrationStatus'], 'ACCEPTED');
  assert.ok(!Number.isNaN(Date.parse(data['updatedAt']!)), 'updatedAt is a timestamp');
});

test('status endpoint answers 404 for an unknown registration and 400 for an invalid id', async () => {
  const unknown = await get(baseUrl, `/api/v1/registrations/${uuidv7()}`);
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json['code'], 'NOT_FOUND');
  for (const bad of ['not-a-uuid', '6f1c2a3e-1b2c-4d3e-8f4a-0123456789ab' /* v4, not v7 */]) {
    const res = await get(baseUrl, `/api/v1/registrations/${bad}`);
    assert.equal(res.status, 400, bad);
    assert.equal(res.json['status'], 'error');
    assert.equal(res.json['code'], 'VALIDATION_FAILED');
  }
});

test('accepts names with apostrophes and Thai script and carries them as sent', async () => {
  const names = ["O'Brien", 'D’Angelo Smith-Jones', 'สมชาย ใจดี', 'ณัฐวุฒิ ศรีสุข', "Ma'ai ก่อ"];
  const sent = await Promise.all(
    names.map(async (name) => {
      const body = validBody('names', { name });
      const res = await post(baseUrl, body);
      assert.equal(res.status, 201, `${name}: ${JSON.stringify(res.json)}`);
      return { name, key: body.email };
    }),
  );
  await watcher.waitFor(() => sent.every((s) => watcher.byKey(s.key).length > 0));
  for (const s of sent) assert.equal(watcher.byKey(s.key)[0]!.event.data.name, s.name);
});

test('answers 409 naming the taken field, without revealing the holder and without reserving the rest', async () => {
  const first = validBody('dup-first');
  const taken = await post(baseUrl, first);
  assert.equal(taken.status, 201);
  const holder = (taken.json['data'] as { userID: string }).userID;

  const second = validBody('dup-second', { phoneNumber: first.phoneNumber });
  const res = await post(baseUrl, second);
  assert.equal(res.status, 409);
  assert.equal(res.json['status'], 'error');
  assert.equal(res.json['code'], 'DUPLICATE');
  assert.deepEqual(res.json.errors, [{ field: 'phoneNumber', message: 'is already registered' }]);
  assert.ok(!JSON.stringify(res.json).includes(holder), 'the other registration is not revealed');
  assert.equal(await dedupHolder(redis, 'email', second.email), null, 'all-or-nothing: the free e-mail stays free');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(watcher.byKey(second.email).length, 0, 'nothing published for a duplicate');
});

test('a second registration of the same person with another e-mail spelling is a duplicate', async () => {
  const body = validBody('respell');
  assert.equal((await post(baseUrl, body)).status, 201);
  const again = await post(baseUrl, {
    ...body,
    email: ` ${body.email.toUpperCase()} `,
    phoneNumber: uniquePhone().raw,
  });
  assert.equal(again.status, 409);
  assert.deepEqual(again.json.errors, [{ field: 'email', message: 'is already registered' }]);
});

test('reports ready when Redis and the producer are up, and counts outcomes in metrics', async () => {
  const ready = await get(baseUrl, '/readyz');
  assert.equal(ready.status, 200);
  assert.deepEqual(ready.json['checks'], { redis: 'ok', 'kafka-producer': 'ok' });
  const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
  const has = (pattern: RegExp, what: string) => assert.ok(pattern.test(metrics), `metrics lack ${what}`);
  has(/^scalefu_onboarder_registrations_total\{[^}]*outcome="accepted"[^}]*\} [1-9]/m, 'accepted registrations');
  has(/^scalefu_onboarder_registrations_total\{[^}]*outcome="duplicate"[^}]*\} [1-9]/m, 'duplicate registrations');
  has(
    /^scalefu_http_request_duration_seconds_count\{[^}]*route="\/api\/v1\/register"[^}]*\} [1-9]/m,
    'the RED histogram',
  );
});
