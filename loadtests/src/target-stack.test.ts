import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkTargetUrl } from './target-stack';

test('load goes only to loopback addresses unless a target URL is given explicitly', () => {
  assert.equal(checkTargetUrl('http://127.0.0.1:8080', false).port, '8080');
  assert.equal(checkTargetUrl('http://[::1]:8080', false).hostname, '[::1]');
  assert.throws(() => checkTargetUrl('http://10.0.0.5:8080', false), /only 127\.0\.0\.1 \/ ::1/);
  assert.throws(() => checkTargetUrl('https://api.example.com', false), /refusing to send load to api\.example\.com/);
  assert.equal(checkTargetUrl('https://api.example.com', true).hostname, 'api.example.com');
  assert.throws(() => checkTargetUrl('ftp://127.0.0.1/', true), /must be http/);
});
