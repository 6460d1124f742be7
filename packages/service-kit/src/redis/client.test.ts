import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, test } from 'node:test';
import { createLogger } from '../logger';
import { createRedis } from './client';

// Options only: every client here is lazy and never connects (the TLS handshakes are in test/redis-tls.test.ts).
const logger = createLogger({ service: 'test', destination: new Writable({ write: (_c, _e, done) => done() }) });
const dir = mkdtempSync(path.join(tmpdir(), 'scalefu-redis-client-'));
const caFile = path.join(dir, 'ca.crt');
writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nnot checked here\n-----END CERTIFICATE-----\n');
after(() => rmSync(dir, { recursive: true, force: true }));

test('the local stack default stays plaintext: no TLS options at all', () => {
  const redis = createRedis({ url: 'redis://127.0.0.1:6379', connectionName: 'test' }, logger);
  assert.equal(redis.options.tls, undefined);
  redis.disconnect();
});

test('with Sentinels and TLS, the Sentinels and the primary they name are both dialled over TLS with the CA', () => {
  const redis = createRedis(
    { url: 'redis://unused', sentinels: 'a:26379,b:26379', tls: true, tlsCaFile: caFile, connectionName: 'test' },
    logger,
  );
  assert.deepEqual(redis.options.sentinelTLS, {
    ca: [`-----BEGIN CERTIFICATE-----\nnot checked here\n-----END CERTIFICATE-----\n`],
  });
  assert.deepEqual(redis.options.tls, redis.options.sentinelTLS);
  assert.equal(redis.options.enableTLSForSentinelMode, true);
  redis.disconnect();
});

test('a rediss:// URL turns TLS on without Sentinels', () => {
  const redis = createRedis({ url: 'rediss://cache:6379', tlsCaFile: caFile, connectionName: 'test' }, logger);
  assert.ok(redis.options.tls?.ca);
  redis.disconnect();
});

test('a CA file with TLS off is a configuration error, not a silently plaintext connection', () => {
  assert.throws(
    () => createRedis({ url: 'redis://cache:6379', tlsCaFile: caFile, connectionName: 'test' }, logger),
    /TLS CA file was given but TLS is off/,
  );
});
