import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalEmail, checkEmail, foldConfusables } from './email';

const canonical = (raw: string) => {
  const r = checkEmail(raw);
  assert.ok(r.ok, `expected ${JSON.stringify(raw)} to be accepted, got ${JSON.stringify(r)}`);
  return r.value.canonical;
};
const refused = (raw: string) => {
  const r = checkEmail(raw);
  assert.ok(!r.ok, `expected ${JSON.stringify(raw)} to be refused, got ${JSON.stringify(r)}`);
  assert.equal(r.error.field, 'email');
};

test('maps case, fullwidth, Cyrillic and Greek look-alike spellings of one address to one canonical form', () => {
  const variants = [
    'tigress@jadepalace.th',
    'Tigress@JadePalace.TH',
    '  TIGRESS@jadepalace.th ',
    'ｔｉｇｒｅｓｓ＠ｊａｄｅｐａｌａｃｅ．ｔｈ', // fullwidth, folded by NFKC
    't\u0456gress@jadepalace.th', // Cyrillic і
    'tigr\u0435ss@jad\u0435palac\u0435.th', // Cyrillic е in local part and domain
    'tigress@jadep\u0430lace.th', // Cyrillic а in the domain
    'tigre\u0455\u0455@jadepalace.th', // Cyrillic ѕ
    'tigress@jadepalace.t\u04bb', // Cyrillic һ
    'tigress@jadepal\u03b1ce.th', // Greek α
  ];
  for (const v of variants) assert.equal(canonical(v), 'tigress@jadepalace.th', JSON.stringify(v));
});

const deliverable = (raw: string) => {
  const r = checkEmail(raw);
  assert.ok(r.ok, `expected ${JSON.stringify(raw)} to be accepted, got ${JSON.stringify(r)}`);
  return r.value.email;
};

test('stores the deliverable form: NFKC, lower-case A-label domain, the local part keeping its case', () => {
  const r = checkEmail('  Tigress@JadePalace.TH ');
  assert.ok(r.ok);
  assert.deepEqual(r.value, { email: 'Tigress@jadepalace.th', canonical: 'tigress@jadepalace.th' });
  assert.equal(deliverable('po@ตัวอย่าง.ไทย'), 'po@xn--72c1a1bt4awk9o.xn--o3cw4h');
  assert.equal(deliverable('Po.Ping+kungfu@GMail.com'), 'Po.Ping+kungfu@gmail.com', 'Gmail folding is for dedup only');
});

test('turns a fullwidth address into the ASCII one mail can be delivered to', () => {
  assert.equal(deliverable('ｐｏ＠ｅｘａｍｐｌｅ．ｃｏｍ'), 'po@example.com');
  assert.equal(deliverable('ＰＯ＠ＥＸＡＭＰＬＥ．ＣＯＭ'), 'PO@example.com');
  assert.equal(deliverable('Po@ｅｘａｍｐｌｅ.com'), 'Po@example.com');
});

test('accepts look-alike spellings but mails the mailbox typed, not the one they fold onto', () => {
  assert.equal(deliverable('t\u0456gress@jadepalace.th'), 't\u0456gress@jadepalace.th');
  assert.equal(deliverable('tigress@jadep\u0430lace.th'), 'tigress@xn--jadeplace-4yh.th');
  assert.equal(canonical('tigress@jadep\u0430lace.th'), 'tigress@jadepalace.th');
});

test('does not fold ASCII digits into look-alike letters, so bob1@ and bobl@ stay different people', () => {
  assert.notEqual(canonical('bob1@example.com'), canonical('bobl@example.com'));
  assert.notEqual(canonical('po0@example.com'), canonical('poo@example.com'));
  assert.equal(foldConfusables('m1l0'), 'm1l0');
});

test('leaves Thai letters alone so a Thai domain keeps its real A-label', () => {
  assert.equal(foldConfusables('ไทยดีมาก'), 'ไทยดีมาก');
  assert.equal(canonical('po@ไทย.com'), 'po@xn--o3cw4h.com');
});

test('folds Gmail dots and +tags and googlemail.com onto one mailbox', () => {
  assert.equal(canonical('Po.Ping+kungfu@gmail.com'), 'poping@gmail.com');
  assert.equal(canonical('poping@googlemail.com'), 'poping@gmail.com');
});

test('keeps dots and +tags on other domains, whose mailbox rules are their own', () => {
  assert.equal(canonical('Po.Ping+kungfu@example.com'), 'po.ping+kungfu@example.com');
});

test('turns an internationalised domain into its ASCII (punycode) form', () => {
  assert.equal(canonical('po@ตัวอย่าง.ไทย'), 'po@xn--72c1a1bt4awk9o.xn--o3cw4h');
});

test('refuses syntactically invalid addresses', () => {
  for (const bad of [
    '',
    'plainaddress',
    '@no-local.com',
    'no-domain@',
    'two@@at.com',
    'a@b@c.com',
    'po@localhost',
    'po@example.c0m',
    '.po@example.com',
    'po.@example.com',
    'po..ping@example.com',
    'po ping@example.com',
    'po@exa mple.com',
    'po@-example.com',
    'po@example..com',
    '"quoted"@example.com',
    'po@[127.0.0.1]',
    `${'a'.repeat(65)}@example.com`,
    `po@${'a'.repeat(64)}.com`,
    'pö@example.com',
    'po\u200b@example.com',
    '+@gmail.com',
  ]) {
    refused(bad);
  }
});

test('canonicalEmail throws on an invalid address so stored data problems are loud', () => {
  assert.equal(canonicalEmail('PO@Example.com'), 'po@example.com');
  assert.throws(() => canonicalEmail('nope'), /not a valid e-mail/);
});
