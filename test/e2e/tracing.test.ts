import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { INFRA_PORTS, RUNTIME_ENV, SERVICE_NAMES, TOPICS } from '@scalefu/contracts';
import { USER_ID_ATTRIBUTE } from '@scalefu/service-kit';
import { chromium } from 'playwright-core';
import { STATE_ROOT } from '../../scripts/lib/paths';
import { zipkinTracingEnv } from '../../scripts/lib/stack/services';
import { startZipkin, type RunningZipkin } from '../../scripts/lib/stack/zipkin';
import { Pipeline, eventually, registrationStatus, serviceUrl, uniqueEmail, uniquePhone } from './pipeline';

// ARCHITECTURE §11 on the real stack: the four services as processes export to a real Zipkin (the local trace backend,
// started here so other test runs need no JVM for it), and one registration must come out as one trace.
const offset = Number(process.env['SCALEFU_PORT_OFFSET'] ?? 10000);
let zipkin: RunningZipkin;
let pipeline: Pipeline;

before(async () => {
  pipeline = new Pipeline();
  zipkin = await startZipkin(pipeline.startContext, INFRA_PORTS.zipkin.port + offset);
  const env = zipkinTracingEnv(zipkin.spansUrl);
  for (const name of SERVICE_NAMES) {
    // debug: the onboarder's access line for a 201 (with req_id and trace_id) is a debug line.
    await pipeline.start(name, { ...env, ...(name === 'onboarder' ? { [RUNTIME_ENV.logLevel]: 'debug' } : {}) });
  }
});

after(async () => {
  await pipeline?.stopAll();
  await zipkin?.stop();
});

interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name: string;
  kind?: string;
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

async function zipkinJson<T>(pathAndQuery: string): Promise<T> {
  const response = await fetch(`${zipkin.url}${pathAndQuery}`);
  if (!response.ok) throw new Error(`zipkin ${pathAndQuery}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** Register someone (optionally inside the caller's trace) and wait until CONFIRMED. */
async function registerAndConfirm(headers: Record<string, string> = {}) {
  const response = await fetch(`${serviceUrl('onboarder')}/api/v1/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ name: 'Po Ping', email: uniqueEmail('trace'), phoneNumber: uniquePhone() }),
  });
  const body = (await response.json()) as { data?: { userID?: string } };
  assert.equal(response.status, 201, JSON.stringify(body));
  const userID = body.data!.userID!;
  await eventually('status CONFIRMED', async () => (await registrationStatus(userID)) === 'CONFIRMED', 10_000);
  return {
    userID,
    requestId: response.headers.get('x-request-id')!,
    traceparent: response.headers.get('traceparent') ?? '',
  };
}

/** The span names one registration must produce, per service, for the trace to be whole. */
const EXPECTED_SPANS: readonly [string, string][] = [
  ['onboarder', `send ${TOPICS.registrationRequest.name}`],
  ['user', `process ${TOPICS.registrationRequest.name}`],
  ['user', `send ${TOPICS.userCreated.name}`],
  ['notifier', `process ${TOPICS.userCreated.name}`],
  ['notifier', 'smtp send'],
  ['notifier', `send ${TOPICS.confirmationSent.name}`],
  ['cache-updater', `process ${TOPICS.userCreated.name}`],
  ['user', `process ${TOPICS.confirmationSent.name}`],
];

/** The whole trace from Zipkin's API once every expected span has arrived (services export every second). */
async function wholeTrace(traceId: string): Promise<ZipkinSpan[]> {
  return eventually(
    `trace ${traceId} with every expected span in zipkin`,
    async () => {
      const spans = await zipkinJson<ZipkinSpan[]>(`/api/v2/trace/${traceId}`);
      const have = new Set(spans.map((s) => `${s.localEndpoint?.serviceName} ${s.name}`));
      return EXPECTED_SPANS.every(([service, name]) => have.has(`${service} ${name}`)) && spans;
    },
    20_000,
  );
}

/** The trace id on the onboarder's access line for one request (matched by its x-request-id). */
async function loggedTraceId(requestId: string): Promise<string> {
  return eventually(`onboarder log line for request ${requestId}`, async () => {
    const lines = (await readFile(pipeline.logFile('onboarder'), 'utf8')).split('\n').filter(Boolean);
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as { req_id?: string; route?: string; status?: number; trace_id?: string };
      if (entry.req_id === requestId && entry.route === '/api/v1/register' && entry.status === 201) {
        return entry.trace_id;
      }
    }
    return undefined;
  });
}

