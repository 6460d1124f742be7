#!/usr/bin/env node
/**
 * Purpose: first-run bootstrap for `npm start` / `npm test`: installs the npm dependencies when node_modules is
 *          missing or older than package-lock.json, so a fresh clone needs no separate `npm install`.
 * Prerequisites: Node.js 20+ and npm on PATH. Plain JavaScript on purpose: it runs before tsx exists.
 * Usage: node scripts/ensure-deps.mjs   (called by the npm scripts; safe to run any time)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const marker = path.join(root, 'node_modules', '.package-lock.json');
const lock = path.join(root, 'package-lock.json');
const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs);
if (stale) {
  console.log('… npm deps      installing (first run, or package-lock.json changed)');
  execFileSync('npm', [existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
  });
}
