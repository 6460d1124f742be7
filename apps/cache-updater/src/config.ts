import { SERVICES } from '@scalefu/contracts';
import { kafkaConfigProperties, loadConfig, redisConfigProperties, serviceConfigSchema } from '@scalefu/service-kit';
import type { Static } from 'typebox';

export const SERVICE = SERVICES['cache-updater'].name;

export const cacheUpdaterConfigSchema = serviceConfigSchema(SERVICE, {
  ...kafkaConfigProperties,
  ...redisConfigProperties,
});

export type CacheUpdaterConfig = Static<typeof cacheUpdaterConfigSchema>;

export function loadCacheUpdaterConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): CacheUpdaterConfig {
  return loadConfig(SERVICE, cacheUpdaterConfigSchema, env);
}
