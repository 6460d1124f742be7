import pino, { type Logger, type LoggerOptions } from 'pino';
import { currentTraceContext } from './tracing/context';

/**
 * Paths whose values never reach a log line (Thailand PDPA): contact data, national IDs, credentials.
 * pino's `*` matches one level, so the common nestings are listed explicitly.
 */
const SENSITIVE_KEYS = [
  'email',
  'phoneNumber',
  'phone',
  'nationalId',
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'totp',
  'authorization',
  'cookie',
];
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  ...SENSITIVE_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]),
];

export interface LoggerSettings {
  /** Service name stamped on every line. */
  readonly service: string;
  /** pino level. @default 'info' */
  readonly level?: string;
  /** Where lines go. @default stdout */
  readonly destination?: pino.DestinationStream;
}

/** JSON logs with `service`, the current `trace_id`/`span_id`, and PII redacted. */
export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    base: { service: settings.service },
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
    mixin() {
      const ctx = currentTraceContext();
      return ctx ? { trace_id: ctx.traceId, span_id: ctx.spanId } : {};
    },
  };
  return settings.destination ? pino(options, settings.destination) : pino(options);
}

export type { Logger };
