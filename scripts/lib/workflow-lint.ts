import { VERSIONS } from '@scalefu/contracts';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { StackError } from './console';
import { ensureGoTool } from './go-tool';

const exec = promisify(execFile);

/** actionlint at `VERSIONS.actionlint`, built once per machine from the Go module proxy. */
export async function actionlintBinary(): Promise<string> {
  const version = VERSIONS.actionlint;
  const built = await ensureGoTool({
    name: 'actionlint',
    version,
    require: { 'github.com/rhysd/actionlint': version },
    binaries: [
      {
        output: 'actionlint',
        package: 'github.com/rhysd/actionlint/cmd/actionlint',
        ldflags: [`-X github.com/rhysd/actionlint.version=${version}`],
      },
    ],
  });
  return built['actionlint']!;
}

/** Debian's shellcheck (`.ci/run` installs it); actionlint runs it over every `run:` block too. */
export function shellcheckBinary(): string {
  const found = ['/usr/bin/shellcheck', '/usr/local/bin/shellcheck'].find((p) => existsSync(p));
  if (!found) throw new StackError('shellcheck', 'shellcheck is not installed: apt-get install -y shellcheck');
  return found;
}

export interface LintResult {
  readonly ok: boolean;
  /** One finding a line, as the tool printed it. */
  readonly findings: readonly string[];
}

async function run(command: string, args: readonly string[], cwd: string): Promise<LintResult> {
  try {
    await exec(command, [...args], { cwd, maxBuffer: 16 * 1024 * 1024 });
    return { ok: true, findings: [] };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    if (typeof e.code !== 'number') throw error;
    return { ok: false, findings: `${e.stdout ?? ''}${e.stderr ?? ''}`.split('\n').filter(Boolean) };
  }
}

/** actionlint over the workflows under `cwd/.github/workflows`, with shellcheck over their `run:` scripts. */
export async function lintWorkflows(cwd: string, files: readonly string[] = []): Promise<LintResult> {
  return run(await actionlintBinary(), ['-no-color', '-oneline', `-shellcheck=${shellcheckBinary()}`, ...files], cwd);
}

/** shellcheck over shell scripts (paths relative to `cwd`). */
export async function lintShellScripts(cwd: string, files: readonly string[]): Promise<LintResult> {
  return run(shellcheckBinary(), ['--format=gcc', ...files], cwd);
}
