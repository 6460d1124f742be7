import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Type } from 'typebox';
import { kafkaConfigProperties, loadConfig, postgresConfigProperties, serviceConfigSchema } from './config';
import { ConfigError } from './errors';

const schema = serviceConfigSchema('user', {
  ...kafkaConfigProperties,
  ...postgresConfigProperties,
  NATIONAL_ID_HMAC_KEY: Type.String({ minLength: 32 }),
});

test('converts env strings to typed values and fills defaults from contracts', () => {
  const config = loadConfig('user', schema, {
    NATIONAL_ID_HMAC_KEY: 'k'.repeat(32),
    KAFKA_SSL: 'true',
    PG_POOL_MAX: '4',
  });
  assert.equal(config.PORT, 8081);
  assert.equal(config.KAFKA_SSL, true);
  assert.equal(config.PG_POOL_MAX, 4);
  assert.equal(config.LOG_LEVEL, 'info');
});

test('fails fast with one message naming every missing or invalid variable', () => {
  try {
    loadConfig('user', schema, { PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    assert.fail('expected a ConfigError');
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    const message = error.message;
    assert.match(message, /^user: invalid configuration/);
    assert.match(message, /PORT must be integer \(got "eighty"\)/);
    assert.match(message, /NATIONAL_ID_HMAC_KEY is required/);
    assert.match(message, /DATABASE_URL/);
    assert.match(message, /LOG_LEVEL/);
  }
});

test('never echoes the value of a variable that may hold a credential', () => {
  assert.throws(
    () => loadConfig('user', schema, { NATIONAL_ID_HMAC_KEY: 'short-secret', DATABASE_URL: 'mysql://u:hunter2@h/db' }),
    (error: Error) => !error.message.includes('short-secret') && !error.message.includes('hunter2'),
  );
});
