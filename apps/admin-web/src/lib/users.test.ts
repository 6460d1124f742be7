import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SORT, etagOf, listPath, listQueryString, readListQuery } from './users';

test('reads the list view from the URL and ignores values the API would refuse', () => {
  assert.deepEqual(readListQuery('?q=som&status=CONFIRMED&sort=name'), { q: 'som', status: 'CONFIRMED', sort: 'name' });
  assert.deepEqual(readListQuery('?status=GONE&sort=password'), { q: '', status: '', sort: DEFAULT_SORT });
});

test('writes only non-default parts of the view to the URL, and round-trips', () => {
  assert.equal(listQueryString({ q: '', status: '', sort: DEFAULT_SORT }), '');
  const text = listQueryString({ q: ' สม ', status: 'CREATED', sort: '-name' });
  assert.deepEqual(readListQuery(text), { q: 'สม', status: 'CREATED', sort: '-name' });
});

test('asks the API for 100 rows per page with the cursor of the previous page', () => {
  const path = listPath({ q: 'po', status: '', sort: 'name' }, 'abc_-1');
  assert.equal(path, '/api/v1/users?limit=100&sort=name&q=po&cursor=abc_-1');
  assert.equal(etagOf(3), 'W/"3"');
});
