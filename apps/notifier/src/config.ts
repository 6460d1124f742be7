import { SERVICES } from '@scalefu/contracts';
import {
  kafkaConfigProperties,
  loadConfig,
  redisConfigProperties,
  serviceConfigSchema,
  smtpConfigProperties,
} from '@scalefu/service-kit';
import { Type, type Static } from 'typebox';

export const SERVICE = SERVICES.notifier.name;

export const notifierConfigSchema = serviceConfigSchema(SERVICE, {
  ...kafkaConfigProperties,
  ...redisConfigProperties,
  ...smtpConfigProperties,
  /** Sender of the confirmation mail; its domain also names the deterministic Message-ID. */
  MAIL_FROM: Type.String({ minLength: 3, pattern: '@', default: 'ScaleFu Jade Palace <no-reply@scalefu.local>' }),
  /** Public origin of the registration API, for the status link in the mail. */
  PUBLIC_BASE_URL: Type.String({ pattern: '^https?://', default: `http://127.0.0.1:${SERVICES.onboarder.port}` }),
  /** Pooled SMTP connections per process. */
  SMTP_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 50, default: 5 }),
  /** How long a claim to send one user's mail blocks other deliveries of it; longer than the worst SMTP send. */
  SEND_LEASE_SECONDS: Type.Integer({ minimum: 5, maximum: 600, default: 30 }),
});

export type NotifierConfig = Static<typeof notifierConfigSchema>;

export function loadNotifierConfig(env: Readonly<Record<string, string | undefined>> = process.env): NotifierConfig {
  return loadConfig(SERVICE, notifierConfigSchema, env);
}
