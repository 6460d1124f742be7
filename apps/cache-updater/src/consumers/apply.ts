import type { HandlerContext } from '@scalefu/service-kit';
import type { CachePlan } from '../domain/cache-plan';
import type { CacheUpdaterMetrics } from '../metrics';
import type { CacheStore } from '../store/cache-store';

export interface ConsumerDeps {
  readonly store: CacheStore;
  readonly metrics: CacheUpdaterMetrics;
}

/** Apply a plan and count what it did: the user-level outcome when there is one, else the status outcome. */
export async function applyPlan(deps: ConsumerDeps, plan: CachePlan, ctx: HandlerContext): Promise<void> {
  const outcome = await deps.store.apply(plan);
  const label = outcome.user !== 'none' ? outcome.user : outcome.status;
  deps.metrics.changes.inc({ topic: ctx.topic, outcome: label });
  ctx.log.debug({ outcome }, 'cache updated');
}
