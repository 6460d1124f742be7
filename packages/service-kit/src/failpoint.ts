/**
 * Failpoints for chaos tests: `failpoint('user.after-db-commit')` in a service does nothing unless the process was
 * started with `FAILPOINTS=user.after-db-commit=kill@N`; then its Nth hit writes one line to stderr (the proof of
 * where the process died) and SIGKILLs the process on the spot — no shutdown hook, no offset commit, as a crashed
 * pod. Unset (production) it costs one map lookup.
 */
import { RUNTIME_ENV } from '@scalefu/contracts';
import { writeSync } from 'node:fs';

export interface FailpointRule {
  readonly action: 'kill';
  /** The hit that fires (1 = the first). */
  readonly atHit: number;
}

/** `a=kill@3,b=kill` → rules; anything else is an error naming the bad entry (a typo must not silently do nothing). */
export function parseFailpoints(spec: string | undefined): Map<string, FailpointRule> {
  const rules = new Map<string, FailpointRule>();
  for (const entry of (spec ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const match = /^([a-z0-9.-]+)=kill(?:@(\d+))?$/.exec(entry);
    if (!match) throw new Error(`${RUNTIME_ENV.failpoints}: "${entry}" is not name=kill or name=kill@N`);
    rules.set(match[1]!, { action: 'kill', atHit: Number(match[2] ?? 1) });
  }
  return rules;
}

/** The line a fired failpoint writes to stderr; chaos tests look for it in the service's log. */
export const failpointFiredLine = (name: string, hit: number) => `failpoint ${name} fired at hit ${hit}: SIGKILL`;

let rules: Map<string, FailpointRule> | undefined;
const hits = new Map<string, number>();

export function failpoint(name: string): void {
  rules ??= parseFailpoints(process.env[RUNTIME_ENV.failpoints]);
  const rule = rules.get(name);
  if (!rule) return;
  const hit = (hits.get(name) ?? 0) + 1;
  hits.set(name, hit);
  if (hit < rule.atHit) return;
  writeSync(2, `${failpointFiredLine(name, hit)}\n`);
  process.kill(process.pid, 'SIGKILL');
}
