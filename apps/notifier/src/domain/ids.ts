import { createHash } from 'node:crypto';
import { TOPICS } from '@scalefu/contracts';

/**
 * Message-ID of a user's confirmation mail. Derived from the userID alone, so every (re)send of the same
 * confirmation carries the same id and mail stores that dedupe on Message-ID collapse an unavoidable resend.
 */
export function confirmationMessageId(userID: string, mailFrom: string): string {
  return `<confirmation.${userID}@${mailDomainOf(mailFrom)}>`;
}

/** Domain part of a sender like `Name <user@example.org>` or `user@example.org`. */
export function mailDomainOf(mailFrom: string): string {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(mailFrom.trim());
  if (!match) throw new Error(`MAIL_FROM has no domain: ${mailFrom}`);
  return match[1]!.toLowerCase();
}

/**
 * CloudEvents id of `user.confirmation.sent` for a user: a name-based UUID (version 8, SHA-256), so a republish
 * after a crash is the *same* event and consumers idempotent by event id drop it.
 */
export function confirmationEventId(userID: string): string {
  const hash = createHash('sha256').update(`${TOPICS.confirmationSent.name}:${userID}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x80;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
