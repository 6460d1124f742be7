/**
 * Attack cases on admin access (the user service): authorization across roles (BOLA/BFLA), token forgeries,
 * refresh-token re-use, TOTP brute force and replay, sign-in enumeration, list-query injection, pagination abuse
 * and mass assignment. Accounts and sessions come from the fixtures; cases that burn an account make their own.
 */
import { AUTH_ROUTES, PUBLIC_ROUTE_TEMPLATES } from '@scalefu/contracts';
import { randomUUID } from 'node:crypto';
import { TOTP_PERIOD_MS, codeAt } from '../../../apps/user/src/domain/auth/totp';
import { THROTTLE_RULES } from '../../../apps/user/src/store/auth-throttle';
import { newPerson } from '../../lib/people';
import { expectAnswer, fail, type AttackCase, type AttackContext } from '../case';
import type { AttackRequest, AttackResponse } from '../http';
import { cookieValue } from '../fixtures';
import { decodeJwt, foreignEdDsa, hs256, resigned, swapClaims, unsigned } from './jwt';

const USERS = '/api/v1/users';
const user = (id: string) => `${USERS}/${id}`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const as = (ctx: AttackContext, token: string | undefined, request: AttackRequest): Promise<AttackResponse> =>
  ctx.send('admin', { ...request, headers: { ...request.headers, ...(token ? bearer(token) : {}) } });

/** The body of an error answer without its per-request parts, to compare two refusals byte for byte. */
const stableBody = (r: AttackResponse) => JSON.stringify({ ...r.json, traceId: undefined, requestId: undefined });

