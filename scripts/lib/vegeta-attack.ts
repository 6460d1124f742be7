/**
 * One closed-model vegeta attack for the benches: a fixed number of keep-alive HTTP/1.1 connections, each sending its
 * next request as soon as the last one is answered (`-rate=0` with as many workers as connections), or a fixed rate.
 * Targets are written to a file before the attack starts, so making the request bodies costs no CPU while it runs.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { vegetaBinary } from './vegeta';

export interface AttackTarget {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface AttackOptions {
  /** Where the targets file goes (overwritten). */
  readonly targetsFile: string;
  /** Targets in order; the attack ends when they run out or `seconds` pass, whichever comes first. */
  readonly targets: Iterable<AttackTarget>;
  readonly connections: number;
  readonly seconds: number;
  /** Requests per second; undefined: as fast as the connections allow. */
  readonly rate?: number;
  /** PEM files vegeta trusts for HTTPS targets. @default [] */
  readonly rootCerts?: readonly string[];
  /** `host:port` → `ip:port`, so a name the system resolver does not know (`*.localhost`) keeps its SNI. */
  readonly connectTo?: Readonly<Record<string, string>>;
  /**
   * Offer HTTP/2 over TLS (ALPN), as browsers and most HTTP client libraries do: the requests of all workers then
   * share the connections the server grants streams on instead of one connection each. @default false (HTTP/1.1)
   */
  readonly http2?: boolean;
}

export interface AttackFigures {
  readonly requests: number;
  /** Successful (2xx/3xx) requests per second over the attack. */
  readonly throughput: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly statusCodes: Readonly<Record<string, number>>;
  readonly errors: readonly string[];
}

interface VegetaReport {
  requests: number;
  throughput: number;
  latencies: { '50th': number; '99th': number };
  status_codes: Record<string, number>;
  errors: string[] | null;
}

async function writeTargets(file: string, targets: Iterable<AttackTarget>): Promise<void> {
  const out = createWriteStream(file);
  for (const t of targets) {
    const line = JSON.stringify({
      method: t.method,
      url: t.url,
      header: Object.fromEntries(Object.entries(t.headers).map(([k, v]) => [k, [v]])),
      ...(t.body === undefined ? {} : { body: Buffer.from(t.body).toString('base64') }),
    });
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function run(binary: string, args: readonly string[], stdin?: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`vegeta ${args[0]} exited ${code}: ${err}`)),
    );
    child.stdin.end(stdin);
  });
}

/** Run one attack and return vegeta's own report of it. */
export async function attack(options: AttackOptions): Promise<AttackFigures> {
  const binary = await vegetaBinary();
  await writeTargets(options.targetsFile, options.targets);
  const args = [
    'attack',
    '-format=json',
    '-lazy',
    `-targets=${options.targetsFile}`,
    `-duration=${options.seconds}s`,
    `-rate=${options.rate ?? 0}`,
    `-workers=${options.connections}`,
    `-max-workers=${options.connections}`,
    `-max-connections=${options.connections}`,
    `-connections=${options.connections}`,
    // HTTP/1.1 keep-alive unless asked: h2 multiplexes the workers' requests over fewer connections.
    `-http2=${options.http2 ?? false}`,
    '-keepalive=true',
    ...(options.rootCerts?.length ? [`-root-certs=${options.rootCerts.join(',')}`] : []),
    ...Object.entries(options.connectTo ?? {}).map(([from, to]) => `-connect-to=${from}:${to}`),
  ];
  const results = await run(binary, args);
  const report = JSON.parse((await run(binary, ['report', '-type=json'], results)).toString()) as VegetaReport;
  return {
    requests: report.requests,
    throughput: report.throughput,
    p50Ms: report.latencies['50th'] / 1e6,
    p99Ms: report.latencies['99th'] / 1e6,
    statusCodes: report.status_codes,
    errors: report.errors ?? [],
  };
}
