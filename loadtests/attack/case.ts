/**
 * The shape of an attack case. A case is data — its OWASP API Security Top 10 (2023) category, the request(s) it
 * sends and the answer it expects — or, when the attack takes several steps (sign in, then forge), a small script.
 * Every case also carries the suite-wide invariant: no answer is a 5xx, and a case that must change nothing leaves
 * the stored state (users, admin accounts and their sessions) exactly as it found it.
 */
import type pg from 'pg';
import type { AttackRequest, AttackResponse, Endpoint } from './http';
import type { Fixtures } from './fixtures';

/** OWASP API Security Top 10, 2023 edition. */
export const OWASP = {
  API1: 'API1:2023 Broken Object Level Authorization',
  API2: 'API2:2023 Broken Authentication',
  API3: 'API3:2023 Broken Object Property Level Authorization',
  API4: 'API4:2023 Unrestricted Resource Consumption',
  API5: 'API5:2023 Broken Function Level Authorization',
  API6: 'API6:2023 Unrestricted Access to Sensitive Business Flows',
  API7: 'API7:2023 Server Side Request Forgery',
  API8: 'API8:2023 Security Misconfiguration',
  API9: 'API9:2023 Improper Inventory Management',
  API10: 'API10:2023 Unsafe Consumption of APIs',
} as const;
export type OwaspId = keyof typeof OWASP;

/** Which service a request goes to: the public onboarder or the admin API (user service). */
export type Surface = 'public' | 'admin';

/** What a case's steps may use. Every request it sends is recorded, so the runner can check "never a 5xx". */
export interface AttackContext {
  /** Send from this case's own source address. */
  send(surface: Surface, request: AttackRequest): Promise<AttackResponse>;
  /** The endpoint of a surface from this case's source address (for raw-socket cases). */
  endpoint(surface: Surface): Endpoint;
  /** Requests per minute per client IP the public API allows. */
  readonly rateLimit: number;
  /** The admin web's origin: the one origin CORS and the cookie endpoints accept. */
  readonly allowedOrigin: string;
  readonly db: pg.Pool;
  readonly fixtures: Fixtures;
}

export interface Expectation {
  /** Acceptable statuses. */
  readonly status: number | readonly number[];
  /** Extra checks on the answer; return a failure message or undefined. */
  readonly check?: (response: AttackResponse) => string | undefined;
}

interface CaseBase {
  /** Short kebab-case id, printed first on the case's line. */
  readonly id: string;
  readonly owasp: OwaspId;
  /** What the attacker tries, and what the right answer is. */
  readonly title: string;
  /** True when the case changes stored state on purpose (a registration it then inspects). @default false */
  readonly changesState?: boolean;
  /** True for raw-socket cases that mostly wait (slowloris): they run beside the others. @default false */
  readonly concurrent?: boolean;
}

/** One or more requests, each with the answer it must get. */
export interface RequestCase extends CaseBase {
  readonly surface: Surface;
  readonly steps: readonly { readonly request: AttackRequest; readonly expect: Expectation }[];
}

/** Several dependent steps: the script throws (`fail`) with what went wrong. */
export interface ScriptedCase extends CaseBase {
  readonly run: (ctx: AttackContext) => Promise<void>;
}

export type AttackCase = RequestCase | ScriptedCase;

export class CaseFailure extends Error {}

/** Fail a case with a message naming what the service did. */
export function fail(message: string): never {
  throw new CaseFailure(message);
}

export function statusIn(expected: number | readonly number[], actual: number): boolean {
  return typeof expected === 'number' ? expected === actual : expected.includes(actual);
}

/** Check an answer against an expectation; a mismatch fails the case. */
export function expectAnswer(label: string, response: AttackResponse, expect: Expectation): void {
  if (!statusIn(expect.status, response.status)) {
    fail(`${label}: expected ${String(expect.status)}, got ${response.status} ${response.text.slice(0, 160)}`);
  }
  const problem = expect.check?.(response);
  if (problem) fail(`${label}: ${problem}`);
}
