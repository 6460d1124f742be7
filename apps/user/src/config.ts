import { AUTH_LIFETIMES, RUNTIME_ENV, SERVICES } from '@scalefu/contracts';
import {
  kafkaConfigProperties,
  loadConfig,
  postgresConfigProperties,
  parseTrustedProxies,
  redisConfigProperties,
  serviceConfigSchema,
  trustedProxiesConfigProperties,
} from '@scalefu/service-kit';
import { Type, type Static } from 'typebox';

export const SERVICE = SERVICES.user.name;

/** Everything the user service reads from the environment, once, at start. */
export const userConfigSchema = serviceConfigSchema(SERVICE, {
  ...kafkaConfigProperties,
  ...postgresConfigProperties,
  ...redisConfigProperties,
  ...trustedProxiesConfigProperties,
  /** Key of the national-ID HMAC; must equal the onboarder's so both hash an ID to the same dedup key. */
  [RUNTIME_ENV.nationalIdHmacKey]: Type.String({ minLength: 32 }),
  /** Outbox rows the relay publishes per round. */
  OUTBOX_BATCH_SIZE: Type.Integer({ minimum: 1, maximum: 5000, default: 500 }),
  /** Relay poll interval when no NOTIFY arrives, in ms. */
  OUTBOX_POLL_INTERVAL_MS: Type.Integer({ minimum: 50, default: 1000 }),
  /** Published outbox rows are deleted after this many hours. */
  OUTBOX_RETENTION_HOURS: Type.Integer({ minimum: 1, default: 24 }),
  /** Ed25519 private JWKs `{"keys":[current, previous?]}` (local: generated into the stack's data folder). */
  [RUNTIME_ENV.jwtSigningKey]: Type.String({ minLength: 2 }),
  /** AES-256 key (64 hex characters) sealing TOTP secrets at rest (local: generated into the stack's data folder). */
  [RUNTIME_ENV.mfaEncryptionKey]: Type.String({ pattern: '^[0-9a-fA-F]{64}$' }),
  /** Access-token lifetime, seconds. */
  AUTH_ACCESS_TOKEN_SECONDS: seconds(AUTH_LIFETIMES.accessToken),
  /** MFA challenge lifetime (password accepted, code not yet), seconds. */
  AUTH_CHALLENGE_SECONDS: seconds(AUTH_LIFETIMES.challenge),
  /** A refresh token unused this long expires, seconds. */
  AUTH_REFRESH_IDLE_SECONDS: seconds(AUTH_LIFETIMES.refreshIdle),
  /** A sign-in's refresh family ends this long after sign-in, seconds. */
  AUTH_REFRESH_ABSOLUTE_SECONDS: seconds(AUTH_LIFETIMES.refreshAbsolute),
  /** Deleting a user or changing a role needs a code entered this recently, seconds. */
  AUTH_STEP_UP_SECONDS: seconds(AUTH_LIFETIMES.stepUp),
  /** "Trust this device" lasts this long, seconds. */
  AUTH_TRUSTED_DEVICE_SECONDS: seconds(AUTH_LIFETIMES.trustedDevice),
  /** Mark auth cookies Secure; off only for plain-HTTP local development without the HTTPS edge. */
  AUTH_COOKIE_SECURE: Type.Boolean({ default: true }),
});

function seconds(defaultValue: number) {
  return Type.Integer({ minimum: 1, default: defaultValue });
}

export type UserConfig = Static<typeof userConfigSchema>;

export function loadUserConfig(env: Readonly<Record<string, string | undefined>> = process.env): UserConfig {
  return loadConfig(SERVICE, userConfigSchema, env);
}

/** `TRUSTED_PROXIES` as the kit's option: sign-in throttling keys on the client IP, never on the load balancer's. */
export const trustedProxiesOf = (config: UserConfig) => parseTrustedProxies(config[RUNTIME_ENV.trustedProxies]);
