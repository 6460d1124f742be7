/**
 * Attack cases on the public API (the onboarder): request shape, content negotiation, resource consumption,
 * injection, duplicate identities, rate-limit bypass, CORS and headers. Each entry names its OWASP category,
 * what it sends and the answer it must get.
 */
import { PUBLIC_BODY_LIMIT_BYTES, PUBLIC_ROUTE_TEMPLATES } from '@scalefu/contracts';
import { v7 as uuidv7 } from 'uuid';
import { newPerson, uniqueNationalId, type Person } from '../../lib/people';
import { expectAnswer, fail, type AttackCase, type AttackContext, type Expectation } from '../case';
import type { AttackResponse } from '../http';
import { waitForStoredUser } from './stored';

const REGISTER = PUBLIC_ROUTE_TEMPLATES.register;
const status = (userID: string) => PUBLIC_ROUTE_TEMPLATES.registrationStatus.replace(':userID', userID);
const json = { 'content-type': 'application/json' };

/** A valid body serialised by hand, for cases that vary the bytes around it. */
const validText = (tag: string) => JSON.stringify(newPerson(tag));

const envelope = (code?: string) => (r: AttackResponse) =>
  r.json?.status !== 'error'
    ? 'the answer is not the error envelope'
    : code && r.json.code !== code
      ? `code ${r.json.code}, expected ${code}`
      : undefined;

const allowHeader: Expectation['check'] = (r) => (r.headers.allow ? undefined : 'no Allow header on a 405');

/** Register once, then send each variant of the same person: none may be a 201. */
async function duplicateVariants(
  ctx: AttackContext,
  base: Person,
  variants: readonly Partial<Person>[],
): Promise<void> {
  const first = await ctx.send('public', { method: 'POST', path: REGISTER, body: base });
  expectAnswer('the original', first, { status: 201 });
  for (const variant of variants) {
    const body = { ...newPerson('variant'), ...variant };
    const answer = await ctx.send('public', { method: 'POST', path: REGISTER, body });
    expectAnswer(`variant ${JSON.stringify(variant)}`, answer, { status: [400, 409] });
  }
  // The original is stored before the next case starts, so its row does not land inside another case's window.
  await waitForStoredUser(ctx.db, first.json.data.userID);
}

/** Send limit+1 requests from one address, each claiming another client; the last must still be refused. */
function spoofedClientCase(id: string, header: string, value: (i: number) => string): AttackCase {
  return {
    id,
    owasp: 'API4',
    title: `rate limit is per socket address: ${header} cannot pick a new bucket (limit+1 requests → 429)`,
    run: async (ctx) => {
      let last: AttackResponse | undefined;
      for (let i = 0; i <= ctx.rateLimit; i++) {
        last = await ctx.send('public', {
          method: 'GET',
          path: status(uuidv7()),
          headers: { [header]: value(i) },
        });
      }
      expectAnswer(`request ${ctx.rateLimit + 1} with a fresh ${header}`, last!, {
        status: 429,
        check: (r) => (r.headers['retry-after'] ? undefined : 'no Retry-After on 429'),
      });
    },
  };
}

