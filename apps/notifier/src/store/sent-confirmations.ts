import { REDIS_KEYS, STATUS_TTL_SECONDS } from '@scalefu/contracts';
import type { Redis } from '@scalefu/service-kit';

/** A confirmation mail SMTP accepted: what a redelivery republishes instead of sending again. */
export interface SentConfirmation {
  readonly messageId: string;
  readonly sentAt: string;
}

export type Claim =
  | { readonly kind: 'claimed' }
  | { readonly kind: 'busy'; readonly leaseRemainingMs: number }
  | ({ readonly kind: 'sent' } & SentConfirmation);

const SENT = 'sent:';
const SENDING = 'sending:';

/**
 * One key per user (`REDIS_KEYS.confirmationSend(userID)`): absent → nobody sent; `sending:<token>` with a
 * short TTL → a delivery holds the lease and is talking to SMTP; `sent:<json>` → SMTP accepted the mail.
 * Claiming is one atomic step, so two deliveries of the same user never both reach SMTP.
 */
const CLAIM = `
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], ARGV[1] .. ARGV[2], 'EX', ARGV[3])
  return {'claimed'}
end
if string.sub(v, 1, #ARGV[4]) == ARGV[4] then return {'sent', string.sub(v, #ARGV[4] + 1)} end
if v == ARGV[1] .. ARGV[2] then return {'claimed'} end
return {'busy', tostring(redis.call('PTTL', KEYS[1]))}
`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export class SentConfirmations {
  constructor(
    private readonly redis: Redis,
    private readonly leaseSeconds: number,
  ) {}

  private key(userID: string): string {
    return REDIS_KEYS.confirmationSend(userID);
  }

  /** Take the right to send `userID`'s mail, or learn that it was sent (or is being sent by someone else). */
  async claim(userID: string, token: string): Promise<Claim> {
    const reply = (await this.redis.eval(CLAIM, 1, this.key(userID), SENDING, token, this.leaseSeconds, SENT)) as [
      string,
      string?,
    ];
    return claimOf(reply);
  }

  /** Record that SMTP accepted the mail; kept as long as statuses, far beyond Kafka retention. */
  async markSent(userID: string, sent: SentConfirmation): Promise<void> {
    await this.redis.set(this.key(userID), SENT + JSON.stringify(sent), 'EX', STATUS_TTL_SECONDS);
  }

  /** Give the lease back after a failed send so a retry does not wait for it to expire. */
  async release(userID: string, token: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key(userID), SENDING + token);
  }

  /** `claim` for many users in one pipeline (one round trip); each script runs atomically, in order. */
  async claimAll(entries: readonly { userID: string; token: string }[]): Promise<Claim[]> {
    const pipeline = this.redis.pipeline();
    for (const { userID, token } of entries) {
      pipeline.eval(CLAIM, 1, this.key(userID), SENDING, token, this.leaseSeconds, SENT);
    }
    return ((await pipeline.exec()) ?? []).map(([error, reply]) => {
      if (error) throw error;
      return claimOf(reply as [string, string?]);
    });
  }

  /** `markSent` for many users in one pipeline; throws if any write failed (writing again is harmless). */
  async markSentAll(entries: readonly ({ userID: string } & SentConfirmation)[]): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const { userID, messageId, sentAt } of entries) {
      pipeline.set(this.key(userID), SENT + JSON.stringify({ messageId, sentAt }), 'EX', STATUS_TTL_SECONDS);
    }
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
  }

  /** `release` for many leases in one pipeline. */
  async releaseAll(entries: readonly { userID: string; token: string }[]): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const { userID, token } of entries) pipeline.eval(RELEASE, 1, this.key(userID), SENDING + token);
    await pipeline.exec();
  }
}

function claimOf(reply: [string, string?]): Claim {
  if (reply[0] === 'sent') return { kind: 'sent', ...(JSON.parse(reply[1]!) as SentConfirmation) };
  if (reply[0] === 'busy') return { kind: 'busy', leaseRemainingMs: Math.max(0, Number(reply[1])) };
  return { kind: 'claimed' };
}
