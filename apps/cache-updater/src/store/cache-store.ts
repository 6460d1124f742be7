import { REDIS_KEYS, STATUS_TTL_SECONDS } from '@scalefu/contracts';
import type { Redis } from '@scalefu/service-kit';
import type { CachePlan } from '../domain/cache-plan';
import { STATUS_RANK } from '../domain/registration-status';
import { createHash } from 'node:crypto';
import { APPLY_PLAN_LUA } from './apply-plan-script';
import { dedupKey } from './keys';

/** What applying a plan did: to the user hash and dedup keys, and to the registration status. */
export interface ApplyOutcome {
  readonly user: 'applied' | 'stale' | 'none' | 'tombstoned' | 'removed';
  readonly status: 'applied' | 'kept' | 'none' | 'tombstoned' | 'removed';
}

/** The only place the cache-updater talks to Redis: every event is one atomic script call. */
export class CacheStore {
  private static readonly sha = createHash('sha1').update(APPLY_PLAN_LUA).digest('hex');

  constructor(private readonly redis: Redis) {}

  async apply(plan: CachePlan): Promise<ApplyOutcome> {
    const [user, status] = (await this.run(CacheStore.resolve(plan))) as [ApplyOutcome['user'], ApplyOutcome['status']];
    return { user, status };
  }

  /**
   * Apply many plans in one pipeline (one round trip, ADR 0051): Redis runs the scripts one after another in this
   * order, each atomic, so the result is what `apply` one by one gives. Throws if any script failed (the others
   * took effect; every plan is safe to apply again).
   */
  async applyAll(plans: readonly CachePlan[]): Promise<ApplyOutcome[]> {
    if (plans.length === 0) return [];
    const args = plans.map((plan) => CacheStore.resolve(plan));
    const send = async () => {
      const pipeline = this.redis.pipeline();
      for (const arg of args) pipeline.evalsha(CacheStore.sha, 0, arg);
      return (await pipeline.exec()) ?? [];
    };
    let replies = await send();
    // A missing script fails every call of the pipeline alike (nothing ran): load it and send the batch again.
    if (replies.some(([error]) => error?.message.startsWith('NOSCRIPT'))) {
      await this.redis.script('LOAD', APPLY_PLAN_LUA);
      replies = await send();
    }
    return replies.map(([error, reply]) => {
      if (error) throw error;
      const [user, status] = reply as [ApplyOutcome['user'], ApplyOutcome['status']];
      return { user, status };
    });
  }

  /** The plan with its keys spelled out, as the script's one argument. */
  private static resolve(plan: CachePlan): string {
    const resolved = {
      userID: plan.userID,
      keys: {
        user: REDIS_KEYS.user(plan.userID),
        registration: REDIS_KEYS.registration(plan.userID),
        tombstone: REDIS_KEYS.tombstone(plan.userID),
        held: REDIS_KEYS.heldDedupKeys(plan.userID),
      },
      ttlSeconds: STATUS_TTL_SECONDS,
      ranks: STATUS_RANK,
      remove: plan.remove,
      ...(plan.version !== undefined ? { version: plan.version, user: plan.user ?? {} } : {}),
      hold: plan.hold.map(dedupKey),
      release: plan.release.map(dedupKey),
      releaseOwned: plan.releaseOwned.map(dedupKey),
      ...(plan.redirect
        ? {
            redirect: {
              owner: plan.redirect.owner,
              ownerTombstone: REDIS_KEYS.tombstone(plan.redirect.owner),
              ownerHeld: REDIS_KEYS.heldDedupKeys(plan.redirect.owner),
              keys: plan.redirect.entries.map(dedupKey),
            },
          }
        : {}),
      ...(plan.status ? { status: plan.status } : {}),
    };
    return JSON.stringify(resolved);
  }

  /** EVALSHA, loading the script on the first NOSCRIPT (after a restart or failover of Redis). */
  private async run(plan: string): Promise<unknown> {
    try {
      return await this.redis.evalsha(CacheStore.sha, 0, plan);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.redis.eval(APPLY_PLAN_LUA, 0, plan);
    }
  }
}
