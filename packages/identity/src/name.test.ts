import assert from 'node:assert/strict';
import fc from 'fast-check';
import { test } from 'node:test';
import { checkName, nameLength } from './name';

const accepted = (raw: string) => {
  const r = checkName(raw);
  assert.ok(r.ok, `expected "${raw}" to be accepted, got ${JSON.stringify(r)}`);
  return r.value;
};
const refusal = (raw: string) => {
  const r = checkName(raw);
  assert.ok(!r.ok, `expected "${raw}" to be refused`);
  assert.equal(r.error.field, 'name');
  return r.error.message;
};

test('accepts Thai names and keeps them exactly as sent', () => {
  assert.equal(accepted('สมชาย ใจดี'), 'สมชาย ใจดี');
  assert.equal(accepted('ณัฐวุฒิ ศรีสุข'), 'ณัฐวุฒิ ศรีสุข');
});

test('accepts names with straight and typographic apostrophes and hyphens', () => {
  assert.equal(accepted("O'Brien"), "O'Brien");
  assert.equal(accepted('D’Angelo Smith-Jones'), 'D’Angelo Smith-Jones');
  assert.equal(accepted('Nguyễn Văn A.'), 'Nguyễn Văn A.');
});

test('trims surrounding whitespace before counting and returns the trimmed name', () => {
  assert.equal(accepted('   Po  '), 'Po');
});

test('refuses empty, whitespace-only and 1-character names', () => {
  assert.match(refusal(''), /empty/);
  assert.match(refusal('    '), /empty/);
  assert.match(refusal('A'), /2–200/);
  assert.match(refusal('  A  '), /2–200/);
});

test('counts a Thai consonant with its vowel and tone mark as one character', () => {
  assert.equal(nameLength('กี่'), 1);
  assert.match(refusal('กี่'), /got 1/);
  assert.equal(accepted('กี่ก'), 'กี่ก');
});

test('accepts exactly 200 characters and refuses 201', () => {
  assert.equal(accepted('a'.repeat(200)).length, 200);
  assert.match(refusal('a'.repeat(201)), /got 201/);
  assert.ok(checkName('ก่'.repeat(200)).ok, '200 Thai clusters of two code points each are 200 characters');
  assert.ok(!checkName('ก่'.repeat(201)).ok);
});

test('refuses control characters, line breaks, tabs and bidi overrides', () => {
  for (const bad of ['Po\u0000Ping', 'Po\nPing', 'Po\tPing', 'Po\u202ePing', 'Po\u200bPing', 'Po\u007fPing']) {
    assert.match(refusal(bad), /may contain only/, JSON.stringify(bad));
  }
});

test('refuses symbols, markup and emoji', () => {
  for (const bad of ['<script>', 'Po 🐼', 'Po@Ping', 'Po; DROP TABLE']) refusal(bad);
});

test('refuses a name without any letter', () => {
  assert.match(refusal("12 '-"), /letter/);
});

test('refuses stacked combining marks (zalgo text)', () => {
  assert.match(refusal(`Po${'\u0301'.repeat(6)}ng`), /combining marks/);
});

test('the printable-ASCII shortcut counts exactly as the grapheme segmenter does', () => {
  const segmenter = new Intl.Segmenter('und', { granularity: 'grapheme' });
  fc.assert(
    fc.property(fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) }), (s) => {
      assert.equal(nameLength(s), [...segmenter.segment(s)].length);
    }),
  );
  // Outside ASCII the segmenter decides: a Thai vowel with a tone mark, a decomposed é, a Hangul syllable of jamo.
  assert.equal(nameLength('กี่ e\u0301 \u1100\u1161\u11a8'), 5);
});
