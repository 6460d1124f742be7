import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { withDigests } from './lock-file';

const committed = readFileSync(
  path.resolve(import.meta.dirname, '../../../platform/third-party-images.lock.json'),
  'utf8',
);
const digest = `sha256:${'ab'.repeat(32)}`;

test('a new digest is written with where and when it was read; other rows stay as they are', () => {
  const next = JSON.parse(withDigests(committed, { otelCollector: digest }, '2026-12-01')) as {
    images: Record<string, { digest: string | null; source: string; tag: string }>;
  };
  const before = JSON.parse(committed) as typeof next;
  assert.equal(next.images['otelCollector']!.digest, digest);
  assert.match(next.images['otelCollector']!.source, /skopeo inspect --raw\), 2026-12-01$/);
  assert.equal(next.images['otelCollector']!.tag, before.images['otelCollector']!.tag);
  assert.deepEqual(next.images['redis'], before.images['redis']);
});

test('an unchanged digest keeps its recorded source; a malformed one is refused', () => {
  const redis = (JSON.parse(committed) as { images: { redis: { digest: string } } }).images.redis.digest;
  assert.equal(withDigests(committed, { redis }, '2026-12-01'), `${JSON.stringify(JSON.parse(committed), null, 2)}\n`);
  assert.throws(() => withDigests(committed, { redis: 'sha256:nope' }, '2026-12-01'), /sha256:<64 hex>/);
});
