import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { CSP_HASHES_FILE, adminWebCsp, cspHeader, exportScriptHashes, inlineScriptHashes } from './csp';

const sha = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

test('hashes inline scripts only, exactly as browsers do (the script text between the tags)', () => {
  const html = '<script src="/a.js"></script><script>self.__x=1</script><script type="module">go()</script>';
  assert.deepEqual(inlineScriptHashes(html), [sha('self.__x=1'), sha('go()')]);
});

test('takes the hashes a build wrote, else computes them from the export', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'csp-'));
  writeFileSync(path.join(dir, 'index.html'), '<script>a()</script>');
  assert.deepEqual(exportScriptHashes(dir), [sha('a()')]);
  writeFileSync(path.join(dir, CSP_HASHES_FILE), JSON.stringify({ scriptSrc: ["'sha256-built'"] }));
  assert.deepEqual(exportScriptHashes(dir), ["'sha256-built'"]);
});

test('the policy allows no inline code, eval or framing beyond the listed hashes', () => {
  const policy = cspHeader(adminWebCsp([sha('a()')], ['https://api.scalefu.localhost:8443']));
  assert.match(policy, /default-src 'none'/);
  assert.match(policy, /frame-ancestors 'none'/);
  assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/);
  assert.match(policy, /connect-src 'self' https:\/\/api\.scalefu\.localhost:8443/);
});
