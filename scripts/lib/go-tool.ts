/**
 * Go-built tools, built once per machine and cached by version: the Kubernetes binaries of `npm run cluster:check`
 * today; vegeta, actionlint, kube-score next. A tool is a throw-away Go module (go.mod + tools.go generated under the
 * cache, never in git) that requires the pinned modules; each binary is `go build -trimpath` of one main package.
 *
 * The cache lives outside the checkout (`$SCALEFU_TOOLS_CACHE`, default `~/.cache/scalefu/tools`) so a fresh CI clone
 * on the same machine reuses it; Go's own module and build caches stay in their defaults (GOPATH, GOCACHE) so a
 * rebuild after a flag change recompiles only what changed. A stamp holds the hash of the spec: change a version,
 * a flag or an output name and the next call rebuilds. A lock directory serialises concurrent builds of one tool.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { StackError } from './console';
import { pidAlive } from './managed-process';

export interface GoBinary {
  /** File name of the built binary in the cache folder, e.g. `kube-apiserver`. */
  readonly output: string;
  /** Main package to build, e.g. `k8s.io/kubernetes/cmd/kube-apiserver`. */
  readonly package: string;
  /** `-ldflags` entries (e.g. `-X pkg.var=value`). @default [] */
  readonly ldflags?: readonly string[];
  /** Build tags. @default [] */
  readonly tags?: readonly string[];
}

export interface GoToolSpec {
  /** Tool name, the first half of the cache key, e.g. `kubernetes`. */
  readonly name: string;
  /** Version, the second half of the cache key, e.g. `v1.34.4`. */
  readonly version: string;
  /** Modules the build module requires, module path → version. */
  readonly require: Readonly<Record<string, string>>;
  /**
   * `replace` directives, module path → `module version`; a function when they must be read from a dependency's
   * go.mod (it runs only when a build is needed). @default none
   */
  readonly replace?: Readonly<Record<string, string>> | (() => Promise<Readonly<Record<string, string>>>);
  /** The `go` directive of the build module (sets the GODEBUG defaults too). @default '1.24.0' */
  readonly goDirective?: string;
  /** Binaries to build. */
  readonly binaries: readonly GoBinary[];
  /** Extra build environment. @default { CGO_ENABLED: '0' } */
  readonly env?: Readonly<Record<string, string>>;
}

/** Where the cached binaries live: `$SCALEFU_TOOLS_CACHE` or `~/.cache/scalefu/tools`. */
export function toolsCacheRoot(): string {
  return process.env['SCALEFU_TOOLS_CACHE'] ?? path.join(os.homedir(), '.cache', 'scalefu', 'tools');
}

/** Folder of one tool version: `<cache>/<name>-<version>/`. */
export function toolDir(spec: Pick<GoToolSpec, 'name' | 'version'>): string {
  return path.join(toolsCacheRoot(), `${spec.name}-${spec.version}`);
}

/** The `go` command: `$GO`, then `go` on PATH, then the tarball's default `/usr/local/go/bin/go`. */
export function findGo(): string {
  const candidates = [process.env['GO'], ...(process.env['PATH'] ?? '').split(':').map((d) => path.join(d, 'go'))];
  candidates.push('/usr/local/go/bin/go');
  const found = candidates.find((c): c is string => !!c && existsSync(c));
  if (!found) {
    throw new StackError(
      'go',
      'no Go toolchain found (looked at $GO, PATH and /usr/local/go/bin/go): install Go 1.24+ from https://go.dev/dl ' +
        'and put it on PATH',
    );
  }
  return found;
}

function specHash(spec: GoToolSpec): string {
  const { replace, ...rest } = spec;
  const stable = { ...rest, replace: typeof replace === 'function' ? 'computed' : (replace ?? {}) };
  return createHash('sha256').update(JSON.stringify(stable)).digest('hex');
}

export interface EnsureOptions {
  /** Progress lines (build steps and their times). @default console.log */
  readonly log?: (line: string) => void;
  /** Give up waiting for another process's build after this many seconds. @default 3600 */
  readonly lockTimeoutSeconds?: number;
}

/**
 * The absolute paths of the tool's binaries, building them first when the cache lacks them or holds another spec.
 * Returns at once (no `go` needed) when the cache is current.
 */
export async function ensureGoTool(spec: GoToolSpec, options: EnsureOptions = {}): Promise<Record<string, string>> {
  return ensureCachedTool(
    { dir: toolDir(spec), hash: specHash(spec), outputs: spec.binaries.map((b) => b.output) },
    (dir, log) => build(spec, dir, log),
    options,
  );
}

export interface CachedTool {
  /** Cache folder of this tool version (see `toolDir`). */
  readonly dir: string;
  /** Hash of everything the build depends on; a different hash rebuilds. */
  readonly hash: string;
  /** File names the build leaves in `dir`. */
  readonly outputs: readonly string[];
}

