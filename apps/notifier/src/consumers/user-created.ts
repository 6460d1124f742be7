import { randomUUID } from 'node:crypto';
import type { SendMailOptions } from 'nodemailer';
import pLimit, { type LimitFunction } from 'p-limit';
import { TOPICS, eventSourceOf, type EventData, type EventEnvelope } from '@scalefu/contracts';
import {
  DeferredRetry,
  PermanentFailure,
  SpanKind,
  contextFromTraceparent,
  subscribe,
  withContext,
  withSpan,
  type BatchContext,
  type BatchItem,
  type EventProducer,
  type HandlerContext,
} from '@scalefu/service-kit';
import { SERVICE } from '../config';
import { registrationStatusUrl, renderConfirmationEmail } from '../domain/confirmation-email';
import { confirmationEventId, confirmationMessageId } from '../domain/ids';
import { composeMimeMessage, isPlainAsciiAddress, parseSender, type Sender } from '../mail/mime-message';
import type { Mailer } from '../mail/smtp';
import { sanitisedSmtpError } from '../mail/smtp-failure';
import type { NotifierMetrics } from '../metrics';
import type { SentConfirmation, SentConfirmations } from '../store/sent-confirmations';

/** What the SMTP span says about the send: the protocol, never the recipient (PDPA). */
const SMTP_SPAN_ATTRIBUTES = { 'network.protocol.name': 'smtp' } as const;

export interface UserCreatedDeps {
  readonly store: SentConfirmations;
  readonly mailer: Mailer;
  readonly producer: EventProducer;
  readonly metrics: NotifierMetrics;
  readonly mailFrom: string;
  readonly publicBaseUrl: string;
  /** Sends rendered and handed to the SMTP pool at once, all partitions together (`SMTP_MAX_IN_FLIGHT`). */
  readonly maxMailsInFlight: number;
}

/** The dependencies plus what is derived from them once, at start-up. */
interface Deps extends UserCreatedDeps {
  readonly sender: Sender;
  readonly sendSlot: LimitFunction;
}

type UserCreated = EventData<typeof TOPICS.userCreated.eventType>;

/**
 * `user.created` → one confirmation mail per user, ever → `user.confirmation.sent`. The send is guarded by a
 * Redis lease and a sent marker (ADR 0050); a redelivery after the mail went out only republishes the
 * confirmation, which is the same event (same id) and idempotent downstream.
 */
export function userCreatedConsumer(config: UserCreatedDeps) {
  const deps: Deps = { ...config, sender: parseSender(config.mailFrom), sendSlot: pLimit(config.maxMailsInFlight) };
  return subscribe(
    TOPICS.userCreated,
    async (event, ctx) => publishConfirmation(deps, event.data.user.userID, await sendOnce(deps, event.data, ctx)),
    (items, ctx) => sendBatch(deps, items, ctx),
  );
}

function publishConfirmation(deps: Deps, userID: string, sent: SentConfirmation): Promise<void> {
  return deps.producer.publish(TOPICS.confirmationSent.name, userID, {
    id: confirmationEventId(userID),
    source: eventSourceOf(SERVICE),
    type: TOPICS.confirmationSent.eventType,
    time: sent.sentAt,
    subject: userID,
    data: { userID, messageId: sent.messageId, sentAt: sent.sentAt },
  });
}

/**
 * The batch form of `sendOnce` + publish: per chunk of `maxMailsInFlight` users, their leases in one Redis pipeline,
 * the mails concurrently over the SMTP pool and the sent markers in one pipeline; then the confirmations. A lease's
 * clock runs from its claim, so claiming a chunk at a time keeps a claim from waiting behind the whole batch for a send
 * slot (ADR 0050: the lease must outlast the send). A user whose lease another delivery holds, or whose send failed,
 * makes the batch throw after every mail that went out is marked sent, so the per-record fallback republishes those
 * (no second mail) and retries or defers only the others.
 */
async function sendBatch(
  deps: Deps,
  items: readonly BatchItem<EventEnvelope<UserCreated>>[],
  ctx: BatchContext,
): Promise<void> {
  const firstOf = new Map<string, BatchItem<EventEnvelope<UserCreated>>>();
  for (const item of items)
    if (!firstOf.has(item.event.data.user.userID)) firstOf.set(item.event.data.user.userID, item);
  const users = [...firstOf.values()].map((item) => ({
    item,
    userID: item.event.data.user.userID,
    token: randomUUID(),
  }));
  const sent = new Map<string, SentConfirmation>();
  for (let start = 0; start < users.length; start += deps.maxMailsInFlight) {
    await sendChunk(deps, users.slice(start, start + deps.maxMailsInFlight), sent);
  }
  ctx.log.debug({ mails: sent.size }, 'confirmation mails sent');
  await Promise.all(
    items.map((item) =>
      withContext(contextFromTraceparent(item.traceparent), () =>
        publishConfirmation(deps, item.event.data.user.userID, sent.get(item.event.data.user.userID)!),
      ),
    ),
  );
}

