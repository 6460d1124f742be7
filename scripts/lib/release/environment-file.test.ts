import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../paths';
import { writeRelease } from './environment-file';

const dev = readFileSync(path.join(REPO_ROOT, 'platform', 'environments', 'dev.ts'), 'utf8');
const digest = (c: string) => `sha256:${c.repeat(64)}`;

test('writes the tag and digests into the release block and leaves every other line of the environment file', () => {
  const written = writeRelease(dev, '0.1.0-0123456789ab', { onboarder: digest('a'), 'cache-updater': digest('b') });
  assert.match(written, /imageTag: '0\.1\.0-0123456789ab',/);
  assert.match(written, new RegExp(`'cache-updater': '${digest('b')}',\\n\\s+onboarder: '${digest('a')}',`));
  const outside = (s: string) => s.replace(/\/\/ release-digests:begin[\s\S]*\/\/ release-digests:end/, '');
  assert.equal(outside(written), outside(dev));
  assert.equal(writeRelease(written, '1', {}), writeRelease(dev, '1', {}), 'rewriting replaces, never appends');
});

test('refuses a malformed digest, an unpinned tag and a file without the release block', () => {
  assert.throws(() => writeRelease(dev, '1', { user: 'sha256:1234' }), /digest of user/);
  assert.throws(() => writeRelease(dev, 'latest', {}), /not a pinned tag/);
  assert.throws(() => writeRelease('export const x = 1;', '1', {}), /release-digests:begin/);
});
