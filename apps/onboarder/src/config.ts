import { PUBLIC_RATE_LIMIT, RUNTIME_ENV, SERVICES } from '@scalefu/contracts';
import {
  kafkaConfigProperties,
  loadConfig,
  parseTrustedProxies,
  redisConfigProperties,
  serviceConfigSchema,
  trustedProxiesConfigProperties,
} from '@scalefu/service-kit';
import { Type, type Static } from 'typebox';

export const SERVICE = SERVICES.onboarder.name;

export const onboarderConfigSchema = serviceConfigSchema(SERVICE, {
  ...kafkaConfigProperties,
  ...redisConfigProperties,
  /** Key of the national-ID HMAC; the same secret as the user service's, so both derive the same dedup key. */
  [RUNTIME_ENV.nationalIdHmacKey]: Type.String({ minLength: 32 }),
  /** Public requests per client IP per minute, shared by all replicas through Redis. */
  [RUNTIME_ENV.rateLimitPerMinute]: Type.Integer({ minimum: 1, default: PUBLIC_RATE_LIMIT.max }),
  ...trustedProxiesConfigProperties,
});

export type OnboarderConfig = Static<typeof onboarderConfigSchema>;

export function loadOnboarderConfig(env: Readonly<Record<string, string | undefined>> = process.env): OnboarderConfig {
  return loadConfig(SERVICE, onboarderConfigSchema, env);
}

/** `TRUSTED_PROXIES` as the kit's `trustedProxies` option (see `parseTrustedProxies`). */
export function trustedProxiesOf(config: OnboarderConfig): string[] | number | false {
  return parseTrustedProxies(config[RUNTIME_ENV.trustedProxies]);
}
