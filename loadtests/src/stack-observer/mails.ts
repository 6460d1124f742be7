/** A mail the SMTP catcher (maildev) received. */
export interface CaughtMail {
  /** Recipients, lower-case. */
  readonly to: readonly string[];
  /** From the Date header maildev keeps: whole seconds, so good for counting, not for timing. */
  readonly receivedAtMs: number;
  readonly messageId: string;
}

interface MaildevMail {
  to?: { address: string }[];
  time?: string;
  date?: string;
  messageId?: string;
  headers?: Record<string, string>;
}

/** Every mail in maildev (`MAILDEV_WEB_URL`) addressed to a recipient containing `marker`. */
export async function mailsMatching(maildevWebUrl: string, marker: string): Promise<CaughtMail[]> {
  const response = await fetch(new URL('/email', maildevWebUrl));
  if (!response.ok) throw new Error(`maildev answered ${response.status} on /email`);
  const needle = marker.toLowerCase();
  const mails = (await response.json()) as MaildevMail[];
  return mails
    .map((m) => ({
      to: (m.to ?? []).map((t) => t.address.toLowerCase()),
      receivedAtMs: Date.parse(m.time ?? m.date ?? ''),
      messageId: m.messageId ?? m.headers?.['message-id'] ?? '',
    }))
    .filter((m) => m.to.some((a) => a.includes(needle)));
}
