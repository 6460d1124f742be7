// The release pipeline's own code is linted like the rest: actionlint (+ shellcheck in `run:` blocks) over every
// workflow, shellcheck over every shell script. The self-test proves a broken workflow makes the check fail.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from './paths';
import { lintShellScripts, lintWorkflows } from './workflow-lint';

const shellScripts = execFileSync('git', ['ls-files', '.ci/run', '*.sh'], { cwd: REPO_ROOT, encoding: 'utf8' })
  .split('\n')
  .filter(Boolean);

test('actionlint and shellcheck find nothing in .github/workflows', async () => {
  const result = await lintWorkflows(REPO_ROOT);
  assert.ok(result.ok, result.findings.join('\n'));
});

test('shellcheck finds nothing in the shell scripts', async () => {
  assert.ok(shellScripts.includes('.ci/run'));
  const result = await lintShellScripts(REPO_ROOT, shellScripts);
  assert.ok(result.ok, result.findings.join('\n'));
});

test('a workflow with an unquoted expansion and an unknown step output fails the check', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'workflow-lint-'));
  try {
    execFileSync('git', ['init', '-q', dir]); // actionlint finds workflows from the repository root
    await mkdir(path.join(dir, '.github', 'workflows'), { recursive: true });
    await writeFile(
      path.join(dir, '.github', 'workflows', 'broken.yml'),
      [
        'on: push',
        'jobs:',
        '  build:',
        '    runs-on: ubuntu-24.04',
        '    steps:',
        '      - run: echo ${{ steps.nope.outputs.digest }} && cp $SRC $DST',
        '',
      ].join('\n'),
    );
    const result = await lintWorkflows(dir);
    assert.equal(result.ok, false);
    assert.ok(
      result.findings.some((f) => f.includes('nope')),
      result.findings.join('\n'),
    );
    assert.ok(
      result.findings.some((f) => f.includes('SC2086')),
      result.findings.join('\n'),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