let confirmedTraceId = '';
/** Debian's Chromium (never `playwright install`: no browser downloads). */
const CHROMIUM = '/usr/bin/chromium';

test('one registration is one trace: spans of all four services and the SMTP send; the log line has its trace_id', async () => {
  const registration = await registerAndConfirm();
  const traceId = await loggedTraceId(registration.requestId);
  assert.match(traceId, /^[0-9a-f]{32}$/);
  assert.match(registration.traceparent, new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`), 'response traceparent');

  // Found by the registration's user id, Zipkin has exactly one trace, and it is the one the log line names.
  const found = await eventually('the registration found by its user id', async () => {
    const traces = await zipkinJson<ZipkinSpan[][]>(
      `/api/v2/traces?annotationQuery=${encodeURIComponent(`${USER_ID_ATTRIBUTE}=${registration.userID}`)}&limit=10`,
    );
    return traces.length > 0 && traces;
  });
  assert.equal(found.length, 1, 'one trace per registration');
  assert.equal(found[0]![0]!.traceId, traceId);

  const spans = await wholeTrace(traceId);
  assert.ok(spans.every((s) => s.traceId === traceId));
  const services = new Set(spans.map((s) => s.localEndpoint?.serviceName));
  for (const name of SERVICE_NAMES) assert.ok(services.has(name), `a span from ${name}: ${[...services].join(', ')}`);
  const smtp = spans.find((s) => s.name === 'smtp send')!;
  assert.equal(smtp.kind, 'CLIENT');
  assert.ok(!JSON.stringify(smtp).includes('@'), 'no address on the SMTP span');
  // The instrumentations, not only the kit's own spans: the HTTP request, Redis in the onboarder, SQL in the user service.
  const byService = (service: string) => spans.filter((s) => s.localEndpoint?.serviceName === service);
  assert.ok(
    byService('onboarder').some((s) => s.kind === 'SERVER'),
    'the request span (@fastify/otel)',
  );
  assert.ok(
    byService('onboarder').some((s) => s.tags?.['db.system.name'] === 'redis' || s.tags?.['db.system'] === 'redis'),
  );
  assert.ok(byService('user').some((s) => /postgres/.test(s.tags?.['db.system.name'] ?? s.tags?.['db.system'] ?? '')));
  // Every span but the root hangs off a span of the same trace: nothing was cut off at a Kafka hop or the outbox.
  const ids = new Set(spans.map((s) => s.id));
  const roots = spans.filter((s) => !s.parentId || !ids.has(s.parentId));
  assert.equal(roots.length, 1, `one root span, got ${roots.map((r) => r.name).join(', ')}`);
  confirmedTraceId = traceId;
});

test("a client-supplied traceparent is honoured: the registration continues the caller's trace", async () => {
  const clientTrace = randomBytes(16).toString('hex');
  const clientSpan = randomBytes(8).toString('hex');
  const registration = await registerAndConfirm({ traceparent: `00-${clientTrace}-${clientSpan}-01` });
  assert.equal(await loggedTraceId(registration.requestId), clientTrace);
  const spans = await wholeTrace(clientTrace);
  const request = spans.find((s) => s.localEndpoint?.serviceName === 'onboarder' && s.kind === 'SERVER');
  assert.equal(request?.parentId, clientSpan, "the request span is a child of the caller's span");
});

test("the trace opens in Zipkin's UI (Chromium): its id, four services, the request and the SMTP send; screenshot saved", async (t) => {
  if (!confirmedTraceId) return t.skip("needs the first test's trace");
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium (.ci/run installs it)`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`${zipkin.url}/zipkin/traces/${confirmedTraceId}`);
    await page.getByText('smtp send').first().waitFor({ timeout: 30_000 });
    const dir = path.join(STATE_ROOT, 'screenshots');
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `zipkin-trace-${confirmedTraceId}.png`);
    await page.screenshot({ path: file, fullPage: true });
    t.diagnostic(`screenshot: ${file}`);
    // The header is always rendered whole (the span rows below scroll): trace id, 4 services, the SMTP span above.
    const header = await page.locator('body').innerText();
    assert.ok(header.includes(confirmedTraceId), 'the trace id on the page');
    assert.match(header, new RegExp(`Services\\s*${SERVICE_NAMES.length}\\b`), 'all four services counted');
    await page
      .getByText(/^onboarder: request$/)
      .first()
      .waitFor();
  } finally {
    await browser.close();
  }
});
