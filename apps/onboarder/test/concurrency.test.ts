import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { OnboarderApp } from '../src/app';
import { CommandWatcher, dedupHolder, post, sleep, startTestApp, testRedis, uniqueEmail, uniquePhone } from './helpers';

let app: OnboarderApp;
let baseUrl: string;
let watcher: CommandWatcher;
const redis = testRedis();

before(async () => {
  ({ app, baseUrl } = await startTestApp());
  watcher = await CommandWatcher.start();
});
after(async () => {
  await watcher.stop();
  await app.stop();
  redis.disconnect();
});

const CYRILLIC: Readonly<Record<string, string>> = { a: '\u0430', e: '\u0435', o: '\u043e', p: '\u0440', c: '\u0441' };
const fullwidth = (s: string) => s.replace(/[!-~]/g, (ch) => String.fromCodePoint(ch.codePointAt(0)! + 0xfee0));

/** Spellings of one mailbox a client might send: case, fullwidth (NFKC), Cyrillic look-alikes, padding. */
function variant(email: string, i: number): string {
  switch (i % 6) {
    case 0:
      return email;
    case 1:
      return email.toUpperCase();
    case 2:
      return fullwidth(email);
    case 3:
      return email.replace(/[aeopc]/g, (ch) => CYRILLIC[ch]!);
    case 4:
      return `  ${[...email].map((ch, j) => (j % 2 ? ch.toUpperCase() : ch)).join('')} `;
    default:
      return fullwidth(email.toUpperCase()).replace('＠', '@');
  }
}

test('200 concurrent registrations of one e-mail in mixed case and Unicode spellings: one 201, 199 409, one command', async () => {
  const email = uniqueEmail('concurrent-panda');
  const bodies = Array.from({ length: 200 }, (_, i) => ({
    name: 'Po Ping',
    email: variant(email, i),
    phoneNumber: uniquePhone().raw, // distinct phones: only the e-mail identity can make them duplicates
  }));
  assert.equal(new Set(bodies.map((b) => b.email)).size, 6, 'six different spellings are sent');

  const results = await Promise.all(bodies.map((b) => post(baseUrl, b)));
  const statuses = results.map((r) => r.status);
  const created = results.filter((r) => r.status === 201);
  assert.equal(created.length, 1, `exactly one 201, got ${JSON.stringify(countBy(statuses))}`);
  assert.equal(statuses.filter((s) => s === 409).length, 199, JSON.stringify(countBy(statuses)));
  for (const r of results.filter((x) => x.status === 409)) {
    assert.deepEqual(r.json.errors, [{ field: 'email', message: 'is already registered' }]);
  }
  const winner = (created[0]!.json['data'] as { userID: string }).userID;
  assert.equal(await dedupHolder(redis, 'email', email), winner);

  await watcher.waitFor(() => watcher.byKey(email).length >= 1);
  await sleep(2000); // a second command, if any, would have been acked before its 201 and so be visible by now
  const commands = watcher.byKey(email);
  assert.equal(commands.length, 1);
  assert.equal(commands[0]!.event.data.userID, winner);
});

function countBy(values: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
