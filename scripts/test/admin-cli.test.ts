import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import pg from 'pg';
import { parseSigningKeySet } from '@scalefu/service-kit';
import { REPO_ROOT } from '../lib/paths';

// The CLI as an operator runs it (`npm run admin -- …` = `tsx scripts/admin.ts …`), against the test stack's Postgres.
const databaseUrl = process.env['DATABASE_URL'] ?? '';
const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
after(() => pool.end());

function admin(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const email = `cli-${randomUUID().slice(0, 8)}@example.com`;

test('create reads the password from stdin, refuses a common one, and never prints it', async () => {
  const common = await admin(['create', '--email', email, '--role', 'viewer'], 'password1234\n');
  assert.equal(common.code, 1);
  assert.match(common.stderr, /admin: password is one of the most common passwords/);

  const password = `cli pass ${randomUUID()}`;
  const created = await admin(['create', '--email', email, '--role', 'viewer'], `${password}\n`);
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /^created viewer [0-9a-f-]{36}$/m);
  assert.equal(created.stdout.includes(password) || created.stderr.includes(password), false);
  const { rows } = await pool.query(`SELECT role, password_hash FROM admin_accounts WHERE email = $1`, [email]);
  assert.equal(rows[0].role, 'viewer');
  assert.match(rows[0].password_hash, /^\$argon2id\$/);

  const again = await admin(['create', '--email', email.toUpperCase(), '--role', 'viewer'], `${password}\n`);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already exists/);
});

test('list masks e-mails; disable, enable, reset-mfa and revoke-sessions change the account and are audited', async () => {
  const list = await admin(['list']);
  assert.equal(list.code, 0);
  assert.equal(list.stdout.includes(email), false, 'e-mails are masked');
  assert.match(list.stdout, new RegExp(`viewer\\s+mfa:off\\s+active\\s+c\\*+@example\\.com`));

  for (const command of ['disable', 'enable', 'reset-mfa', 'revoke-sessions']) {
    const result = await admin([command, '--email', email]);
    assert.equal(result.code, 0, `${command}: ${result.stderr}`);
  }
  const { rows } = await pool.query(
    `SELECT a.disabled, a.token_version, (SELECT count(*)::int FROM audit_events e
        WHERE e.target = a.account_id::text AND e.action LIKE 'accounts.%') AS audited
       FROM admin_accounts a WHERE email = $1`,
    [email],
  );
  assert.equal(rows[0].disabled, false);
  assert.equal(rows[0].token_version, 4, 'disable, enable and reset-mfa each bump the token version');
  assert.equal(rows[0].audited, 5, 'create + four changes');
  const unknown = await admin(['disable', '--email', 'nobody@example.com']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no account with this e-mail/);
});

test('rotate-keys --stdin prints a rotated set: a new current key, the old current as previous', async () => {
  const first = await admin(['rotate-keys', '--stdin'], '');
  assert.equal(first.code, 0, first.stderr);
  const one = parseSigningKeySet(first.stdout);
  assert.equal(one.keys.length, 1);
  const second = await admin(['rotate-keys', '--stdin'], first.stdout);
  const two = parseSigningKeySet(second.stdout);
  assert.deepEqual(two.keys[1], one.keys[0]);
  assert.notEqual(two.keys[0]!.kid, one.keys[0]!.kid);
  assert.match(second.stderr, new RegExp(`new current kid ${two.keys[0]!.kid}; previous ${one.keys[0]!.kid}`));
});
