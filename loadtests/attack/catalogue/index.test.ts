import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OWASP } from '../case';
import { CATALOGUE } from './index';

test('every case has a unique kebab-case id, an OWASP API Top 10 category and a title', () => {
  const ids = CATALOGUE.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length, 'duplicate ids');
  for (const attack of CATALOGUE) {
    assert.match(attack.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.ok(Object.hasOwn(OWASP, attack.owasp), `${attack.id}: ${attack.owasp}`);
    assert.ok(attack.title.length > 10, attack.id);
  }
});

test('the catalogue covers every attack issue 12 lists', () => {
  const required = [
    'verb-',
    'ct-',
    'body-oversized',
    'json-deep',
    'json-wide',
    'proto-pollution',
    'sql-text-literal',
    'dup-email-case',
    'dup-email-unicode',
    'dup-phone-format',
    'dup-national-id-format',
    'ratelimit-x-forwarded-for',
    'ratelimit-x-real-ip',
    'ratelimit-forwarded',
    'slowloris-headers',
    'slow-body',
    'cors-no-reflection',
    'security-headers',
    'malformed-registration-id',
    'list-sort-filter-injection',
    'list-pagination-abuse',
    'mass-assign-register',
    'mass-assign-admin-patch',
    'bfla-anonymous',
    'bfla-viewer-writes',
    'bola-other-accounts-device',
    'jwt-alg-none',
    'jwt-hs256-confusion',
    'jwt-tampered-role',
    'jwt-foreign-key',
    'refresh-reuse',
    'totp-brute-force',
    'totp-replay',
    'login-enum-status-body',
    'login-enum-timing',
  ];
  const missing = required.filter((prefix) => !CATALOGUE.some((c) => c.id.startsWith(prefix)));
  assert.deepEqual(missing, []);
});
