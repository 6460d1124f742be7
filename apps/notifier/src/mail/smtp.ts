import type { Logger, ReadinessCheck } from '@scalefu/service-kit';
import nodemailer from 'nodemailer';

export type Mailer = ReturnType<typeof createMailer>;

export interface MailerSettings {
  /** `smtp://[user:pass@]host:port` or `smtps://…`. */
  readonly url: string;
  /** Pooled connections. */
  readonly poolSize: number;
}

/**
 * Pooled SMTP transport with short timeouts: a dead server fails a send in seconds (so the consumer's retry
 * policy decides what happens next) instead of holding a partition for the library's two-minute default.
 */
export function createMailer(settings: MailerSettings, logger: Logger) {
  const transport = nodemailer.createTransport({
    pool: true,
    url: settings.url,
    maxConnections: settings.poolSize,
    maxMessages: 1000,
    connectionTimeout: 5000,
    greetingTimeout: 5000,
    socketTimeout: 15000,
    maxRequeues: 0,
  });
  transport.on('error', (error: Error) => logger.warn({ err: error }, 'smtp transport error'));
  return transport;
}

/**
 * `/readyz` check for SMTP: `verify()` opens a fresh connection, so its result is cached for `cacheMs` and probes
 * never turn into an SMTP connection storm.
 */
export function smtpReadiness(mailer: Mailer, cacheMs = 10_000): ReadinessCheck {
  let last: { at: number; error?: Error } | undefined;
  let inFlight: Promise<void> | undefined;
  const refresh = () =>
    (inFlight ??= mailer
      .verify()
      .then(
        () => void (last = { at: Date.now() }),
        (error: Error) => void (last = { at: Date.now(), error }),
      )
      .finally(() => (inFlight = undefined)));
  return {
    name: 'smtp',
    check: async () => {
      if (!last || Date.now() - last.at > cacheMs) await refresh();
      if (last?.error) throw new Error(`smtp unreachable: ${last.error.message}`);
    },
  };
}
