import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * The build-time hook: a static export's build writes this file beside its HTML (`apps/admin-web/out/`), listing
 * the CSP source of every inline script (`'sha256-…'`). The edge reads it; without it, it hashes the export itself
 * at start-up with the same function, so the policy is identical either way.
 */
export const CSP_HASHES_FILE = 'csp-hashes.json';

const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;

/** CSP hash sources (`'sha256-…'`) of the inline scripts in one HTML document. */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const match of html.matchAll(INLINE_SCRIPT)) {
    const body = match[1] ?? '';
    if (body.length === 0) continue;
    hashes.push(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
  }
  return hashes;
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.html'))
    .map((e) => path.join(e.parentPath, e.name));
}

/** Every inline-script hash of a static export: from its `csp-hashes.json` when the build wrote one, else computed. */
export function exportScriptHashes(dir: string): string[] {
  const listed = path.join(dir, CSP_HASHES_FILE);
  if (existsSync(listed)) return (JSON.parse(readFileSync(listed, 'utf8')) as { scriptSrc: string[] }).scriptSrc;
  const all = new Set<string>();
  for (const file of htmlFiles(dir)) for (const h of inlineScriptHashes(readFileSync(file, 'utf8'))) all.add(h);
  return [...all].sort();
}

/**
 * A strict policy for the admin web: nothing inline but the hashed scripts, no eval, no plugins, no framing, no
 * foreign origins except the two API hosts the console calls (`connect-src`).
 */
export function adminWebCsp(scriptHashes: readonly string[], apiOrigins: readonly string[]): Record<string, string[]> {
  return {
    'default-src': ["'none'"],
    'script-src': ["'self'", ...scriptHashes],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'", ...apiOrigins],
    'manifest-src': ["'self'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'object-src': ["'none'"],
  };
}

/** The directives as a `Content-Security-Policy` header value. */
export function cspHeader(directives: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}