/**
 * The stamp-and-lock cache behind `ensureGoTool`, for tools whose build is more than `go build` of a module (mailpit
 * builds its web UI with npm first): returns the outputs' paths at once when the stamp matches, else runs `build`
 * under the lock and stamps the result.
 */
export async function ensureCachedTool(
  tool: CachedTool,
  build: (dir: string, log: (line: string) => void) => Promise<void>,
  options: EnsureOptions = {},
): Promise<Record<string, string>> {
  const { dir, hash } = tool;
  const paths = Object.fromEntries(tool.outputs.map((output) => [output, path.join(dir, output)]));
  const stampFile = path.join(dir, '.stamp');
  const current = async () =>
    (await readFile(stampFile, 'utf8').catch(() => '')).trim() === hash && Object.values(paths).every(existsSync);
  if (await current()) return paths;

  await mkdir(dir, { recursive: true });
  const release = await lock(path.join(dir, '.lock'), options.lockTimeoutSeconds ?? 3600, options.log);
  try {
    if (await current()) return paths; // another process built it while we waited
    await build(dir, options.log ?? console.log);
    await writeFile(stampFile, `${hash}\n`);
    return paths;
  } finally {
    await release();
  }
}

async function build(spec: GoToolSpec, dir: string, log: (line: string) => void): Promise<void> {
  const go = findGo();
  const moduleDir = path.join(dir, 'module');
  const logFile = path.join(dir, 'build.log');
  await rm(moduleDir, { recursive: true, force: true });
  await mkdir(moduleDir, { recursive: true });
  await writeFile(logFile, '');
  const replace = typeof spec.replace === 'function' ? await spec.replace() : (spec.replace ?? {});
  const lines = [
    `// Generated by scripts/lib/go-tool.ts for ${spec.name} ${spec.version}; rebuilt when the spec changes.`,
    `module scalefu.local/tools/${spec.name}`,
    '',
    `go ${spec.goDirective ?? '1.24.0'}`,
    '',
    'require (',
    ...Object.entries(spec.require).map(([mod, version]) => `\t${mod} ${version}`),
    ')',
  ];
  if (Object.keys(replace).length > 0) {
    lines.push('', 'replace (', ...Object.entries(replace).map(([mod, target]) => `\t${mod} => ${target}`), ')');
  }
  await writeFile(path.join(moduleDir, 'go.mod'), `${lines.join('\n')}\n`);
  const imports = [...new Set(spec.binaries.map((b) => b.package))].map((p) => `\t_ "${p}"`);
  await writeFile(
    path.join(moduleDir, 'tools.go'),
    ['//go:build tools', '', 'package tools', '', 'import (', ...imports, ')', ''].join('\n'),
  );

  const env = { ...process.env, ...(spec.env ?? { CGO_ENABLED: '0' }) };
  const run = async (what: string, args: string[]) => {
    const started = Date.now();
    log(`${spec.name} ${spec.version}: ${what}…`);
    await runLogged(go, args, { cwd: moduleDir, env, logFile }).catch(async (error: Error) => {
      const tail = (await readFile(logFile, 'utf8').catch(() => '')).trimEnd().split('\n').slice(-20).join('\n');
      throw new StackError(spec.name, `${what} failed (${error.message}); log ${logFile}:\n${tail}`);
    });
    log(`${spec.name} ${spec.version}: ${what} done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  };
  await run('go mod tidy', ['mod', 'tidy']);
  for (const binary of spec.binaries) {
    const tmp = path.join(dir, `.${binary.output}.tmp`);
    const args = ['build', '-trimpath', '-o', tmp];
    if (binary.ldflags?.length) args.push(`-ldflags=${binary.ldflags.join(' ')}`);
    if (binary.tags?.length) args.push(`-tags=${binary.tags.join(',')}`);
    await run(`go build ${binary.output}`, [...args, binary.package]);
    await rename(tmp, path.join(dir, binary.output));
  }
}

/** Runs `command` with stdout and stderr appended to `logFile`; rejects on a non-zero exit. */
export function runLogged(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const fd = openSync(options.logFile, 'a');
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(signal ? `killed by ${signal}` : `exit code ${code}`)),
    );
  });
}

/** A directory lock holding the owner's PID; a lock whose owner is gone is taken over (the checkov venv uses it too). */
export async function lock(
  lockDir: string,
  timeoutSeconds: number,
  log: ((line: string) => void) | undefined,
): Promise<() => Promise<void>> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let announced = false;
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(path.join(lockDir, 'pid'), String(process.pid));
      return () => rm(lockDir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number(await readFile(path.join(lockDir, 'pid'), 'utf8').catch(() => '0'));
    if (owner > 0 && !pidAlive(owner)) {
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new StackError('go-tool', `${lockDir} is still held by PID ${owner}`);
    if (!announced) (log ?? console.log)(`waiting for PID ${owner}, which is building into ${path.dirname(lockDir)}`);
    announced = true;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}
