import { PermanentFailure } from '@scalefu/service-kit';

/**
 * What may be said about a failed SMTP send. nodemailer's error carries the recipient in `rejected`,
 * `rejectedErrors[].recipient` and in the server reply it appends to `message` (`550 <po@example.com> …`); the
 * kit logs errors and copies their message into the DLQ header, so only these shape-checked facts leave here.
 */
export interface SmtpFailureFacts {
  /** nodemailer's classification, e.g. `EENVELOPE`, `EMESSAGE`, `ECONNECTION`, `ESOCKET`, `ETIMEDOUT`. */
  readonly code?: string;
  /** The SMTP reply code, e.g. 550. */
  readonly responseCode?: number;
  /** The SMTP command that failed, e.g. `RCPT TO`, `DATA`, `CONN`. */
  readonly command?: string;
}

// Facts are kept only when they look like what nodemailer puts there, so a surprise value can never carry an address.
const CODE = /^[A-Z][A-Z0-9_]{0,31}$/;
const COMMAND = /^[A-Z][A-Z0-9 -]{0,31}$/;
/** nodemailer's codes for a reply that refused this message's envelope or content (not the server or the login). */
const MESSAGE_REJECTIONS = new Set(['EENVELOPE', 'EMESSAGE']);

export function smtpFailureFacts(error: unknown): SmtpFailureFacts {
  const source = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const { code, responseCode, command } = source;
  return {
    ...(typeof code === 'string' && CODE.test(code) ? { code } : {}),
    ...(Number.isInteger(responseCode) && (responseCode as number) >= 100 && (responseCode as number) < 600
      ? { responseCode: responseCode as number }
      : {}),
    ...(typeof command === 'string' && COMMAND.test(command) ? { command } : {}),
  };
}

function summary(facts: SmtpFailureFacts): string {
  return `code=${facts.code ?? 'unknown'} response=${facts.responseCode ?? 'none'} command=${facts.command ?? 'unknown'}`;
}

/** A send that may work later (4xx, connection, timeout): the consumer's retry policy handles it. */
export class SmtpSendError extends Error {
  override readonly name = 'SmtpSendError';
  readonly code: string | undefined;
  readonly responseCode: number | undefined;
  readonly command: string | undefined;

  constructor(facts: SmtpFailureFacts) {
    super(`smtp send failed: ${summary(facts)}`);
    this.code = facts.code;
    this.responseCode = facts.responseCode;
    this.command = facts.command;
  }
}

/** The server refused this message for good (5xx to the envelope or content): retrying cannot help. */
export class SmtpRejectedError extends PermanentFailure {
  readonly code: string | undefined;
  readonly responseCode: number | undefined;
  readonly command: string | undefined;

  constructor(facts: SmtpFailureFacts) {
    super(`smtp rejected the mail: ${summary(facts)}`);
    this.code = facts.code;
    this.responseCode = facts.responseCode;
    this.command = facts.command;
  }
}

/**
 * The error to rethrow for a failed send, built only from `code`, `responseCode` and `command` (no message text, no
 * addresses, no cause). A 5xx reply to the recipient or the message is permanent (straight to the DLQ); anything
 * else — 4xx, connection and timeout errors, and a 5xx to the login, which is the deployment's problem rather than
 * this message's — stays retryable.
 */
export function sanitisedSmtpError(error: unknown): SmtpSendError | SmtpRejectedError {
  const facts = smtpFailureFacts(error);
  const permanent =
    facts.responseCode !== undefined &&
    facts.responseCode >= 500 &&
    facts.responseCode < 600 &&
    facts.code !== undefined &&
    MESSAGE_REJECTIONS.has(facts.code);
  return permanent ? new SmtpRejectedError(facts) : new SmtpSendError(facts);
}
