/**
 * mailpit (MIT) at `VERSIONS.mailpit`, the local SMTP catcher with a web inbox (ADR 0135): built once per machine
 * and cached like the Go tools. `go install` alone serves 404 for the inbox page, because upstream builds the web
 * UI with npm into `server/ui/dist` (git-ignored) before `go build` embeds it. So the build here takes the module
 * source from the Go module proxy (it ships `server/ui-src`, package.json, package-lock.json and the esbuild
 * config), builds the UI through the npm registry, then runs `go build` in that copy.
 *
 * Two deviations from upstream's `npm ci`, both because the npm registry does not serve what its lock names:
 * sass-embedded 1.108.1 is not published (1.108.2 is: an override), and rapidoc ^12 does not exist (latest 9.3.8):
 * rapidoc only renders the API reference page (`docs.js`), so that entry point is left out and only the inbox
 * (`app.js`) is built. The lint and browser-test devDependencies are dropped: the build does not run them.
 */
import { VERSIONS } from '@scalefu/contracts';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StackError } from './console';
import { ensureCachedTool, findGo, runLogged, toolDir, type EnsureOptions } from './go-tool';
import { pinnedNode } from './node-runtime';

const MODULE = 'github.com/axllent/mailpit';

/** What the build changes in upstream's UI build, part of the cache key. */
export const MAILPIT_UI_PATCH = {
  /** Not published on the npm registry: mapped to the nearest published patch release. */
  overrides: { 'sass-embedded': '1.108.2' },
  /** Dependencies the inbox build does not need (rapidoc: API reference page; the rest: lint and browser tests). */
  drop: [
    'rapidoc',
    '@playwright/test',
    'eslint',
    '@eslint/compat',
    '@eslint/js',
    'eslint-config-prettier',
    'eslint-plugin-vue',
    'globals',
    'jsdom',
    'prettier',
  ],
  /** esbuild entry points kept: the inbox only (docs.js needs rapidoc). */
  entryPoints: ['server/ui-src/app.js'],
} as const;

/** Absolute path of the mailpit binary (web UI embedded), building it first if the cache lacks it. */
export async function mailpitBinary(version: string = VERSIONS.mailpit, options: EnsureOptions = {}): Promise<string> {
  const dir = toolDir({ name: 'mailpit', version });
  const hash = createHash('sha256').update(JSON.stringify({ version, MAILPIT_UI_PATCH })).digest('hex');
  const paths = await ensureCachedTool(
    { dir, hash, outputs: ['mailpit'] },
    (into, log) => buildMailpit(version, into, log),
    options,
  );
  return paths['mailpit']!;
}

async function buildMailpit(version: string, dir: string, log: (line: string) => void): Promise<void> {
  const go = findGo();
  const logFile = path.join(dir, 'build.log');
  const src = path.join(dir, 'src');
  await writeFile(logFile, '');
  await rm(src, { recursive: true, force: true });
  const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' };
  const step = async (what: string, command: string, args: string[], cwd: string) => {
    const started = Date.now();
    log(`mailpit ${version}: ${what}…`);
    await runLogged(command, args, { cwd, env, logFile }).catch(async (error: Error) => {
      const tail = (await readFile(logFile, 'utf8').catch(() => '')).trimEnd().split('\n').slice(-20).join('\n');
      throw new StackError('mailpit', `${what} failed (${error.message}); log ${logFile}:\n${tail}`);
    });
    log(`mailpit ${version}: ${what} done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  };

  const download = JSON.parse(await capture(go, ['mod', 'download', '-json', `${MODULE}@${version}`], dir, env)) as {
    Dir?: string;
    Error?: string;
  };
  if (!download.Dir) throw new StackError('mailpit', `go mod download ${MODULE}@${version}: ${download.Error ?? '?'}`);
  // The module cache is read-only; the copy must be writable for npm and esbuild.
  await step('copy the module source', 'cp', ['-r', '--no-preserve=mode', download.Dir, src], dir);
  await patchUiBuild(src);
  await step('npm install (UI build deps)', 'npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], src);
  await step('esbuild the web UI', pinnedNode(), ['esbuild.config.mjs'], src);
  const tmp = path.join(dir, '.mailpit.tmp');
  const ldflags = `-s -w -X ${MODULE}/config.Version=${version}`;
  await step('go build', go, ['build', '-trimpath', `-ldflags=${ldflags}`, '-o', tmp, '.'], src);
  await rename(tmp, path.join(dir, 'mailpit'));
  await rm(src, { recursive: true, force: true });
}

async function patchUiBuild(src: string): Promise<void> {
  const packageFile = path.join(src, 'package.json');
  const pkg = JSON.parse(await readFile(packageFile, 'utf8')) as Record<string, Record<string, string> | undefined>;
  for (const name of MAILPIT_UI_PATCH.drop) {
    delete pkg['dependencies']?.[name];
    delete pkg['devDependencies']?.[name];
  }
  pkg['overrides'] = { ...pkg['overrides'], ...MAILPIT_UI_PATCH.overrides };
  await writeFile(packageFile, `${JSON.stringify(pkg, null, 2)}\n`);

  const configFile = path.join(src, 'esbuild.config.mjs');
  const config = await readFile(configFile, 'utf8');
  const entry = /entryPoints:\s*\[[^\]]*\]/;
  if (!entry.test(config))
    throw new StackError('mailpit', `no entryPoints in ${configFile}: upstream changed its build`);
  const patched = config
    .replace(entry, `entryPoints: ${JSON.stringify(MAILPIT_UI_PATCH.entryPoints)}`)
    .replace('process.env.MINIFY === "true"', 'true');
  await writeFile(configFile, patched);
}

function capture(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 || out ? resolve(out) : reject(new Error(`${command} ${args.join(' ')}: exit ${code}\n${err}`)),
    );
  });
}
