import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

// Rules of the admin web's own code: no raw HTML injection (XSS) and no token in web storage (readable by any
// script on the origin); the access token lives in memory, the refresh token in an HttpOnly cookie.
const SRC = path.dirname(fileURLToPath(import.meta.url));
const sources = readdirSync(SRC, { withFileTypes: true, recursive: true })
  .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name) && !e.name.endsWith('.test.ts'))
  .map((e) => path.join(e.parentPath, e.name));

test('finds the sources it checks', () => {
  assert.ok(sources.length >= 20, `${sources.length} files`);
  assert.ok(sources.some((f) => f.endsWith(path.join('lib', 'auth.tsx'))));
});

test('no source uses dangerouslySetInnerHTML, innerHTML or outerHTML', () => {
  for (const file of sources) {
    assert.doesNotMatch(
      readFileSync(file, 'utf8'),
      /dangerouslySetInnerHTML|\.innerHTML|\.outerHTML|insertAdjacentHTML/,
      file,
    );
  }
});

test('no source touches localStorage, sessionStorage, indexedDB or document.cookie', () => {
  for (const file of sources) {
    assert.doesNotMatch(readFileSync(file, 'utf8'), /localStorage|sessionStorage|indexedDB|document\.cookie/, file);
  }
});
