/**
 * The chaos invariant, checked after recovery: every acked registration is stored exactly once, CONFIRMED and
 * mailed; nobody else was stored for the same people; and repeated mails stay within what ADR 0050 allows — a
 * repeat always carries the first mail's Message-ID (the one window between SMTP's 250 and the sent marker), and
 * there are no more of them than the scenario's bound.
 */
import type pg from 'pg';
import { messageIdsTo } from '../../scripts/lib/stack/mail-inbox';
import type { Ack } from './sender';

export interface InvariantReport {
  readonly acked: number;
  readonly stored: number;
  readonly confirmed: number;
  readonly mailed: number;
  /** Acked but not stored, not CONFIRMED or not mailed when the wait ended. */
  readonly lost: number;
  /** Rows beyond one per acked person (same e-mail under another userID), or a rejection of an acked userID. */
  readonly doubled: number;
  /** Mail deliveries beyond the first per person. */
  readonly repeatedMails: number;
  /** People with two different Message-IDs: never allowed. */
  readonly differentMessages: number;
  /** From the end of the fault's recovery until everything acked was CONFIRMED and mailed, ms (or undefined). */
  readonly recoveredAfterMs: number | undefined;
}

async function counts(db: pg.Pool, acked: readonly Ack[]) {
  const ids = acked.map((a) => a.userID);
  const emails = acked.map((a) => a.email.toLowerCase());
  const { rows } = await db.query(
    `SELECT
       (SELECT count(*) FROM users WHERE user_id = ANY($1::uuid[]))::int AS stored,
       (SELECT count(*) FROM users WHERE user_id = ANY($1::uuid[]) AND status = 'CONFIRMED')::int AS confirmed,
       (SELECT count(*) FROM users WHERE email_canonical = ANY($2::text[]))::int AS by_email,
       (SELECT count(*) FROM registration_rejections WHERE user_id = ANY($1::uuid[]))::int AS rejected`,
    [ids, emails],
  );
  return rows[0] as { stored: number; confirmed: number; by_email: number; rejected: number };
}

/**
 * Wait (up to `timeoutMs`) until every acked registration is CONFIRMED and mailed, then report. `recoveredAt` is
 * when the fault's recovery step finished (Date.now()).
 */
export async function checkInvariant(options: {
  readonly db: pg.Pool;
  readonly mailWebUrl: string;
  readonly acked: readonly Ack[];
  readonly recoveredAt: number;
  readonly timeoutMs: number;
}): Promise<InvariantReport> {
  const { db, acked } = options;
  const wanted = new Set(acked.map((a) => a.email.toLowerCase()));
  const deadline = Date.now() + options.timeoutMs;
  let recoveredAfterMs: number | undefined;
  let row = await counts(db, acked);
  let mails = new Map<string, string[]>();
  for (;;) {
    row = await counts(db, acked);
    if (row.confirmed === acked.length) {
      mails = await messageIdsTo(options.mailWebUrl, wanted);
      if (mails.size === wanted.size) {
        recoveredAfterMs = Math.max(0, Date.now() - options.recoveredAt);
        break;
      }
    }
    if (Date.now() > deadline) {
      mails = await messageIdsTo(options.mailWebUrl, wanted);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  // Late redeliveries show up after the first full count: look once more a moment later.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  mails = await messageIdsTo(options.mailWebUrl, wanted);
  row = await counts(db, acked);
  const deliveries = [...mails.values()];
  const mailed = mails.size;
  return {
    acked: acked.length,
    stored: row.stored,
    confirmed: row.confirmed,
    mailed,
    lost: acked.length - Math.min(row.stored, row.confirmed, mailed),
    doubled: row.by_email - row.stored + row.rejected,
    repeatedMails: deliveries.reduce((sum, ids) => sum + ids.length - 1, 0),
    differentMessages: deliveries.filter((ids) => new Set(ids).size > 1).length,
    recoveredAfterMs,
  };
}
