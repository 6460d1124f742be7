/**
 * What Argo CD would change: apply the render of a git ref to a throw-away API server (as the cluster holds it after
 * the last sync), then `kubectl diff --server-side` the working tree's render against it as Argo CD's field manager.
 * The server computes the merged object, so defaulted fields, CEL-valid values and field ownership are real.
 * Removed objects (Argo CD prunes them) are listed separately: kubectl diff only sees what the new render holds.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { ApiServer } from './api-server';
import { SKIPPED_KINDS, applyPlan, installCrds, planDocuments, type Finding } from './check';
import { FIELD_MANAGER, type KubeObject } from './client';
import { planSync, type SyncPlan } from './sync-plan';

export interface EnvironmentDiff {
  readonly env: string;
  /** `kubectl diff` output with the temp folders replaced by `live/` and `merged/`; empty when nothing changes. */
  readonly text: string;
  /** Objects kubectl diff reports, as `group.version.Kind.namespace.name` (kubectl's file names). */
  readonly changed: readonly string[];
  /** `Kind namespace/name` present at the ref and gone now: Argo CD prunes them. */
  readonly removed: readonly string[];
  /** What the server said about the ref's render (a rejected object there shows as new here). */
  readonly baseFindings: readonly Finding[];
}

/** Export `argocd/` and `clusters/` of `ref` from the repository at `repo` into a fresh temp folder. */
export async function exportRender(repo: string, ref: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cluster-diff-'));
  await run('sh', ['-c', 'git archive "$0" argocd clusters | tar -x -C "$1"', ref, dir], { cwd: repo }).catch(
    async (error: Error) => {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`cannot export argocd/ and clusters/ at "${ref}": ${error.message}`);
    },
  );
  return dir;
}

function identity(obj: KubeObject, unitNamespace: string, namespaced: boolean): string {
  return `${obj.kind} ${namespaced ? `${obj.metadata.namespace ?? unitNamespace}/` : ''}${obj.metadata.name}`;
}

function identities(server: ApiServer, plan: SyncPlan): Set<string> {
  return new Set(
    plan.units.flatMap((u) =>
      u.documents.map((d) =>
        identity(
          d.object,
          u.namespace,
          server.client.resourceOf(d.object.apiVersion, d.object.kind)?.namespaced ?? true,
        ),
      ),
    ),
  );
}

/** Diff one environment: `baseRoot` holds the ref's render, `headRoot` the working tree's. */
export async function diffEnvironment(
  server: ApiServer,
  options: { env: string; baseRoot: string; headRoot: string; crdsDir: string; kubectl: string },
): Promise<EnvironmentDiff> {
  await installCrds(server.client, options.crdsDir);
  const basePlan = await planSync(options.baseRoot, options.env).catch(() => undefined);
  const base = basePlan ? await applyPlan(server.client, basePlan) : { findings: [] };
  const headPlan = await planSync(options.headRoot, options.env);

  // A dry run cannot place objects in a namespace that does not exist yet: create the new render's namespaces for
  // real first (they then show as unchanged, so list them as new here).
  const created: string[] = [];
  for (const doc of planDocuments(headPlan).filter((d) => d.object.kind === 'Namespace')) {
    if (await server.client.get(`/api/v1/namespaces/${doc.object.metadata.name}`)) continue;
    await server.client.apply(doc.object);
    created.push(doc.object.metadata.name);
  }

  const scratch = await mkdtemp(path.join(os.tmpdir(), 'cluster-diff-head-'));
  try {
    const docs = headPlan.units.flatMap((u) =>
      u.documents
        .filter((d) => !(d.object.kind in SKIPPED_KINDS))
        .map((d) => {
          const namespaced = server.client.resourceOf(d.object.apiVersion, d.object.kind)?.namespaced ?? true;
          return namespaced && !d.object.metadata.namespace
            ? { ...d.object, metadata: { ...d.object.metadata, namespace: u.namespace } }
            : d.object;
        }),
    );
    const file = path.join(scratch, 'head.yaml');
    await mkdir(scratch, { recursive: true });
    await writeFile(file, docs.map((o) => stringify(o)).join('---\n'));
    const result = await run(
      options.kubectl,
      ['diff', '--server-side', `--field-manager=${FIELD_MANAGER}`, '--force-conflicts', '-f', file],
      { env: { ...process.env, KUBECONFIG: server.kubeconfig, KUBECTL_EXTERNAL_DIFF: 'diff -u -N' }, okCodes: [0, 1] },
    );
    const text = result.stdout
      .replace(/\/\S*\/LIVE-\d+\//g, 'live/')
      .replace(/\/\S*\/MERGED-\d+\//g, 'merged/')
      .replace(/^(---|\+\+\+) (live|merged)\/(\S+)\t.*$/gm, '$1 $2/$3');
    const changed = [...text.matchAll(/^diff -u -N live\/(\S+) merged\/\S+$/gm)].map((m) => m[1] as string);
    const headIds = identities(server, headPlan);
    const removed = basePlan ? [...identities(server, basePlan)].filter((id) => !headIds.has(id)).sort() : [];
    const newNamespaces = created.map((n) => `new Namespace ${n} (created before the dry run)\n`).join('');
    return { env: options.env, text: newNamespaces + text, changed, removed, baseFindings: base.findings };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The Markdown a pull request shows: a summary table, then each environment's diff (folded, size-capped). */
export function diffMarkdown(ref: string, diffs: readonly EnvironmentDiff[], maxDiffChars = 25_000): string {
  const lines = [
    `### Cluster diff: \`${ref}\` → this change`,
    '',
    'What Argo CD would sync, computed by a real kube-apiserver (`npm run cluster:diff`): server-side apply of the',
    "base render, then `kubectl diff --server-side` of this change's render. Defaulted fields included.",
    '',
    '| environment | changed objects | removed (pruned) | base render findings |',
    '|---|---|---|---|',
    ...diffs.map((d) => `| ${d.env} | ${d.changed.length} | ${d.removed.length} | ${d.baseFindings.length} |`),
    '',
  ];
  for (const d of diffs) {
    if (d.changed.length === 0 && d.removed.length === 0) {
      lines.push(`**${d.env}**: no change.`, '');
      continue;
    }
    const body = d.text.length > maxDiffChars ? `${d.text.slice(0, maxDiffChars)}\n… (truncated)` : d.text;
    lines.push(
      `<details><summary><b>${d.env}</b>: ${d.changed.length} changed, ${d.removed.length} removed</summary>`,
      '',
    );
    if (d.removed.length > 0) lines.push('Removed (Argo CD prunes):', ...d.removed.map((r) => `- ${r}`), '');
    if (d.text.trim()) lines.push('```diff', body.trimEnd(), '```', '');
    lines.push('</details>', '');
  }
  return lines.join('\n');
}

function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; okCodes?: number[] } = {},
): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if ((options.okCodes ?? [0]).includes(code ?? -1)) resolve({ code: code ?? 0, stdout });
      else
        reject(new Error(`${path.basename(command)} exited ${code}: ${stderr.trim() || stdout.trim().slice(-2000)}`));
    });
  });
}
