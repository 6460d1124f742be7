import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../paths';
import { writeImageDigests } from './environment-file';

const dev = readFileSync(path.join(REPO_ROOT, 'platform', 'environments', 'dev.ts'), 'utf8');
const digest = (c: string) => `sha256:${c.repeat(64)}`;

test('writes the digests into the release block and leaves every other line of the environment file', () => {
  const written = writeImageDigests(dev, { onboarder: digest('a'), 'cache-updater': digest('b') });
  assert.match(written, new RegExp(`'cache-updater': '${digest('b')}',\\n\\s+onboarder: '${digest('a')}',`));
  const outside = (s: string) => s.replace(/\/\/ release-digests:begin[\s\S]*\/\/ release-digests:end/, '');
  assert.equal(outside(written), outside(dev));
  assert.equal(writeImageDigests(written, {}), writeImageDigests(dev, {}), 'rewriting replaces, never appends');
});

test('refuses a malformed digest and a file without the release block', () => {
  assert.throws(() => writeImageDigests(dev, { user: 'sha256:1234' }), /digest of user/);
  assert.throws(() => writeImageDigests('export const x = 1;', {}), /release-digests:begin/);
});
