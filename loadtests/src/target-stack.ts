import { INFRA_PORTS, RUNTIME_ENV } from '@scalefu/contracts';
import path from 'node:path';
import { STATE_ROOT } from '../../scripts/lib/paths';
import { loadTargetsFile } from '../../scripts/lib/stack/prometheus';
import { startStack, type Stack } from '../../scripts/lib/stack/stack';
import type { RunTarget } from './run';

/** Reports of every run: `.scalefu/loadtests/<time>-<scenario>/` (git-ignored with the rest of the state folder). */
export const REPORTS_DIR = path.join(STATE_ROOT, 'loadtests');

/**
 * The public rate limit a load run's stack gets: load from one machine is one client IP, which the default
 * (100/min, ARCHITECTURE §3) would answer with 429s. Attack runs keep the default.
 */
export const LOAD_RATE_LIMIT_PER_MINUTE = 10_000_000;

const LOOPBACK = new Set(['127.0.0.1', '[::1]', '::1', 'localhost']);

/** A URL a run may send load to: a loopback one, or any one given explicitly with --target. */
export function checkTargetUrl(url: string, explicit: boolean): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`not a URL: ${url}`);
  }
  if (!/^https?:$/.test(parsed.protocol)) throw new Error(`--target must be http(s): ${url}`);
  if (!explicit && !LOOPBACK.has(parsed.hostname)) {
    throw new Error(`refusing to send load to ${parsed.hostname}: only 127.0.0.1 / ::1 unless --target names it`);
  }
  return parsed;
}

export interface LoadStackOptions {
  /** Stack name (its folder under .scalefu/). @default 'load' */
  readonly name?: string;
  /** Added to every default port, so the run's stack does not collide with `npm start` or `npm test`. */
  readonly portOffset: number;
}

/**
 * Start a fresh local stack for load (services, Prometheus; no Zipkin, whose JVM would compete for the CPU being
 * measured) with the public rate limit raised, and describe it as a run target.
 */
export async function startLoadStack(
  options: LoadStackOptions,
  onCreated?: (stack: Stack) => void,
): Promise<{ stack: Stack; target: RunTarget }> {
  const name = options.name ?? 'load';
  // The services inherit this process's environment (scripts/lib/stack/services.ts).
  process.env[RUNTIME_ENV.rateLimitPerMinute] = String(LOAD_RATE_LIMIT_PER_MINUTE);
  const stack = await startStack({
    name,
    portOffset: options.portOffset,
    fresh: true,
    services: true,
    prometheus: true,
    tracing: false,
    ...(onCreated ? { onCreated } : {}),
  });
  const prometheus = stack.components.find((c) => c.name === 'prometheus');
  const baseUrl = stack.env['ONBOARDER_URL'];
  if (!baseUrl) throw new Error('the stack started without the onboarder');
  const exporterPort = Number(
    process.env[INFRA_PORTS.vegetaMetrics.env] ?? INFRA_PORTS.vegetaMetrics.port + options.portOffset,
  );
  return {
    stack,
    target: {
      baseUrl: checkTargetUrl(baseUrl, false).toString().replace(/\/$/, ''),
      note: `local stack "${name}" (port offset ${options.portOffset}) started fresh for this run; no Zipkin`,
      rateLimitPerMinute: LOAD_RATE_LIMIT_PER_MINUTE,
      ...(stack.env['USER_URL'] ? { adminUrl: stack.env['USER_URL'] } : {}),
      ...(stack.env[RUNTIME_ENV.databaseUrl] ? { databaseUrl: stack.env[RUNTIME_ENV.databaseUrl] } : {}),
      ...(stack.env['MAIL_WEB_URL'] ? { mailWebUrl: stack.env['MAIL_WEB_URL'] } : {}),
      stackDir: stack.dirs.root,
      ...(prometheus
        ? { prometheus: { url: prometheus.address, targetsFile: loadTargetsFile(stack.dirs), exporterPort } }
        : {}),
    },
  };
}
