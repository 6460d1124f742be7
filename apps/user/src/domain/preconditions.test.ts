import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '@scalefu/service-kit';
import { etagMatches, etagOf } from './etag';
import { assertIfMatch } from './preconditions';

const statusOf = (fn: () => void): number | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof AppError ? error.statusCode : -1;
  }
};

test('the ETag of a user is its version as a weak tag', () => {
  assert.equal(etagOf(7), 'W/"7"');
});

test('If-Match matches the current version in weak or strong form, or *', () => {
  assert.ok(etagMatches('W/"7"', 7));
  assert.ok(etagMatches('"7"', 7));
  assert.ok(etagMatches('"3", W/"7"', 7));
  assert.ok(etagMatches('*', 7));
  assert.ok(!etagMatches('W/"6"', 7));
  assert.ok(!etagMatches('W/"77"', 7));
});

test('a required If-Match that is missing is 428', () => {
  assert.equal(
    statusOf(() => assertIfMatch(undefined, 3, true)),
    428,
  );
  assert.equal(
    statusOf(() => assertIfMatch('  ', 3, true)),
    428,
  );
});

test('a stale If-Match is 412 whether required or not', () => {
  assert.equal(
    statusOf(() => assertIfMatch('W/"2"', 3, true)),
    412,
  );
  assert.equal(
    statusOf(() => assertIfMatch('W/"2"', 3, false)),
    412,
  );
});

test('an optional If-Match may be absent, and a current one passes', () => {
  assert.equal(
    statusOf(() => assertIfMatch(undefined, 3, false)),
    undefined,
  );
  assert.equal(
    statusOf(() => assertIfMatch('W/"3"', 3, true)),
    undefined,
  );
});
