import { TOPICS } from '@scalefu/contracts';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ValidationError } from '@scalefu/service-kit';
import type { RunningApp } from '../src/app';
import { allowAll } from '../src/routes/admin';
import { encodeCursor, parseSort } from '../src/domain/list-query';
import { listUsers } from '../src/store/user-list';
import { TopicWatcher, newPerson, startTestApp, userIdOf, type TestPerson } from './helpers';

interface ApiUser {
  userID: string;
  name: string;
  email: string;
  phoneNumber: string;
  nationalIdMasked?: string;
  status: string;
  version: number;
  createdAt: string;
}

/** Response bodies are asserted field by field; a loose type keeps the assertions readable. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

let app: RunningApp;
let watcher: TopicWatcher;

before(async () => {
  watcher = await TopicWatcher.start([TOPICS.userCreated.name, TOPICS.userUpdated.name, TOPICS.userDeleted.name]);
  // This file proves the API's own rules; who may call it is proven in auth-matrix.test.ts.
  app = await startTestApp({ consumers: false, guard: allowAll });
});

after(async () => {
  await app?.stop();
  await watcher?.stop();
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, Json>) : undefined,
  };
}

async function createUser(
  person: TestPerson = newPerson('Admin'),
): Promise<{ user: ApiUser; etag: string; location: string | null }> {
  const response = await call('POST', '/api/v1/users', person);
  assert.equal(response.status, 201, JSON.stringify(response.body));
  const user = response.body!['data'] as ApiUser;
  return { user, etag: response.headers.get('etag')!, location: response.headers.get('location') };
}

/** The deliverable form the API stores: the local part as typed, the domain lower-case. */
const lowerCaseDomain = (email: string) => email.replace(/@.*$/, (domain) => domain.toLowerCase());

/** Fullwidth forms (`ｐｏ＠ｅｘａｍｐｌｅ．ｃｏｍ`) of printable ASCII, as some Thai and CJK keyboards type them. */
const fullwidth = (text: string) => text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

