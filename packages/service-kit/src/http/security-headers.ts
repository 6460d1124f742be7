import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet, { type HelmetOptions } from 'helmet';
import type { onRequestHookHandler } from 'fastify';

/** The headers ScaleFu APIs answer with: helmet's defaults, and a CSP that allows nothing (they serve JSON only). */
export const API_SECURITY_HEADERS: HelmetOptions = {
  contentSecurityPolicy: { directives: { defaultSrc: ["'none'"] } },
};

/**
 * helmet's headers for `options`, computed once. They depend on nothing in the request (no CSP nonces), so every
 * answer can carry the same set: @fastify/helmet instead builds helmet's middleware, CSP parsing included, on every
 * request (3 % of the onboarder's CPU in a profile at 300/s). Throws when `options` make helmet refuse.
 */
export function securityHeaders(options: HelmetOptions = API_SECURITY_HEADERS): Readonly<Record<string, string>> {
  const response = new ServerResponse(new IncomingMessage(new Socket()));
  let failure: unknown;
  helmet(options)(response.req, response, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.getHeaders())) {
    if (typeof value === 'function' || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return headers;
}

/** An `onRequest` hook that gives every answer (errors and 404s too) the headers of `securityHeaders(options)`. */
export function securityHeadersHook(options?: HelmetOptions): onRequestHookHandler {
  const headers = securityHeaders(options);
  return (_request, reply, done) => {
    reply.headers(headers);
    done();
  };
}
