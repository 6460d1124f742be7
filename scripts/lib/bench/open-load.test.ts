import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { quantile, runOpenLoad } from './open-load';

/** A server that answers 201 with a userID, except every third request, whose socket it destroys unanswered. */
async function flakyServer(): Promise<{ url: string; close: () => Promise<void> }> {
  let seen = 0;
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      seen += 1;
      if (seen % 3 === 0) {
        request.socket.destroy();
        return;
      }
      response.writeHead(201, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ data: { userID: `u${seen}` } }));
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/register`,
    close: () =>
      new Promise((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}

test('open load counts every answer and names the code of every request left unanswered', async () => {
  const server = await flakyServer();
  try {
    const result = await runOpenLoad({ url: server.url, rate: 60, seconds: 0.5, body: (i) => JSON.stringify({ i }) });
    assert.equal(result.offered, 30);
    assert.equal(result.statuses['201'], result.acceptedIds.length);
    const errors = Object.values(result.errorCodes).reduce((sum, n) => sum + n, 0);
    assert.equal(result.acceptedIds.length + errors, 30, 'every request is either answered or an error');
    assert.equal(errors, 10, 'every third request was cut');
    assert.deepEqual(result.errorCodes, { ECONNRESET: 10 });
    assert.equal(result.latenciesMs.length, 20);
  } finally {
    await server.close();
  }
});

test('open load refuses a target other than the loopback', async () => {
  await assert.rejects(
    runOpenLoad({ url: 'http://192.0.2.1:8080/register', rate: 1, seconds: 1, body: () => '{}' }),
    /only targets 127\.0\.0\.1/,
  );
});

test('quantile is the nearest rank, NaN when there is nothing to rank', () => {
  assert.equal(quantile([5, 1, 4, 2, 3], 0.5), 3);
  assert.equal(quantile([5, 1, 4, 2, 3], 0.99), 5);
  assert.equal(quantile([7], 0), 7);
  assert.ok(Number.isNaN(quantile([], 0.5)));
});
