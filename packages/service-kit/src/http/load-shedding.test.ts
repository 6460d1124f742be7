import Fastify from 'fastify';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventLoopLagShedder } from './load-shedding';

async function until(condition: () => boolean, what: string, timeoutMs = 6000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const blockEventLoop = (ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end); // a synchronous stall, as a runaway handler would cause
};

describe('eventLoopLagShedder', () => {
  it('refuses a limit that is not a positive number of ms', () => {
    assert.throws(() => eventLoopLagShedder({ maxEventLoopDelayMs: 0, shed: (r) => r }), /positive number/);
  });

  it('answers 503 while the event loop lags and serves again once it has caught up', async () => {
    const shedder = eventLoopLagShedder({
      maxEventLoopDelayMs: 100,
      // One sample a second: the stall's sample stays current long enough for a request on a busy machine.
      sampleIntervalMs: 1000,
      shed: (reply, delayMs) => reply.code(503).header('retry-after', '1').send({ delayMs }),
    });
    const app = Fastify();
    app.addHook('onRequest', shedder.onRequest);
    app.addHook('onClose', shedder.onClose);
    app.get('/work', async () => ({ ok: true }));
    try {
      assert.equal((await app.inject('/work')).statusCode, 200);
      await sleep(300); // the monitor's first tick only starts its clock: a stall before it is not measurable

      blockEventLoop(900);
      await until(() => shedder.delayMs() > 100, 'the stall to show in a sample');
      const shed = await app.inject('/work');
      assert.equal(shed.statusCode, 503);
      assert.equal(shed.headers['retry-after'], '1');
      assert.ok(shed.json<{ delayMs: number }>().delayMs > 100);

      await until(() => shedder.delayMs() <= 100, 'the lag to clear');
      assert.equal((await app.inject('/work')).statusCode, 200);
    } finally {
      await app.close();
    }
  });
});
