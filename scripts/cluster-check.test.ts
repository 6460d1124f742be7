// `npm run cluster:check` for real: every committed rendered document of dev and prod applied to a real
// kube-apiserver (one fresh server per environment) with zero rejections and zero warnings.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { defaultPortOffset } from './lib/kube/environments';
import { REPO_ROOT } from './lib/paths';
import { runScript } from './lib/run-script';

/** Ports of their own, so this file's servers never meet those of other test files running beside it. */
const PORT_OFFSET = defaultPortOffset() + 21;

const runCheck = (args: string[]) =>
  runScript('scripts/cluster-check.ts', args, { SCALEFU_PORT_OFFSET: String(PORT_OFFSET) });

test(
  'applies every rendered document of dev and prod to a real API server with no rejection and no warning',
  { timeout: 40 * 60_000 },
  async (t) => {
    const { code, output } = await runCheck([]);
    assert.equal(code, 0, output);
    for (const env of ['dev', 'prod']) {
      const line = new RegExp(
        `✔ ${env}: (\\d+) documents applied in (\\d+) syncs .* 0 rejected, 0 warnings, 0 drifting`,
      ).exec(output);
      assert.ok(line, `no clean summary line for ${env} in:\n${output}`);
      assert.ok(Number(line[1]) > 100, `${env}: only ${line[1]} documents applied`);
      t.diagnostic(line[0].slice(2));
    }
  },
);

test('exits non-zero and names file, kind, name and the server message when a rendered document is rejected', async (t) => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'cluster-check-cli-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  execFileSync('sh', ['-c', `git archive HEAD argocd/dev clusters/dev | tar -x -C "${root}"`], { cwd: REPO_ROOT });
  const edge = path.join(root, 'clusters', 'dev', 'edge.k8s.yaml');
  const text = await readFile(edge, 'utf8');
  // The defect the first run against the landed tree found: a health check without portSpecification.
  await writeFile(edge, text.replaceAll(/\n\s+portSpecification: USE_FIXED_PORT/g, ''));
  const { code, output } = await runCheck(['--env', 'dev', '--root', root]);
  assert.equal(code, 1, output);
  assert.match(
    output,
    /✖ rejected clusters\/dev\/edge\.k8s\.yaml HealthCheckPolicy scalefu\/onboarder \(app scalefu-edge\): .*no such key: portSpecification/,
  );
  assert.match(output, /dev: \d+ documents applied .* 2 rejected, 0 warnings, 0 drifting/);
});
