// The per-machine Go tool cache on a real (small) tool: actionlint from the Go module proxy, built into a temp cache.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ensureGoTool, toolDir, type GoToolSpec } from './go-tool';

let cache: string;
const saved = process.env['SCALEFU_TOOLS_CACHE'];

before(async () => {
  cache = await mkdtemp(path.join(os.tmpdir(), 'go-tool-cache-'));
  process.env['SCALEFU_TOOLS_CACHE'] = cache;
});
after(async () => {
  if (saved === undefined) delete process.env['SCALEFU_TOOLS_CACHE'];
  else process.env['SCALEFU_TOOLS_CACHE'] = saved;
  await rm(cache, { recursive: true, force: true });
});

const spec = (ldflags: string[] = []): GoToolSpec => ({
  name: 'actionlint',
  version: 'v1.7.7',
  require: { 'github.com/rhysd/actionlint': 'v1.7.7' },
  binaries: [
    {
      output: 'actionlint',
      package: 'github.com/rhysd/actionlint/cmd/actionlint',
      ldflags: ['-X github.com/rhysd/actionlint.version=v1.7.7', ...ldflags],
    },
  ],
});

test('builds a tool once into <cache>/<name>-<version>, reuses it, and rebuilds when the spec changes', async () => {
  const log: string[] = [];
  const first = await ensureGoTool(spec(), { log: (l) => log.push(l) });
  assert.equal(first['actionlint'], path.join(cache, 'actionlint-v1.7.7', 'actionlint'));
  assert.equal(toolDir(spec()), path.join(cache, 'actionlint-v1.7.7'));
  assert.ok(
    log.some((l) => l.includes('go build actionlint done')),
    log.join('\n'),
  );
  assert.match(execFileSync(first['actionlint'] as string, ['-version'], { encoding: 'utf8' }), /^v1\.7\.7\b/);

  log.length = 0;
  assert.deepEqual(await ensureGoTool(spec(), { log: (l) => log.push(l) }), first);
  assert.equal(log.length, 0, `a current cache builds nothing, got: ${log.join('; ')}`);

  await ensureGoTool(spec(['-s', '-w']), { log: (l) => log.push(l) });
  assert.ok(
    log.some((l) => l.includes('go build actionlint done')),
    'new flags rebuild',
  );
});
