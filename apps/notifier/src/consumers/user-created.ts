import { randomUUID } from 'node:crypto';
import { TOPICS, eventSourceOf, type EventData } from '@scalefu/contracts';
import {
  DeferredRetry,
  SpanKind,
  subscribe,
  withSpan,
  type EventProducer,
  type HandlerContext,
} from '@scalefu/service-kit';
import { SERVICE } from '../config';
import { registrationStatusUrl, renderConfirmationEmail } from '../domain/confirmation-email';
import { confirmationEventId, confirmationMessageId } from '../domain/ids';
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
}

type UserCreated = EventData<typeof TOPICS.userCreated.eventType>;

/**
 * `user.created` → one confirmation mail per user, ever → `user.confirmation.sent`. The send is guarded by a
 * Redis lease and a sent marker (ADR 0050); a redelivery after the mail went out only republishes the
 * confirmation, which is the same event (same id) and idempotent downstream.
 */
export function userCreatedConsumer(deps: UserCreatedDeps) {
  return subscribe(TOPICS.userCreated, async (event, ctx) => {
    const { userID } = event.data.user;
    const sent = await sendOnce(deps, event.data, ctx);
    await deps.producer.publish(TOPICS.confirmationSent.name, userID, {
      id: confirmationEventId(userID),
      source: eventSourceOf(SERVICE),
      type: TOPICS.confirmationSent.eventType,
      time: sent.sentAt,
      subject: userID,
      data: { userID, messageId: sent.messageId, sentAt: sent.sentAt },
    });
  });
}

async function sendOnce(deps: UserCreatedDeps, data: UserCreated, ctx: HandlerContext): Promise<SentConfirmation> {
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

  const messageId = confirmationMessageId(user.userID, deps.mailFrom);
  const mail = renderConfirmationEmail({
    userID: user.userID,
    name: user.name,
    statusUrl: registrationStatusUrl(deps.publicBaseUrl, user.userID),
  });
  const stopTimer = deps.metrics.smtpDuration.startTimer();
  try {
    // nodemailer has no OpenTelemetry instrumentation: the send is a client span of its own (no address on it).
    await withSpan('smtp send', { kind: SpanKind.CLIENT, attributes: SMTP_SPAN_ATTRIBUTES }, () =>
      deps.mailer.sendMail({
        from: deps.mailFrom,
        to: { name: user.name, address: user.email },
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId,
        headers: { 'X-ScaleFu-User-ID': user.userID },
      }),
    );
  } catch (error) {
    deps.metrics.emails.inc({ outcome: 'failed' });
    await deps.store.release(user.userID, token).catch(() => undefined); // the lease expires anyway
    // nodemailer's error names the recipient; the kit logs what we throw and copies it into the DLQ header.
    throw sanitisedSmtpError(error);
  }
  stopTimer();
  const sent = { messageId, sentAt: new Date().toISOString() };
  await markSentWithRetries(deps.store, user.userID, sent);
  deps.metrics.emails.inc({ outcome: 'sent' });
  ctx.log.debug('confirmation mail sent');
  return sent;
}

/** The mail is out: losing this write is the one way a second mail could follow, so try hard before giving up. */
async function markSentWithRetries(store: SentConfirmations, userID: string, sent: SentConfirmation): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await store.markSent(userID, sent);
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }
}
