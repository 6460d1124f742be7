/**
 * Runs catalogue cases against a target and judges each: its own expectations, plus the suite-wide invariant —
 * no answer is a 5xx, and a case that must change nothing leaves the state digest as it found it. Each case speaks
 * from its own loopback address when the target is on loopback (see http.ts).
 */
import type pg from 'pg';
import { CaseFailure, OWASP, expectAnswer, type AttackCase, type AttackContext, type Surface } from './case';
import { stateDigest } from './catalogue/stored';
import type { Fixtures } from './fixtures';
import { send, type AttackResponse, type Endpoint } from './http';

export interface AttackTarget {
  /** The public API (onboarder), e.g. http://127.0.0.1:8080. */
  readonly publicUrl: string;
  /** The admin API (user service), e.g. http://127.0.0.1:8081. */
  readonly adminUrl: string;
  /** The target's public rate limit per client IP and minute. */
  readonly rateLimit: number;
  /** The admin web's origin (CORS_ALLOWED_ORIGINS of the target). */
  readonly allowedOrigin: string;
  readonly db: pg.Pool;
  readonly fixtures: Fixtures;
}

export interface CaseResult {
  readonly id: string;
  readonly owasp: string;
  readonly title: string;
  readonly passed: boolean;
  /** Why it failed. */
  readonly reason?: string;
  readonly requests: number;
  readonly ms: number;
}

/** 127.0.0.1 targets: a fresh 127.x.y.z per case (Linux routes all of 127/8 to loopback). */
function sourceAddresses(url: string): () => string | undefined {
  const loopback = new URL(url).hostname === '127.0.0.1';
  let next = (Date.now() % 200) * 256 + 2;
  return () => {
    if (!loopback) return undefined;
    next += 1;
    return `127.${100 + (Math.floor(next / 65_536) % 100)}.${Math.floor(next / 256) % 256}.${(next % 254) + 1}`;
  };
}

async function runCase(target: AttackTarget, attack: AttackCase, sourceIp: string | undefined): Promise<CaseResult> {
  const started = Date.now();
  const seen: { label: string; response: AttackResponse }[] = [];
  const endpoint = (surface: Surface): Endpoint => ({
    base: surface === 'public' ? target.publicUrl : target.adminUrl,
    sourceIp,
  });
  const ctx: AttackContext = {
    async send(surface, request) {
      const response = await send(endpoint(surface), request);
      seen.push({ label: `${request.method} ${request.path.slice(0, 60)}`, response });
      return response;
    },
    endpoint,
    rateLimit: target.rateLimit,
    allowedOrigin: target.allowedOrigin,
    db: target.db,
    fixtures: target.fixtures,
  };
  const base = { id: attack.id, owasp: OWASP[attack.owasp], title: attack.title };
  const checkState = !attack.changesState && !attack.concurrent;
  const before = checkState ? await stateDigest(target.db) : undefined;
  let reason: string | undefined;
  try {
    if ('run' in attack) await attack.run(ctx);
    else {
      for (const step of attack.steps) {
        const response = await ctx.send(attack.surface, step.request);
        expectAnswer(`${step.request.method} ${step.request.path.slice(0, 60)}`, response, step.expect);
      }
    }
  } catch (error) {
    reason = error instanceof CaseFailure ? error.message : `error: ${(error as Error).message}`;
  }
  const fiveXx = seen.find((s) => s.response.status >= 500);
  if (fiveXx) reason = `${fiveXx.label} answered ${fiveXx.response.status}${reason ? `; ${reason}` : ''}`;
  if (before && !reason && (await stateDigest(target.db, before)).value !== before.value) {
    reason = 'stored state changed (users, or admin accounts that existed before the case)';
  }
  return { ...base, passed: !reason, ...(reason ? { reason } : {}), requests: seen.length, ms: Date.now() - started };
}

/** Run the cases (concurrent ones beside the rest), reporting each result as it comes. */
export async function runCatalogue(
  target: AttackTarget,
  cases: readonly AttackCase[],
  onResult: (result: CaseResult) => void = () => undefined,
): Promise<CaseResult[]> {
  const nextIp = sourceAddresses(target.publicUrl);
  const report = (result: CaseResult) => {
    onResult(result);
    return result;
  };
  const background = cases.filter((c) => c.concurrent).map((c) => runCase(target, c, nextIp()).then(report));
  const results: CaseResult[] = [];
  for (const attack of cases.filter((c) => !c.concurrent))
    results.push(report(await runCase(target, attack, nextIp())));
  return [...results, ...(await Promise.all(background))];
}

/** `PASS api4 ratelimit-x-forwarded-for — title (12 requests, 340 ms)` or `FAIL … — reason`. */
export function formatResult(result: CaseResult): string {
  const category = result.owasp.split(':')[0]!.toLowerCase();
  const tail = result.passed ? `(${result.requests} requests, ${result.ms} ms)` : `\n       ${result.reason}`;
  return `${result.passed ? 'PASS' : 'FAIL'} ${category.padEnd(5)} ${result.id} — ${result.title} ${tail}`;
}
