import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { encodeTarget, type VegetaTarget } from './targets';

/** One constant-rate stretch of a run: vegeta paces it open-model (no coordinated omission). */
export interface Stage {
  /** Shown in the report, e.g. `steady`, `spike ×10`, `step 3`. */
  readonly label: string;
  /** Requests per second; 0 sends every target at once, bounded by `workers`. */
  readonly rate: number;
  /** Seconds the stage lasts. */
  readonly durationSeconds: number;
  /** Upper bound of concurrent requests in flight. @default 512 */
  readonly workers?: number;
  /** At most this many requests; required with rate 0. @default rate × duration */
  readonly count?: number;
}

/** What one request did, as vegeta recorded it, trimmed to what reports use. */
export interface RequestResult {
  /** Wall-clock send time, ms since the epoch. */
  readonly sentAtMs: number;
  readonly latencyMs: number;
  /** HTTP status; 0 when no response came (timeout, refused connection). */
  readonly code: number;
  readonly error?: string;
  /** The stage it belonged to. */
  readonly stage: string;
  /** The response body (captured up to a few KiB), for the caller to pick ids out of. */
  readonly body?: string;
}

export interface AttackOptions {
  /** vegeta binary (scripts/lib/vegeta.ts). */
  readonly vegeta: string;
  /** Listen address of vegeta's Prometheus exporter, e.g. `127.0.0.1:8880`. @default none */
  readonly prometheusAddr?: string;
  /** Per-request timeout in seconds. @default 10 */
  readonly timeoutSeconds?: number;
}

/** vegeta reports a tick that found the lazy target stream exhausted as this error; it is no request. */
const NO_TARGETS = 'no targets to attack';

/**
 * Run one stage: vegeta reads `targets` lazily from stdin (so TypeScript builds each body only when it is due) and
 * its results are decoded through `vegeta encode`. The stage is bounded in count (rate × duration targets, or the
 * generator's end) and time (duration + timeout, then the processes are killed).
 */
export async function attackStage(
  stage: Stage,
  targets: Iterator<VegetaTarget>,
  options: AttackOptions,
): Promise<RequestResult[]> {
  const timeout = options.timeoutSeconds ?? 10;
  if (stage.rate <= 0 && !stage.count) throw new Error(`stage ${stage.label}: rate 0 needs a count`);
  const limit = Math.min(
    stage.count ?? Infinity,
    stage.rate > 0 ? Math.ceil(stage.rate * stage.durationSeconds) : Infinity,
  );
  const args = [
    'attack',
    '-format=json',
    '-lazy',
    `-rate=${stage.rate > 0 ? `${stage.rate}/1s` : '0'}`,
    `-duration=${stage.durationSeconds}s`,
    `-timeout=${timeout}s`,
    `-max-workers=${stage.workers ?? 512}`,
    '-max-body=4096',
    `-name=${stage.label}`,
  ];
  if (options.prometheusAddr) args.push(`-prometheus-addr=${options.prometheusAddr}`);
  const attack = spawn(options.vegeta, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => attack.once('exit', (code) => resolve(code)));
  const encode = spawn(options.vegeta, ['encode', '-to', 'json'], { stdio: ['pipe', 'pipe', 'pipe'] });
  attack.stdout.pipe(encode.stdin);
  let stderr = '';
  attack.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  encode.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const killer = setTimeout(
    () => {
      attack.kill('SIGKILL');
      encode.kill('SIGKILL');
    },
    (stage.durationSeconds + timeout + 15) * 1000,
  );

  const feeding = (async () => {
    let sent = 0;
    attack.stdin.on('error', () => undefined); // vegeta closes stdin when the duration ends
    while (sent < limit && !attack.stdin.destroyed) {
      const next = targets.next();
      if (next.done) break;
      sent++;
      if (!attack.stdin.write(encodeTarget(next.value))) {
        await Promise.race([once(attack.stdin, 'drain'), exited]);
      }
    }
    attack.stdin.end();
  })();

  const results: RequestResult[] = [];
  for await (const line of createInterface({ input: encode.stdout })) {
    if (!line) continue;
    const r = JSON.parse(line) as {
      code: number;
      timestamp: string;
      latency: number;
      error: string;
      body: string | null;
    };
    if (r.error === NO_TARGETS) continue;
    results.push({
      sentAtMs: Date.parse(r.timestamp),
      latencyMs: r.latency / 1e6,
      code: r.code,
      stage: stage.label,
      ...(r.error ? { error: r.error } : {}),
      ...(r.body ? { body: Buffer.from(r.body, 'base64').toString('utf8') } : {}),
    });
  }
  await feeding;
  const code = await exited;
  clearTimeout(killer);
  if (code !== 0 && results.length === 0) {
    throw new Error(`vegeta attack failed (exit ${code}): ${stderr.trim().slice(-500)}`);
  }
  return results;
}
