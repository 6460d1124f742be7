import { ERROR_CODES, type ErrorCode } from '@scalefu/contracts';

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/**
 * An error a handler throws on purpose. The kit maps it to the HTTP envelope in one place
 * (`http/error-handler.ts`), so handlers never build error responses themselves.
 */
export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors: readonly FieldError[] = [],
    /** Extra response headers, e.g. `Retry-After`. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.statusCode = ERROR_CODES[code];
  }
}

export class ValidationError extends AppError {
  constructor(fieldErrors: readonly FieldError[], message = 'Invalid input') {
    super('VALIDATION_FAILED', message, fieldErrors);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found`);
  }
}

export class DuplicateError extends AppError {
  constructor(fieldErrors: readonly FieldError[], message = 'Already registered') {
    super('DUPLICATE', message, fieldErrors);
  }
}

export class PreconditionFailedError extends AppError {
  constructor(message = 'The resource changed since you read it; fetch it again') {
    super('PRECONDITION_FAILED', message);
  }
}

/** A backing service (Kafka, Redis, Postgres, SMTP) is unreachable; the client may retry. */
export class DependencyUnavailableError extends AppError {
  constructor(dependency: string, retryAfterSeconds = 1) {
    super('DEPENDENCY_UNAVAILABLE', `Service temporarily unavailable (${dependency})`, [], {
      'retry-after': String(retryAfterSeconds),
    });
  }
}

export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number) {
    super('RATE_LIMITED', 'Too many requests', [], {
      'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
    });
  }
}

/** Configuration is missing or invalid; names every offending variable. */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: readonly FieldError[],
  ) {
    super(
      `${service}: invalid configuration:\n` +
        problems.map((p) => `  - ${p.field} ${p.message}`).join('\n') +
        '\nSet the variables above (see README "Configuration") and start again.',
    );
    this.name = 'ConfigError';
  }
}
