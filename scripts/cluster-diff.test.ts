// `npm run cluster:diff` for real: a throw-away git repository holds the committed dev render in one commit and a
// replica count change in the next; the diff against HEAD~1 must show that change and nothing else.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { defaultPortOffset } from './lib/kube/environments';
import { REPO_ROOT } from './lib/paths';
import { runScript } from './lib/run-script';

/** Ports of their own, so this file's servers never meet those of other test files running beside it. */
const PORT_OFFSET = defaultPortOffset() + 31;

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', ...args], { cwd });

const runDiff = (args: string[]) =>
  runScript('scripts/cluster-diff.ts', args, { SCALEFU_PORT_OFFSET: String(PORT_OFFSET) });

test('a commit that changes a replica count diffs as exactly that change (and the generation it bumps)', async (t) => {
  const repo = await mkdtemp(path.join(os.tmpdir(), 'cluster-diff-repo-'));
  t.after(() => rm(repo, { recursive: true, force: true }));
  for (const dir of ['argocd/dev', 'clusters/dev']) {
    await cp(path.join(REPO_ROOT, dir), path.join(repo, dir), { recursive: true });
  }
  git(repo, 'init', '-q');
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'render');
  const redis = path.join(repo, 'clusters', 'dev', 'redis.k8s.yaml');
  const text = await readFile(redis, 'utf8');
  const changed = text.replace(/(\n {2}name: redis\n {2}namespace: scalefu\nspec:\n[^]*?\n {2}replicas: )1\n/, '$12\n');
  assert.notEqual(changed, text, 'the redis StatefulSet has replicas: 1 to change');
  await writeFile(redis, changed);
  git(repo, 'commit', '-q', '-am', 'scale redis');

  const markdown = path.join(repo, 'diff.md');
  const { code, output } = await runDiff(['HEAD~1', '--repo', repo, '--env', 'dev', '--markdown', markdown]);
  assert.equal(code, 0, output);
  assert.match(output, /=== dev: 1 changed, 0 removed \(vs HEAD~1\)/);
  assert.match(
    output,
    /^diff -u -N live\/apps\.v1\.StatefulSet\.scalefu\.redis merged\/apps\.v1\.StatefulSet\.scalefu\.redis$/m,
  );
  const changedLines = output
    .split('\n')
    .filter((l) => /^[-+]/.test(l) && !/^(---|\+\+\+) /.test(l))
    .sort();
  assert.deepEqual(changedLines, ['+  generation: 2', '+  replicas: 2', '-  generation: 1', '-  replicas: 1']);

  const summary = await readFile(markdown, 'utf8');
  assert.match(summary, /\| dev \| 1 \| 0 \| 0 \|/);
  assert.match(summary, /```diff\n[^]*\+ {2}replicas: 2[^]*```/);
});