async function userCount(where: string, value: string): Promise<number> {
  const { rows } = await app.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE ${where} = $1`, [
    value,
  ]);
  return rows[0]!.n;
}

describe('list: filter, search, sort and cursor pagination across a few hundred users', () => {
  const prefix = `Adm${randomBytes(4).toString('hex')}`;
  const created: ApiUser[] = [];

  before(async () => {
    for (let chunk = 0; chunk < 10; chunk++) {
      const batch = await Promise.all(Array.from({ length: 25 }, () => createUser(newPerson(prefix))));
      created.push(...batch.map((b) => b.user));
    }
  });

  async function listAll(query: Record<string, string>): Promise<ApiUser[]> {
    const seen: ApiUser[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const params = new URLSearchParams({ ...query, ...(cursor ? { cursor } : {}) });
      const response = await call('GET', `/api/v1/users?${params}`);
      assert.equal(response.status, 200, JSON.stringify(response.body));
      seen.push(...(response.body!['data']['users'] as ApiUser[]));
      cursor = response.body!['data']['page']['nextCursor'] as string | null;
      if (!cursor) return seen;
    }
    throw new Error('pagination did not end');
  }

  for (const sort of ['name', '-name', 'createdAt', '-createdAt', 'email', '-updatedAt']) {
    test(`paging with sort=${sort} returns each matching user exactly once`, async () => {
      const listed = await listAll({ q: prefix.toLowerCase(), sort, limit: '37' });
      const ids = listed.map((u) => u.userID);
      assert.equal(ids.length, created.length);
      assert.deepEqual(new Set(ids), new Set(created.map((u) => u.userID)));
    });
  }

  test('sort=createdAt pages come back in creation order', async () => {
    const times = (await listAll({ q: prefix, sort: 'createdAt', limit: '50' })).map((u) => u.createdAt);
    assert.deepEqual(times, [...times].sort());
  });

  test('status and created-range filters narrow the result exactly', async () => {
    assert.equal((await listAll({ q: prefix, status: 'CREATED', limit: '100' })).length, created.length);
    assert.equal((await listAll({ q: prefix, status: 'CONFIRMED' })).length, 0);
    const cut = [...created].map((u) => u.createdAt).sort()[100]!;
    const from = await listAll({ q: prefix, createdFrom: cut, limit: '100' });
    const to = await listAll({ q: prefix, createdTo: cut, limit: '100' });
    assert.equal(from.length, created.filter((u) => u.createdAt >= cut).length);
    assert.equal(to.length, created.filter((u) => u.createdAt < cut).length);
    assert.equal(from.length + to.length, created.length);
  });

  test('the list masks e-mail, phone and national ID', async () => {
    const listed = await listAll({ q: prefix, limit: '100' });
    const byId = new Map(created.map((u) => [u.userID, u]));
    for (const user of listed) {
      const original = byId.get(user.userID)!;
      assert.notEqual(user.email, original.email);
      assert.match(user.email, /^[^@]\*+[^@]?@example\.com$/i);
      assert.match(user.phoneNumber, /^\+66\*+\d{4}$/);
      assert.match(user.nationalIdMasked ?? '', /^\*{9}\d{4}$/);
    }
  });

  test('page size defaults to 20 and is clamped to 100', async () => {
    const first = await call('GET', `/api/v1/users?q=${prefix}`);
    assert.equal(first.body!['data']['users'].length, 20);
    const big = await call('GET', `/api/v1/users?q=${prefix}&limit=100000`);
    assert.equal(big.body!['data']['users'].length, 100);
    assert.equal(big.body!['data']['page']['limit'], 100);
  });
});

test('an unknown sort column gets 400 with the error envelope', async () => {
  const response = await call('GET', '/api/v1/users?sort=national_id_hmac');
  assert.equal(response.status, 400);
  assert.equal(response.body!['status'], 'error');
  assert.equal(response.body!['code'], 'VALIDATION_FAILED');
});

test('a cursor used with another sort gets 400', async () => {
  await createUser();
  await createUser();
  const first = await call('GET', '/api/v1/users?limit=1&sort=name');
  const cursor = first.body!['data']['page']['nextCursor'] as string;
  const response = await call('GET', `/api/v1/users?limit=1&sort=email&cursor=${cursor}`);
  assert.equal(response.status, 400);
});

/** A 400 in the error envelope naming `field`: client input never becomes a 500. */
function assertFieldError(response: Awaited<ReturnType<typeof call>>, field: string) {
  assert.equal(response.status, 400, JSON.stringify(response.body));
  assert.equal(response.body!['status'], 'error');
  assert.equal(response.body!['code'], 'VALIDATION_FAILED');
  assert.deepEqual(
    response.body!['errors'].map((e: { field: string }) => e.field),
    [field],
  );
}

/** A cursor as a client could build it: its fingerprint is an unkeyed hash, so anyone can recompute it. */
const forgedCursor = (key: string, sort: string) =>
  encodeCursor({ key, userID: '01948a3c-7c1e-7000-8000-000000000001' }, {}, parseSort(sort));

// The rule is in the schema now (the document states it), so the field is named as every query schema error is.
test('a NUL or other control character in q gets 400 naming q', async () => {
  assertFieldError(await call('GET', '/api/v1/users?q=%00'), 'querystring.q');
  assertFieldError(await call('GET', '/api/v1/users?q=som%00chai'), 'querystring.q');
  assertFieldError(await call('GET', '/api/v1/users?q=a%0Ab'), 'querystring.q');
});

test('a forged cursor with an impossible timestamp gets 400 naming the cursor', async () => {
  const cursor = forgedCursor('2025-13-45 99:99:99+00', '-createdAt');
  assertFieldError(await call('GET', `/api/v1/users?sort=-createdAt&cursor=${cursor}`), 'cursor');
  const feb30 = forgedCursor('2025-02-30 00:00:00+00', 'createdAt');
  assertFieldError(await call('GET', `/api/v1/users?sort=createdAt&cursor=${feb30}`), 'cursor');
});

test('a forged cursor with a NUL in a text sort key gets 400 naming the cursor', async () => {
  const cursor = forgedCursor('Som\u0000chai', 'name');
  assertFieldError(await call('GET', `/api/v1/users?sort=name&cursor=${cursor}`), 'cursor');
});

test('a well-formed forged cursor is just a position: 200', async () => {
  const cursor = forgedCursor('2025-01-31 14:45:02.5+05:30', '-createdAt');
  assert.equal((await call('GET', `/api/v1/users?sort=-createdAt&cursor=${cursor}`)).status, 200);
});

test('a created-range bound valid as date-time but not to Postgres (year 0, +23:59) gets 400, not 500', async () => {
  for (const bound of ['0000-01-01T00:00:00Z', '2025-01-01T00:00:00+23:59']) {
    const response = await call('GET', `/api/v1/users?createdFrom=${encodeURIComponent(bound)}`);
    assert.equal(response.status, 400, bound);
    assert.equal(response.body!['status'], 'error');
    assert.equal(response.body!['code'], 'VALIDATION_FAILED');
  }
});

test('the list store turns any SQLSTATE class 22 (data exception) into a ValidationError', async () => {
  const sort = parseSort('createdAt');
  // Bypasses the route's checks on purpose, as a future filter without one would.
  const tooLate = { key: '2025-01-31 09:15:02+00', userID: '01948a3c-7c1e-7000-8000-000000000001' };
  await assert.rejects(
    listUsers(app.pool, { createdFrom: '2025-13-45T99:99:99Z' }, sort, tooLate, 1),
    (error: unknown) =>
      error instanceof ValidationError && error.statusCode === 400 && error.fieldErrors[0]?.field === 'query',
  );
  await assert.rejects(
    listUsers(app.pool, { q: 'som\u0000chai' }, sort, undefined, 1),
    (error: unknown) => error instanceof ValidationError && error.statusCode === 400,
  );
});

test('GET returns the whole user with an ETag, and 304 when If-None-Match names it', async () => {
  const person = newPerson('Admin');
  const { user, etag } = await createUser(person);
  assert.equal(etag, 'W/"1"');
  const response = await call('GET', `/api/v1/users/${user.userID}`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('etag'), etag);
  assert.equal(response.body!['data']['email'], lowerCaseDomain(person.email));
  assert.equal(response.body!['data']['phoneNumber'], person.phoneNumber);
  const cached = await fetch(`${app.url}/api/v1/users/${user.userID}`, { headers: { 'if-none-match': etag } });
  assert.equal(cached.status, 304);
  assert.equal(await cached.text(), '');
});

test('POST stores the user, answers 201 with Location, and publishes user.created', async () => {
  const { user, location } = await createUser();
  assert.equal(location, `/api/v1/users/${user.userID}`);
  assert.equal(user.status, 'CREATED');
  await watcher.waitFor(TOPICS.userCreated.name, (e) => userIdOf(e) === user.userID);
  assert.equal(await userCount('user_id', user.userID), 1);
});

test('POST stores a fullwidth e-mail in its deliverable ASCII form, keeping the case of the local part', async () => {
  const person = newPerson('Admin');
  const local = person.email.split('@')[0]!.toUpperCase();
  const { user } = await createUser({ ...person, email: fullwidth(`${local}@Example.COM`) });
  assert.equal(user.email, `${local}@example.com`);
  assert.equal((await call('GET', `/api/v1/users/${user.userID}`)).body!['data']['email'], `${local}@example.com`);
  assert.equal(await userCount('email_canonical', `${local.toLowerCase()}@example.com`), 1);
});

test('POST of a person already registered gets 409 and writes nothing', async () => {
  const person = newPerson('Admin');
  await createUser(person);
  const again = await call('POST', '/api/v1/users', { ...newPerson('Admin'), email: person.email.toUpperCase() });
  assert.equal(again.status, 409);
  assert.equal(again.body!['code'], 'DUPLICATE');
  assert.equal(await userCount('email_canonical', person.email.toLowerCase()), 1);
});

test('POST with invalid fields gets 400 naming each field and writes nothing', async () => {
  const person = { ...newPerson('Admin'), name: 'x', phoneNumber: '+1 202 555 0100' };
  const response = await call('POST', '/api/v1/users', person);
  assert.equal(response.status, 400);
  assert.deepEqual(response.body!['errors'].map((e: { field: string }) => e.field).sort(), ['name', 'phoneNumber']);
  assert.equal(await userCount('email_canonical', person.email.toLowerCase()), 0);
});

test('PATCH without If-Match gets 428 and changes nothing', async () => {
  const { user } = await createUser();
  const response = await call('PATCH', `/api/v1/users/${user.userID}`, { name: 'Changed Name' });
  assert.equal(response.status, 428);
  assert.equal(response.body!['code'], 'PRECONDITION_REQUIRED');
  assert.equal((await call('GET', `/api/v1/users/${user.userID}`)).body!['data']['name'], user.name);
});

test('PATCH with a stale If-Match gets 412 and changes nothing', async () => {
  const { user, etag } = await createUser();
  const first = await call('PATCH', `/api/v1/users/${user.userID}`, { name: 'First Change' }, { 'if-match': etag });
  assert.equal(first.status, 200);
  assert.equal(first.headers.get('etag'), 'W/"2"');
  const stale = await call('PATCH', `/api/v1/users/${user.userID}`, { name: 'Lost Update' }, { 'if-match': etag });
  assert.equal(stale.status, 412);
  const current = await call('GET', `/api/v1/users/${user.userID}`);
  assert.equal(current.body!['data']['name'], 'First Change');
  assert.equal(current.body!['data']['version'], 2);
});

test('PATCH with fields beyond name, email and phone gets 400 (no mass assignment)', async () => {
  const { user, etag } = await createUser();
  for (const extra of [{ status: 'CONFIRMED' }, { version: 99 }, { userID: user.userID }, { nationalIdMasked: 'x' }]) {
    const response = await call(
      'PATCH',
      `/api/v1/users/${user.userID}`,
      { name: 'Ok Name', ...extra },
      { 'if-match': etag },
    );
    assert.equal(response.status, 400, JSON.stringify(extra));
  }
  const current = await call('GET', `/api/v1/users/${user.userID}`);
  assert.equal(current.body!['data']['status'], 'CREATED');
  assert.equal(current.body!['data']['version'], 1);
  assert.equal(current.body!['data']['name'], user.name);
});

test('PUT needs every editable field, and a changed e-mail emits user.updated with the previous identity', async () => {
  const { user, etag } = await createUser();
  const partial = await call('PUT', `/api/v1/users/${user.userID}`, { name: 'Only Name' }, { 'if-match': etag });
  assert.equal(partial.status, 400);
  const next = newPerson('Admin');
  const response = await call(
    'PUT',
    `/api/v1/users/${user.userID}`,
    { name: 'New Name', email: next.email, phoneNumber: user.phoneNumber },
    { 'if-match': etag },
  );
  assert.equal(response.status, 200, JSON.stringify(response.body));
  assert.equal(response.body!['data']['email'], lowerCaseDomain(next.email));
  const [updated] = await watcher.waitFor(TOPICS.userUpdated.name, (e) => userIdOf(e) === user.userID);
  const data = updated!.event.data as { identity: { email: string }; previousIdentity?: { email: string } };
  assert.equal(data.identity.email, next.email.toLowerCase());
  assert.equal(data.previousIdentity?.email, user.email.toLowerCase());
});

test('changing a user to an e-mail another user holds gets 409 and changes nothing', async () => {
  const { user: holder } = await createUser();
  const { user, etag } = await createUser();
  const response = await call('PATCH', `/api/v1/users/${user.userID}`, { email: holder.email }, { 'if-match': etag });
  assert.equal(response.status, 409);
  assert.deepEqual(response.body!['errors'], [{ field: 'email', message: 'is already used by another user' }]);
  assert.equal((await call('GET', `/api/v1/users/${user.userID}`)).body!['data']['email'], user.email);
});

test('DELETE with a stale If-Match gets 412; without one it deletes and emits user.deleted', async () => {
  const { user, etag } = await createUser();
  await call('PATCH', `/api/v1/users/${user.userID}`, { name: 'Renamed Person' }, { 'if-match': etag });
  const stale = await call('DELETE', `/api/v1/users/${user.userID}`, undefined, { 'if-match': etag });
  assert.equal(stale.status, 412);
  assert.equal(await userCount('user_id', user.userID), 1);
  const deleted = await call('DELETE', `/api/v1/users/${user.userID}`);
  assert.equal(deleted.status, 200);
  assert.equal(deleted.body!['data']['userID'], user.userID);
  assert.equal((await call('GET', `/api/v1/users/${user.userID}`)).status, 404);
  const [event] = await watcher.waitFor(TOPICS.userDeleted.name, (e) => userIdOf(e) === user.userID);
  assert.equal((event!.event.data as { user: { version: number } }).user.version, 2);
});

test('an unknown user is 404 and a malformed id is 400', async () => {
  assert.equal((await call('GET', '/api/v1/users/01948a3c-7c1e-7000-8000-000000000000')).status, 404);
  assert.equal((await call('GET', '/api/v1/users/not-a-uuid')).status, 400);
});

test('/openapi.json is served', async () => {
  const response = await call('GET', '/openapi.json');
  assert.equal(response.status, 200);
  assert.ok(response.body!['paths']['/api/v1/users']);
});
