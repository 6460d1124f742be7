import type { BatchContext, HandlerContext } from '@scalefu/service-kit';
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

/** Apply a batch's plans in one Redis pipeline and count them as `applyPlan` does. */
export async function applyPlans(deps: ConsumerDeps, plans: readonly CachePlan[], ctx: BatchContext): Promise<void> {
  const outcomes = await deps.store.applyAll(plans);
  for (const outcome of outcomes) {
    deps.metrics.changes.inc({ topic: ctx.topic, outcome: outcome.user !== 'none' ? outcome.user : outcome.status });
  }
  ctx.log.debug({ plans: plans.length }, 'cache updated');
}