/** A 6-digit code valid at none of the steps the server accepts now. */
function wrongCode(secret: string, salt: number): string {
  const now = Date.now();
  const valid = new Set([-1, 0, 1].map((d) => codeAt(secret, now + d * TOTP_PERIOD_MS)));
  for (let i = salt; ; i++) {
    const code = String((i * 7919 + 123_457) % 1_000_000).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

async function login(ctx: AttackContext, email: string, password: string): Promise<AttackResponse> {
  return ctx.send('admin', { method: 'POST', path: AUTH_ROUTES.login, body: { email, password } });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export const ADMIN_CASES: readonly AttackCase[] = [
  // ---- BFLA: functions by role (API5)
  {
    id: 'bfla-anonymous',
    owasp: 'API5',
    title: 'every admin function without a token answers 401 (list, read, write, accounts, audit)',
    run: async (ctx) => {
      const id = ctx.fixtures.userID;
      const requests: AttackRequest[] = [
        { method: 'GET', path: USERS },
        { method: 'GET', path: user(id) },
        { method: 'DELETE', path: user(id) },
        { method: 'PATCH', path: user(id), body: { name: 'Anonymous Edit' } },
        { method: 'POST', path: USERS, body: newPerson('anon') },
        { method: 'GET', path: AUTH_ROUTES.accounts },
        { method: 'GET', path: AUTH_ROUTES.audit },
      ];
      for (const request of requests) {
        expectAnswer(`${request.method} ${request.path}`, await as(ctx, undefined, request), { status: 401 });
      }
    },
  },
  {
    id: 'bfla-viewer-writes',
    owasp: 'API5',
    title:
      "a viewer's token cannot create, change, replace or delete users, list accounts, read audit or promote itself (403)",
    run: async (ctx) => {
      const { viewerSession, viewer, userID } = ctx.fixtures;
      const requests: AttackRequest[] = [
        { method: 'POST', path: USERS, body: newPerson('viewer') },
        { method: 'PATCH', path: user(userID), headers: { 'if-match': '*' }, body: { name: 'Viewer Edit' } },
        { method: 'PUT', path: user(userID), headers: { 'if-match': '*' }, body: newPerson('viewer') },
        { method: 'DELETE', path: user(userID) },
        { method: 'GET', path: AUTH_ROUTES.accounts },
        { method: 'GET', path: AUTH_ROUTES.audit },
        { method: 'PUT', path: `${AUTH_ROUTES.accounts}/${viewer.accountId}/role`, body: { role: 'admin' } },
      ];
      for (const request of requests) {
        expectAnswer(`${request.method} ${request.path}`, await as(ctx, viewerSession.accessToken, request), {
          status: 403,
        });
      }
    },
  },
  {
    id: 'bola-viewer-reads-masked',
    owasp: 'API3',
    title: 'a viewer reading a user gets 200 with the e-mail and phone masked (the stored values appear nowhere)',
    run: async (ctx) => {
      const { rows } = await ctx.db.query('SELECT email, phone_e164 FROM users WHERE user_id = $1', [
        ctx.fixtures.userID,
      ]);
      const answer = await as(ctx, ctx.fixtures.viewerSession.accessToken, {
        method: 'GET',
        path: user(ctx.fixtures.userID),
      });
      expectAnswer('GET as viewer', answer, { status: 200 });
      for (const value of [rows[0].email, rows[0].phone_e164, rows[0].phone_e164.slice(3)]) {
        if (answer.text.includes(value)) fail('the viewer saw an unmasked contact value');
      }
    },
  },
  {
    id: 'bola-other-accounts-device',
    owasp: 'API1',
    title: "an account cannot revoke another account's trusted device (404), and the device stays",
    run: async (ctx) => {
      const owner = await ctx.fixtures.newAccount('admin');
      const first = await login(ctx, owner.email, owner.password);
      const verified = await ctx.send('admin', {
        method: 'POST',
        path: AUTH_ROUTES.mfaVerify,
        body: {
          challengeToken: first.json.data.challengeToken,
          code: await ctx.fixtures.freshCode(owner),
          trustDevice: true,
        },
      });
      expectAnswer('owner signs in trusting the device', verified, { status: 200 });
      const devices = await as(ctx, verified.json.data.accessToken, { method: 'GET', path: AUTH_ROUTES.devices });
      const deviceId = JSON.stringify(devices.json).match(/"(?:deviceId|id)":"([0-9a-f-]{36})"/)?.[1];
      if (!deviceId) fail(`no device id in ${devices.text.slice(0, 200)}`);
      for (const token of [ctx.fixtures.viewerSession.accessToken, ctx.fixtures.adminSession.accessToken]) {
        const answer = await as(ctx, token, { method: 'DELETE', path: `${AUTH_ROUTES.devices}/${deviceId}` });
        expectAnswer("DELETE another account's device", answer, { status: [403, 404] });
      }
      const still = await as(ctx, verified.json.data.accessToken, { method: 'GET', path: AUTH_ROUTES.devices });
      if (!still.text.includes(deviceId)) fail("the owner's device is gone");
    },
  },
  // ---- JWT forgeries (API2)
  ...(
    [
      [
        'jwt-alg-none',
        'alg=none with the claims of an admin',
        (t: string) => unsigned(decodeJwt(t).header, decodeJwt(t).payload),
      ],
      ['jwt-hs256-confusion', 'HS256 keyed with the public JWKS key (algorithm confusion)', undefined],
      [
        'jwt-tampered-role',
        "a viewer's token with its role changed to admin, genuine signature kept",
        (t: string) => resigned(t, swapClaims(decodeJwt(t).payload, 'viewer', 'admin')),
      ],
      [
        'jwt-foreign-key',
        "EdDSA signed by the attacker's key under the service's kid",
        (t: string) => foreignEdDsa(decodeJwt(t).header, swapClaims(decodeJwt(t).payload, 'viewer', 'admin'), false),
      ],
      [
        'jwt-embedded-jwk',
        "EdDSA signed by the attacker's key, that key embedded in the header (jwk)",
        (t: string) => foreignEdDsa(decodeJwt(t).header, swapClaims(decodeJwt(t).payload, 'viewer', 'admin'), true),
      ],
      ['jwt-garbage', 'a malformed, an empty and a 6 kB bearer token', (t: string) => `${t.split('.')[0]}..`],
    ] as const
  ).map(([id, what, forge]): AttackCase => ({
    id,
    owasp: 'API2',
    title: `${what} answers 401 on an admin-only route`,
    run: async (ctx) => {
      const token = ctx.fixtures.viewerSession.accessToken;
      let forged: string[];
      if (id === 'jwt-hs256-confusion') {
        const jwks = await ctx.send('admin', { method: 'GET', path: AUTH_ROUTES.jwks });
        const { header, payload } = decodeJwt(token);
        const admin = swapClaims(payload, 'viewer', 'admin');
        forged = (jwks.json.keys as { x: string }[]).flatMap((k) => [
          hs256(header, admin, k.x),
          hs256(header, admin, JSON.stringify(k)),
        ]);
      } else if (id === 'jwt-garbage') {
        forged = [forge!(token), 'not.a.jwt', 'a'.repeat(6000)];
      } else forged = [forge!(token)];
      for (const candidate of forged) {
        const answer = await as(ctx, candidate, { method: 'GET', path: AUTH_ROUTES.accounts });
        expectAnswer('forged token', answer, { status: 401 });
      }
    },
  })),
  {
    id: 'jwt-challenge-as-access',
    owasp: 'API2',
    title: 'the MFA challenge token (signed by the same key, other typ) is refused as an access token (401)',
    run: async (ctx) => {
      const first = await login(ctx, ctx.fixtures.admin.email, ctx.fixtures.admin.password);
      expectAnswer('password step', first, { status: 200 });
      const answer = await as(ctx, first.json.data.challengeToken, { method: 'GET', path: USERS });
      expectAnswer('challenge as bearer', answer, { status: 401 });
    },
  },
  // ---- refresh tokens (API2)
  {
    id: 'refresh-reuse',
    owasp: 'API2',
    title: 'a rotated refresh token used again answers 401 and revokes its family (the newest token fails too)',
    run: async (ctx) => {
      const account = await ctx.fixtures.newAccount('viewer');
      const session = await ctx.fixtures.signIn(account);
      const refresh = (cookie: string) =>
        ctx.send('admin', {
          method: 'POST',
          path: AUTH_ROUTES.refresh,
          headers: { cookie, origin: ctx.allowedOrigin },
        });
      const rotated = await refresh(session.refreshCookie);
      expectAnswer('first refresh', rotated, { status: 200 });
      const next = cookieValue(rotated, session.refreshCookie.split('=')[0]!);
      if (!next) fail('the refresh set no new cookie');
      expectAnswer('re-use of the rotated token', await refresh(session.refreshCookie), { status: 401 });
      expectAnswer(
        'the newest token after the re-use',
        await refresh(`${session.refreshCookie.split('=')[0]}=${next}`),
        {
          status: 401,
        },
      );
    },
  },
  {
    id: 'refresh-csrf',
    owasp: 'API2',
    title: 'refresh from a foreign or missing Origin answers 403 (the cookie alone is not enough)',
    run: async (ctx) => {
      const session = await ctx.fixtures.signIn(await ctx.fixtures.newAccount('viewer'));
      for (const origin of ['https://evil.example', undefined]) {
        const answer = await ctx.send('admin', {
          method: 'POST',
          path: AUTH_ROUTES.refresh,
          headers: { cookie: session.refreshCookie, ...(origin ? { origin } : {}) },
        });
        expectAnswer(`Origin ${origin ?? '(none)'}`, answer, { status: 403 });
      }
    },
  },
  // ---- TOTP (API2)
  {
    id: 'totp-brute-force',
    owasp: 'API2',
    title: `wrong codes lock the account's MFA after ${THROTTLE_RULES.mfaAccount.freeFailures} failures (429), and then the right code is refused too`,
    run: async (ctx) => {
      const account = await ctx.fixtures.newAccount('admin');
      const first = await login(ctx, account.email, account.password);
      const challengeToken = first.json.data.challengeToken;
      let locked = false;
      for (let i = 0; i <= THROTTLE_RULES.mfaAccount.freeFailures + 1 && !locked; i++) {
        const answer = await ctx.send('admin', {
          method: 'POST',
          path: AUTH_ROUTES.mfaVerify,
          body: { challengeToken, code: wrongCode(account.totpSecret!, i) },
        });
        expectAnswer(`wrong code ${i + 1}`, answer, { status: [401, 429] });
        locked = answer.status === 429;
      }
      if (!locked) fail(`no lock after ${THROTTLE_RULES.mfaAccount.freeFailures + 2} wrong codes`);
      const right = await ctx.send('admin', {
        method: 'POST',
        path: AUTH_ROUTES.mfaVerify,
        body: { challengeToken, code: await ctx.fixtures.freshCode(account) },
      });
      expectAnswer('the right code while locked', right, { status: [401, 429] });
    },
  },
  {
    id: 'totp-replay',
    owasp: 'API2',
    title: 'a code that already signed in is refused at the next sign-in (401)',
    run: async (ctx) => {
      const account = await ctx.fixtures.newAccount('admin');
      const code = await ctx.fixtures.freshCode(account);
      for (const attempt of ['first use', 'replay']) {
        const first = await login(ctx, account.email, account.password);
        const answer = await ctx.send('admin', {
          method: 'POST',
          path: AUTH_ROUTES.mfaVerify,
          body: { challengeToken: first.json.data.challengeToken, code },
        });
        expectAnswer(attempt, answer, { status: attempt === 'replay' ? 401 : 200 });
      }
    },
  },
  // ---- sign-in enumeration (API2)
  {
    id: 'login-enum-status-body',
    owasp: 'API2',
    title: 'a wrong password and an unknown e-mail get the same status and the same body',
    run: async (ctx) => {
      const known = await login(ctx, ctx.fixtures.viewer.email, 'wrong password 1234');
      const unknown = await login(ctx, `nobody-${randomUUID().slice(0, 8)}@example.com`, 'wrong password 1234');
      expectAnswer('wrong password', known, { status: 401 });
      if (known.status !== unknown.status || stableBody(known) !== stableBody(unknown)) {
        fail(`known: ${known.status} ${stableBody(known)}; unknown: ${unknown.status} ${stableBody(unknown)}`);
      }
    },
  },
  {
    id: 'login-enum-timing',
    owasp: 'API2',
    title: 'a wrong password and an unknown e-mail take the same time (medians of 7 within 50 % or 40 ms)',
    run: async (ctx) => {
      const account = await ctx.fixtures.newAccount('viewer');
      const known: number[] = [];
      const unknown: number[] = [];
      // One warm-up each (connection set-up, first argon2 of the process), then interleaved pairs: shared-CPU noise
      // hits both sides alike.
      await login(ctx, account.email, 'warm up password');
      await login(ctx, `nobody-${randomUUID().slice(0, 8)}@example.com`, 'warm up password');
      for (let i = 0; i < 7; i++) {
        known.push((await login(ctx, account.email, `wrong password ${i}`)).ms);
        unknown.push((await login(ctx, `nobody-${randomUUID().slice(0, 8)}@example.com`, `wrong password ${i}`)).ms);
      }
      const [a, b] = [median(known), median(unknown)];
      if (Math.abs(a - b) > Math.max(40, 0.5 * Math.min(a, b))) {
        fail(`median ${a.toFixed(0)} ms for a known e-mail vs ${b.toFixed(0)} ms for an unknown one`);
      }
    },
  },
  {
    id: 'login-brute-force',
    owasp: 'API2',
    title: `wrong passwords lock the account after ${THROTTLE_RULES.loginAccount.freeFailures} failures (429), also from fresh addresses`,
    run: async (ctx) => {
      const account = await ctx.fixtures.newAccount('viewer');
      let last: AttackResponse | undefined;
      for (let i = 0; i <= THROTTLE_RULES.loginAccount.freeFailures + 1; i++) {
        last = await login(ctx, account.email, `wrong password ${i}`);
        expectAnswer(`wrong password ${i + 1}`, last, { status: [401, 429] });
      }
      expectAnswer('after the free failures', last!, { status: 429 });
      expectAnswer('the right password while locked', await login(ctx, account.email, account.password), {
        status: 429,
      });
    },
  },
  // ---- list query: injection and pagination abuse (API8 / API4)
  {
    id: 'list-sort-filter-injection',
    owasp: 'API8',
    title: 'sort and filter values outside the allowlist answer 400 (SQL, column names, bad dates, control characters)',
    run: async (ctx) => {
      const queries = [
        'sort=name;DROP TABLE users',
        'sort=password_hash',
        'sort=national_id_hmac',
        "status=CONFIRMED' OR '1'='1",
        'createdFrom=yesterday',
        "createdTo=2020-01-01T00:00:00Z' OR 1=1--",
        'q=%00abc',
        `q=${'a'.repeat(500)}`,
      ];
      for (const query of queries) {
        const answer = await as(ctx, ctx.fixtures.adminSession.accessToken, {
          method: 'GET',
          path: `${USERS}?${encodeURI(query).replaceAll('%25', '%')}`,
        });
        expectAnswer(query, answer, { status: 400 });
      }
    },
  },
  {
    id: 'list-like-wildcards',
    owasp: 'API3',
    title: 'q=% and q=_ match only names or e-mails that start with those characters (LIKE wildcards escaped)',
    run: async (ctx) => {
      for (const q of ['%', '_']) {
        const answer = await as(ctx, ctx.fixtures.adminSession.accessToken, {
          method: 'GET',
          path: `${USERS}?q=${encodeURIComponent(q)}`,
        });
        expectAnswer(`q=${q}`, answer, { status: 200 });
        const rows = answer.json.data.users as { name: string; email: string }[];
        const wrong = rows.find((r) => !r.name.toLowerCase().startsWith(q) && !r.email.startsWith(q));
        if (wrong) fail(`q=${q} matched ${JSON.stringify(wrong.name)}`);
      }
    },
  },
  {
    id: 'list-pagination-abuse',
    owasp: 'API4',
    title:
      'limit=1000000 is clamped (≤ 100 rows); negative and non-numeric limits and forged cursors answer 200 clamped or 400',
    run: async (ctx) => {
      const token = ctx.fixtures.adminSession.accessToken;
      const big = await as(ctx, token, { method: 'GET', path: `${USERS}?limit=1000000` });
      expectAnswer('limit=1000000', big, { status: [200, 400] });
      if (big.status === 200 && big.json.data.users.length > 100)
        fail(`${big.json.data.users.length} rows in one page`);
      const forged = Buffer.from(JSON.stringify({ key: "x'; DROP TABLE users;--", id: 'not-a-uuid' })).toString(
        'base64url',
      );
      for (const query of [
        'limit=-5',
        'limit=abc',
        'limit=1e400',
        'cursor=!!!',
        `cursor=${forged}`,
        `cursor=${'A'.repeat(3000)}`,
      ]) {
        const answer = await as(ctx, token, { method: 'GET', path: `${USERS}?${query}` });
        expectAnswer(query, answer, { status: [200, 400] });
        if (answer.status === 200 && answer.json.data.users.length > 100)
          fail(`${query}: ${answer.json.data.users.length} rows`);
      }
    },
  },
  // ---- mass assignment (API3)
  {
    id: 'mass-assign-admin-patch',
    owasp: 'API3',
    title: 'PATCH with status, userID, version or createdAt answers 400 and changes nothing',
    run: async (ctx) => {
      const token = ctx.fixtures.adminSession.accessToken;
      const current = await as(ctx, token, { method: 'GET', path: user(ctx.fixtures.userID) });
      expectAnswer('read for the ETag', current, { status: 200 });
      const etag = String(current.headers.etag);
      for (const body of [
        { status: 'CONFIRMED' },
        { userID: randomUUID() },
        { version: 99 },
        { createdAt: '2000-01-01T00:00:00Z' },
        { role: 'admin' },
      ]) {
        const answer = await as(ctx, token, {
          method: 'PATCH',
          path: user(ctx.fixtures.userID),
          headers: { 'if-match': etag },
          body,
        });
        expectAnswer(JSON.stringify(body), answer, { status: 400 });
      }
    },
  },
  // ---- malformed ids, CORS (API8)
  {
    id: 'malformed-user-id',
    owasp: 'API1',
    title: 'non-UUID, SQL and traversal user ids answer 400/404 (with a valid admin token)',
    run: async (ctx) => {
      for (const id of ['not-a-uuid', "1'%20OR%20'1'='1", '..%2F..%2Fetc%2Fpasswd', '%00', 'a'.repeat(5000)]) {
        const answer = await as(ctx, ctx.fixtures.adminSession.accessToken, { method: 'GET', path: user(id) });
        expectAnswer(id.slice(0, 30), answer, { status: [400, 404, 414] });
      }
    },
  },
  {
    id: 'cors-admin-exact-origin',
    owasp: 'API8',
    title: 'the admin API grants CORS to the admin web origin exactly, never to a reflected or look-alike one',
    run: async (ctx) => {
      const preflight = (origin: string) =>
        ctx.send('admin', {
          method: 'OPTIONS',
          path: USERS,
          headers: {
            origin,
            'access-control-request-method': 'GET',
            'access-control-request-headers': 'authorization',
          },
        });
      const good = await preflight(ctx.allowedOrigin);
      if (good.headers['access-control-allow-origin'] !== ctx.allowedOrigin) {
        fail(`the admin web's origin got ${String(good.headers['access-control-allow-origin'])}`);
      }
      for (const origin of ['https://evil.example', 'null', `${ctx.allowedOrigin}.evil.example`]) {
        const answer = await preflight(origin);
        if (answer.headers['access-control-allow-origin'])
          fail(`Origin ${origin} got ${String(answer.headers['access-control-allow-origin'])}`);
      }
    },
  },
  {
    id: 'public-route-not-on-admin',
    owasp: 'API9',
    title: 'the user service serves no public registration route (one surface per service)',
    surface: 'admin',
    steps: [
      {
        request: { method: 'POST', path: PUBLIC_ROUTE_TEMPLATES.register, body: newPerson('x') },
        expect: { status: [404, 405] },
      },
    ],
  },
];
