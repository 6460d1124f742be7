import { RUNTIME_ENV, SERVICES, localEdgeOrigin } from '@scalefu/contracts';
import {
  ConfigError,
  kafkaConfigProperties,
  loadConfig,
  redisConfigProperties,
  serviceConfigSchema,
  smtpConfigProperties,
} from '@scalefu/service-kit';
import { Type, type Static } from 'typebox';

export const SERVICE = SERVICES.notifier.name;

/** The local edge's admin web origin: right on a laptop, a dead link in a real member's mailbox. */
const LOCAL_PUBLIC_BASE_URL = localEdgeOrigin('web');

export const notifierConfigSchema = serviceConfigSchema(SERVICE, {
  ...kafkaConfigProperties,
  ...redisConfigProperties,
  ...smtpConfigProperties,
  /** Sender of the confirmation mail; its domain also names the deterministic Message-ID. */
  [RUNTIME_ENV.mailFrom]: Type.String({
    minLength: 3,
    pattern: '@',
    default: 'ScaleFu Jade Palace <no-reply@scalefu.local>',
  }),
  /** Public origin of the admin web, whose registration status page the mail links to. */
  [RUNTIME_ENV.publicBaseUrl]: Type.String({ pattern: '^https?://', default: LOCAL_PUBLIC_BASE_URL }),
  /**
   * Pooled SMTP connections per process. A connection carries one mail at a time, four round trips each when the server
   * offers no PIPELINING, so this bounds the mails a process sends per second (ADR 0152). The relay's cap on
   * concurrent connections, divided by the notifier's replicas, bounds it from above; the local stack, whose catcher
   * has no such cap, sets 40.
   */
  [RUNTIME_ENV.smtpPoolSize]: Type.Integer({ minimum: 1, maximum: 50, default: 5 }),
  /**
   * Mails rendered and handed to the SMTP pool at once, across every partition; the rest of a backlog waits its turn
   * unrendered, so memory does not grow with the backlog. At least SMTP_POOL_SIZE, or connections idle.
   */
  [RUNTIME_ENV.smtpMaxInFlight]: Type.Integer({ minimum: 1, maximum: 1000, default: 20 }),
  /** How long a claim to send one user's mail blocks other deliveries of it; longer than the worst SMTP send. */
  SEND_LEASE_SECONDS: Type.Integer({ minimum: 5, maximum: 600, default: 30 }),
});

export type NotifierConfig = Static<typeof notifierConfigSchema>;

const LOOPBACK_HOST = /^(localhost|.+\.localhost|127(\.\d{1,3}){3}|\[::1\]|\[::\]|0\.0\.0\.0)$/i;

/**
 * Outside the local stack the status link goes to real members, so PUBLIC_BASE_URL must be set and must not
 * point at this machine. Returns the problem, or undefined when the value is fine.
 */
function publicBaseUrlProblem(
  config: NotifierConfig,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const value = config[RUNTIME_ENV.publicBaseUrl];
  let host: string;
  try {
    host = new URL(value).hostname;
  } catch {
    return 'is not a valid URL';
  }
  const environment = config[RUNTIME_ENV.environment];
  if (environment === 'local') return undefined;
  if (!env[RUNTIME_ENV.publicBaseUrl]) {
    return `must be set to the public origin of the admin web when ${RUNTIME_ENV.environment} is ${environment} (the default ${LOCAL_PUBLIC_BASE_URL} is for the local stack only)`;
  }
  if (LOOPBACK_HOST.test(host)) {
    return `must not point at ${host} when ${RUNTIME_ENV.environment} is ${environment}: members would get a dead link`;
  }
  return undefined;
}

export function loadNotifierConfig(env: Readonly<Record<string, string | undefined>> = process.env): NotifierConfig {
  const config = loadConfig(SERVICE, notifierConfigSchema, env);
  const problem = publicBaseUrlProblem(config, env);
  if (problem) throw new ConfigError(SERVICE, [{ field: RUNTIME_ENV.publicBaseUrl, message: problem }]);
  const poolSize = config[RUNTIME_ENV.smtpPoolSize];
  if (config[RUNTIME_ENV.smtpMaxInFlight] < poolSize) {
    const message = `must be at least ${RUNTIME_ENV.smtpPoolSize} (${poolSize}), or pooled connections stay idle`;
    throw new ConfigError(SERVICE, [{ field: RUNTIME_ENV.smtpMaxInFlight, message }]);
  }
  return config;
}
