import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../../scripts/lib/paths';
import { THRESHOLD_BREACHED_EXIT } from './exit-codes';

test('a breached threshold exits 99 and names it (smoke against a server that answers 503)', async () => {
  let seen = 0;
  const server = createServer((request, response) => {
    seen++;
    request.resume();
    response.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"error"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const result = await promisify(execFile)(
      path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
      ['loadtests/src/cli/load.ts', 'smoke', '--target', `http://127.0.0.1:${port}`, '--duration', '1'],
      { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' } },
    ).then(
      () => ({ code: 0, output: '' }),
      (error: { code: number; stdout: string; stderr: string }) => ({
        code: error.code,
        output: `${error.stdout}${error.stderr}`,
      }),
    );
    assert.equal(result.code, THRESHOLD_BREACHED_EXIT);
    assert.match(result.output, /threshold breached: every request answered 2xx; 5xx\/no-answer share ≤ 0\.001/);
    assert.match(
      result.output,
      /no acked registration lost: not measured/,
      'loss is skipped, not passed, without a database',
    );
    assert.equal(seen, 5, 'smoke sends rate × duration requests, no more');
  } finally {
    server.close();
  }
});
