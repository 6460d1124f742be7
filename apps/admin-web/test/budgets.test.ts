import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { CSP_HASHES_FILE, inlineScriptHashes } from '../../../scripts/edge/csp';
import { OUT_DIR, isBuildFresh } from '../scripts/build-lib';

/**
 * JavaScript budgets on the static export (`npm test` builds it when stale): gzipped bytes of every script a page's
 * HTML loads in a modern browser (`noModule` legacy polyfills excluded: modern browsers skip them). The issue's
 * budgets; ADR 0111 says what keeps /register under its 150 KB (the framework alone is ~132 KB of it).
 */
const BUDGETS_KB: Record<string, number> = { register: 150, 'admin/users': 250 };

function pageJs(page: string): { bytes: number; files: string[] } {
  const html = readFileSync(path.join(OUT_DIR, page, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<script\b([^>]*)\bsrc="([^"]+)"([^>]*)>/g)]
    .filter((m) => !/\bnoModule\b/i.test(`${m[1]}${m[3]}`))
    .map((m) => m[2]!);
  const bytes = files.reduce((sum, f) => sum + gzipSync(readFileSync(path.join(OUT_DIR, f)), { level: 9 }).length, 0);
  return { bytes, files };
}

test('the export is fresh: built from the current sources', () => {
  assert.ok(isBuildFresh(), 'apps/admin-web/out is stale: npm run build -w apps/admin-web');
});

for (const [page, kb] of Object.entries(BUDGETS_KB)) {
  test(`/${page} loads at most ${kb} KB of gzipped JavaScript`, () => {
    const { bytes, files } = pageJs(page);
    console.log(`# /${page}: ${(bytes / 1024).toFixed(1)} KB gzipped in ${files.length} scripts (budget ${kb} KB)`);
    assert.ok(files.length > 0, 'the page loads scripts');
    assert.ok(bytes <= kb * 1024, `/${page}: ${(bytes / 1024).toFixed(1)} KB > ${kb} KB`);
  });
}

test('csp-hashes.json lists the hash of every inline script of every page', () => {
  const listed = new Set(
    (JSON.parse(readFileSync(path.join(OUT_DIR, CSP_HASHES_FILE), 'utf8')) as { scriptSrc: string[] }).scriptSrc,
  );
  for (const page of ['', 'register', 'registrations', 'admin', 'admin/users', 'admin/user', 'admin/audit']) {
    const file = path.join(OUT_DIR, page, 'index.html');
    assert.ok(existsSync(file), `${page || '/'} was exported`);
    for (const hash of inlineScriptHashes(readFileSync(file, 'utf8'))) assert.ok(listed.has(hash), `${page}: ${hash}`);
  }
});
