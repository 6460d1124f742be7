import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { NextConfig } from 'next';

const here = path.dirname(fileURLToPath(import.meta.url));
/** libphonenumber's `es6-modern` build: not in its package exports, so reached by path (relative, as Turbopack wants). */
const phoneModern = (file: string) =>
  `./${path.relative(
    here,
    path.join(
      path.dirname(createRequire(import.meta.url).resolve('libphonenumber-js/package.json')),
      'es6-modern',
      file,
    ),
  )}`;

/**
 * A static export (no Node server in production: GCS + Cloud CDN, the local edge's static files). `@scalefu/identity`
 * is shared TypeScript; the page imports its per-field checks (`@scalefu/identity/fields`: no keyed hashing, no Node
 * built-in), so the page validates with the API's own rules.
 */
const config: NextConfig = {
  output: 'export',
  trailingSlash: true,
  images: { unoptimized: true },
  reactStrictMode: true,
  // `npm run typecheck` checks this app with the rest of the repo; the build does not check it a second time.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  productionBrowserSourceMaps: false,
  transpilePackages: ['@scalefu/identity', '@scalefu/contracts'],
  turbopack: {
    root: path.join(here, '..', '..'),
    resolveAlias: {
      // Thai numbers only, judged by the same max metadata (see the shim): 40 KB less JavaScript on /register.
      'libphonenumber-js/max': './src/shims/libphonenumber-th.ts',
      // The shim's parser: the same function from the library's modern build (no ES5 helpers, 2.4 KB less).
      'libphonenumber-js/core': phoneModern('parsePhoneNumber.js'),
    },
  },
};

export default config;
