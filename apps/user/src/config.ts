import { RUNTIME_ENV, SERVICES } from '@scalefu/contracts';
import { kafkaConfigProperties, loadConfig, postgresConfigProperties, serviceConfigSchema } from '@scalefu/service-kit';
import { Type, type Static } from 'typebox';

export const SERVICE = SERVICES.user.name;

/** Everything the user service reads from the environment, once, at start. */
export const userConfigSchema = serviceConfigSchema(SERVICE, {
  ...kafkaConfigProperties,
  ...postgresConfigProperties,
  /** Key of the national-ID HMAC; must equal the onboarder's so both hash an ID to the same dedup key. */
  [RUNTIME_ENV.nationalIdHmacKey]: Type.String({ minLength: 32 }),
  /** Outbox rows the relay publishes per round. */
  OUTBOX_BATCH_SIZE: Type.Integer({ minimum: 1, maximum: 5000, default: 500 }),
  /** Relay poll interval when no NOTIFY arrives, in ms. */
  OUTBOX_POLL_INTERVAL_MS: Type.Integer({ minimum: 50, default: 1000 }),
  /** Published outbox rows are deleted after this many hours. */
  OUTBOX_RETENTION_HOURS: Type.Integer({ minimum: 1, default: 24 }),
});

export type UserConfig = Static<typeof userConfigSchema>;

export function loadUserConfig(env: Readonly<Record<string, string | undefined>> = process.env): UserConfig {
  return loadConfig(SERVICE, userConfigSchema, env);
}
