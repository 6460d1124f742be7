import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildLedger } from './ledger';
import type { StoredRegistration } from './rows';

/** A UUIDv7 whose time part is `ms`. */
const idAt = (ms: number, n: number) => {
  const hex = ms.toString(16).padStart(12, '0') + `7000800000000000${n.toString(16).padStart(4, '0')}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

test('counts acked, stored, confirmed, mailed, lost and doubled registrations and times each stage', () => {
  const t = 1_800_000_000_000;
  const [a, b, c, d] = [idAt(t, 1), idAt(t, 2), idAt(t, 3), idAt(t, 4)];
  const row = (id: string, email: string, mailed?: number, confirmed?: number): StoredRegistration => ({
    userId: id,
    email,
    status: confirmed ? 'CONFIRMED' : 'CREATED',
    createdAtMs: t + 30,
    publishedAtMs: t + 45,
    ...(mailed ? { mailedAtMs: mailed } : {}),
    ...(confirmed ? { confirmedAtMs: confirmed } : {}),
  });
  const { ledger, stages } = buildLedger({
    ackedIds: [a, b, c, d, a],
    rows: new Map([
      [a, row(a, 'a@x.th', t + 150, t + 200)],
      [b, row(b, 'b@x.th')],
    ]),
    rejectedIds: new Set([c]),
    mails: [
      { id: '1', subject: '', to: ['a@x.th'], receivedAtMs: t + 100, messageId: '1' },
      { id: '2', subject: '', to: ['a@x.th'], receivedAtMs: t + 150, messageId: '2' },
    ],
    rowsWithMarker: 3,
  });
  assert.deepEqual(ledger, {
    acked: 4,
    stored: 2,
    confirmed: 1,
    rejected: 1,
    mailed: 1,
    lost: 1,
    doubled: 2,
    unconfirmed: 1,
    unmailed: 1,
  });
  assert.deepEqual(stages, {
    endToEnd: [200],
    acceptToStored: [30, 30],
    storedToPublished: [15, 15],
    publishedToMailed: [105],
    mailedToConfirmed: [50],
  });
});
