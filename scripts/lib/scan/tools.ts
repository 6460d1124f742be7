/**
 * The scanners' binaries, installed once per machine into the tools cache (`$SCALEFU_TOOLS_CACHE`, default
 * `~/.cache/scalefu/tools`) beside the Go tools: checkov in a Python venv from PyPI, kube-score built from the Go
 * module proxy. Both are pinned in contracts' `VERSIONS`; a fresh clone on the same machine reuses them.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { VERSIONS } from '@scalefu/contracts';
import { StackError } from '../console';
import { ensureGoTool, lock, toolDir } from '../go-tool';

const exec = promisify(execFile);

/** kube-score at `VERSIONS.kubeScore`, built once per machine. */
export async function kubeScoreBinary(log?: (line: string) => void): Promise<string> {
  const version = VERSIONS.kubeScore;
  const built = await ensureGoTool(
    {
      name: 'kube-score',
      version,
      require: { 'github.com/zegl/kube-score': version },
      binaries: [
        {
          output: 'kube-score',
          package: 'github.com/zegl/kube-score/cmd/kube-score',
          ldflags: [`-X main.version=${version}`],
        },
      ],
    },
    { log },
  );
  return built['kube-score']!;
}

/**
 * checkov at `VERSIONS.checkov` in a venv of its own (`<cache>/checkov-<version>/venv`), created with the machine's
 * `python3` (3.9+) the first time; returns the `checkov` entry point. A stamp marks a finished install, so an
 * interrupted one is redone rather than half-used.
 */
export async function checkovBinary(log: (line: string) => void = console.log): Promise<string> {
  const version = VERSIONS.checkov;
  const dir = toolDir({ name: 'checkov', version });
  const venv = path.join(dir, 'venv');
  const binary = path.join(venv, 'bin', 'checkov');
  const stamp = path.join(dir, '.stamp');
  const current = async () => (await readFile(stamp, 'utf8').catch(() => '')).trim() === version && existsSync(binary);
  if (await current()) return binary;
  await mkdir(dir, { recursive: true });
  const release = await lock(path.join(dir, '.lock'), 3600, log);
  try {
    if (await current()) return binary;
    const started = Date.now();
    await rm(venv, { recursive: true, force: true });
    const step = async (what: string, command: string, args: string[]) => {
      log(`checkov ${version}: ${what}…`);
      try {
        await exec(command, args, { maxBuffer: 64 * 1024 * 1024 });
      } catch (error) {
        const e = error as { stderr?: string; message: string };
        throw new StackError(
          'checkov',
          `${what} failed: ${(e.stderr ?? e.message).trim().split('\n').slice(-15).join('\n')}`,
        );
      }
    };
    await step('python3 -m venv', 'python3', ['-m', 'venv', venv]);
    const pip = path.join(venv, 'bin', 'pip');
    await step('pip install', pip, ['install', '--quiet', '--disable-pip-version-check', `checkov==${version}`]);
    await writeFile(stamp, `${version}\n`);
    log(`checkov ${version}: installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return binary;
  } finally {
    await release();
  }
}
