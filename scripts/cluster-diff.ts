#!/usr/bin/env tsx
/**
 * Purpose: show the exact change Argo CD would sync. Per environment: a throw-away kube-apiserver gets the pinned
 *          CRDs and the committed render (argocd/<env>, clusters/<env>) of <git-ref>, server-side applied in Argo CD's
 *          order; then `kubectl diff --server-side` compares the working tree's render with it (defaulted fields
 *          included). Prints the diff and writes a Markdown summary for a pull request (path printed).
 * Prerequisites: those of `npm run cluster:check` (Go the first time on a machine, ../shared/crds, free ports); git;
 *          `diff` (diffutils). The ref must be present locally (CI: fetch the base branch first).
 * Usage: npm run cluster:diff -- origin/main
 *        npm run cluster:diff -- HEAD~1 --env dev --markdown /tmp/diff.md
 *        npm run cluster:diff -- v1.2.0 --repo /path/to/other/checkout
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { StackError, say } from './lib/console';
import { REPO_ROOT, SHARED_CRDS_DIR, STATE_ROOT } from './lib/paths';
import { ensureKubernetesBinaries } from './lib/kube/binaries';
import { formatFinding } from './lib/kube/check';
import { diffEnvironment, diffMarkdown, exportRender, type EnvironmentDiff } from './lib/kube/diff';
import {
  CLUSTER_ENVIRONMENTS,
  isClusterEnvironment,
  kubernetesVersionOf,
  withApiServer,
} from './lib/kube/environments';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    env: { type: 'string', multiple: true },
    repo: { type: 'string', default: REPO_ROOT },
    markdown: { type: 'string', default: path.join(STATE_ROOT, 'cluster-diff.md') },
  },
});
const ref = positionals[0];
if (!ref || positionals.length > 1) {
  say.fail('cluster-diff', 'usage: npm run cluster:diff -- <git-ref> [--env dev|prod] [--markdown <file>]');
  process.exit(2);
}
const envs = values.env ?? CLUSTER_ENVIRONMENTS;
const unknown = envs.filter((e) => !isClusterEnvironment(e));
if (unknown.length > 0) {
  say.fail('cluster-diff', `unknown environment ${unknown.join(', ')} (known: ${CLUSTER_ENVIRONMENTS.join(', ')})`);
  process.exit(2);
}

let baseRoot: string | undefined;
try {
  baseRoot = await exportRender(values.repo, ref);
  const diffs: EnvironmentDiff[] = [];
  for (const env of envs.filter(isClusterEnvironment)) {
    const version = kubernetesVersionOf(env);
    const { kubectl } = await ensureKubernetesBinaries(version);
    const diff = await withApiServer({ version, label: `diff-${env}` }, (server) =>
      diffEnvironment(server, {
        env,
        baseRoot: baseRoot as string,
        headRoot: values.repo,
        crdsDir: SHARED_CRDS_DIR,
        kubectl,
      }),
    );
    diffs.push(diff);
    console.log(`=== ${env}: ${diff.changed.length} changed, ${diff.removed.length} removed (vs ${ref})`);
    for (const f of diff.baseFindings) console.log(`  (base) ${formatFinding(f)}`);
    for (const r of diff.removed) console.log(`- removed (Argo CD prunes): ${r}`);
    if (diff.text.trim()) console.log(diff.text.trimEnd());
  }
  await mkdir(path.dirname(path.resolve(values.markdown)), { recursive: true });
  await writeFile(values.markdown, diffMarkdown(ref, diffs));
  console.log(`Markdown summary: ${path.resolve(values.markdown)}`);
} catch (error) {
  say.fail(error instanceof StackError ? error.component : 'cluster-diff', (error as Error).message);
  process.exitCode = 1;
} finally {
  if (baseRoot) await rm(baseRoot, { recursive: true, force: true });
}
