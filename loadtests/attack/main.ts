#!/usr/bin/env tsx
/**
 * Purpose: the tournament's attack suite — every case of the OWASP API Security Top 10 catalogue
 *          (loadtests/attack/catalogue/) against a target, one line per case, then `N passed, N failed`; exits 1 when
 *          a case fails. Invariant of every case: never a 5xx, no stored change where none is allowed.
 * Prerequisites: those of `npm start` (JDK 17+, Maven) when it starts its own stack. With --target: the target's
 *          Postgres (DATABASE_URL) and MFA_ENCRYPTION_KEY, to make the admin and viewer accounts the admin cases use.
 * Usage: npm run attack                                  start a throw-away stack (default rate limit), attack it, stop it
 *        npm run attack -- --case jwt                    only cases whose id contains the word
 *        npm run attack -- --port-offset 30000           where the throw-away stack listens (default 30000)
 *        DATABASE_URL=… MFA_ENCRYPTION_KEY=… npm run attack -- --target http://127.0.0.1:8080 --admin-target http://127.0.0.1:8081
 *        … --target http://10.0.0.5:8080 --allow-remote    a target off this machine (yours only)
 */
import {
  INFRA_PORTS,
  PUBLIC_RATE_LIMIT,
  PUBLIC_ROUTE_TEMPLATES,
  RUNTIME_ENV,
  localEdgeOrigin,
} from '@scalefu/contracts';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { say } from '../../scripts/lib/console';
import { startStack, type Stack } from '../../scripts/lib/stack/stack';
import { newPerson } from '../lib/people';
import { CATALOGUE } from './catalogue';
import { waitForStoredUser } from './catalogue/stored';
import { makeFixtures } from './fixtures';
import { send } from './http';
import { formatResult, runCatalogue } from './runner';

const { values: flags } = parseArgs({
  options: {
    target: { type: 'string' },
    'admin-target': { type: 'string' },
    'allow-remote': { type: 'boolean', default: false },
    'rate-limit': { type: 'string', default: String(PUBLIC_RATE_LIMIT.max) },
    origin: { type: 'string' },
    case: { type: 'string', multiple: true, default: [] },
    name: { type: 'string', default: 'attack' },
    'port-offset': { type: 'string', default: '30000' },
  },
});

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);
function checkTarget(url: string): string {
  const parsed = new URL(url);
  if (!LOOPBACK.has(parsed.hostname) && !flags['allow-remote']) {
    say.fail('attack', `${url} is not 127.0.0.1 or ::1: add --allow-remote if it is yours to attack`);
    process.exit(2);
  }
  return parsed.origin;
}

let stack: Stack | undefined;
process.on('SIGINT', () => void stack?.stop().then(() => process.exit(130)));

let publicUrl: string;
let adminUrl: string;
let databaseUrl: string | undefined = process.env[RUNTIME_ENV.databaseUrl];
let mfaKey: string | undefined = process.env[RUNTIME_ENV.mfaEncryptionKey];
let origin = flags.origin ?? process.env[RUNTIME_ENV.corsAllowedOrigins]?.split(',')[0] ?? localEdgeOrigin('web');
if (flags.target) {
  publicUrl = checkTarget(flags.target);
  adminUrl = checkTarget(flags['admin-target'] ?? flags.target);
} else {
  const offset = Number(flags['port-offset']);
  // The attack suite meets the default per-IP limit; a raised one from the caller's shell would hide API4 cases.
  delete process.env[RUNTIME_ENV.rateLimitPerMinute];
  stack = await startStack({
    name: flags.name,
    portOffset: offset,
    fresh: true,
    prometheus: false,
    tracing: false,
    onCreated: (s) => (stack = s),
  });
  publicUrl = stack.env['ONBOARDER_URL']!;
  adminUrl = stack.env['USER_URL']!;
  databaseUrl = stack.env[RUNTIME_ENV.databaseUrl];
  mfaKey = stack.env[RUNTIME_ENV.mfaEncryptionKey];
  origin = flags.origin ?? localEdgeOrigin('web', INFRA_PORTS.edgeHttps.port + offset);
}
if (!databaseUrl || !mfaKey) {
  say.fail('attack', `set ${RUNTIME_ENV.databaseUrl} and ${RUNTIME_ENV.mfaEncryptionKey} of the target`);
  process.exit(2);
}

const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
let failed = 0;
try {
  const registered = await send(
    { base: publicUrl },
    { method: 'POST', path: PUBLIC_ROUTE_TEMPLATES.register, body: newPerson('target') },
  );
  if (registered.status !== 201)
    throw new Error(`the target refused a valid registration: ${registered.status} ${registered.text}`);
  const userID = registered.json.data.userID as string;
  await waitForStoredUser(db, userID, 30_000);
  const fixtures = await makeFixtures({ db, admin: { base: adminUrl }, mfaEncryptionKey: mfaKey, userID });
  const cases = CATALOGUE.filter((c) => flags.case.length === 0 || flags.case.some((word) => c.id.includes(word)));
  say.step(
    'attack',
    `${cases.length} cases against ${publicUrl} and ${adminUrl} (rate limit ${flags['rate-limit']}/min)`,
  );
  const results = await runCatalogue(
    { publicUrl, adminUrl, rateLimit: Number(flags['rate-limit']), allowedOrigin: origin, db, fixtures },
    cases,
    (result) => console.log(formatResult(result)),
  );
  failed = results.filter((r) => !r.passed).length;
  console.log(`\n${results.length - failed} passed, ${failed} failed`);
} catch (error) {
  say.fail('attack', (error as Error).message);
  failed = 1;
} finally {
  await db.end();
  await stack?.stop();
}
process.exit(failed > 0 ? 1 : 0);