function deepJson(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

export const PUBLIC_CASES: readonly AttackCase[] = [
  // ---- verb tampering (API8)
  ...['PUT', 'DELETE', 'PATCH', 'GET'].map((method): AttackCase => ({
    id: `verb-${method.toLowerCase()}-register`,
    owasp: 'API8',
    title: `${method} on the register route answers 405 with Allow, never runs the handler`,
    surface: 'public',
    steps: [
      {
        request: { method, path: REGISTER, headers: json, body: method === 'GET' ? undefined : validText('verb') },
        expect: { status: 405, check: allowHeader },
      },
    ],
  })),
  {
    id: 'verb-trace',
    owasp: 'API8',
    title: 'TRACE is not served (no request echo for cross-site tracing)',
    surface: 'public',
    steps: [{ request: { method: 'TRACE', path: REGISTER }, expect: { status: [404, 405] } }],
  },
  {
    id: 'verb-override-header',
    owasp: 'API8',
    title: 'X-HTTP-Method-Override: DELETE on a POST is ignored (handled as the POST it is: invalid body → 400)',
    surface: 'public',
    steps: [
      {
        request: {
          method: 'POST',
          path: REGISTER,
          headers: { ...json, 'x-http-method-override': 'DELETE', 'x-method-override': 'DELETE' },
          body: '{}',
        },
        expect: { status: 400, check: envelope() },
      },
    ],
  },
  // ---- content type and charset confusion (API8)
  ...(
    [
      ['text/plain', 'ct-text-plain'],
      ['application/x-www-form-urlencoded', 'ct-form'],
      ['multipart/form-data; boundary=x', 'ct-multipart'],
      ['application/xml', 'ct-xml'],
      ['application/json; charset=iso-8859-1', 'ct-json-latin1'],
      ['application/json; charset=utf-16', 'ct-json-utf16'],
    ] as const
  ).map(([type, id]): AttackCase => ({
    id,
    owasp: 'API8',
    title: `a JSON body sent as ${type} answers 415 in the envelope`,
    surface: 'public',
    steps: [
      {
        request: { method: 'POST', path: REGISTER, headers: { 'content-type': type }, body: validText(id) },
        expect: { status: 415, check: envelope() },
      },
    ],
  })),
  {
    id: 'ct-missing',
    owasp: 'API8',
    title: 'a body without Content-Type answers 415',
    surface: 'public',
    steps: [{ request: { method: 'POST', path: REGISTER, body: validText('noct') }, expect: { status: 415 } }],
  },
  // ---- resource consumption (API4)
  {
    id: 'body-oversized',
    owasp: 'API4',
    title: `a body over ${PUBLIC_BODY_LIMIT_BYTES} bytes answers 413`,
    surface: 'public',
    steps: [
      {
        request: {
          method: 'POST',
          path: REGISTER,
          headers: json,
          body: JSON.stringify({ ...newPerson('big'), name: 'x'.repeat(PUBLIC_BODY_LIMIT_BYTES) }),
        },
        expect: { status: 413, check: envelope() },
      },
    ],
  },
  {
    id: 'body-length-lie',
    owasp: 'API4',
    title: 'a Content-Length far above the limit is refused before the body is read (413)',
    run: async (ctx) => {
      const { trickle } = await import('../http');
      const head =
        `POST ${REGISTER} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${PUBLIC_BODY_LIMIT_BYTES * 1000}\r\n`;
      const result = await trickle(ctx.endpoint('public'), head, { body: '{', everyMs: 200, giveUpMs: 5000 });
      if (!/^HTTP\/1\.1 413/.test(result.answer)) fail(`answer: ${result.answer.split('\r\n')[0] || '(none)'}`);
    },
  },
  {
    id: 'json-deep',
    owasp: 'API4',
    title: 'JSON nested 5 000 deep answers 400, not a stack overflow',
    surface: 'public',
    steps: [
      {
        request: { method: 'POST', path: REGISTER, headers: json, body: deepJson(5000) },
        expect: { status: [400, 413] },
      },
    ],
  },
  {
    id: 'json-wide',
    owasp: 'API4',
    title: 'JSON with 1 500 keys answers 400 (unknown fields), not slow work',
    surface: 'public',
    steps: [
      {
        request: {
          method: 'POST',
          path: REGISTER,
          headers: json,
          body: JSON.stringify(Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`k${i}`, i]))),
        },
        expect: { status: [400, 413] },
      },
    ],
  },
  {
    id: 'json-malformed',
    owasp: 'API8',
    title: 'malformed JSON answers 400 in the envelope',
    surface: 'public',
    steps: [
      {
        request: { method: 'POST', path: REGISTER, headers: json, body: '{"name": "a",' },
        expect: { status: 400, check: envelope() },
      },
    ],
  },
  {
    id: 'json-wrong-types',
    owasp: 'API8',
    title: 'arrays, numbers and nulls where strings belong answer 400',
    surface: 'public',
    steps: [
      {
        request: { method: 'POST', path: REGISTER, body: { name: ['a', 'b'], email: 1, phoneNumber: null } },
        expect: { status: 400 },
      },
      { request: { method: 'POST', path: REGISTER, headers: json, body: '[]' }, expect: { status: 400 } },
      { request: { method: 'POST', path: REGISTER, headers: json, body: 'null' }, expect: { status: 400 } },
    ],
  },
  // ---- prototype pollution (API8)
  {
    id: 'proto-pollution',
    owasp: 'API8',
    title: '__proto__ and constructor.prototype keys answer 400, and the next request is unaffected',
    run: async (ctx) => {
      const person = newPerson('proto');
      const polluted = [
        `{"__proto__":{"isAdmin":true},${JSON.stringify(person).slice(1)}`,
        `{"constructor":{"prototype":{"isAdmin":true}},${JSON.stringify(person).slice(1)}`,
      ];
      for (const body of polluted) {
        expectAnswer(
          body.slice(0, 40),
          await ctx.send('public', { method: 'POST', path: REGISTER, headers: json, body }),
          {
            status: 400,
          },
        );
      }
      const after = await ctx.send('public', { method: 'POST', path: REGISTER, headers: json, body: '{}' });
      expectAnswer('a plain request after', after, { status: 400, check: envelope() });
    },
  },
  // ---- mass assignment (API3)
  {
    id: 'mass-assign-register',
    owasp: 'API3',
    title: 'status, userID or role in a registration answer 400 (unknown fields rejected)',
    surface: 'public',
    steps: (['status', 'userID', 'role', 'createdAt'] as const).map((field) => ({
      request: {
        method: 'POST',
        path: REGISTER,
        body: { ...newPerson('mass'), [field]: field === 'userID' ? uuidv7() : 'CONFIRMED' },
      },
      expect: { status: 400, check: envelope() },
    })),
  },
  // ---- injection stored literally (API8 / API10)
  {
    id: 'sql-text-literal',
    owasp: 'API8',
    title:
      "SQL in a name is refused (400) where it breaks the name rules, else stored literally: the row's name is the exact text",
    changesState: true,
    run: async (ctx) => {
      const refused = await ctx.send('public', {
        method: 'POST',
        path: REGISTER,
        body: { ...newPerson('sql'), name: `Robert'); DROP TABLE users;--` },
      });
      expectAnswer('statement separators in the name', refused, { status: 400 });
      // Quotes, hyphens and words pass the name rules: this reaches SQL, and must arrive there as data.
      const name = `Robert' OR 'a'-'a' UNION SELECT passwordhash FROM users --`;
      const answer = await ctx.send('public', { method: 'POST', path: REGISTER, body: { ...newPerson('sql'), name } });
      expectAnswer('register', answer, { status: 201 });
      const row = await waitForStoredUser(ctx.db, answer.json.data.userID);
      if (row.name !== name) fail(`stored name differs: ${JSON.stringify(row.name)}`);
    },
  },
  // ---- duplicate identities (API6)
  {
    id: 'dup-email-case',
    owasp: 'API6',
    title: 'the same e-mail in other letter case is a duplicate (409)',
    changesState: true,
    run: async (ctx) => {
      const base = newPerson('dupcase');
      await duplicateVariants(ctx, base, [{ email: base.email.toUpperCase() }, { email: ` ${base.email} ` }]);
    },
  },
  {
    id: 'dup-email-unicode',
    owasp: 'API6',
    title: 'fullwidth, zero-width, confusable and punycode spellings of one e-mail never register twice (409/400)',
    changesState: true,
    run: async (ctx) => {
      const base = newPerson('dupuni');
      const [local, domain] = base.email.split('@') as [string, string];
      const fullwidth = [...local]
        .map((c) => (/[a-z0-9]/.test(c) ? String.fromCodePoint(c.codePointAt(0)! + 0xfee0) : c))
        .join('');
      await duplicateVariants(ctx, base, [
        { email: `${fullwidth}@${domain}` },
        { email: `${local}\u200b@${domain}` },
        { email: `${local.replace('a', '\u0430')}@${domain}` }, // Cyrillic а for Latin a
        { email: `${local}@${domain.replace('example', 'xn--example-')}` },
        { email: `${local}@${domain.toUpperCase()}.` },
        { email: `${local.normalize('NFD')}\u0301@${domain}` },
      ]);
    },
  },
  {
    id: 'dup-phone-format',
    owasp: 'API6',
    title: 'one phone number in other formats (+66, dashes, spaces, fullwidth digits) is a duplicate (409/400)',
    changesState: true,
    run: async (ctx) => {
      const base = newPerson('dupphone');
      const digits = base.phoneNumber.slice(1);
      await duplicateVariants(ctx, base, [
        { phoneNumber: `+66${digits}` },
        { phoneNumber: `+66 ${digits.slice(0, 2)} ${digits.slice(2, 5)} ${digits.slice(5)}` },
        { phoneNumber: `0${digits.slice(0, 2)}-${digits.slice(2, 5)}-${digits.slice(5)}` },
        { phoneNumber: `(0${digits.slice(0, 2)}) ${digits.slice(2)}` },
        { phoneNumber: `0066${digits}` },
        { phoneNumber: [...base.phoneNumber].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join('') },
      ]);
    },
  },
  {
    id: 'dup-national-id-format',
    owasp: 'API6',
    title: 'one national ID with dashes or spaces is a duplicate (409/400)',
    changesState: true,
    run: async (ctx) => {
      const base = { ...newPerson('dupnid'), nationalId: uniqueNationalId() };
      const id = base.nationalId;
      const dashed = `${id[0]}-${id.slice(1, 5)}-${id.slice(5, 10)}-${id.slice(10, 12)}-${id[12]}`;
      await duplicateVariants(ctx, base, [
        { nationalId: dashed },
        { nationalId: dashed.replaceAll('-', ' ') },
        { nationalId: ` ${id} ` },
      ]);
    },
  },
  // ---- rate-limit bypass (API4)
  spoofedClientCase('ratelimit-x-forwarded-for', 'x-forwarded-for', (i) => `203.0.113.${i % 250}`),
  spoofedClientCase('ratelimit-x-real-ip', 'x-real-ip', (i) => `198.51.100.${i % 250}`),
  spoofedClientCase('ratelimit-forwarded', 'forwarded', (i) => `for=192.0.2.${i % 250};proto=https`),
  // ---- slow requests (API4)
  {
    id: 'slowloris-headers',
    owasp: 'API4',
    title: 'headers trickled a byte at a time are cut off (connection closed or 408) within 30 s',
    concurrent: true,
    run: async (ctx) => {
      const { trickle } = await import('../http');
      const head = `POST ${REGISTER} HTTP/1.1\r\nHost: 127.0.0.1\r\n`;
      const result = await trickle(ctx.endpoint('public'), head, { everyMs: 500, giveUpMs: 30_000 });
      if (result.closedAfterMs === undefined) fail('the server kept a trickling request open for 30 s');
    },
  },
  {
    id: 'slow-body',
    owasp: 'API4',
    title: 'a body trickled a byte at a time is cut off (connection closed or 408) within 30 s',
    concurrent: true,
    run: async (ctx) => {
      const { trickle } = await import('../http');
      const body = validText('slow');
      const head =
        `POST ${REGISTER} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n`;
      const result = await trickle(ctx.endpoint('public'), head, { body, everyMs: 500, giveUpMs: 30_000 });
      if (result.closedAfterMs === undefined) fail('the server kept a trickling body open for 30 s');
    },
  },
  // ---- CORS and headers (API8)
  {
    id: 'cors-no-reflection',
    owasp: 'API8',
    title: 'a foreign, null or look-alike Origin gets no Access-Control-Allow-Origin (never reflected)',
    run: async (ctx) => {
      const origins = [
        'https://evil.example',
        'null',
        `${ctx.allowedOrigin}.evil.example`,
        ctx.allowedOrigin.replace('https', 'http'),
      ];
      for (const origin of origins) {
        for (const method of ['OPTIONS', 'POST']) {
          const answer = await ctx.send('public', {
            method,
            path: REGISTER,
            headers: { origin, 'access-control-request-method': 'POST', ...(method === 'POST' ? json : {}) },
            ...(method === 'POST' ? { body: '{}' } : {}),
          });
          const allowed = answer.headers['access-control-allow-origin'];
          if (allowed) fail(`${method} with Origin ${origin} got Access-Control-Allow-Origin: ${allowed}`);
        }
      }
    },
  },
  {
    id: 'security-headers',
    owasp: 'API8',
    title: 'answers carry nosniff and no X-Powered-By; errors leak no stack trace',
    surface: 'public',
    steps: [
      {
        request: { method: 'POST', path: REGISTER, headers: json, body: '{"name":' },
        expect: {
          status: 400,
          check: (r) =>
            r.headers['x-content-type-options'] !== 'nosniff'
              ? 'no X-Content-Type-Options: nosniff'
              : r.headers['x-powered-by']
                ? `X-Powered-By: ${String(r.headers['x-powered-by'])}`
                : /at .+\.(ts|js):\d+/.test(r.text)
                  ? 'a stack trace in the body'
                  : undefined,
        },
      },
    ],
  },
  // ---- malformed ids (API1 / API8)
  {
    id: 'malformed-registration-id',
    owasp: 'API1',
    title: 'non-UUID, traversal, NUL and 10 kB ids on the status route answer 400/404, never 5xx',
    surface: 'public',
    steps: ['not-a-uuid', '..%2F..%2Fetc%2Fpasswd', '%00', `${'a'.repeat(10_000)}`, "1'%20OR%20'1'='1", '%E0%A4%A'].map(
      (id) => ({ request: { method: 'GET', path: status(id) }, expect: { status: [400, 404, 414, 431] } }),
    ),
  },
  {
    id: 'unknown-registration-id',
    owasp: 'API1',
    title: "someone else's (unknown) registration id answers 404 in the envelope, leaking nothing",
    surface: 'public',
    steps: [{ request: { method: 'GET', path: status(uuidv7()) }, expect: { status: 404, check: envelope() } }],
  },
  {
    id: 'hidden-routes',
    owasp: 'API9',
    title: 'no admin or debug route is served by the public service (admin API, /debug, /.env, /openapi internals)',
    surface: 'public',
    steps: [
      '/api/v1/users',
      '/api/v1/auth/login',
      '/debug/pprof',
      '/.env',
      '/api/v2/register',
      '/api/v1/register/../users',
    ].map((path) => ({ request: { method: 'GET', path }, expect: { status: [404, 405] } })),
  },
];
