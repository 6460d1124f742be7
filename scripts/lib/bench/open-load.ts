import http from 'node:http';

/**
 * The bench's open-model load generator: requests start on a fixed schedule whatever the answers (a slow server
 * gets more concurrent requests, not fewer, as real clients behave), so latency includes queueing. Kept in this one
 * module so the tournament's engine (vegeta, loadtests/) can replace it behind `runOpenLoad`.
 */
export interface OpenLoadOptions {
  /** Target URL (127.0.0.1 / ::1 only; the bench never aims elsewhere). */
  readonly url: string;
  /** Requests per second, started on schedule. */
  readonly rate: number;
  readonly seconds: number;
  /** The JSON body of request number `i` (unique people: a repeated body would measure the 409 path). */
  readonly body: (i: number) => string;
  /** Requests in flight at most; beyond it a request counts as dropped (the client, not the server, gave up). */
  readonly maxInFlight?: number;
}

export interface OpenLoadResult {
  readonly offered: number;
  readonly seconds: number;
  /** Latency in ms of every answered request, in completion order. */
  readonly latenciesMs: number[];
  readonly statuses: Record<string, number>;
  /** Requests that got no answer, by error code (`ECONNRESET`, `ECONNREFUSED`…; the message when there is none). */
  readonly errorCodes: Record<string, number>;
  readonly dropped: number;
  /** The `data.userID` of every 201. */
  readonly acceptedIds: string[];
  /** The request number of every 201, in the order of `acceptedIds`. */
  readonly acceptedIndexes: number[];
}

export async function runOpenLoad(options: OpenLoadOptions): Promise<OpenLoadResult> {
  const target = new URL(options.url);
  if (!['127.0.0.1', '[::1]', 'localhost'].includes(target.hostname)) {
    throw new Error(`open load only targets 127.0.0.1 / ::1, not ${target.hostname}`);
  }
  const maxInFlight = options.maxInFlight ?? 2000;
  const agent = new http.Agent({ keepAlive: true, maxSockets: maxInFlight });
  const total = Math.round(options.rate * options.seconds);
  const result = {
    offered: total,
    seconds: options.seconds,
    latenciesMs: [] as number[],
    statuses: {} as Record<string, number>,
    errorCodes: {} as Record<string, number>,
    dropped: 0,
    acceptedIds: [] as string[],
    acceptedIndexes: [] as number[],
  };
  let inFlight = 0;
  let started = 0;
  const pending: Promise<void>[] = [];

  const fire = (i: number): Promise<void> =>
    new Promise((resolve) => {
      const body = options.body(i);
      const t0 = process.hrtime.bigint();
      inFlight += 1;
      const request = http.request(
        target,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () => {
            result.latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
            const status = String(response.statusCode);
            result.statuses[status] = (result.statuses[status] ?? 0) + 1;
            if (response.statusCode === 201) {
              const id = (JSON.parse(Buffer.concat(chunks).toString()) as { data?: { userID?: string } }).data?.userID;
              if (id) {
                result.acceptedIds.push(id);
                result.acceptedIndexes.push(i);
              }
            }
            inFlight -= 1;
            resolve();
          });
        },
      );
      request.on('error', (error: NodeJS.ErrnoException) => {
        const code = error.code ?? error.message;
        result.errorCodes[code] = (result.errorCodes[code] ?? 0) + 1;
        inFlight -= 1;
        resolve();
      });
      request.end(body);
    });

  const start = performance.now();
  await new Promise<void>((done) => {
    // A 2 ms tick starts every request whose scheduled time has come (timers are coarse; catching up keeps the rate).
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * options.rate) + 1);
      while (started < due) {
        if (inFlight >= maxInFlight) result.dropped += 1;
        else pending.push(fire(started));
        started += 1;
      }
      if (started >= total) {
        clearInterval(timer);
        done();
      }
    }, 2);
  });
  await Promise.all(pending);
  agent.destroy();
  return result;
}

/** The q-quantile (0..1) of `values` by nearest rank; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
