import { LOCAL_EDGE_DOMAIN } from '@scalefu/contracts';
import type { LookupFunction } from 'node:net';
import http from 'node:http';
import https from 'node:https';
import dns from 'node:dns';

/**
 * Resolve `*.scalefu.localhost` to loopback as browsers (and curl) do; Node asks the system resolver, which here
 * does not know `.localhost` names (RFC 6761 says it should).
 */
export const localhostLookup: LookupFunction = (hostname, options, callback) => {
  if (hostname === LOCAL_EDGE_DOMAIN || hostname.endsWith(`.${LOCAL_EDGE_DOMAIN}`)) {
    if (options.all)
      return (callback as (e: null, a: dns.LookupAddress[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
    return callback(null, '127.0.0.1', 4);
  }
  return dns.lookup(hostname, options, callback);
};

export interface EdgeResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** One request to a URL on the local edge (https or http), trusting only `ca`; no redirects followed. */
export function edgeRequest(
  url: string,
  options: { ca?: string; method?: string; headers?: Record<string, string>; body?: string; agent?: https.Agent } = {},
): Promise<EdgeResponse> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        lookup: localhostLookup,
        ...(target.protocol === 'https:' ? { ca: options.ca, agent: options.agent } : {}),
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    request.on('error', reject);
    request.setTimeout(10_000, () => request.destroy(new Error(`${url}: no answer in 10 s`)));
    request.end(options.body);
  });
}
