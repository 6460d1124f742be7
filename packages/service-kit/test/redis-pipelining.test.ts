/**
 * The kit's Redis client against the test stack's real Redis: commands issued together share one socket write
 * (auto-pipelining), each still gets its own answer, and Lua scripts survive Redis forgetting them.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createRedis, type Redis } from '../src/redis/client';
import { silentLogger, stackEnv } from './support';

const INCR_BY_LUA = "return redis.call('INCRBY', KEYS[1], ARGV[1])";

interface ScriptCommands {
  kitTestIncrBy(key: string, by: number): Promise<number>;
}

let redis: Redis;
let socketWrites = 0;
const prefix = `kit-test:pipelining:${randomUUID()}`;

before(async () => {
  redis = createRedis({ url: stackEnv('REDIS_URL'), connectionName: 'pipelining-test' }, silentLogger);
  redis.defineCommand('kitTestIncrBy', { lua: INCR_BY_LUA, numberOfKeys: 1 });
  await redis.connect();
  const socket = redis.stream;
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  socket.write = ((...args: unknown[]) => {
    socketWrites++;
    return write(...args);
  }) as typeof socket.write;
});

after(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const scripts = () => redis as unknown as ScriptCommands;

test('40 commands issued in one tick go out in one socket write, and each resolves to its own answer', async () => {
  const writesBefore = socketWrites;
  const answers = await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0 ? redis.incr(`${prefix}:plain`) : scripts().kitTestIncrBy(`${prefix}:scripted`, 10),
    ),
  );
  assert.equal(socketWrites - writesBefore, 1, 'one write for the whole tick');
  assert.deepEqual(
    answers.filter((_, i) => i % 2 === 0),
    Array.from({ length: 20 }, (_, i) => i + 1),
    'INCRs answered in the order they were issued',
  );
  assert.deepEqual(
    answers.filter((_, i) => i % 2 === 1),
    Array.from({ length: 20 }, (_, i) => (i + 1) * 10),
  );
});

test('commands awaited one by one still go out one write each (the counter sees every write)', async () => {
  const writesBefore = socketWrites;
  for (let i = 0; i < 5; i++) await redis.incr(`${prefix}:sequential`);
  assert.equal(socketWrites - writesBefore, 5);
  assert.equal(await redis.get(`${prefix}:sequential`), '5');
});

test('after Redis forgets its scripts (a restart, SCRIPT FLUSH) pipelined script calls are resent and all succeed', async () => {
  await scripts().kitTestIncrBy(`${prefix}:flushed`, 1); // the script is now known on this connection
  await redis.script('FLUSH');
  const answers = await Promise.all(Array.from({ length: 10 }, () => scripts().kitTestIncrBy(`${prefix}:flushed`, 1)));
  assert.deepEqual(
    [...answers].sort((a, b) => a - b),
    Array.from({ length: 10 }, (_, i) => i + 2),
  );
  assert.equal(await redis.get(`${prefix}:flushed`), '11');
});
