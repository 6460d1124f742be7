import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { format } from 'prettier';
import unhomoglyph from 'unhomoglyph';
import { ASCII_CONFUSABLE_RUNS } from './confusables-ascii';
import { decodeAsciiRuns, encodeAsciiRuns } from './confusables-runs';
import { CONFUSABLES_FILE, confusablesSource } from './confusables-source';
import { foldConfusables } from './email';

const require = createRequire(import.meta.url);
const table = require('unhomoglyph/data.json') as Record<string, string>;
const ASCII = /^[\p{ASCII}]*$/u;

/** What folding was before the slice: each non-ASCII character through the whole table, kept unless ASCII. */
function foldWithWholeTable(text: string): string {
  let out = '';
  for (const ch of text) {
    const prototype = ASCII.test(ch) ? ch : unhomoglyph(ch);
    out += ASCII.test(prototype) ? prototype : ch;
  }
  return out;
}

test('confusables-ascii.ts is what the generator writes from the installed unhomoglyph', async () => {
  const { version } = require('unhomoglyph/package.json') as { version: string };
  const expected = await format(confusablesSource(table, version), {
    parser: 'typescript',
    singleQuote: true,
    printWidth: 120,
    trailingComma: 'all',
  });
  assert.equal(readFileSync(CONFUSABLES_FILE, 'utf8'), expected, 'stale: npm run confusables -w @scalefu/identity');
});

test('the runs decode to exactly the non-ASCII → ASCII entries of the table', () => {
  const expected = new Map(Object.entries(table).filter(([from, to]) => !ASCII.test(from) && ASCII.test(to)));
  assert.ok(expected.size > 1500, `${expected.size} entries`);
  assert.deepEqual(decodeAsciiRuns(ASCII_CONFUSABLE_RUNS), expected);
  assert.deepEqual(decodeAsciiRuns(encodeAsciiRuns(table)), expected);
});

test('foldConfusables folds every code point exactly as the whole table does', () => {
  // Every code point, in strings of 64 (surrogates only as the lone units a JavaScript string can hold).
  let batch = '';
  for (let codePoint = 0; codePoint <= 0x10ffff; codePoint++) {
    batch += String.fromCodePoint(codePoint);
    if (batch.length >= 64 || codePoint === 0x10ffff) {
      assert.equal(foldConfusables(batch), foldWithWholeTable(batch), JSON.stringify(batch));
      batch = '';
    }
  }
});

test('every key of the table folds as before, alone and between ASCII letters', () => {
  for (const from of Object.keys(table)) {
    assert.equal(foldConfusables(from), foldWithWholeTable(from), from);
    assert.equal(foldConfusables(`a${from}b`), foldWithWholeTable(`a${from}b`), from);
  }
});
