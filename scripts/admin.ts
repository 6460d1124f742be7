#!/usr/bin/env tsx
/**
 * Purpose: manage admin accounts of the user service without any default account or password in git, and rotate the
 *          JWT signing keys. Every change is written to the audit trail; sessions of a changed account end.
 * Prerequisites: the stack's Postgres with the user migrations applied (`npm start`), or DATABASE_URL pointing at one.
 * Usage: npm run admin -- create --email ops@example.com --role admin|viewer   (password from stdin, else generated
 *                                                                               and printed once)
 *        npm run admin -- disable --email ops@example.com      (and `enable`)
 *        npm run admin -- reset-mfa --email ops@example.com    (the account enrols TOTP again at next sign-in)
 *        npm run admin -- list
 *        npm run admin -- revoke-sessions [--email ops@example.com]   (everyone, or one account, signs in again)
 *        npm run admin -- rotate-keys [--stack local]          (local stack: rewrites its generated key file)
 *        gcloud … versions access latest | npm run admin -- rotate-keys --stdin   (prints the rotated set)
 */
import { LOCAL_DATABASE_URL, RUNTIME_ENV } from '@scalefu/contracts';
import { createLogger, createPostgresPool, parseSigningKeySet, rotateKeySet } from '@scalefu/service-kit';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  CliError,
  changeByEmail,
  createAccount,
  generatePassword,
  listLines,
  parseRole,
  revokeSessions,
} from '../apps/user/src/admin-cli/commands';
import { stackDirs } from './lib/paths';
import { localSecretsFile } from './lib/stack/stack';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    email: { type: 'string' },
    role: { type: 'string' },
    stack: { type: 'string', default: 'local' },
    stdin: { type: 'boolean', default: false },
  },
});
const command = positionals[0];
// Audit lines go to stderr so stdout carries only what the command prints (a password, a key set).
const logger = createLogger({ service: 'admin-cli', level: 'info', destination: process.stderr });

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function requireEmail(): string {
  if (!values.email) throw new CliError('--email is required');
  return values.email;
}

async function rotateKeys(): Promise<void> {
  if (values.stdin) {
    const current = (await readStdin()).trim();
    const rotated = rotateKeySet(current ? parseSigningKeySet(current) : undefined);
    process.stdout.write(`${JSON.stringify(rotated)}\n`);
    console.error(`new current kid ${rotated.keys[0]!.kid}; previous ${rotated.keys[1]?.kid ?? 'none'}`);
    return;
  }
  const file = localSecretsFile(stackDirs(values.stack!));
  if (!existsSync(file)) throw new CliError(`${file} does not exist: start the stack once (npm start)`);
  const secrets = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  const current = secrets[RUNTIME_ENV.jwtSigningKey];
  const rotated = rotateKeySet(current ? parseSigningKeySet(current) : undefined);
  await writeFile(file, JSON.stringify({ ...secrets, [RUNTIME_ENV.jwtSigningKey]: JSON.stringify(rotated) }), {
    mode: 0o600,
  });
  console.log(`rotated: current kid ${rotated.keys[0]!.kid}, previous ${rotated.keys[1]?.kid ?? 'none'}`);
  console.log('restart the stack (npm stop && npm start) so the user service signs with the new key');
}

async function main(): Promise<void> {
  if (command === 'rotate-keys') return rotateKeys();
  if (!['create', 'disable', 'enable', 'reset-mfa', 'list', 'revoke-sessions'].includes(command ?? '')) {
    throw new CliError(
      'usage: npm run admin -- create|disable|enable|reset-mfa|list|revoke-sessions|rotate-keys [--email …] [--role …]',
    );
  }
  const pool = createPostgresPool(
    { url: process.env[RUNTIME_ENV.databaseUrl] ?? LOCAL_DATABASE_URL, max: 1, applicationName: 'admin-cli' },
    logger,
  );
  try {
    if (command === 'list') {
      const lines = await listLines(pool);
      console.log(lines.length ? lines.join('\n') : 'no accounts yet: npm run admin -- create --email … --role admin');
    } else if (command === 'revoke-sessions') {
      console.log(`revoked ${await revokeSessions(pool, logger, values.email)} session(s)`);
    } else if (command === 'create') {
      const role = parseRole(values.role);
      const piped = !process.stdin.isTTY ? (await readStdin()).replace(/\r?\n$/, '') : '';
      const password = piped || generatePassword();
      const account = await createAccount(pool, logger, { email: requireEmail(), role, password });
      console.log(`created ${account.role} ${account.accountId}`);
      if (!piped) console.log(`password (shown once, store it in your password manager): ${password}`);
      if (role === 'admin')
        console.log('first sign-in: enrol TOTP (POST /api/v1/auth/mfa/totp/enrol), then activate it');
    } else {
      const change = command === 'reset-mfa' ? ({ resetMfa: true } as const) : { disabled: command === 'disable' };
      const action = command === 'reset-mfa' ? 'accounts.mfa_reset' : `accounts.${command}`;
      const account = await changeByEmail(pool, logger, requireEmail(), change, action);
      console.log(`${command}: ${account.accountId} done; its sessions ended and its tokens can no longer write`);
    }
  } finally {
    await pool.end();
  }
}

try {
  await main();
} catch (error) {
  const relationMissing = (error as { code?: string }).code === '42P01';
  console.error(
    error instanceof CliError
      ? `admin: ${error.message}`
      : relationMissing
        ? 'admin: the admin tables do not exist: start the stack once (npm start) so the migrations run'
        : `admin: ${(error as Error).message}`,
  );
  process.exit(1);
}
