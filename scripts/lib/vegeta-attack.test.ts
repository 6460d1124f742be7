import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { attack } from './vegeta-attack';

test('sends each target once, with its method, headers and body, and reports the statuses', async () => {
  const seen: { method: string; type: string | undefined; body: string }[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      seen.push({ method: request.method!, type: request.headers['content-type'], body });
      response.writeHead(body.includes('"n":2') ? 409 : 201).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/register`;
  try {
    const figures = await attack({
      targetsFile: path.join(mkdtempSync(path.join(tmpdir(), 'vegeta-')), 'targets.jsonl'),
      targets: [1, 2, 3].map((n) => ({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ n }),
      })),
      connections: 2,
      seconds: 5,
    });
    // The attack ends when the targets run out; vegeta reports that last, empty hit as status 0 "no targets".
    assert.equal(seen.length, 3, 'each target is sent once');
    assert.deepEqual(figures.statusCodes, { '0': 1, '201': 2, '409': 1 }, JSON.stringify(figures.errors));
    assert.match(figures.errors.join(), /no targets/);
    assert.deepEqual(seen.map((s) => s.body).sort(), ['{"n":1}', '{"n":2}', '{"n":3}']);
    assert.ok(seen.every((s) => s.method === 'POST' && s.type === 'application/json'));
  } finally {
    server.close();
  }
});
