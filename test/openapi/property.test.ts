import type { ServiceName } from '@scalefu/contracts';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { v7 as uuidv7 } from 'uuid';
import { Pipeline, serviceUrl } from '../e2e/pipeline';
import { declaredMethods, operationsOf, type OpenApiDocument, type Operation } from './operations';
import { arbitraryOf } from './schema-arbitrary';
import { AdminSessions } from './sessions';

// Requests generated from each committed OpenAPI document against the real services (as processes, on the test
// stack): valid by the document (identity fields valid through @scalefu/identity, as their descriptions demand), so
// the API must never answer 5xx, never refuse one as invalid, and always answer a documented status with a body
// that matches the documented schema. Every path also answers 405 + Allow for the methods it does not declare.
// Token-secured operations run as real admin accounts signed in with password + TOTP (see sessions.ts). At 500 runs
// per operation the file takes about 2 minutes on the 2-core development host.
const RUNS = Number(process.env['PROPERTY_RUNS'] ?? 500);
const DOCUMENTS: readonly { service: ServiceName; file: string }[] = [
  { service: 'onboarder', file: 'apps/onboarder/openapi.json' },
  { service: 'user', file: 'apps/user/openapi.json' },
];
const PROBED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'TRACE', 'QUERY'];

const pipeline = new Pipeline();
let sessions: AdminSessions;
before(async () => {
  await Promise.all(DOCUMENTS.map((d) => pipeline.start(d.service)));
  sessions = await AdminSessions.open(serviceUrl('user'));
});
after(async () => {
  await sessions?.close();
  await pipeline.stopAll();
});

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);

/** userIDs the service answered with, so path parameters hit real resources as well as unknown ones. */
const seenIds: string[] = [];

interface GeneratedRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

function requestArbitrary(op: Operation): fc.Arbitrary<GeneratedRequest> {
  const params = op.spec.parameters ?? [];
  const pathParams = Object.fromEntries(
    params
      .filter((p) => p.in === 'path')
      .map((p) => [
        p.name,
        p.name === 'userID'
          ? fc.oneof(
              fc.nat().map((i) => seenIds[i % Math.max(1, seenIds.length)] ?? uuidv7()),
              fc.uuid({ version: 7 }),
            )
          : p.name === 'accountId'
            ? fc.oneof(fc.constantFrom(...sessions.roleTargets), fc.uuid())
            : arbitraryOf(p.schema),
      ]),
  );
  // A cursor is server-issued state (its description says so); generated queries start from the first page.
  const queryParams = params.filter((p) => p.in === 'query' && p.name !== 'cursor');
  const headerParams = params.filter((p) => p.in === 'header');
  const bodySchema = op.spec.requestBody?.content['application/json']?.schema;
  return fc
    .record({
      path: fc.record(pathParams),
      query: fc.record(Object.fromEntries(queryParams.map((p) => [p.name, arbitraryOf(p.schema, p.name)])), {
        requiredKeys: queryParams.filter((p) => p.required).map((p) => p.name),
      }),
      headers: fc.record(
        Object.fromEntries(
          headerParams.map((p) => [
            p.name,
            p.name === 'if-match' || p.name === 'if-none-match' ? etag() : arbitraryOf(p.schema),
          ]),
        ),
        { requiredKeys: headerParams.filter((p) => p.required).map((p) => p.name) },
      ),
      body: bodySchema ? arbitraryOf(bodySchema) : fc.constant(undefined),
    })
    .map(({ path, query, headers, body }) => {
      let url = op.path;
      for (const [name, value] of Object.entries(path))
        url = url.replace(`{${name}}`, encodeURIComponent(String(value)));
      const search = new URLSearchParams(
        Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
      ).toString();
      const allHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)]));
      if (body !== undefined) allHeaders['content-type'] = 'application/json';
      return { url: search ? `${url}?${search}` : url, headers: allHeaders, body };
    });
}

/** ETags as the service writes them (W/"<version>"): small versions, so some match. */
function etag(): fc.Arbitrary<string> {
  return fc.integer({ min: 1, max: 3 }).map((v) => `W/"${v}"`);
}

