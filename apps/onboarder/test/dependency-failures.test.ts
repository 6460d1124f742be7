import assert from 'node:assert/strict';
import { test } from 'node:test';
import { occupiedPort, recordingLogger } from '@scalefu/service-kit/testing';
import { v7 as uuidv7 } from 'uuid';
import { startApp } from '../src/app';
import { loadOnboarderConfig } from '../src/config';
import { dedupHolder, get, post, startTestApp, testRedis, uniqueEmail, uniquePhone, validNationalId } from './helpers';

test('a failed publish answers 503 and releases the reservation, so a retry succeeds', async () => {
  // Technique: stop the app's real producer. From then on every publish is refused (ProducerClosedError), the
  // same path a broker outage takes once KafkaJS gives up retrying.
  const broken = await startTestApp();
  const healthy = await startTestApp();
  const redis = testRedis();
  try {
    await broken.app.producer.disconnect();
    const phone = uniquePhone();
    const body = {
      name: 'Po Ping',
      email: uniqueEmail('publish-fails'),
      phoneNumber: phone.raw,
      nationalId: validNationalId(),
    };

    const res = await post(broken.baseUrl, body);
    assert.equal(res.status, 503);
    assert.equal(res.json['status'], 'error');
    assert.equal(res.json['code'], 'DEPENDENCY_UNAVAILABLE');
    assert.ok(Number(res.headers.get('retry-after')) >= 1, 'Retry-After tells the client when to try again');
    assert.equal(await dedupHolder(redis, 'email', body.email), null, 'e-mail reservation released');
    assert.equal(await dedupHolder(redis, 'phone', phone.e164), null, 'phone reservation released');

    const ready = await get(broken.baseUrl, '/readyz');
    assert.equal(ready.status, 503, 'a service that cannot publish is not ready');

    const retry = await post(healthy.baseUrl, body);
    assert.equal(retry.status, 201, 'the same person can register once Kafka is back');
  } finally {
    await broken.app.stop();
    await healthy.app.stop();
    redis.disconnect();
  }
});

test('Redis down answers 503 with the error envelope, never 500', async () => {
  // Technique: disconnect the app's Redis client for good; the kit's client fails fast without an offline queue.
  const { app, baseUrl } = await startTestApp();
  try {
    app.redis.disconnect(false);
    const register = await post(baseUrl, {
      name: 'Po Ping',
      email: uniqueEmail('no-redis'),
      phoneNumber: uniquePhone().raw,
    });
    assert.equal(register.status, 503);
    assert.equal(register.json['code'], 'DEPENDENCY_UNAVAILABLE');
    const status = await get(baseUrl, `/api/v1/registrations/${uuidv7()}`);
    assert.equal(status.status, 503);
    assert.equal(status.json['status'], 'error');
    const ready = await get(baseUrl, '/readyz');
    assert.equal(ready.status, 503);
    assert.match(String((ready.json['checks'] as Record<string, string>)['redis']), /^error/);
  } finally {
    await app.stop();
  }
});

test('closes Redis and Kafka again when start-up fails after they connected', async () => {
  // Technique: hold the port the app must listen on, so start-up fails after its clients connected.
  const busy = await occupiedPort();
  const recording = recordingLogger('onboarder-test');
  try {
    const config = loadOnboarderConfig(process.env);
    await assert.rejects(startApp(config, { port: busy.port, logger: recording.logger }), /EADDRINUSE/);
  } finally {
    await busy.release();
  }
  const stopped = recording.stoppedSteps();
  assert.deepEqual(stopped, ['http', 'kafka-producer', 'redis', 'tracing']);
});
