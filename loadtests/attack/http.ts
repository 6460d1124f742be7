/**
 * The attack suite's HTTP client: node:http rather than fetch, because cases need what fetch hides — any method,
 * any header (Content-Length, Host, Transfer-Encoding), raw bytes, and the source address. Each case speaks from
 * its own loopback address (127.0.0.2, 127.0.0.3, … — all of 127/8 is loopback on Linux), so the per-IP rate limit
 * of one case never throttles the next, as two clients on the internet would not share a bucket.
 */
import http from 'node:http';
import net from 'node:net';

export interface AttackRequest {
  readonly method: string;
  /** Path and query, e.g. `/api/v1/register`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string or bytes is sent as is; anything else as JSON with `content-type: application/json`. */
  readonly body?: unknown;
}

export interface AttackResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  /** The parsed JSON body, or undefined. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly json: any;
  readonly ms: number;
}

export interface Endpoint {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  readonly base: string;
  /** Source address to connect from (loopback targets only). @default the OS's choice */
  readonly sourceIp?: string | undefined;
}

export function send(endpoint: Endpoint, request: AttackRequest, timeoutMs = 10_000): Promise<AttackResponse> {
  const url = new URL(request.path, endpoint.base);
  const headers: Record<string, string> = { ...request.headers };
  let payload: Buffer | undefined;
  if (typeof request.body === 'string') payload = Buffer.from(request.body, 'utf8');
  else if (Buffer.isBuffer(request.body)) payload = request.body;
  else if (request.body !== undefined) {
    payload = Buffer.from(JSON.stringify(request.body), 'utf8');
    headers['content-type'] ??= 'application/json';
  }
  // Without it node:http would send a DELETE's body chunked, which is not the attack a case means.
  if (payload && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
    headers['content-length'] = String(payload.length);
  }
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port,
        path: url.pathname + url.search,
        method: request.method,
        headers,
        agent: false,
        ...(endpoint.sourceIp ? { localAddress: endpoint.sourceIp } : {}),
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, ms: performance.now() - started });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Slowloris: open a connection, send a request line and headers (or a body) a few bytes at a time, and report
 * whether the server closed it (or answered 408) before `giveUpMs`. A server that waits forever is the weakness.
 */
export function trickle(
  endpoint: Endpoint,
  head: string,
  options: { readonly body?: string; readonly everyMs: number; readonly giveUpMs: number },
): Promise<{ closedAfterMs: number | undefined; answer: string }> {
  const url = new URL(endpoint.base);
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect({
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port),
      ...(endpoint.sourceIp ? { localAddress: endpoint.sourceIp } : {}),
    });
    let answer = '';
    const rest = options.body === undefined ? `${head}X-a: ` : `${head}\r\n${options.body}`;
    let offset = options.body === undefined ? 0 : head.length + 2;
    socket.write(options.body === undefined ? '' : `${head}\r\n`);
    const timer = setInterval(() => {
      if (offset >= rest.length) offset = rest.length - 1; // keep the request unfinished
      socket.write(options.body === undefined && offset >= rest.length - 1 ? 'b' : rest.slice(offset, offset + 1));
      offset += 1;
    }, options.everyMs);
    const finish = (closed: boolean) => {
      clearInterval(timer);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ closedAfterMs: closed ? Date.now() - started : undefined, answer });
    };
    const giveUp = setTimeout(() => finish(false), options.giveUpMs);
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
  });
}