/** node:http, because fetch refuses TRACE (and the point is to send what clients may send). */
function rawRequest(method: string, url: string): Promise<{ status: number; allow?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, allow: response.headers.allow, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

function collectIds(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  if (typeof record['userID'] === 'string' && seenIds.length < 1000) seenIds.push(record['userID']);
  for (const child of Object.values(record)) collectIds(child);
}

for (const { service, file } of DOCUMENTS) {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;
  describe(`${file} (${service})`, () => {
    for (const op of operationsOf(doc)) {
      const name = `${op.method} ${op.path}: ${RUNS} generated valid requests get documented, schema-true answers`;
      if (op.skipReason) {
        console.log(`skipping ${op.method} ${op.path}: ${op.skipReason}`);
        test(name, { skip: op.skipReason }, () => {});
        continue;
      }
      test(name, async () => {
        const statuses = new Map<number, number>();
        await sessions.prepare(op);
        await fc.assert(
          fc.asyncProperty(requestArbitrary(op), async (request) => {
            const response = await fetch(`${serviceUrl(service)}${request.url}`, {
              method: op.method,
              headers: { ...request.headers, ...(await sessions.headersFor(op)) },
              ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
            });
            const text = await response.text();
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            const where = `${op.method} ${request.url} ${JSON.stringify(request.body)} -> ${response.status} ${text}`;
            assert.ok(response.status < 500, `5xx: ${where}`);
            const documented = op.spec.responses[String(response.status)] ?? op.spec.responses['default'];
            assert.ok(documented, `undocumented status: ${where}`);
            const json: unknown = text ? JSON.parse(text) : undefined;
            if (response.status === 400) {
              const code = (json as { code?: string }).code;
              assert.ok(code !== 'VALIDATION_FAILED' && code !== 'MALFORMED_JSON', `valid request refused: ${where}`);
            }
            const schema = documented.content?.['application/json']?.schema;
            if (schema && json !== undefined) {
              const validate = ajv.compile(schema as object);
              assert.ok(validate(json), `response breaks its schema: ${where}\n${ajv.errorsText(validate.errors)}`);
            }
            collectIds(json);
          }),
          { numRuns: RUNS },
        );
        console.log(`${op.method} ${op.path}: ${JSON.stringify(Object.fromEntries(statuses))}`);
      });
    }

    test('every operation with a JSON body answers 415 when the body is labelled (and encoded) UTF-16', async () => {
      for (const op of operationsOf(doc).filter((o) => o.spec.requestBody && !o.skipReason)) {
        const [request] = fc.sample(requestArbitrary(op), { numRuns: 1, seed: 9 });
        const response = await fetch(`${serviceUrl(service)}${request!.url}`, {
          method: op.method,
          headers: {
            ...request!.headers,
            // The main admin's token: the body's encoding is refused before any handler looks at the caller.
            ...(op.schemes.length ? await sessions.mainHeaders() : {}),
            'content-type': 'application/json; charset=utf-16',
          },
          body: Buffer.from(JSON.stringify(request!.body), 'utf16le'),
        });
        assert.equal(response.status, 415, `${op.method} ${op.path}`);
        const body = (await response.json()) as { status: string; code: string };
        assert.deepEqual([body.status, body.code], ['error', 'UNSUPPORTED_MEDIA_TYPE']);
      }
    });

    test('every path answers 405 with Allow for each method it does not declare', async () => {
      for (const path of Object.keys(doc.paths)) {
        const declared = declaredMethods(doc, path);
        const expectedAllow = new Set([...declared, ...(declared.includes('GET') ? ['HEAD'] : []), 'OPTIONS']);
        const url = `${serviceUrl(service)}${path.replace(/\{[^}]+\}/g, uuidv7())}`;
        for (const method of PROBED_METHODS.filter((m) => !expectedAllow.has(m))) {
          const response = await rawRequest(method, url);
          assert.equal(response.status, 405, `${method} ${path}`);
          assert.deepEqual(new Set(String(response.allow).split(', ')), expectedAllow, `${method} ${path}: Allow`);
          if (method !== 'HEAD')
            assert.equal((JSON.parse(response.body) as { code: string }).code, 'METHOD_NOT_ALLOWED');
        }
      }
    });
  });
}

test('documents name every status the kit itself can answer on any operation', () => {
  for (const { file } of DOCUMENTS) {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;
    for (const op of operationsOf(doc)) {
      for (const status of ['400', '431', '503'])
        assert.ok(op.spec.responses[status], `${file} ${op.method} ${op.path} ${status}`);
      if (op.spec.requestBody) {
        for (const status of ['413', '415'])
          assert.ok(op.spec.responses[status], `${file} ${op.method} ${op.path} ${status}`);
      }
    }
  }
});
