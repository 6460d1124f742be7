#!/usr/bin/env tsx
/**
 * Purpose: regenerate `src/confusables-ascii.ts`, the slice of the TR39 confusables table (npm `unhomoglyph`) that
 *          `foldConfusables` uses, from the installed `unhomoglyph` (after upgrading it; `confusables.test.ts` fails
 *          until this has run).
 * Prerequisites: `npm ci` at the repository root.
 * Usage: npm run confusables -w @scalefu/identity
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { format } from 'prettier';
import { CONFUSABLES_FILE, confusablesSource } from './confusables-source';

const require = createRequire(import.meta.url);
const table = require('unhomoglyph/data.json') as Record<string, string>;
const { version } = require('unhomoglyph/package.json') as { version: string };
const source = await format(confusablesSource(table, version), {
  parser: 'typescript',
  singleQuote: true,
  printWidth: 120,
  trailingComma: 'all',
});
writeFileSync(CONFUSABLES_FILE, source);
console.log(`wrote ${CONFUSABLES_FILE}`);
