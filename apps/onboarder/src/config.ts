import { PUBLIC_RATE_LIMIT, RUNTIME_ENV, SERVICES } from '@scalefu/contracts';
import { kafkaConfigProperties, loadConfig, redisConfigProperties, serviceConfigSchema } from '@scalefu/service-kit';
import { Type, type Static } from 'typebox';

export const SERVICE = SERVICES.onboarder.name;

export const onboarderConfigSchema = serviceConfigSchema(SERVICE, {
  ...kafkaConfigProperties,
  ...redisConfigProperties,
  /** Key of the national-ID HMAC; the same secret as the user service's, so both derive the same dedup key. */
  [RUNTIME_ENV.nationalIdHmacKey]: Type.String({ minLength: 32 }),
  /** Public requests per client IP per minute, shared by all replicas through Redis. */
  [RUNTIME_ENV.rateLimitPerMinute]: Type.Integer({ minimum: 1, default: PUBLIC_RATE_LIMIT.max }),
  /**
   * Whose `X-Forwarded-For` is believed: a hop count (the clusters: CLUSTER_TRUSTED_PROXY_HOPS, because Google's
   * load balancer appends its own address), or comma-separated IPs/CIDRs of the proxies; empty = the socket address.
   */
  [RUNTIME_ENV.trustedProxies]: Type.String({ default: '', pattern: '^[0-9a-fA-F.:/,\\s]*$' }),
});

export type OnboarderConfig = Static<typeof onboarderConfigSchema>;

export function loadOnboarderConfig(env: Readonly<Record<string, string | undefined>> = process.env): OnboarderConfig {
  return loadConfig(SERVICE, onboarderConfigSchema, env);
}

/**
 * `TRUSTED_PROXIES` as the kit's `trustedProxies` option: an integer N trusts the last N hops (the client is the
 * X-Forwarded-For entry before them, whatever the client put further left); otherwise the list of IPs/CIDRs.
 */
export function trustedProxiesOf(config: OnboarderConfig): string[] | number | false {
  const value = config[RUNTIME_ENV.trustedProxies].trim();
  if (/^\d+$/.test(value)) return Number(value) > 0 ? Number(value) : false;
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return list.length ? list : false;
}
