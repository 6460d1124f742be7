import { AUTH_ROUTES } from '@scalefu/contracts';
import { createLogger } from '@scalefu/service-kit';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { createAccount } from '../../../apps/user/src/admin-cli/commands';
import { USERS_PATH } from '../../../apps/user/src/routes/shared';
import type { VegetaTarget } from '../engine/targets';
import { THRESHOLDS } from '../thresholds';
import type { Scenario, ScenarioContext } from './scenario';

/**
 * A viewer account made through the admin CLI's own code (the stack's Postgres), signed in over HTTP: the token
 * the read mix sends, as a real console user would hold one.
 */
async function viewerToken(context: ScenarioContext): Promise<string> {
  if (!context.adminUrl || !context.databaseUrl) {
    throw new Error('admin-read needs the admin API and its Postgres: run it on a started stack (no --target)');
  }
  const pool = new pg.Pool({ connectionString: context.databaseUrl, max: 1 });
  const email = `load-viewer-${randomUUID().slice(0, 12)}@example.com`;
  const password = `load ${randomBytes(18).toString('base64url')}`;
  try {
    await createAccount(pool, createLogger({ service: 'loadtests', level: 'silent' }), {
      email,
      role: 'viewer',
      password,
    });
  } finally {
    await pool.end();
  }
  const response = await fetch(new URL(AUTH_ROUTES.login, context.adminUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await response.json()) as { data?: { accessToken?: string } };
  if (!response.ok || !body.data?.accessToken) {
    throw new Error(`viewer sign-in answered ${response.status}: ${JSON.stringify(body).slice(0, 200)}`);
  }
  return body.data.accessToken;
}

/** Some user ids to read one by one, from the first pages of the list. */
async function someUserIds(adminUrl: string, token: string): Promise<string[]> {
  const response = await fetch(new URL(`${USERS_PATH}?limit=100`, adminUrl), {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as { data?: { userID?: string }[] | { items?: { userID?: string }[] } };
  const items = Array.isArray(body.data) ? body.data : (body.data?.items ?? []);
  return items.map((u) => u.userID).filter((id): id is string => !!id);
}

/** The console's reads in a fixed mix: list pages in several sorts and filters, prefix searches, single users. */
function* readMix(adminUrl: string, token: string, ids: readonly string[]): Generator<VegetaTarget> {
  const header = { Authorization: [`Bearer ${token}`] };
  const lists = [
    '?limit=20',
    '?limit=50&sort=-createdAt',
    '?status=CONFIRMED&limit=20',
    '?q=load&limit=20',
    '?q=po&limit=10',
  ];
  for (let i = 0; ; i++) {
    const path =
      i % 10 < 6 || ids.length === 0
        ? `${USERS_PATH}${lists[i % lists.length]}`
        : `${USERS_PATH}/${ids[i % ids.length]}`;
    yield { method: 'GET', url: new URL(path, adminUrl).toString(), header };
  }
}

/** Admin console reads with a real viewer token (masked PII), at the given rate. */
export const adminRead: Scenario = {
  name: 'admin-read',
  description: 'the admin console read mix (lists, searches, single users) with a real viewer token',
  defaults: { rate: 50, durationSeconds: 20 },
  stages: ({ rate, durationSeconds }) => [{ label: 'reads', rate, durationSeconds }],
  targets: async (context) => {
    const token = await viewerToken(context);
    return readMix(context.adminUrl!, token, await someUserIds(context.adminUrl!, token));
  },
  thresholds: [THRESHOLDS.allAccepted, THRESHOLDS.availability],
  followsRegistrations: false,
};
