import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { failpointFiredLine, parseFailpoints } from './failpoint';

test('parses name=kill and name=kill@N, and refuses anything else by name', () => {
  assert.deepEqual(
    [...parseFailpoints('a.b=kill, c-d=kill@25')],
    [
      ['a.b', { action: 'kill', atHit: 1 }],
      ['c-d', { action: 'kill', atHit: 25 }],
    ],
  );
  assert.equal(parseFailpoints(undefined).size, 0);
  assert.throws(() => parseFailpoints('a=crash'), /"a=crash" is not name=kill/);
});

test('a failpoint SIGKILLs the process at its Nth hit after writing where, and is a no-op when not set', () => {
  const script = `import { failpoint } from './packages/service-kit/src/failpoint.ts';
    for (let i = 1; i <= 5; i++) { failpoint('x.after'); failpoint('other'); console.log('survived', i); }`;
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
  const killed = run({ FAILPOINTS: 'x.after=kill@3' });
  assert.equal(killed.signal, 'SIGKILL');
  assert.match(killed.stdout, /survived 2\n$/);
  assert.ok(killed.stderr.includes(failpointFiredLine('x.after', 3)), killed.stderr);
  const untouched = run({ FAILPOINTS: '' });
  assert.equal(untouched.status, 0, untouched.stderr);
  assert.match(untouched.stdout, /survived 5/);
});
