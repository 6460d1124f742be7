/**
 * Runs the scanners over rendered output and turns their reports into one list of unwaived findings. Waivers are
 * read by the scanners themselves (checkov: `.checkov.yaml` skip-check entries and `checkov.io/skip<n>` annotations;
 * kube-score: `kube-score/ignore` annotations), so a waiver is always written next to what it waives.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface ScannerBinaries {
  readonly checkov: string;
  readonly kubeScore: string;
}

export interface ScanResult {
  /** One line per scan: what ran and how many checks passed / failed. */
  readonly summary: readonly string[];
  /** `<scanner> <env>: <check> <resource> (<file>)`, one per unwaived finding. */
  readonly findings: readonly string[];
}

interface CheckovReport {
  check_type: string;
  results: { failed_checks: { check_id: string; check_name: string; resource: string; file_path: string }[] };
  summary: { passed: number; failed: number; skipped: number };
}

/** Output of a command that may exit non-zero when it has findings. */
async function output(command: string, args: readonly string[], cwd: string): Promise<string> {
  try {
    // checkov reads LOG_LEVEL as a Python logging level; the test runner's LOG_LEVEL (the services') is not one.
    const env = { ...process.env, LOG_LEVEL: 'WARNING' };
    const { stdout } = await exec(command, [...args], { cwd, env, maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    if (typeof e.code === 'number' && e.stdout) return e.stdout;
    throw new Error(`${path.basename(command)} ${args.join(' ')} failed: ${e.stderr ?? String(error)}`);
  }
}

async function checkov(
  binary: string,
  root: string,
  label: string,
  args: readonly string[],
): Promise<{ summary: string; findings: string[] }> {
  const raw = await output(
    binary,
    [...args, '--output', 'json', '--compact', '--quiet', '--skip-download', '--config-file', '.checkov.yaml'],
    root,
  );
  const parsed = JSON.parse(raw) as CheckovReport | CheckovReport[] | { passed: 0; failed: 0 };
  const reports = (Array.isArray(parsed) ? parsed : [parsed]).filter((r): r is CheckovReport => 'results' in r);
  let passed = 0;
  let skipped = 0;
  const findings: string[] = [];
  for (const report of reports) {
    passed += report.summary.passed;
    skipped += report.summary.skipped;
    for (const f of report.results.failed_checks) {
      findings.push(`checkov ${label}: ${f.check_id} ${f.resource} (${f.file_path}) ${f.check_name}`);
    }
  }
  return { summary: `checkov ${label}: ${passed} passed, ${findings.length} failed, ${skipped} waived`, findings };
}

async function kubeScore(binary: string, root: string, env: string): Promise<{ summary: string; findings: string[] }> {
  const dir = path.join(root, 'clusters', env);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => path.join('clusters', env, f));
  const raw = await output(binary, ['score', '--output-format', 'ci', ...files], root);
  const lines = raw.split('\n').filter(Boolean);
  const findings = lines
    .filter((l) => l.startsWith('[CRITICAL]') || l.startsWith('[WARNING]'))
    .map((l) => `kube-score ${env}: ${l}`);
  const ok = lines.filter((l) => l.startsWith('[OK]')).length;
  return { summary: `kube-score ${env}: ${ok} passed, ${findings.length} failed`, findings };
}

/** Every environment rendered under `root` (a `clusters/<env>/` folder). */
export function renderedEnvironments(root: string): string[] {
  return readdirSync(path.join(root, 'clusters'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** Scans every rendered environment under `root` (a checkout, or a copy of its rendered output). */
export async function scanAll(root: string, binaries: ScannerBinaries): Promise<ScanResult> {
  const summary: string[] = [];
  const findings: string[] = [];
  for (const env of renderedEnvironments(root)) {
    const runs = [
      checkov(binaries.checkov, root, `kubernetes ${env}`, [
        '-d',
        path.join('clusters', env),
        '--framework',
        'kubernetes',
      ]),
      kubeScore(binaries.kubeScore, root, env),
    ];
    const tf = path.join('platform', 'gcp', 'terraform', env, 'cdk.tf.json');
    if (existsSync(path.join(root, tf))) {
      runs.push(checkov(binaries.checkov, root, `terraform_json ${env}`, ['-f', tf, '--framework', 'terraform_json']));
    }
    for (const r of await Promise.all(runs)) {
      summary.push(r.summary);
      findings.push(...r.findings);
    }
  }
  return { summary, findings };
}
