import { PUBLIC_BODY_LIMIT_BYTES } from '@scalefu/contracts';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { OnboarderApp } from '../src/app';
import { CommandWatcher, dedupHolder, post, sleep, startTestApp, testRedis, uniqueEmail, uniquePhone } from './helpers';

let app: OnboarderApp;
let baseUrl: string;
const redis = testRedis();

before(async () => ({ app, baseUrl } = await startTestApp()));
after(async () => {
  await app.stop();
  redis.disconnect();
});

interface BadCase {
  readonly title: string;
  /** Body: an object (sent as JSON) or a raw string. */
  readonly body: (valid: Record<string, string>) => unknown;
  readonly raw?: boolean;
  readonly contentType?: string;
  readonly status: number;
  readonly code: string;
  /** Field the error names, when the problem is one field. */
  readonly field?: string;
}

const ID_WITH_BAD_CHECKSUM = '1234567890120'; // check digit of 123456789012 is 1
const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

const cases: BadCase[] = [
  { title: 'empty name', body: (v) => ({ ...v, name: '' }), status: 400, code: 'VALIDATION_FAILED', field: 'name' },
  { title: 'blank name', body: (v) => ({ ...v, name: '    ' }), status: 400, code: 'VALIDATION_FAILED', field: 'name' },
  { title: '1-char name', body: (v) => ({ ...v, name: 'A' }), status: 400, code: 'VALIDATION_FAILED', field: 'name' },
  {
    title: '201-char name',
    body: (v) => ({ ...v, name: 'ก'.repeat(201) }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'name',
  },
  {
    title: 'name with a control character',
    body: (v) => ({ ...v, name: 'Po\u0000Ping' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'name',
  },
  {
    title: 'name of wrong type',
    body: (v) => ({ ...v, name: 42 }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'name',
  },
  {
    title: 'e-mail without @',
    body: (v) => ({ ...v, email: 'plainaddress' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'email',
  },
  {
    title: 'e-mail without a domain dot',
    body: (v) => ({ ...v, email: `${v['email']!.split('@')[0]}@localhost` }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'email',
  },
  {
    title: 'e-mail with two @',
    body: (v) => ({ ...v, email: `a@${v['email']}` }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'email',
  },
  {
    title: 'e-mail with a space',
    body: (v) => ({ ...v, email: `po ping.${v['email']}` }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'email',
  },
  {
    title: 'foreign phone (US)',
    body: (v) => ({ ...v, phoneNumber: '+14155552671' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'phoneNumber',
  },
  {
    title: 'foreign phone (UK)',
    body: (v) => ({ ...v, phoneNumber: '+447911123456' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'phoneNumber',
  },
  {
    title: 'malformed phone (too short)',
    body: (v) => ({ ...v, phoneNumber: '12345' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'phoneNumber',
  },
  {
    title: 'malformed phone (letters)',
    body: (v) => ({ ...v, phoneNumber: '08l2345678' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'phoneNumber',
  },
  {
    title: 'national ID with a bad checksum',
    body: (v) => ({ ...v, nationalId: ID_WITH_BAD_CHECKSUM }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'nationalId',
  },
  {
    title: 'national ID of 12 digits',
    body: (v) => ({ ...v, nationalId: '123456789012' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'nationalId',
  },
  {
    title: 'missing e-mail',
    body: (v) => ({ name: v['name'], phoneNumber: v['phoneNumber'] }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'email',
  },
  {
    title: 'extra field',
    body: (v) => ({ ...v, role: 'admin' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'role',
  },
  {
    title: '__proto__ key',
    body: (v) =>
      `{"name":"Po Ping","email":"${v['email']}","phoneNumber":"${v['phoneNumber']}","__proto__":{"role":"admin"}}`,
    raw: true,
    status: 400,
    code: 'MALFORMED_JSON',
  },
  {
    title: 'constructor.prototype key',
    body: (v) =>
      `{"name":"Po Ping","email":"${v['email']}","phoneNumber":"${v['phoneNumber']}","constructor":{"prototype":{"role":"admin"}}}`,
    raw: true,
    status: 400,
    code: 'MALFORMED_JSON',
  },
  {
    title: 'wrong content type (text/plain)',
    body: (v) => JSON.stringify(v),
    raw: true,
    contentType: 'text/plain',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    title: 'wrong content type (form)',
    body: (v) => `name=Po&email=${encodeURIComponent(v['email']!)}`,
    raw: true,
    contentType: 'application/x-www-form-urlencoded',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    title: '1 MiB body',
    body: (v) => ({ ...v, name: 'x'.repeat(1024 * 1024) }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    title: 'body just over the limit',
    body: (v) => ({ ...v, name: 'x'.repeat(PUBLIC_BODY_LIMIT_BYTES) }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    title: 'deep nesting',
    body: (v) => `{"name":${deep(5000)},"email":"${v['email']}","phoneNumber":"${v['phoneNumber']}"}`,
    raw: true,
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'name',
  },
  {
    title: 'malformed JSON',
    body: (v) => `{"name":"Po","email":"${v['email']}"`,
    raw: true,
    status: 400,
    code: 'MALFORMED_JSON',
  },
  { title: 'JSON array body', body: () => '[]', raw: true, status: 400, code: 'VALIDATION_FAILED' },
  { title: 'JSON null body', body: () => 'null', raw: true, status: 400, code: 'VALIDATION_FAILED' },
  { title: 'empty body', body: () => '', raw: true, status: 400, code: 'MALFORMED_JSON' },
];

const sent: { email: string; phone: string }[] = [];

for (const c of cases) {
  test(`refuses ${c.title} with ${c.status} ${c.code} and the error envelope`, async () => {
    const phone = uniquePhone();
    const valid = { name: 'Po Ping', email: uniqueEmail('bad'), phoneNumber: phone.raw };
    sent.push({ email: valid.email, phone: phone.e164 });
    const res = await post(baseUrl, c.body(valid), {
      ...(c.raw ? { raw: true } : {}),
      ...(c.contentType ? { contentType: c.contentType } : {}),
    });
    assert.equal(res.status, c.status, JSON.stringify(res.json).slice(0, 300));
    assert.equal(res.json['status'], 'error');
    assert.equal(res.json['code'], c.code);
    assert.equal(typeof res.json['message'], 'string');
    if (c.field)
      assert.ok(
        res.json.errors?.some((e) => e.field === c.field),
        JSON.stringify(res.json.errors),
      );
  });
}

test('reports every bad field of one request at once', async () => {
  const res = await post(baseUrl, {
    name: 'A',
    email: 'nope',
    phoneNumber: '+14155552671',
    nationalId: ID_WITH_BAD_CHECKSUM,
  });
  assert.equal(res.status, 400);
  assert.deepEqual(
    res.json.errors!.map((e) => e.field),
    ['name', 'email', 'phoneNumber', 'nationalId'],
  );
});

test('bad input reserves nothing in Redis and publishes nothing', async () => {
  assert.ok(sent.length >= cases.length);
  for (const s of sent) {
    assert.equal(await dedupHolder(redis, 'email', s.email), null, s.email);
    assert.equal(await dedupHolder(redis, 'phone', s.phone), null, s.phone);
  }
  // A valid sentinel sent after every bad request: once it is on the topic, anything published before is too.
  const watcher = await CommandWatcher.start();
  try {
    const sentinel = { name: 'Sentinel', email: uniqueEmail('sentinel'), phoneNumber: uniquePhone().raw };
    assert.equal((await post(baseUrl, sentinel)).status, 201);
    await watcher.waitFor(() => watcher.byKey(sentinel.email).length === 1);
    await sleep(1000);
    const bad = new Set(sent.map((s) => s.email));
    assert.deepEqual(
      watcher.seen.filter((c) => bad.has(c.key) || bad.has(c.event.data.email)),
      [],
    );
  } finally {
    await watcher.stop();
  }
});