/** One chunk of `sendBatch`: claim, send, mark; records what is (or already was) sent in `sent`, or throws. */
async function sendChunk(
  deps: Deps,
  users: readonly { item: BatchItem<EventEnvelope<UserCreated>>; userID: string; token: string }[],
  sent: Map<string, SentConfirmation>,
): Promise<void> {
  const claims = await deps.store.claimAll(users);
  const claimed = users.filter((_, i) => claims[i]!.kind === 'claimed');
  if (claims.some((c) => c.kind === 'busy')) {
    await deps.store.releaseAll(claimed);
    throw new Error('another delivery holds the lease of a confirmation in this batch');
  }
  users.forEach(({ userID }, i) => {
    const claim = claims[i]!;
    if (claim.kind !== 'sent') return;
    deps.metrics.emails.inc({ outcome: 'already_sent' });
    sent.set(userID, { messageId: claim.messageId, sentAt: claim.sentAt });
  });
  const sends = await Promise.allSettled(
    claimed.map(({ item }) =>
      withContext(contextFromTraceparent(item.traceparent), () => sendMail(deps, item.event.data.user)),
    ),
  );
  const failed = claimed.filter((_, i) => sends[i]!.status === 'rejected');
  const delivered = claimed.flatMap(({ userID }, i) => {
    const send = sends[i]!;
    return send.status === 'fulfilled' ? [{ userID, ...send.value }] : [];
  });
  await deps.store.releaseAll(failed).catch(() => undefined); // the leases expire anyway
  await markSentWithRetries(() => deps.store.markSentAll(delivered));
  for (const d of delivered) sent.set(d.userID, d);
  deps.metrics.emails.inc({ outcome: 'sent' }, delivered.length);
  const firstFailure = sends.find((s) => s.status === 'rejected');
  if (firstFailure) throw firstFailure.reason;
}

async function sendOnce(deps: Deps, data: UserCreated, ctx: HandlerContext): Promise<SentConfirmation> {
  const { user } = data;
  const token = randomUUID();
  const claim = await deps.store.claim(user.userID, token);
  if (claim.kind === 'sent') {
    deps.metrics.emails.inc({ outcome: 'already_sent' });
    ctx.log.info('confirmation already sent, republishing');
    return { messageId: claim.messageId, sentAt: claim.sentAt };
  }
  if (claim.kind === 'busy') {
    deps.metrics.emails.inc({ outcome: 'in_progress' });
    // Not a failure: another delivery (maybe one that crashed mid-send) holds the lease. Come back when it has
    // expired rather than burning retries, or a crashed sender's user would end in the DLQ unmailed.
    throw new DeferredRetry('another delivery is sending this confirmation', claim.leaseRemainingMs + 250);
  }

  const sent = await sendMail(deps, user).catch(async (error: unknown) => {
    await deps.store.release(user.userID, token).catch(() => undefined); // the lease expires anyway
    throw error;
  });
  await markSentWithRetries(() => deps.store.markSent(user.userID, sent));
  deps.metrics.emails.inc({ outcome: 'sent' });
  ctx.log.debug('confirmation mail sent');
  return sent;
}

/**
 * Render and send one confirmation once a send slot is free; counts a failure and throws it sanitised (no address).
 * A batch of 500 on each of six partitions would otherwise render 3,000 mails into the pool's queue at once.
 */
function sendMail(deps: Deps, user: UserCreated['user']): Promise<SentConfirmation> {
  return deps.sendSlot(() => renderAndSend(deps, user));
}

async function renderAndSend(deps: Deps, user: UserCreated['user']): Promise<SentConfirmation> {
  const messageId = confirmationMessageId(user.userID, deps.mailFrom);
  let message: SendMailOptions;
  try {
    message = confirmationMessage(deps, user, messageId);
  } catch (error) {
    deps.metrics.emails.inc({ outcome: 'failed' });
    // Composing fails the same way every time: no retry can help. The reason never holds the address.
    throw new PermanentFailure(`the confirmation mail could not be composed: ${(error as Error).message}`);
  }
  const stopTimer = deps.metrics.smtpDuration.startTimer();
  try {
    // nodemailer has no OpenTelemetry instrumentation: the send is a client span of its own (no address on it).
    await withSpan('smtp send', { kind: SpanKind.CLIENT, attributes: SMTP_SPAN_ATTRIBUTES }, () =>
      deps.mailer.sendMail(message),
    );
  } catch (error) {
    deps.metrics.emails.inc({ outcome: 'failed' });
    // nodemailer's error names the recipient; the kit logs what we throw and copies it into the DLQ header.
    throw sanitisedSmtpError(error);
  }
  stopTimer();
  return { messageId, sentAt: new Date().toISOString() };
}

/**
 * The mail for nodemailer: composed here and sent raw (ADR 0145), or, for a mailbox with a non-ASCII local part
 * (`@scalefu/identity` keeps those), left to nodemailer's composer, which speaks SMTPUTF8.
 */
function confirmationMessage(deps: Deps, user: UserCreated['user'], messageId: string): SendMailOptions {
  const mail = renderConfirmationEmail({
    userID: user.userID,
    name: user.name,
    statusUrl: registrationStatusUrl(deps.publicBaseUrl, user.userID),
  });
  const to = { name: user.name, address: user.email };
  const headers = { 'X-ScaleFu-User-ID': user.userID };
  if (!isPlainAsciiAddress(user.email)) {
    return { from: deps.mailFrom, to, subject: mail.subject, text: mail.text, html: mail.html, messageId, headers };
  }
  return {
    envelope: { from: deps.sender.address, to: [user.email] },
    raw: composeMimeMessage({ from: deps.sender, to, ...mail, messageId, headers }),
    // The raw message carries it already; named here too, nodemailer need not draw one of its own for the send.
    messageId,
  };
}

/** The mail is out: losing this write is the one way a second mail could follow, so try hard before giving up. */
async function markSentWithRetries(write: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }
}
