import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValidationError } from '@scalefu/service-kit';
import {
  PAGE_SIZE,
  checkFreeText,
  clampPageSize,
  decodeCursor,
  encodeCursor,
  parseSort,
  type ListFilter,
} from './list-query';

const filter: ListFilter = { status: 'CREATED', q: 'som' };
const sort = parseSort('-createdAt');
const position = { key: '2025-01-31 09:15:02.123456+00', userID: '01948a3c-7c1e-7000-8000-000000000001' };

test('a cursor decodes to the position it was encoded from', () => {
  assert.deepEqual(decodeCursor(encodeCursor(position, filter, sort), filter, sort), position);
});

test('a cursor is opaque base64url, not readable JSON', () => {
  const cursor = encodeCursor(position, filter, sort);
  assert.match(cursor, /^[A-Za-z0-9_-]+$/);
  assert.ok(!cursor.includes('{'));
});

test('a cursor issued for another sort or filter is refused with a 400', () => {
  const cursor = encodeCursor(position, filter, sort);
  assert.throws(() => decodeCursor(cursor, filter, parseSort('name')), ValidationError);
  assert.throws(() => decodeCursor(cursor, { ...filter, status: 'CONFIRMED' }, sort), ValidationError);
});

test('garbage and tampered cursors are refused with a 400, never reach SQL', () => {
  for (const bad of ['', 'not base64!', Buffer.from('{"v":1}').toString('base64url'), 'e30']) {
    assert.throws(() => decodeCursor(bad, filter, sort), ValidationError, bad);
  }
  const tampered = JSON.parse(Buffer.from(encodeCursor(position, filter, sort), 'base64url').toString()) as Record<
    string,
    unknown
  >;
  tampered['k'] = "'; DROP TABLE users; --";
  assert.throws(
    () => decodeCursor(Buffer.from(JSON.stringify(tampered)).toString('base64url'), filter, sort),
    ValidationError,
  );
});

/** A cursor as a client could build it: the fingerprint is unkeyed, so only the checks of its values protect SQL. */
const forge = (key: string, on = sort) => encodeCursor({ key, userID: position.userID }, filter, on);
const refusedAsCursor = (error: unknown) =>
  error instanceof ValidationError && error.statusCode === 400 && error.fieldErrors[0]?.field === 'cursor';

test('a forged cursor whose timestamp is not a real instant is refused with a 400 before it reaches SQL', () => {
  for (const key of [
    '2025-13-45 99:99:99+00',
    '2025-02-30 00:00:00+00',
    '2025-01-31 24:00:00+00',
    '2025-01-31 09:15:60+00',
    '0000-01-01 00:00:00+00',
    '2025-01-31 09:15:02+99',
    '2025-01-31 09:15:02+05:60',
    '2025-01-31T09:15:02Z',
  ]) {
    assert.throws(() => decodeCursor(forge(key), filter, sort), refusedAsCursor, key);
  }
});

test('a timestamp cursor in any form Postgres prints is accepted', () => {
  for (const key of [
    '2025-01-31 09:15:02+00',
    '2024-02-29 23:59:59.999999+00',
    '2025-01-31 16:15:02.5+07',
    '2025-01-31 14:45:02+05:30',
    '0001-01-01 00:00:00+00',
  ]) {
    assert.equal(decodeCursor(forge(key), filter, sort).key, key);
  }
});

test('a forged text cursor with a control character is refused with a 400', () => {
  const byName = parseSort('name');
  assert.equal(decodeCursor(forge('Somchai ใจดี', byName), filter, byName).key, 'Somchai ใจดี');
  for (const key of ['a\u0000b', 'tab\there', '\u009f']) {
    assert.throws(() => decodeCursor(forge(key, byName), filter, byName), refusedAsCursor, JSON.stringify(key));
  }
});

test('free-text filters refuse control characters (NUL among them) with a 400 naming the field', () => {
  assert.equal(checkFreeText('q', 'som ใจ%_'), 'som ใจ%_');
  assert.equal(checkFreeText('q', undefined), undefined);
  for (const bad of ['\u0000', 'som\u0000chai', 'a\nb', '\u007f']) {
    assert.throws(
      () => checkFreeText('q', bad),
      (error: unknown) =>
        error instanceof ValidationError && error.statusCode === 400 && error.fieldErrors[0]?.field === 'q',
      JSON.stringify(bad),
    );
  }
});

test('sort accepts only allowlisted fields, ascending or with - for descending', () => {
  assert.deepEqual(parseSort('name'), { field: 'name', direction: 'asc' });
  assert.deepEqual(parseSort('-updatedAt'), { field: 'updatedAt', direction: 'desc' });
  assert.deepEqual(parseSort(), { field: 'createdAt', direction: 'desc' });
});

test('sort on an unknown or dangerous column is a 400 naming the sort field', () => {
  for (const bad of [
    'password',
    'national_id_hmac',
    'created_at',
    '--name',
    'name;DROP TABLE users',
    'constructor',
    '__proto__',
  ]) {
    assert.throws(
      () => parseSort(bad),
      (error: unknown) =>
        error instanceof ValidationError && error.statusCode === 400 && error.fieldErrors[0]?.field === 'sort',
      bad,
    );
  }
});

test('page size defaults to 20 and is clamped to 1..100', () => {
  assert.equal(clampPageSize(undefined), PAGE_SIZE.default);
  assert.equal(clampPageSize(0), 1);
  assert.equal(clampPageSize(-5), 1);
  assert.equal(clampPageSize(1000), 100);
  assert.equal(clampPageSize(37), 37);
});
