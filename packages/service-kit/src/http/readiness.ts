/** A dependency the service needs to do useful work; `/readyz` fails while any check fails. */
export interface ReadinessCheck {
  /** Shown in the `/readyz` body, e.g. `kafka`, `postgres`. */
  readonly name: string;
  /** Resolves when the dependency answers; rejects (or times out) otherwise. */
  check(): Promise<void>;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Record<string, 'ok' | string>;
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<void>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Runs every check concurrently with a deadline; a single failure makes the service unready. */
export async function evaluateReadiness(checks: readonly ReadinessCheck[], timeoutMs = 1000): Promise<ReadinessReport> {
  const results = await Promise.allSettled(checks.map((c) => withTimeout(c.check(), timeoutMs)));
  const report: Record<string, string> = {};
  results.forEach((result, i) => {
    report[checks[i]!.name] = result.status === 'fulfilled' ? 'ok' : `error: ${(result.reason as Error).message}`;
  });
  return { ready: results.every((r) => r.status === 'fulfilled'), checks: report };
}
